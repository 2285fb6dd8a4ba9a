#include "migrate/occurrences.h"

#include "gtest/gtest.h"

namespace migrate {
namespace {

std::vector<Occurrence> Scan(const std::string& text) { return ScanOccurrences("/p/f.cc", "f.cc", text); }

TEST(ScanOccurrences, StaticallyFalseConditionsAreNotCode) {
  const std::string text =
      "#if 0 // disabled\nAutoNonVariableTypeMode a;\n#endif\n"
      "#if false\nAutoNonVariableTypeMode b;\n#endif\n"
      "#if (0) || !1\nAutoNonVariableTypeMode c;\n#endif\n"
      "#if defined(WITH_CUDA) && 0\nAutoNonVariableTypeMode d;\n#endif\n"
      "#if 0 && \\\n  defined(X)\nAutoNonVariableTypeMode e;\n#endif\n"
      "#if FOO\n#elif 0\nAutoNonVariableTypeMode f;\n#else\nAutoNonVariableTypeMode g;\n#endif\n";
  std::vector<Occurrence> found = Scan(text);
  ASSERT_EQ(found.size(), 7u);
  EXPECT_EQ(found[0].reason, "disabled by `#if 0`");
  EXPECT_EQ(found[1].reason, "disabled by `#if false`");
  EXPECT_EQ(found[2].reason, "disabled by `#if ( 0 ) || ! 1`");
  EXPECT_EQ(found[3].reason, "disabled by `#if defined ( WITH_CUDA ) && 0`");
  EXPECT_EQ(found[4].reason, "disabled by `#if 0 && defined ( X )`");
  EXPECT_EQ(found[5].reason, "disabled by `#elif 0`");
  EXPECT_EQ(found[6].cls, OccurrenceClass::kManual);  // #else after an unknown #if: maybe live
}

TEST(ScanOccurrences, OnlyTheWholeIdentifierIsAnOccurrence) {
  // Clang lexes `$` and UTF-8 bytes as identifier characters: these are
  // other names, which the tool must neither count nor rewrite.
  const std::string text =
      "AutoNonVariableTypeMode$x a; AutoNonVariableTypeMode\xc3\xa9 b; MyAutoNonVariableTypeMode c;\n"
      "\xc3\xa9" "AutoNonVariableTypeMode d; at::AutoNonVariableTypeMode e;AutoNonVariableTypeMode";
  std::vector<Occurrence> found = Scan(text);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(text.substr(found[0].offset - 4, 4), "at::");
  EXPECT_EQ(found[1].offset, text.size() - 23);
}

TEST(ScanOccurrences, ConditionsThatDependOnMacrosAreCode) {
  // Only what is false whatever the configuration counts.
  const std::string text =
      "#ifdef NEVER_DEFINED\nAutoNonVariableTypeMode a;\n#endif\n"
      "#if WITH_CUDA\nAutoNonVariableTypeMode b;\n#endif\n"
      "#if TORCH_VERSION_MINOR >= 10 && 0 == 1\nAutoNonVariableTypeMode c;\n#endif\n"
      "#if 0 || X\nAutoNonVariableTypeMode d;\n#endif\n";
  for (const Occurrence& occurrence : Scan(text)) EXPECT_EQ(occurrence.cls, OccurrenceClass::kManual);
  EXPECT_EQ(Scan(text).size(), 4u);
}

TEST(ScanOccurrences, ClassifiesCommentsStringsAndIfZeroByTokens) {
  const std::string text =
      "// AutoNonVariableTypeMode\n"
      "/* at::AutoNonVariableTypeMode */ const char* s = \"AutoNonVariableTypeMode\";\n"
      "const char* r = R\"x(AutoNonVariableTypeMode)x\";\n"
      "#if 0\n"
      "at::AutoNonVariableTypeMode dead;\n"
      "#else\n"
      "at::AutoNonVariableTypeMode live;\n"
      "#endif\n"
      "#if 1\n"
      "#else\n"
      "  at::AutoNonVariableTypeMode dead_too;\n"
      "#endif\n"
      "int MyAutoNonVariableTypeModeThing;\n"
      "#define G \\\n"
      "\tat::AutoNonVariableTypeMode g;\n";
  std::vector<Occurrence> found = Scan(text);
  ASSERT_EQ(found.size(), 8u);
  EXPECT_EQ(found[0].reason, "in a comment");
  EXPECT_EQ(found[1].reason, "in a comment");
  EXPECT_EQ(found[2].reason, "in a string literal");
  EXPECT_EQ(found[3].reason, "in a string literal");
  EXPECT_EQ(found[4].reason, "disabled by `#if 0`");
  EXPECT_EQ(found[4].line, 5u);
  EXPECT_EQ(found[4].column, 5u);
  EXPECT_EQ(found[5].cls, OccurrenceClass::kManual);  // live code: left for Classify
  EXPECT_EQ(found[5].line, 7u);
  EXPECT_EQ(found[6].reason, "disabled by the `#else` of `#if 1`");
  EXPECT_EQ(found[7].cls, OccurrenceClass::kManual);  // a macro body is code
  EXPECT_EQ(found[7].line, 15u);
  EXPECT_EQ(found[7].column, 6u);
  for (int i : {0, 1, 2, 3, 4, 6}) EXPECT_EQ(found[i].cls, OccurrenceClass::kNotCode) << i;
}

TEST(Classify, EachOccurrenceInExactlyOneClass) {
  const std::string text =
      "void f() { at::AutoNonVariableTypeMode a; at::AutoNonVariableTypeMode b; "
      "at::AutoNonVariableTypeMode c; at::AutoNonVariableTypeMode d; }\n";
  std::vector<Occurrence> found = Scan(text);
  ASSERT_EQ(found.size(), 4u);
  std::vector<Site> sites(3);
  const Decision decisions[] = {Decision::kInference, Decision::kManual, Decision::kSuppressed};
  for (int i = 0; i < 3; ++i) {
    sites[i].span = Span{"/p/f.cc", found[i].offset - 4, 27};
    sites[i].decision = decisions[i];
    sites[i].reason = "why " + std::to_string(i);
  }
  EditPlan plan;
  plan.files["/p/f.cc"].path = "/p/f.cc";
  Classify(found, sites, plan, {});
  EXPECT_EQ(found[0].cls, OccurrenceClass::kRewrittenAst);
  EXPECT_EQ(found[0].reason, "why 0");
  EXPECT_EQ(found[1].cls, OccurrenceClass::kManual);
  EXPECT_EQ(found[1].reason, "why 1");
  EXPECT_EQ(found[2].cls, OccurrenceClass::kAccepted);
  EXPECT_EQ(found[3].cls, OccurrenceClass::kManual);
  EXPECT_FALSE(found[3].has_site);
  EXPECT_NE(found[3].reason.find("not seen by the AST"), std::string::npos);

  std::vector<Occurrence> unparsed = Scan(text);
  Classify(unparsed, {}, EditPlan{}, {{"/p/f.cc", "the file failed to parse (x)"}});
  EXPECT_EQ(unparsed[0].reason, "not seen by the AST: the file failed to parse (x)");
  EXPECT_EQ(OccurrenceCounts(found), "4 occurrence(s): 1 rewritten from the AST, 0 rewritten from tokens, 2 manual, "
                                     "1 accepted, 0 not code");
}

TEST(Classify, DecidedButNotEditedIsManual) {
  std::vector<Occurrence> found = Scan("at::AutoNonVariableTypeMode a;\n");
  std::vector<Site> sites(1);
  sites[0].span = Span{"/p/f.cc", 0, 27};
  sites[0].decision = Decision::kKernel;
  Classify(found, sites, EditPlan{}, {});
  EXPECT_EQ(found[0].cls, OccurrenceClass::kManual);
}

TEST(ReportWithAccounting, WrapsSitesAndCounts) {
  std::vector<Occurrence> found = Scan("// AutoNonVariableTypeMode\n");
  const std::string json = ReportWithAccounting("[]\n", found);
  EXPECT_EQ(json,
            "{\"sites\": [],\n\"occurrences\": [\n  {\"file\": \"f.cc\", \"line\": 1, \"column\": 4, \"class\": "
            "\"not-code\", \"reason\": \"in a comment\"}\n],\n\"counts\": {\"occurrences\": 1, \"rewritten-from-ast\": "
            "0, \"rewritten-from-tokens\": 0, \"manual\": 0, \"accepted\": 0, \"not-code\": 1}}\n");
}

}  // namespace
}  // namespace migrate
