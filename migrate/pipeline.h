// Pipeline: the whole of //migrate on one translation unit held in memory
// (the textual scan, the AST tier, the token tier on what the AST did not
// cover, Decide, PlanEdits and the accounting), chained as main.cc chains
// them for files on disk. Nothing is read from the real file system, so any
// bytes are a safe input: the fuzz target and its corpus test drive the
// tool through it. A per-file driver could use it too.
#ifndef EMBER_MIGRATE_PIPELINE_H_
#define EMBER_MIGRATE_PIPELINE_H_

#include <map>
#include <string>
#include <vector>

#include "migrate/decide.h"
#include "migrate/edits.h"
#include "migrate/occurrences.h"
#include "migrate/site.h"

namespace migrate {

struct InMemoryTu {
  std::string path;  // absolute; no such file needs to exist
  std::string text;
  // Other files the translation unit may include: absolute path -> content.
  std::map<std::string, std::string> files;
  // Compiler flags, without the compiler and the file name.
  std::vector<std::string> args;
};

// What the two tiers found in one translation unit, before any decision.
struct Found {
  std::string path;
  std::string text;
  bool parsed = false;       // the AST tier saw the file (it had no errors)
  std::vector<Site> sites;   // AST sites, then token-tier sites
  std::map<std::string, std::string> contents;  // real path -> text the sites were found in
};

// Parses the translation unit and runs both tiers. Parse errors are not
// failures: the AST tier then finds nothing and the token tier decides.
Found FindInMemory(const InMemoryTu& tu);

struct Outcome {
  std::vector<Site> sites;  // decided; edit conflicts made MANUAL
  EditPlan plan;
  std::vector<Occurrence> occurrences;  // classified
};

// Decide, PlanEdits and the accounting on a copy of `found`'s sites; cheap
// next to FindInMemory, so one parse serves every set of options.
Outcome DecideInMemory(const Found& found, const DecideOptions& options);

}  // namespace migrate

#endif  // EMBER_MIGRATE_PIPELINE_H_
