// Occurrences: the accounting. An re2 scan lists every textual occurrence of
// the legacy name (`AutoNonVariableTypeMode`, whatever its qualifier) in every
// file the tool touched, and each is put in exactly one class:
//
//   rewritten-from-ast     a site the AST tier found and the edits rewrite
//   rewritten-from-tokens  a site only the token tier saw (weaker evidence)
//   manual                 left for a person, with the reason (includes
//                          code the AST never saw: a file that failed to
//                          parse, an inactive #if branch, a dropped function)
//   accepted               explicitly kept: // NOLINT(migrate)
//   not-code               in a comment, a string literal or an `#if 0` block
//
// Whether an occurrence is code is decided by Clang's raw Lexer, not by
// regexes: the regex only finds the text.
#ifndef EMBER_MIGRATE_OCCURRENCES_H_
#define EMBER_MIGRATE_OCCURRENCES_H_

#include <map>
#include <set>
#include <string>
#include <vector>

#include "migrate/edits.h"
#include "migrate/site.h"

namespace migrate {

enum class OccurrenceClass { kRewrittenAst, kRewrittenTokens, kManual, kAccepted, kNotCode };
const char* OccurrenceClassName(OccurrenceClass value);

struct Occurrence {
  std::string file;     // real path
  std::string display;  // as the user reads it
  unsigned offset = 0;  // of the identifier
  unsigned line = 0, column = 0;
  OccurrenceClass cls = OccurrenceClass::kManual;
  std::string reason;
  bool has_site = false;  // a Site (with its own summary line) covers it
};

// Every occurrence of the legacy name in `text`, in order; not-code ones are
// classified (comment, string literal, `#if 0`), the others are left kManual
// with an empty reason for Classify().
std::vector<Occurrence> ScanOccurrences(const std::string& path, const std::string& display,
                                        const std::string& text);

// Classifies the code occurrences against the decided sites and the edit
// plan. `unparsed` maps the real path of a main file that failed to parse to
// why; an occurrence no site covers is kManual with the reason it was unseen.
void Classify(std::vector<Occurrence>& occurrences, const std::vector<Site>& sites,
              const EditPlan& plan, const std::map<std::string, std::string>& unparsed);

std::map<OccurrenceClass, int> CountOccurrences(const std::vector<Occurrence>& occurrences);

// "file:line:col: MANUAL AutoNonVariableTypeMode: not seen by the AST: ..."
std::string OccurrenceLine(const Occurrence& occurrence);

// "N occurrence(s): a rewritten from the AST, b rewritten from tokens, c manual,
// d accepted, e not code"
std::string OccurrenceCounts(const std::vector<Occurrence>& occurrences);

// The --report document: {"sites": <sites_json>, "occurrences": [...],
// "counts": {...}}; `sites_json` is ReportJson()'s array.
std::string ReportWithAccounting(const std::string& sites_json, const std::vector<Occurrence>& occurrences);

}  // namespace migrate

#endif  // EMBER_MIGRATE_OCCURRENCES_H_
