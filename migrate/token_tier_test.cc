// The token tier on text alone: call guards, using-declarations, files it
// decides without parsing, and shadowed replacement namespaces.
#include "migrate/token_tier.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace migrate {
namespace {

std::vector<Site> Decide(const std::string& path, const std::string& text) {
  std::vector<unsigned> offsets;
  for (size_t at = text.find("AutoNonVariableTypeMode"); at != std::string::npos;
       at = text.find("AutoNonVariableTypeMode", at + 1))
    offsets.push_back(static_cast<unsigned>(at));
  return TokenSites(path, path, text, offsets);
}

TEST(TokenSites, AQualifierSplitByADirectiveIsBlockedWhole) {
  for (const char* text : {"void f() {\n  at\n#include <vector>\n::AutoNonVariableTypeMode g(true);\n}\n",
                           "void f() {\n  c10::\n#define X 1\nAutoNonVariableTypeMode g(true);\n}\n"}) {
    const std::vector<Site> sites = Decide("/p/split.cpp", text);
    ASSERT_EQ(sites.size(), 1u) << text;
    EXPECT_EQ(sites[0].span.offset, 13u) << text;  // the whole qualifier, not just the name
    EXPECT_EQ(sites[0].blocked,
              "from tokens: a preprocessor directive splits the spelling; editing it would delete the directive; "
              "edit by hand")
        << text;
  }
}

TEST(TokenSites, AnArgumentSplitByADirectiveHasNoSpanAndSaysWhy) {
  const std::vector<Site> sites =
      Decide("/p/arg.cpp", "void f() {\n  at::AutoNonVariableTypeMode g(\n#if 1\ntrue\n#endif\n);\n}\n");
  ASSERT_EQ(sites.size(), 1u);
  EXPECT_TRUE(sites[0].blocked.empty());
  EXPECT_EQ(sites[0].uses.at(0).arg, Arg::kTrue);
  EXPECT_FALSE(sites[0].uses[0].arg_span.has_value());
  EXPECT_EQ(sites[0].uses[0].arg_uneditable, "is split by a preprocessor directive");
}

// A token after a line splice starts at the backslash: the argument's span
// must end after the `)`, not one character after the backslash (a fuzz
// finding: dropping `(true\` left the `)` behind).
TEST(TokenSites, AnArgumentSpanEndsAfterAParenThatFollowsALineSplice) {
  const std::string text = "void f() {\n  at::AutoNonVariableTypeMode g(true\\\n);\n}\n";
  const std::vector<Site> sites = Decide("/p/splice.cpp", text);
  ASSERT_EQ(sites.size(), 1u);
  ASSERT_TRUE(sites[0].uses.at(0).arg_span.has_value());
  const Span& span = *sites[0].uses[0].arg_span;
  EXPECT_EQ(text.substr(span.offset, span.length), "(true\\\n)");
}

TEST(TokenSites, DigraphBracesOpenAndCloseScopes) {
  const std::vector<Site> sites =
      Decide("/p/digraphs.cpp", "void predict() <%\n  at::AutoNonVariableTypeMode g(true);\n%>\n");
  ASSERT_EQ(sites.size(), 1u);
  EXPECT_TRUE(sites[0].blocked.empty()) << sites[0].blocked;
  EXPECT_NE(sites[0].uses.at(0).reason.find("inside `predict`"), std::string::npos) << sites[0].uses[0].reason;
}

TEST(TokenSites, ACallGuardMemberIsInference) {
  const std::vector<Site> sites = Decide("/p/guard.cpp",
                                         "struct MobileCallGuard {\n"
                                         "  torch::autograd::AutoGradMode no_autograd_guard{false};\n"
                                         "  torch::AutoNonVariableTypeMode non_var_guard{true};\n"
                                         "};\n");
  ASSERT_EQ(sites.size(), 1u);
  EXPECT_TRUE(sites[0].blocked.empty());
  EXPECT_EQ(sites[0].uses.at(0).context, Context::kInference);
  EXPECT_EQ(sites[0].uses[0].reason,
            "from tokens: a member of `MobileCallGuard`, which bundles it with `AutoGradMode` (a call guard "
            "around model calls)");
  EXPECT_EQ(sites[0].spelling, "torch::AutoNonVariableTypeMode");  // the siblings are not sites
}

TEST(TokenSites, AMemberWithoutAGradSiblingIsStillManual) {
  const std::vector<Site> sites = Decide("/p/holder.cpp", "struct Holder { at::AutoNonVariableTypeMode g{true}; };\n");
  ASSERT_EQ(sites.size(), 1u);
  EXPECT_EQ(sites[0].blocked, "from tokens: not inside a function; decide by hand");
}

TEST(TokenSites, AUsingDeclarationIsManualWithItsReason) {
  const std::vector<Site> sites = Decide("/p/using.cpp", "namespace app { using at::AutoNonVariableTypeMode; }\n");
  ASSERT_EQ(sites.size(), 1u);
  EXPECT_EQ(sites[0].blocked,
            "from tokens: a using-declaration of the legacy guard; delete it once the uses it introduces are "
            "migrated; decide by hand");
}

TEST(TokenSites, CudaAndObjectiveCSourcesSaySoInTheirReasons) {
  const std::vector<Site> sites =
      Decide("/p/k.cu", "void launch() {\n  at::AutoNonVariableTypeMode guard(true);\n}\n");
  ASSERT_EQ(sites.size(), 1u);
  EXPECT_EQ(sites[0].uses.at(0).reason.rfind("from tokens: ", 0), 0u);
  EXPECT_NE(sites[0].uses[0].reason.find("(a CUDA source, not parsed by this tool)"), std::string::npos);
}

TEST(TokenSites, ANestedNamespaceNamedLikeTheReplacementsAnchorsIt) {
  const std::vector<Site> sites = Decide(
      "/p/shim.cpp", "namespace app {\nnamespace c10 {}\nvoid f() { ::at::AutoNonVariableTypeMode g; }\n}\n");
  ASSERT_EQ(sites.size(), 1u);
  EXPECT_TRUE(sites[0].global_anchor);
  EXPECT_FALSE(Decide("/p/plain.cpp", "namespace c10 {}\nvoid f() { at::AutoNonVariableTypeMode g; }\n")
                   .at(0)
                   .global_anchor);
}

TEST(TokenTierOnly, CudaAndObjectiveCAreNotParsed) {
  EXPECT_EQ(TokenTierOnly("/p/k.cu"), "a CUDA source, not parsed by this tool");
  EXPECT_EQ(TokenTierOnly("/p/k.cuh"), "a CUDA source, not parsed by this tool");
  EXPECT_EQ(TokenTierOnly("/p/r.mm"), "an Objective-C++ source, not parsed by this tool");
  EXPECT_EQ(TokenTierOnly("/p/a.cpp"), "");
  EXPECT_EQ(TokenTierOnly("/p/a.cc"), "");
}

}  // namespace
}  // namespace migrate
