// Merges the per-target --report documents of migrate_aspect (aspect.bzl)
// into one: a header reached by several targets is reported by each of them,
// so identical entries are kept once and disagreeing ones become MANUAL.
#ifndef EMBER_MIGRATE_MERGE_REPORTS_H_
#define EMBER_MIGRATE_MERGE_REPORTS_H_

#include <string>
#include <vector>

namespace migrate {

struct NamedReport {
  std::string name;  // who produced it (a target), named in disagreements
  std::string json;  // a --report document
};

// The merged document, in the --report format (sites and occurrences sorted
// by file, line, column; counts recomputed). Returns "" and sets `error` to
// "<name>: <what>" when a document is not a --report document.
std::string MergeReports(const std::vector<NamedReport>& reports, std::string* error);

}  // namespace migrate

#endif  // EMBER_MIGRATE_MERGE_REPORTS_H_
