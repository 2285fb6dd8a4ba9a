// Missing headers: files parsed with includes that cannot be found, through
// the real FrontendAction (stand-ins force-included, missing includes
// answered, errors located). -nostdinc hides this machine's LibTorch, so the
// stand-ins are what the file sees.
#include "migrate/missing_headers.h"

#include <memory>
#include <string>
#include <vector>

#include "clang/Tooling/Tooling.h"
#include "gtest/gtest.h"
#include "migrate/sites.h"

namespace migrate {
namespace {

std::vector<TuResult> Parse(const std::string& code, bool tolerate) {
  std::vector<TuResult> results;
  FindOptions options;
  options.tolerate_missing_headers = tolerate;
  clang::tooling::runToolOnCodeWithArgs(NewFindSitesFactory(options, &results)->create(), code,
                                        {"-std=c++17", "-nostdinc", "-nostdinc++", "-w"}, "/virtual/input.cc");
  return results;
}

const Site* SiteOnLine(const TuResult& result, unsigned line) {
  for (const Site& site : result.sites)
    if (site.line == line) return &site;
  return nullptr;
}

TEST(MissingHeaders, AFileWithAMissingHeaderIsParsedWithStandIns) {
  const std::vector<TuResult> results = Parse(R"(#include "ops/missing.h"
#include <cuda_runtime.h>
struct Square : public torch::autograd::Function<Square> {
  static int forward(torch::autograd::AutogradContext* ctx, int x) {
    at::AutoNonVariableTypeMode guard(true);
    return helper_from_the_missing_header(x);
  }
};
int predict(int x) {
  at::AutoNonVariableTypeMode guard(true);
  return x;
}
)",
                                            /*tolerate=*/true);
  ASSERT_EQ(results.size(), 1u);
  const TuResult& result = results[0];
  EXPECT_EQ(result.missing_headers, (std::vector<std::string>{"\"ops/missing.h\"", "<cuda_runtime.h>"}));
  EXPECT_TRUE(result.parsed_with_errors);
  EXPECT_FALSE(result.failed);
  const Site* kernel = SiteOnLine(result, 5);
  ASSERT_NE(kernel, nullptr);
  ASSERT_EQ(kernel->uses.size(), 1u);
  EXPECT_EQ(kernel->uses[0].context, Context::kKernel);
  EXPECT_NE(kernel->uses[0].reason.find("a subclass of `torch::autograd::Function<Square>`"), std::string::npos);
  EXPECT_NE(kernel->uses[0].reason.find("parsed without \"ops/missing.h\", <cuda_runtime.h>"), std::string::npos);
  const Site* inference = SiteOnLine(result, 10);
  ASSERT_NE(inference, nullptr);
  EXPECT_EQ(inference->uses[0].context, Context::kInference);
}

TEST(MissingHeaders, AReplacementDeclaredOnlyByAStandInStillGetsItsHeader) {
  const std::vector<TuResult> results = Parse(R"(#include "ops/missing.h"
void predict() { at::AutoNonVariableTypeMode guard(true); }
)",
                                            /*tolerate=*/true);
  ASSERT_EQ(results.size(), 1u);
  ASSERT_EQ(results[0].sites.size(), 1u);
  EXPECT_TRUE(results[0].sites[0].missing_inference_decl);
  EXPECT_TRUE(results[0].sites[0].missing_kernel_decl);
}

TEST(MissingHeaders, ASiteWhoseDeclaratorDidNotParseIsLeftToTheTokenTier) {
  const std::vector<TuResult> results = Parse(R"(#include <cuda_runtime.h>
void launch(cudaStream_t stream) {
  at::AutoNonVariableTypeMode guard(true);
}
void predict() { at::AutoNonVariableTypeMode guard(true); }
)",
                                            /*tolerate=*/true);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(SiteOnLine(results[0], 3), nullptr);
  EXPECT_NE(SiteOnLine(results[0], 5), nullptr);
}

TEST(MissingHeaders, ASiteInAClassWhoseBaseDidNotResolveIsLeftToTheTokenTier) {
  // The base probably derives from Function<T>: the AST cannot tell.
  const std::vector<TuResult> results = Parse(R"(#include "ops/base.h"
struct Scale : public ops::KernelBase<Scale> {
  static int forward(int x) {
    at::AutoNonVariableTypeMode guard(true);
    return x;
  }
};
)",
                                            /*tolerate=*/true);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_TRUE(results[0].sites.empty());
}

TEST(MissingHeaders, AnErrorInTheGuardsOwnStatementLeavesItToTheTokenTier) {
  const std::vector<TuResult> results = Parse(R"(#include "config.h"
void predict() { at::AutoNonVariableTypeMode guard(kFastMode); }
)",
                                            /*tolerate=*/true);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_TRUE(results[0].sites.empty());
}

TEST(MissingHeaders, ErrorsWithoutAMissingHeaderStillFailTheFile) {
  // Only a missing header lets errors through.
  EXPECT_TRUE(Parse("void predict() { at::AutoNonVariableTypeMode guard(true); }\nint broken = ;\n",
                  /*tolerate=*/true)
                  .empty());
}

TEST(MissingHeaders, StrictFailsTheFileAndNamesTheHeader) {
  const std::vector<TuResult> results = Parse(R"(#include <cuda_runtime.h>
void predict() { at::AutoNonVariableTypeMode guard(true); }
)",
                                            /*tolerate=*/false);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_TRUE(results[0].failed);
  EXPECT_TRUE(results[0].sites.empty());
  EXPECT_EQ(results[0].missing_headers, (std::vector<std::string>{"<cuda_runtime.h>"}));
}

TEST(MissingHeaders, AFileThatParsesRecordsNothing) {
  const std::vector<TuResult> results = Parse("void predict() { at::AutoNonVariableTypeMode guard(true); }\n",
                                            /*tolerate=*/true);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_TRUE(results[0].missing_headers.empty());
  EXPECT_FALSE(results[0].parsed_with_errors);
  EXPECT_EQ(results[0].sites.size(), 1u);
}

TEST(MissingHeaders, RegistrationMacrosHaveStandIns) {
  const std::vector<TuResult> results = Parse(R"(#include "ops/missing.h"
int my_relu(int x) {
  at::AutoNonVariableTypeMode guard;
  return x;
}
TORCH_LIBRARY_IMPL(my_ops, PrivateUse1, m) { m.impl("relu", TORCH_FN(my_relu)); }
)",
                                            /*tolerate=*/true);
  ASSERT_EQ(results.size(), 1u);
  ASSERT_EQ(results[0].sites.size(), 1u);
  EXPECT_EQ(results[0].sites[0].uses[0].context, Context::kKernel);
  EXPECT_NE(results[0].sites[0].uses[0].reason.find("backend kernel for `PrivateUse1`"), std::string::npos);
}

TEST(JoinHeaders, CommaSeparatedAsSpelled) {
  EXPECT_EQ(JoinHeaders({"<a.h>", "\"b/c.h\""}), "<a.h>, \"b/c.h\"");
  EXPECT_EQ(JoinHeaders({}), "");
}

TEST(WithMissingHeaders, UnchangedWhenNothingWasMissing) {
  EXPECT_EQ(WithMissingHeaders("{\"sites\": []}\n", {}), "{\"sites\": []}\n");
}

TEST(WithMissingHeaders, AddsOneFieldPerFileInsideTheObject) {
  EXPECT_EQ(WithMissingHeaders("{\"counts\": {}}\n", {{"a.cpp", {"<x.h>", "\"y.h\""}}, {"b.cpp", {"<z.h>"}}}),
            "{\"counts\": {},\n\"missing_headers\": {\n  \"a.cpp\": [\"<x.h>\", \"\\\"y.h\\\"\"],\n"
            "  \"b.cpp\": [\"<z.h>\"]\n}}\n");
}

}  // namespace
}  // namespace migrate
