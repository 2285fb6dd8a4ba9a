// The finder on stand-in declarations (the real LibTorch headers are
// exercised by the golden tests): spellings, contexts and their reasons.
#include "migrate/sites.h"

#include <memory>

#include "clang/Frontend/ASTUnit.h"
#include "gtest/gtest.h"

namespace migrate {
namespace {

constexpr char kStandIns[] = R"(
namespace c10 { struct InferenceMode { InferenceMode(bool enabled = true); }; }
namespace at {
struct AutoNonVariableTypeMode { AutoNonVariableTypeMode(bool enabled = true); };
struct AutoDispatchBelowADInplaceOrView { AutoDispatchBelowADInplaceOrView(); };
}
namespace torch { using namespace at; }
namespace torch { namespace autograd {
struct AutogradContext {};
template <class T> struct Function {};
} }
)";

std::vector<Site> Find(const std::string& code) {
  // The stand-ins live in their own header: the file declaring a guard is
  // never a place for sites.
  std::unique_ptr<clang::ASTUnit> ast = clang::tooling::buildASTFromCodeWithArgs(
      "#include \"/virtual/standins.h\"\n" + code, {"-std=c++17"}, "/virtual/input.cc", "sites_test",
      std::make_shared<clang::PCHContainerOperations>(), clang::tooling::getClangStripDependencyFileAdjuster(),
      {{"/virtual/standins.h", kStandIns}});
  EXPECT_TRUE(ast);
  EXPECT_FALSE(ast->getDiagnostics().hasErrorOccurred());
  TuResult result;
  FindSites(ast->getASTContext(), FindOptions{}, result);
  return result.sites;
}

TEST(FindSites, TorchQualifiedSpellingThroughAUsingDirective) {
  std::vector<Site> sites = Find("void f() { torch::AutoNonVariableTypeMode g; }");
  ASSERT_EQ(sites.size(), 1u);
  EXPECT_EQ(sites[0].spelling, "torch::AutoNonVariableTypeMode");
  EXPECT_EQ(sites[0].uses.at(0).context, Context::kInference);
}

TEST(FindSites, TheGuardsOwnOutOfLineMemberDefinitionsAreNotUses) {
  // The file that implements the guard (Ember's modes/legacy_guards.cc)
  // names it as the qualifier of its constructor: not a use to rewrite.
  TuResult result;
  std::unique_ptr<clang::ASTUnit> ast = clang::tooling::buildASTFromCodeWithArgs(
      "#include \"/virtual/standins.h\"\n"
      "at::AutoNonVariableTypeMode::AutoNonVariableTypeMode(bool enabled) { (void)enabled; }\n"
      "void f() { at::AutoNonVariableTypeMode g; }\n",
      {"-std=c++17"}, "/virtual/input.cc", "sites_test", std::make_shared<clang::PCHContainerOperations>(),
      clang::tooling::getClangStripDependencyFileAdjuster(), {{"/virtual/standins.h", kStandIns}});
  ASSERT_TRUE(ast);
  ASSERT_FALSE(ast->getDiagnostics().hasErrorOccurred());
  FindSites(ast->getASTContext(), FindOptions{}, result);
  EXPECT_TRUE(result.sites.empty());
  EXPECT_TRUE(result.touched.empty());
}

TEST(FindSites, ANameIntroducedByAUsingDeclarationIsASpelling) {
  // Clang 14 keeps the using-declaration as sugar (a UsingType).
  std::vector<Site> sites = Find(
      "namespace app { using at::AutoNonVariableTypeMode;\n"
      "int f(torch::autograd::AutogradContext* ctx) { AutoNonVariableTypeMode g(true); return 0; } }");
  ASSERT_EQ(sites.size(), 1u);
  EXPECT_EQ(sites[0].spelling, "AutoNonVariableTypeMode");
  EXPECT_EQ(sites[0].line, 3u);
  EXPECT_EQ(sites[0].uses.at(0).context, Context::kKernel);
}

TEST(FindSites, AScopeThatShadowsTheReplacementsNamespaceAnchorsIt) {
  std::vector<Site> sites = Find("namespace app { namespace c10 {} void f() { at::AutoNonVariableTypeMode g; } }");
  ASSERT_EQ(sites.size(), 1u);
  EXPECT_TRUE(sites[0].global_anchor);
}

TEST(FindSites, AVariableOrMemberNamedLikeTheNamespaceDoesNotShadowIt) {
  // `c10::` only looks for namespaces and types.
  std::vector<Site> sites = Find(
      "namespace app { struct S { int c10 = 0; int at = 0;\n"
      "  void f() { ::at::AutoNonVariableTypeMode g; } }; }");
  ASSERT_EQ(sites.size(), 1u);
  EXPECT_FALSE(sites[0].global_anchor);
}

TEST(FindSites, OneSitePerSpellingNotPerInstantiation) {
  std::vector<Site> sites = Find(
      "template <class T> T run(T v) { at::AutoNonVariableTypeMode g(true); return v; }\n"
      "int use() { return run(1) + int(run(2.0)) + int(run(3.0f)); }");
  ASSERT_EQ(sites.size(), 1u);
  EXPECT_EQ(sites[0].uses.size(), 1u);
}

TEST(FindSites, CommentsStringsAndOtherTypesAreNotSites) {
  EXPECT_TRUE(Find("// at::AutoNonVariableTypeMode\n"
                   "const char* s = \"at::AutoNonVariableTypeMode\";\n"
                   "namespace other { struct AutoNonVariableTypeMode {}; }\n"
                   "void f() { other::AutoNonVariableTypeMode g; }")
                  .empty());
}

TEST(FindSites, ForwardOfAFunctionThroughATemplateBaseIsRedundantKernelCode) {
  std::vector<Site> sites = Find(
      "template <class D> struct Base : torch::autograd::Function<D> {};\n"
      "struct MyOp : Base<MyOp> {\n"
      "  static int forward(torch::autograd::AutogradContext* ctx) { at::AutoNonVariableTypeMode g; return 0; }\n"
      "};");
  ASSERT_EQ(sites.size(), 1u);
  const Use& use = sites[0].uses.at(0);
  EXPECT_EQ(use.context, Context::kKernel);
  EXPECT_TRUE(use.redundant);
  EXPECT_EQ(use.reason, "inside `MyOp::forward`, a subclass of `torch::autograd::Function<MyOp>`");
}

TEST(FindSites, ArgumentsAreClassifiedWithTheirSpans) {
  std::vector<Site> sites = Find(
      "void f(bool flag) { at::AutoNonVariableTypeMode a(true); at::AutoNonVariableTypeMode b(false);\n"
      "  at::AutoNonVariableTypeMode c(flag); at::AutoNonVariableTypeMode d; }");
  ASSERT_EQ(sites.size(), 4u);
  EXPECT_EQ(sites[0].uses.at(0).arg, Arg::kTrue);
  ASSERT_TRUE(sites[0].uses.at(0).arg_span);
  EXPECT_EQ(sites[0].uses.at(0).arg_span->length, 6u);  // "(true)"
  EXPECT_EQ(sites[1].uses.at(0).arg, Arg::kFalse);
  EXPECT_EQ(sites[2].uses.at(0).arg, Arg::kRuntime);
  EXPECT_EQ(sites[3].uses.at(0).arg, Arg::kNone);
}

TEST(FindSites, AHelperCalledOnlyFromKernelsIsKernelCode) {
  std::vector<Site> sites = Find(
      "void helper() { at::AutoNonVariableTypeMode g; }\n"
      "void kernel(torch::autograd::AutogradContext* ctx) { helper(); }");
  ASSERT_EQ(sites.size(), 1u);
  EXPECT_EQ(sites[0].uses.at(0).context, Context::kKernel);
  EXPECT_NE(sites[0].uses.at(0).reason.find("called only from kernel code"), std::string::npos);
}

TEST(FindSites, AHelperWhoseAddressEscapesIsNotAssumedKernelCode) {
  std::vector<Site> sites = Find(
      "void helper() { at::AutoNonVariableTypeMode g; }\n"
      "void (*exported)() = &helper;\n"
      "void kernel(torch::autograd::AutogradContext* ctx) { helper(); }");
  ASSERT_EQ(sites.size(), 1u);
  EXPECT_EQ(sites[0].uses.at(0).context, Context::kInference);
}

TEST(FindSites, DependentArgumentsInATemplateCountAsARuntimeFlag) {
  std::vector<Site> sites = Find(
      "namespace std { template <class T, class... A> T* make_unique(A&&... a); }\n"
      "template <class T> struct Op : torch::autograd::Function<Op<T>> {\n"
      "  static int backward(torch::autograd::AutogradContext* ctx, T flag) {\n"
      "    at::AutoNonVariableTypeMode g(flag);\n"
      "    auto p = std::make_unique<at::AutoNonVariableTypeMode>(flag);\n"
      "    at::AutoNonVariableTypeMode fixed(true);\n"
      "    return 0; }\n"
      "};");
  ASSERT_EQ(sites.size(), 3u);
  EXPECT_EQ(sites[0].uses.at(0).arg, Arg::kRuntime);
  EXPECT_EQ(sites[0].uses.at(0).context, Context::kKernel);
  EXPECT_EQ(sites[1].uses.at(0).arg, Arg::kRuntime);
  EXPECT_EQ(sites[2].uses.at(0).arg, Arg::kTrue);
  ASSERT_TRUE(sites[2].uses.at(0).arg_span);
}

TEST(FindSites, AFunctionThatWrapsItsResultAsAVariableIsKernelCode) {
  std::vector<Site> sites = Find(
      "namespace torch { namespace autograd { inline int make_variable(int t, bool g = false) { return t; } } }\n"
      "int from_blob(int data) {\n"
      "  int tensor = ([&]() { at::AutoNonVariableTypeMode guard(true); return data; })();\n"
      "  return torch::autograd::make_variable(tensor);\n"
      "}");
  ASSERT_EQ(sites.size(), 1u);
  EXPECT_EQ(sites[0].uses.at(0).context, Context::kKernel);
  EXPECT_EQ(sites[0].uses.at(0).reason.rfind("inside `from_blob`, which wraps its result with "
                                              "`torch::autograd::make_variable` at /virtual/input.cc:5",
                                              0),
            0u)
      << sites[0].uses.at(0).reason;
}

TEST(FindSites, KnowsWhetherTheReplacementIsDeclaredBeforeTheUse) {
  std::vector<Site> sites = Find("void f() { at::AutoNonVariableTypeMode g; }");
  ASSERT_EQ(sites.size(), 1u);
  EXPECT_FALSE(sites[0].missing_inference_decl);
  EXPECT_FALSE(sites[0].missing_kernel_decl);
}

}  // namespace
}  // namespace migrate
