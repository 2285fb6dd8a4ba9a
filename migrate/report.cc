#include "migrate/report.h"

#include <algorithm>
#include <cstdio>
#include <tuple>

#include "clang/Tooling/ReplacementsYaml.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/YAMLTraits.h"
#include "llvm/Support/raw_ostream.h"

namespace migrate {

std::string JsonEscape(const std::string& raw) {
  // JSON text is UTF-8: a file name or a token-tier reason may hold any
  // bytes, and each byte that is not part of valid UTF-8 becomes U+FFFD.
  const std::string text = llvm::json::isUTF8(raw) ? raw : llvm::json::fixUTF8(raw);
  std::string out;
  for (unsigned char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buffer[8];
          std::snprintf(buffer, sizeof buffer, "\\u%04x", c);
          out += buffer;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out;
}

namespace {

std::string NewSpelling(const Site& site) {
  switch (site.decision) {
    case Decision::kRemove: return "(removed)";
    case Decision::kKernel:
    case Decision::kInference: return site.replacement;
    default: return "";
  }
}

std::vector<const Site*> Sorted(const std::vector<Site>& sites) {
  std::vector<const Site*> sorted;
  for (const Site& site : sites) sorted.push_back(&site);
  std::stable_sort(sorted.begin(), sorted.end(), [](const Site* a, const Site* b) {
    return std::tie(a->display, a->line, a->column) < std::tie(b->display, b->line, b->column);
  });
  return sorted;
}

// A spelling on one line: a qualifier split over lines (`at::` / `Auto…`)
// keeps one space per line break, so a summary line stays one line.
std::string OneLine(llvm::StringRef spelling) {
  llvm::SmallVector<llvm::StringRef, 4> lines;
  llvm::SplitString(spelling, lines, "\r\n");
  std::vector<llvm::StringRef> kept;
  for (llvm::StringRef line : lines)
    if (!line.trim(" \t").empty()) kept.push_back(line.trim(" \t"));
  return llvm::join(kept, " ");
}

}  // namespace

std::string SummaryLine(const Site& site) {
  std::string line = site.display + ":" + std::to_string(site.line) + ":" + std::to_string(site.column) +
                     ": " + DecisionName(site.decision) + " " + OneLine(site.spelling);
  const std::string replacement = NewSpelling(site);
  if (!replacement.empty()) line += " -> " + replacement;
  return line + ": " + site.reason;
}

std::string ReportJson(const std::vector<Site>& sites) {
  std::string out = "[";
  bool first = true;
  for (const Site* site : Sorted(sites)) {
    out += first ? "\n" : ",\n";
    first = false;
    out += "  {\"file\": \"" + JsonEscape(site->display) + "\", \"line\": " + std::to_string(site->line) +
           ", \"column\": " + std::to_string(site->column) + ", \"old\": \"" + JsonEscape(site->spelling) +
           "\", \"new\": \"" + JsonEscape(NewSpelling(*site)) + "\", \"decision\": \"" +
           DecisionName(site->decision) + "\", \"reason\": \"" + JsonEscape(site->reason) +
           "\", \"redundant\": " + (site->redundant ? "true" : "false") + "}";
  }
  out += first ? "]\n" : "\n]\n";
  return out;
}

std::string ExportFixesYaml(const std::string& main_source, const EditPlan& plan) {
  clang::tooling::TranslationUnitReplacements fixes;
  fixes.MainSourceFile = main_source;
  for (const auto& [path, edit] : plan.files)
    for (const clang::tooling::Replacement& replacement : edit.replacements)
      fixes.Replacements.push_back(replacement);
  std::string text;
  llvm::raw_string_ostream os(text);
  llvm::yaml::Output yaml(os);
  yaml << fixes;
  return os.str();
}

}  // namespace migrate
