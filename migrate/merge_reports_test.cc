#include "migrate/merge_reports.h"

#include <string>

#include "gtest/gtest.h"

namespace migrate {
namespace {

std::string Site(const std::string& file, int line, const std::string& decision, const std::string& replacement,
                 const std::string& reason) {
  return "{\"file\": \"" + file + "\", \"line\": " + std::to_string(line) +
         ", \"column\": 3, \"old\": \"at::AutoNonVariableTypeMode\", \"new\": \"" + replacement +
         "\", \"decision\": \"" + decision + "\", \"reason\": \"" + reason + "\", \"redundant\": false}";
}

std::string Occurrence(const std::string& file, int line, const std::string& cls) {
  return "{\"file\": \"" + file + "\", \"line\": " + std::to_string(line) + ", \"column\": 7, \"class\": \"" + cls +
         "\", \"reason\": \"r\"}";
}

std::string Report(const std::string& sites, const std::string& occurrences) {
  return "{\"sites\": [" + sites + "], \"occurrences\": [" + occurrences + "], \"counts\": {}}";
}

size_t Count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

const std::string kInference = Site("lib/guards.h", 8, "INFERENCE", "c10::InferenceMode", "user code");
const std::string kKernel = Site("lib/guards.h", 8, "KERNEL", "at::AutoDispatchBelowADInplaceOrView", "a kernel");

TEST(MergeReports, OneReportInTheToolsFormatComesOutUnchanged) {
  const std::string report =
      "{\"sites\": [\n"
      "  {\"file\": \"a.cpp\", \"line\": 3, \"column\": 5, \"old\": \"at::AutoNonVariableTypeMode\", \"new\": "
      "\"c10::InferenceMode\", \"decision\": \"INFERENCE\", \"reason\": \"user \\\"code\\\"\", \"redundant\": false}\n"
      "],\n"
      "\"occurrences\": [\n"
      "  {\"file\": \"a.cpp\", \"line\": 1, \"column\": 4, \"class\": \"not-code\", \"reason\": \"in a comment\"},\n"
      "  {\"file\": \"a.cpp\", \"line\": 3, \"column\": 9, \"class\": \"rewritten-from-ast\", \"reason\": \"user\"}\n"
      "],\n"
      "\"counts\": {\"occurrences\": 2, \"rewritten-from-ast\": 1, \"rewritten-from-tokens\": 0, \"manual\": 0, "
      "\"accepted\": 0, \"not-code\": 1}}\n";
  std::string error;
  EXPECT_EQ(MergeReports({{"//a", report}}, &error), report);
  EXPECT_EQ(error, "");
}

TEST(MergeReports, KeepsAHeaderSiteTwoTargetsAgreeOnOnce) {
  const std::string occurrence = Occurrence("lib/guards.h", 8, "rewritten-from-ast");
  std::string error;
  const std::string merged =
      MergeReports({{"//a", Report(kInference, occurrence)}, {"//b", Report(kInference, occurrence)}}, &error);
  EXPECT_EQ(Count(merged, "\"file\": \"lib/guards.h\", \"line\": 8, \"column\": 3"), 1u) << merged;
  EXPECT_EQ(Count(merged, "\"class\": \"rewritten-from-ast\""), 1u) << merged;
  EXPECT_NE(merged.find("\"counts\": {\"occurrences\": 1, \"rewritten-from-ast\": 1,"), std::string::npos) << merged;
}

TEST(MergeReports, MakesASiteTargetsDecideDifferentlyManualNamingBoth) {
  const std::string occurrence = Occurrence("lib/guards.h", 8, "rewritten-from-ast");
  std::string error;
  const std::string merged =
      MergeReports({{"//a", Report(kInference, occurrence)}, {"//b", Report(kKernel, occurrence)}}, &error);
  EXPECT_NE(merged.find("\"new\": \"\", \"decision\": \"MANUAL\", \"reason\": \"targets disagree: //a: INFERENCE "
                        "-> c10::InferenceMode (user code); //b: KERNEL -> at::AutoDispatchBelowADInplaceOrView (a "
                        "kernel); decide by hand\""),
            std::string::npos)
      << merged;
  // Their edits conflict, so the occurrence is not rewritten either.
  EXPECT_NE(merged.find("\"class\": \"manual\", \"reason\": \"targets disagree: "), std::string::npos) << merged;
  EXPECT_NE(merged.find("\"rewritten-from-ast\": 0, \"rewritten-from-tokens\": 0, \"manual\": 1,"),
            std::string::npos)
      << merged;
}

TEST(MergeReports, SortsSitesAndOccurrencesByFileLineAndColumn) {
  std::string error;
  const std::string merged = MergeReports(
      {{"//b", Report(Site("b.cc", 2, "MANUAL", "", "x"), Occurrence("b.cc", 2, "manual"))},
       {"//a", Report(Site("a.cc", 9, "MANUAL", "", "x") + "," + Site("a.cc", 1, "MANUAL", "", "x"),
                      Occurrence("a.cc", 9, "manual"))}},
      &error);
  const size_t a1 = merged.find("\"file\": \"a.cc\", \"line\": 1");
  const size_t a9 = merged.find("\"file\": \"a.cc\", \"line\": 9, \"column\": 3");
  const size_t b2 = merged.find("\"file\": \"b.cc\", \"line\": 2, \"column\": 3");
  ASSERT_NE(b2, std::string::npos) << merged;
  EXPECT_LT(a1, a9);
  EXPECT_LT(a9, b2);
  EXPECT_LT(merged.find("\"file\": \"a.cc\", \"line\": 9, \"column\": 7"),
            merged.find("\"file\": \"b.cc\", \"line\": 2, \"column\": 7"));
}

TEST(MergeReports, RejectsTextThatIsNotJsonNamingTheReport) {
  std::string error;
  EXPECT_EQ(MergeReports({{"//a", Report("", "")}, {"//b:lib", "{\"sites\": ["}}, &error), "");
  EXPECT_EQ(error.rfind("//b:lib: not JSON: ", 0), 0u) << error;
}

TEST(MergeReports, RejectsJsonThatIsNotAReport) {
  std::string error;
  EXPECT_EQ(MergeReports({{"//a", "{\"sites\": []}"}}, &error), "");
  EXPECT_EQ(error, "//a: not a migrate report (no \"sites\" and \"occurrences\")");
}

TEST(MergeReports, RejectsASiteWithoutAPlace) {
  std::string error;
  EXPECT_EQ(MergeReports({{"//a", Report("{\"file\": \"a.cc\"}", "")}}, &error), "");
  EXPECT_EQ(error, "//a: a site without file, line and column");
}

}  // namespace
}  // namespace migrate
