// Report: what the tool decided, for people (one line per site on stderr),
// for programs (--report JSON, stable order) and for clang-apply-replacements
// (--export-fixes YAML).
#ifndef EMBER_MIGRATE_REPORT_H_
#define EMBER_MIGRATE_REPORT_H_

#include <string>
#include <vector>

#include "migrate/edits.h"
#include "migrate/site.h"

namespace migrate {

// "file:line:col: KERNEL at::AutoNonVariableTypeMode -> at::AutoDispatchBelowADInplaceOrView: reason"
std::string SummaryLine(const Site& site);

// A JSON array of objects {file, line, column, old, new, decision, reason,
// redundant}, sorted by file, line and column.
std::string ReportJson(const std::vector<Site>& sites);

// The YAML clang-apply-replacements reads (one TranslationUnitReplacements
// document holding every edit, absolute paths).
std::string ExportFixesYaml(const std::string& main_source, const EditPlan& plan);

// The contents of a JSON string for `text`; bytes that are not valid UTF-8
// become U+FFFD, so the report stays valid JSON whatever the input bytes.
std::string JsonEscape(const std::string& text);

}  // namespace migrate

#endif  // EMBER_MIGRATE_REPORT_H_
