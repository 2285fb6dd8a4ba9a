// Driver: runs the finder over many translation units, skipping those the
// pre-scan proves cannot reach the guard, in parallel, with results and
// messages in input order whatever the number of workers, so that `-j N` is
// byte-for-byte `-j 1`.
#ifndef EMBER_MIGRATE_DRIVER_H_
#define EMBER_MIGRATE_DRIVER_H_

#include <string>
#include <utility>
#include <vector>

#include "clang/Tooling/CompilationDatabase.h"
#include "migrate/sites.h"

namespace migrate {

struct DriverOptions {
  FindOptions find;
  // Clang's resource directory, added to commands that name none.
  std::string resource_dir;
  bool prescan = true;
  unsigned jobs = 1;
  // Translation units with the same flags that start with the same installed
  // `#include <...>` lines share one precompiled header of those lines.
  bool shared_preamble = true;
};

// One translation unit, as it will be parsed.
struct TuInput {
  std::string file;  // absolute
  // The compile commands of the file, adjusted for the tool (usually one).
  std::vector<clang::tooling::CompileCommand> commands;
  // Files to map into the parse's virtual file system (path, content).
  std::vector<std::pair<std::string, std::string>> virtual_files;
};

// What the tool changed in a compile command, for the notes it prints.
struct CommandChanges {
  std::vector<std::string> dropped_flags;     // flags Clang does not know, in order
  std::vector<std::string> gcc_pch_includes;  // forced includes parsed from their text
};

struct TuOutcome {
  // kTokensOnly: a file the tool does not parse (CUDA, Objective-C++); its
  // uses are decided from tokens.
  enum Status { kParsed, kSkipped, kNoCommand, kFailed, kTokensOnly } status = kParsed;
  std::string file;                         // absolute, as given
  std::vector<TuResult> results;            // one per command, when kParsed
  std::string error;                        // the first error when kFailed; why, when kTokensOnly
  std::vector<std::string> missing_headers;  // includes not found, as spelled
  CommandChanges command_changes;            // what AdjustCommand changed, to note
};

// The command of `file` as the tool parses it: flags Clang does not know are
// dropped, forced includes with GCC's PCH next to them go to the frontend
// (BypassForeignPch; relative to `directory`), warnings off, the resource
// directory set. What was changed is appended to *changes.
clang::tooling::CommandLineArguments AdjustCommand(const clang::tooling::CommandLineArguments& args,
                                                   const std::string& directory, const std::string& resource_dir,
                                                   CommandChanges* changes);

// Parses one translation unit (ignores options.prescan and options.jobs).
TuOutcome RunTranslationUnit(const TuInput& input, const DriverOptions& options);

// Every file's outcome, in the order of `files`; the pre-scan, the command
// lookups and the shared precompiled headers are done first on the calling
// thread, then `options.jobs` workers parse.
std::vector<TuOutcome> RunTranslationUnits(const std::vector<std::string>& files,
                                           const clang::tooling::CompilationDatabase& database,
                                           const DriverOptions& options);

}  // namespace migrate

#endif  // EMBER_MIGRATE_DRIVER_H_
