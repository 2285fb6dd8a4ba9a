#include "migrate/report.h"

#include "gtest/gtest.h"

namespace migrate {
namespace {

Site Reported(const std::string& display, unsigned line, Decision decision) {
  Site site;
  site.display = display;
  site.span = Span{"/abs/" + display, line * 10, 27};
  site.line = line;
  site.column = 3;
  site.spelling = "at::AutoNonVariableTypeMode";
  site.decision = decision;
  site.replacement = decision == Decision::kInference ? "c10::InferenceMode" : "";
  site.reason = "inside `predict`, \"quoted\"\tand tabbed";
  return site;
}

TEST(JsonEscape, EscapesQuotesBackslashesAndControlCharacters) {
  EXPECT_EQ(JsonEscape("a\"b\\c\nd\x01"), "a\\\"b\\\\c\\nd\\u0001");
}

TEST(JsonEscape, KeepsValidUtf8) { EXPECT_EQ(JsonEscape("caf\xc3\xa9 \xe2\x86\x92"), "caf\xc3\xa9 \xe2\x86\x92"); }

TEST(JsonEscape, ReplacesBytesThatAreNotUtf8WithTheReplacementCharacter) {
  EXPECT_EQ(JsonEscape("caf\xe9 \xc3"), "caf\xef\xbf\xbd \xef\xbf\xbd");
}

TEST(ReportJson, IsSortedByFileLineAndColumnWithEveryField) {
  const std::string json = ReportJson({Reported("b.cpp", 1, Decision::kInference),
                                       Reported("a.cpp", 9, Decision::kManual),
                                       Reported("a.cpp", 2, Decision::kInference)});
  const size_t a2 = json.find("\"file\": \"a.cpp\", \"line\": 2");
  const size_t a9 = json.find("\"file\": \"a.cpp\", \"line\": 9");
  const size_t b1 = json.find("\"file\": \"b.cpp\", \"line\": 1");
  ASSERT_NE(a2, std::string::npos) << json;
  EXPECT_LT(a2, a9);
  EXPECT_LT(a9, b1);
  EXPECT_NE(json.find("\"column\": 3, \"old\": \"at::AutoNonVariableTypeMode\", \"new\": "
                      "\"c10::InferenceMode\", \"decision\": \"INFERENCE\", \"reason\": "
                      "\"inside `predict`, \\\"quoted\\\"\\tand tabbed\", \"redundant\": false}"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find("\"new\": \"\", \"decision\": \"MANUAL\""), std::string::npos) << json;
}

TEST(ReportJson, EmptyIsAnEmptyArray) { EXPECT_EQ(ReportJson({}), "[]\n"); }

TEST(SummaryLine, NamesPlaceDecisionBothSpellingsAndReason) {
  EXPECT_EQ(SummaryLine(Reported("a.cpp", 4, Decision::kInference)),
            "a.cpp:4:3: INFERENCE at::AutoNonVariableTypeMode -> c10::InferenceMode: inside `predict`, "
            "\"quoted\"\tand tabbed");
  EXPECT_EQ(SummaryLine(Reported("a.cpp", 4, Decision::kManual)).find("MANUAL at::AutoNonVariableTypeMode: "),
            11u);
}

TEST(SummaryLine, PutsASpellingSplitOverLinesOnOneLine) {
  Site site = Reported("a.cpp", 4, Decision::kManual);
  site.spelling = "at  \r\n#include <x>\n\t::AutoNonVariableTypeMode";
  EXPECT_EQ(SummaryLine(site).find("MANUAL at #include <x> ::AutoNonVariableTypeMode: "), 11u) << SummaryLine(site);
}

TEST(ExportFixesYaml, HoldsEveryReplacementWithItsAbsolutePath) {
  EditPlan plan;
  FileEdit edit;
  edit.path = "/abs/a.cpp";
  llvm::cantFail(edit.replacements.add(clang::tooling::Replacement("/abs/a.cpp", 53, 27, "c10::InferenceMode")));
  plan.files[edit.path] = edit;
  const std::string yaml = ExportFixesYaml("/abs/a.cpp", plan);
  EXPECT_NE(yaml.find("MainSourceFile:  '/abs/a.cpp'"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("FilePath:        '/abs/a.cpp'"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("Offset:          53"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("ReplacementText: 'c10::InferenceMode'"), std::string::npos) << yaml;
}

}  // namespace
}  // namespace migrate
