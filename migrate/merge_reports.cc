#include "migrate/merge_reports.h"

#include <cstdint>
#include <map>
#include <set>
#include <tuple>
#include <utility>

#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"
#include "migrate/report.h"

namespace migrate {
namespace {

constexpr const char* kClasses[] = {"rewritten-from-ast", "rewritten-from-tokens", "manual", "accepted",
                                    "not-code"};

// One report's word on a site or an occurrence.
struct Verdict {
  std::string name;
  std::string decision;  // a site's decision, an occurrence's class
  std::string replacement;
  std::string reason;
  bool redundant = false;
};

using Place = std::tuple<std::string, int64_t, int64_t>;  // file, line, column

bool Agree(const Verdict& a, const Verdict& b) {
  return a.decision == b.decision && a.replacement == b.replacement;
}

// "targets disagree: //a:x: KERNEL (why); //b:y: INFERENCE (why)"
std::string Disagreement(const std::vector<Verdict>& verdicts) {
  std::string reason = "targets disagree: ";
  std::set<std::pair<std::string, std::string>> said;
  bool first = true;
  for (const Verdict& verdict : verdicts) {
    if (!said.insert({verdict.decision, verdict.replacement}).second) continue;
    reason += (first ? "" : "; ") + verdict.name + ": " + verdict.decision +
              (verdict.replacement.empty() ? "" : " -> " + verdict.replacement) + " (" + verdict.reason + ")";
    first = false;
  }
  return reason + "; decide by hand";
}

bool ReadPlace(const llvm::json::Object& entry, Place& place) {
  auto file = entry.getString("file");
  auto line = entry.getInteger("line");
  auto column = entry.getInteger("column");
  if (!file || !line || !column) return false;
  place = {file->str(), *line, *column};
  return true;
}

std::string Str(const llvm::json::Object& entry, llvm::StringRef key) {
  auto value = entry.getString(key);
  return value ? value->str() : "";
}

std::string PlaceJson(const Place& place) {
  return "{\"file\": \"" + JsonEscape(std::get<0>(place)) + "\", \"line\": " + std::to_string(std::get<1>(place)) +
         ", \"column\": " + std::to_string(std::get<2>(place));
}

}  // namespace

std::string MergeReports(const std::vector<NamedReport>& reports, std::string* error) {
  // Keyed by place (and spelling, for sites) in first-seen order of verdicts.
  std::map<std::pair<Place, std::string>, std::vector<Verdict>> sites;
  std::map<Place, std::vector<Verdict>> occurrences;
  for (const NamedReport& report : reports) {
    auto fail = [&](const std::string& what) {
      *error = report.name + ": " + what;
      return std::string();
    };
    llvm::Expected<llvm::json::Value> parsed = llvm::json::parse(report.json);
    if (!parsed) return fail("not JSON: " + llvm::toString(parsed.takeError()));
    const llvm::json::Object* document = parsed->getAsObject();
    const llvm::json::Array* site_array = document ? document->getArray("sites") : nullptr;
    const llvm::json::Array* occurrence_array = document ? document->getArray("occurrences") : nullptr;
    if (!site_array || !occurrence_array) return fail("not a migrate report (no \"sites\" and \"occurrences\")");
    for (const llvm::json::Value& value : *site_array) {
      const llvm::json::Object* entry = value.getAsObject();
      Place place;
      if (!entry || !ReadPlace(*entry, place)) return fail("a site without file, line and column");
      auto redundant = entry->getBoolean("redundant");
      sites[{place, Str(*entry, "old")}].push_back(
          {report.name, Str(*entry, "decision"), Str(*entry, "new"), Str(*entry, "reason"), redundant && *redundant});
    }
    for (const llvm::json::Value& value : *occurrence_array) {
      const llvm::json::Object* entry = value.getAsObject();
      Place place;
      if (!entry || !ReadPlace(*entry, place)) return fail("an occurrence without file, line and column");
      occurrences[place].push_back({report.name, Str(*entry, "class"), "", Str(*entry, "reason"), false});
    }
  }

  // Lines where targets disagree on a site: their edits conflict, so nothing
  // there is rewritten whatever each target's accounting said.
  std::map<std::pair<std::string, int64_t>, std::string> disputed;
  std::string out = "{\"sites\": [";
  bool first = true;
  for (const auto& [key, verdicts] : sites) {
    Verdict merged = verdicts.front();
    for (const Verdict& verdict : verdicts) {
      if (Agree(verdict, merged)) continue;
      merged = {"", "MANUAL", "", Disagreement(verdicts), false};
      disputed[{std::get<0>(key.first), std::get<1>(key.first)}] = merged.reason;
      break;
    }
    out += first ? "\n" : ",\n";
    first = false;
    out += "  " + PlaceJson(key.first) + ", \"old\": \"" + JsonEscape(key.second) + "\", \"new\": \"" +
           JsonEscape(merged.replacement) + "\", \"decision\": \"" + merged.decision + "\", \"reason\": \"" +
           JsonEscape(merged.reason) + "\", \"redundant\": " + (merged.redundant ? "true" : "false") + "}";
  }
  out += first ? "],\n" : "\n],\n";

  std::map<std::string, int> counts;
  out += "\"occurrences\": [";
  first = true;
  for (const auto& [place, verdicts] : occurrences) {
    Verdict merged = verdicts.front();
    for (const Verdict& verdict : verdicts) {
      if (Agree(verdict, merged)) continue;
      merged = {"", "manual", "", Disagreement(verdicts), false};
      break;
    }
    if (auto line = disputed.find({std::get<0>(place), std::get<1>(place)});
        line != disputed.end() && merged.decision.rfind("rewritten", 0) == 0)
      merged = {"", "manual", "", line->second, false};
    ++counts[merged.decision];
    out += first ? "\n" : ",\n";
    first = false;
    out += "  " + PlaceJson(place) + ", \"class\": \"" + JsonEscape(merged.decision) + "\", \"reason\": \"" +
           JsonEscape(merged.reason) + "\"}";
  }
  out += first ? "],\n" : "\n],\n";
  out += "\"counts\": {\"occurrences\": " + std::to_string(occurrences.size());
  for (const char* name : kClasses) out += std::string(", \"") + name + "\": " + std::to_string(counts[name]);
  out += "}}\n";
  return out;
}

}  // namespace migrate
