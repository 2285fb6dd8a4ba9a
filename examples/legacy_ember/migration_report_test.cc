// What //migrate decided for the legacy program and what it wrote: the JSON
// report and the migrated text (genrule :migrated_srcs), against the sources.
#include <gtest/gtest.h>

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

std::vector<std::string> ReadLines(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string Read(const std::string& path) {
  std::ostringstream out;
  for (const std::string& line : ReadLines(path)) out << line << "\n";
  return out.str();
}

const char kLegacy[] = "examples/legacy_ember/";
const char kMigrated[] = "examples/legacy_ember/migrated/";
const char kLegacyGuard[] = "ember::AutoNonVariableTypeMode guard;";

// 1-based lines of `file` (in the legacy sources) that declare the legacy guard.
std::vector<int> LegacyGuardLines(const std::string& file) {
  std::vector<std::string> lines = ReadLines(kLegacy + file);
  std::vector<int> found;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].find(kLegacyGuard) != std::string::npos) found.push_back(static_cast<int>(i) + 1);
  }
  return found;
}

// The function a legacy source line is in: the identifier before the first
// "(" of the nearest line above it that opens a function body ("...(...) {").
std::string EnclosingFunction(const std::string& file, int line) {
  std::vector<std::string> lines = ReadLines(kLegacy + file);
  for (int i = line - 1; i >= 0; --i) {
    const std::string& l = lines[i];
    size_t paren = l.find('(');
    if (paren == std::string::npos || l.empty() || l.back() != '{') continue;
    size_t begin = paren;
    while (begin > 0 && (std::isalnum(static_cast<unsigned char>(l[begin - 1])) || l[begin - 1] == '_')) --begin;
    return l.substr(begin, paren - begin);
  }
  return "";
}

// The value of `"key": ` in a one-line JSON object: a string's contents
// (the report escapes no quotes in these fields) or a bare token.
std::string Field(const std::string& object, const std::string& key) {
  std::string tag = "\"" + key + "\": ";
  size_t at = object.find(tag);
  if (at == std::string::npos) return "";
  at += tag.size();
  if (object[at] == '"') return object.substr(at + 1, object.find('"', at + 1) - at - 1);
  size_t end = object.find_first_of(",}", at);
  return object.substr(at, end - at);
}

struct Site {
  std::string file, decision, new_name, reason;
  int line = 0;
  bool redundant = false;
};

std::vector<Site> ReadReport() {
  std::vector<Site> sites;
  for (const std::string& object : ReadLines(std::string(kMigrated) + "report.json")) {
    // Site objects carry a decision; occurrence objects (the accounting) a class.
    if (object.find("\"decision\": ") == std::string::npos) continue;
    Site s;
    s.file = Field(object, "file");
    s.line = std::atoi(Field(object, "line").c_str());
    s.decision = Field(object, "decision");
    s.new_name = Field(object, "new");
    s.reason = Field(object, "reason");
    s.redundant = Field(object, "redundant") == "true";
    sites.push_back(s);
  }
  return sites;
}

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::vector<Site> SitesIn(const std::string& file) {
  std::vector<Site> in;
  for (const Site& s : ReadReport()) {
    if (EndsWith(s.file, "legacy_ember/migrated/" + file)) in.push_back(s);
  }
  return in;
}

TEST(Report, HasOneSitePerLegacyGuardAndNoOther) {
  std::vector<Site> sites = ReadReport();
  EXPECT_EQ(sites.size(), LegacyGuardLines("scaled_square.cc").size() + LegacyGuardLines("predictor.cc").size());
  EXPECT_EQ(sites.size(), 3u);
}

TEST(Report, AccountsForEveryOccurrenceAsRewrittenFromTheAst) {
  std::string counts;
  for (const std::string& line : ReadLines(std::string(kMigrated) + "report.json")) {
    if (line.find("\"counts\": ") != std::string::npos) counts = line;
  }
  ASSERT_FALSE(counts.empty()) << "the report has no counts";
  EXPECT_EQ(Field(counts, "occurrences"), "3") << counts;
  EXPECT_EQ(Field(counts, "rewritten-from-ast"), "3") << counts;
  EXPECT_EQ(Field(counts, "manual"), "0") << counts;
}

TEST(Report, FunctionForwardIsKernelAndRedundant) {
  std::vector<int> lines = LegacyGuardLines("scaled_square.cc");
  ASSERT_EQ(lines.size(), 1u);
  ASSERT_EQ(EnclosingFunction("scaled_square.cc", lines[0]), "forward");
  std::vector<Site> sites = SitesIn("scaled_square.cc");
  ASSERT_EQ(sites.size(), 1u);
  EXPECT_EQ(sites[0].line, lines[0]);
  EXPECT_EQ(sites[0].decision, "KERNEL");
  EXPECT_EQ(sites[0].new_name, "ember::AutoDispatchBelowADInplaceOrView");
  EXPECT_NE(sites[0].reason.find("ScaledSquare::forward"), std::string::npos) << sites[0].reason;
  EXPECT_TRUE(sites[0].redundant);
}

TEST(Report, PredictorGuardsAreInference) {
  std::vector<int> lines = LegacyGuardLines("predictor.cc");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(EnclosingFunction("predictor.cc", lines[0]), "predict");
  EXPECT_EQ(EnclosingFunction("predictor.cc", lines[1]), "rescale_inplace");
  std::vector<Site> sites = SitesIn("predictor.cc");
  ASSERT_EQ(sites.size(), 2u);
  for (size_t i = 0; i < sites.size(); ++i) {
    EXPECT_EQ(sites[i].line, lines[i]);
    EXPECT_EQ(sites[i].decision, "INFERENCE");
    EXPECT_EQ(sites[i].new_name, "ember::InferenceMode");
    EXPECT_FALSE(sites[i].redundant);
  }
  EXPECT_NE(sites[0].reason.find("shop::predict"), std::string::npos) << sites[0].reason;
  EXPECT_NE(sites[1].reason.find("shop::rescale_inplace"), std::string::npos) << sites[1].reason;
}

TEST(MigratedText, NamesTheLegacyGuardNowhere) {
  for (const char* file : {"predictor.cc", "predictor.h", "scaled_square.cc", "scaled_square.h"}) {
    std::string legacy = Read(kLegacy + std::string(file));
    std::string migrated = Read(kMigrated + std::string(file));
    EXPECT_EQ(migrated.find("AutoNonVariableTypeMode"), std::string::npos) << file;
    if (legacy.find("AutoNonVariableTypeMode") == std::string::npos) {
      EXPECT_EQ(migrated, legacy) << file;
    }
  }
}

// Every legacy line is kept except the guard lines, which change only the
// guard's type; lines the tool added are #includes.
void ExpectOnlyGuardsChanged(const std::string& file, const std::string& new_type,
                             const std::vector<std::string>& added_includes) {
  std::vector<std::string> legacy = ReadLines(kLegacy + file);
  std::vector<std::string> migrated = ReadLines(kMigrated + file);
  std::vector<std::string> added;
  size_t j = 0;
  for (size_t i = 0; i < migrated.size(); ++i) {
    if (j < legacy.size() && legacy[j].find(kLegacyGuard) != std::string::npos) {
      std::string expected = legacy[j];
      expected.replace(expected.find("ember::AutoNonVariableTypeMode"),
                       std::string("ember::AutoNonVariableTypeMode").size(), new_type);
      EXPECT_EQ(migrated[i], expected) << file << ":" << i + 1;
      ++j;
    } else if (j < legacy.size() && migrated[i] == legacy[j]) {
      ++j;
    } else {
      added.push_back(migrated[i]);
    }
  }
  EXPECT_EQ(j, legacy.size()) << file << ": legacy lines missing from the migrated text";
  EXPECT_EQ(added, added_includes) << file;
}

TEST(MigratedText, FunctionForwardUsesAutoDispatchBelowADInplaceOrView) {
  ExpectOnlyGuardsChanged("scaled_square.cc", "ember::AutoDispatchBelowADInplaceOrView",
                          {"#include \"modes/kernel_guards.h\""});
}

// No include is added: predictor.h already reaches modes/inference_mode.h
// (through nn/module.h), and //migrate adds a header only when the
// translation unit has not declared the replacement before the use.
TEST(MigratedText, PredictorUsesInferenceMode) {
  ExpectOnlyGuardsChanged("predictor.cc", "ember::InferenceMode", {});
}

}  // namespace
