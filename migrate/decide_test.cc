#include "migrate/decide.h"

#include "gtest/gtest.h"

namespace migrate {
namespace {

Use MakeUse(Context context, Arg arg = Arg::kNone, const std::string& where = "a.cpp:1") {
  Use use;
  use.context = context;
  use.arg = arg;
  use.where = where;
  use.reason = context == Context::kKernel ? "inside `F::backward`" : "inside `predict`";
  if (arg != Arg::kNone) use.arg_span = Span{"a.cpp", 100, 6};
  return use;
}

Site MakeSite(std::vector<Use> uses, const std::string& spelling = "at::AutoNonVariableTypeMode") {
  Site site;
  site.span = Span{"a.cpp", 10, static_cast<unsigned>(spelling.size())};
  site.spelling = spelling;
  site.uses = std::move(uses);
  return site;
}

Site DecideOne(Site site, DecideOptions options = {}) {
  std::vector<Site> sites = {std::move(site)};
  Decide(options, sites);
  return sites[0];
}

TEST(Decide, KernelUsesBecomeTheKernelGuardWithTheirReason) {
  Site site = DecideOne(MakeSite({MakeUse(Context::kKernel, Arg::kTrue)}));
  EXPECT_EQ(site.decision, Decision::kKernel);
  EXPECT_EQ(site.replacement, "at::AutoDispatchBelowADInplaceOrView");
  EXPECT_EQ(site.reason, "inside `F::backward`");
}

TEST(Decide, InferenceUsesKeepARuntimeFlag) {
  Site site = DecideOne(MakeSite({MakeUse(Context::kInference, Arg::kRuntime)}));
  EXPECT_EQ(site.decision, Decision::kInference);
  EXPECT_EQ(site.replacement, "c10::InferenceMode");
}

TEST(Decide, GloballyAnchoredSpellingStaysAnchored) {
  Site site = DecideOne(MakeSite({MakeUse(Context::kInference)}, "::at::AutoNonVariableTypeMode"));
  EXPECT_EQ(site.replacement, "::c10::InferenceMode");
}

TEST(Decide, FalseArgumentIsManual) {
  Site site = DecideOne(MakeSite({MakeUse(Context::kInference, Arg::kFalse)}));
  EXPECT_EQ(site.decision, Decision::kManual);
  EXPECT_NE(site.reason.find("constructed with `false`"), std::string::npos) << site.reason;
  EXPECT_TRUE(site.replacement.empty());
}

TEST(Decide, RuntimeFlagInKernelContextIsManual) {
  Site site = DecideOne(MakeSite({MakeUse(Context::kKernel, Arg::kRuntime)}));
  EXPECT_EQ(site.decision, Decision::kManual);
  EXPECT_NE(site.reason.find("runtime flag in kernel context"), std::string::npos) << site.reason;
}

TEST(Decide, KernelArgumentThatCannotBeEditedIsManualWithWhy) {
  Use use = MakeUse(Context::kKernel, Arg::kTrue);
  use.arg_span.reset();
  use.arg_uneditable = "is split by a preprocessor directive";
  Site site = DecideOne(MakeSite({use}));
  EXPECT_EQ(site.decision, Decision::kManual);
  EXPECT_NE(site.reason.find(") is split by a preprocessor directive and cannot be dropped safely"), std::string::npos)
      << site.reason;
}

TEST(Decide, BothContextsAreManualWithBothReasons) {
  Site site = DecideOne(MakeSite({MakeUse(Context::kKernel, Arg::kNone, "k.cpp:3"),
                                  MakeUse(Context::kInference, Arg::kNone, "u.cpp:4")}));
  EXPECT_EQ(site.decision, Decision::kManual);
  EXPECT_NE(site.reason.find("KERNEL k.cpp:3: inside `F::backward`"), std::string::npos) << site.reason;
  EXPECT_NE(site.reason.find("INFERENCE u.cpp:4: inside `predict`"), std::string::npos) << site.reason;
}

TEST(Decide, WeakUsesYieldToDefiniteOnes) {
  Use weak = MakeUse(Context::kInference);
  weak.weak = true;
  Site site = DecideOne(MakeSite({weak, MakeUse(Context::kKernel)}));
  EXPECT_EQ(site.decision, Decision::kKernel);
}

TEST(Decide, OnlyWeakUsesStillDecide) {
  Use weak = MakeUse(Context::kInference);
  weak.weak = true;
  EXPECT_EQ(DecideOne(MakeSite({weak})).decision, Decision::kInference);
}

TEST(Decide, NoUsesIsManual) {
  Site site = DecideOne(MakeSite({}));
  EXPECT_EQ(site.decision, Decision::kManual);
  EXPECT_NE(site.reason.find("no use"), std::string::npos);
}

TEST(Decide, AssumeOverridesManualAndSaysSo) {
  DecideOptions options;
  options.assume = Context::kKernel;
  Site site = DecideOne(MakeSite({MakeUse(Context::kKernel), MakeUse(Context::kInference)}), options);
  EXPECT_EQ(site.decision, Decision::kKernel);
  EXPECT_EQ(site.reason.rfind("--assume=kernel for: used in both contexts", 0), 0u) << site.reason;
}

TEST(Decide, SuppressedBeatsEverything) {
  Site site = MakeSite({MakeUse(Context::kInference, Arg::kFalse)});
  site.suppressed = true;
  site = DecideOne(site);
  EXPECT_EQ(site.decision, Decision::kSuppressed);
  EXPECT_TRUE(site.replacement.empty());
}

TEST(Decide, AUseUnderNolintKeepsTheSpellingItGoesThrough) {
  Use quiet = MakeUse(Context::kInference, Arg::kNone, "u.cpp:16");
  quiet.suppressed = true;
  Site site = DecideOne(MakeSite({MakeUse(Context::kInference), quiet}));
  EXPECT_EQ(site.decision, Decision::kManual);
  EXPECT_EQ(site.reason, "a use at u.cpp:16 is marked // NOLINT(migrate) and goes through this spelling");
}

TEST(Decide, BlockedSpellingIsManualWithTheFindersReason) {
  Site site = MakeSite({MakeUse(Context::kInference)});
  site.blocked = "in macro G defined at /usr/include/x.h:3, outside the files this tool may edit";
  site = DecideOne(site);
  EXPECT_EQ(site.decision, Decision::kManual);
  EXPECT_EQ(site.reason, site.blocked);
}

TEST(Decide, RedundantForwardGuardIsReplacedByDefaultAndRemovedOnRequest) {
  Use use = MakeUse(Context::kKernel);
  use.redundant = true;
  use.stmt_span = Span{"a.cpp", 50, 30};
  Site replaced = DecideOne(MakeSite({use}));
  EXPECT_EQ(replaced.decision, Decision::kKernel);
  EXPECT_TRUE(replaced.redundant);
  EXPECT_NE(replaced.reason.find("redundant"), std::string::npos);
  DecideOptions remove;
  remove.remove_redundant_kernel_guard = true;
  EXPECT_EQ(DecideOne(MakeSite({use}), remove).decision, Decision::kRemove);
}

TEST(Decide, RedundantGuardWithoutAWholeStatementIsNotRemoved) {
  Use use = MakeUse(Context::kKernel);
  use.redundant = true;  // e.g. a holder: there is no declaration to delete
  DecideOptions remove;
  remove.remove_redundant_kernel_guard = true;
  EXPECT_EQ(DecideOne(MakeSite({use}), remove).decision, Decision::kKernel);
}

TEST(Decide, EmberProfileUsesEmbersNames) {
  Site site = MakeSite({MakeUse(Context::kKernel)}, "ember::AutoNonVariableTypeMode");
  site.profile = Profile::kEmber;
  EXPECT_EQ(DecideOne(site).replacement, "ember::AutoDispatchBelowADInplaceOrView");
  site.uses = {MakeUse(Context::kInference)};
  EXPECT_EQ(DecideOne(site).replacement, "ember::InferenceMode");
  EXPECT_STREQ(NamesFor(Profile::kEmber).inference_header, "modes/inference_mode.h");
  EXPECT_FALSE(NamesFor(Profile::kEmber).angled);
}

TEST(Decide, MacroBodyReasonNamesTheMacroAndItsExpansions) {
  Site site = MakeSite({MakeUse(Context::kInference, Arg::kNone, "a.cpp:5"),
                        MakeUse(Context::kInference, Arg::kNone, "a.cpp:9")});
  site.macro = "in macro GUARD defined at a.cpp:2";
  site = DecideOne(site);
  EXPECT_EQ(site.decision, Decision::kInference);
  EXPECT_EQ(site.reason.rfind("in macro GUARD defined at a.cpp:2, all 2 expansions agree", 0), 0u) << site.reason;
}

TEST(MergeSites, SameSpanFromSeveralTranslationUnitsIsOneSiteWithAllUses) {
  Site a = MakeSite({MakeUse(Context::kKernel, Arg::kNone, "k.cpp:3")});
  a.missing_inference_decl = true;
  Site b = MakeSite({MakeUse(Context::kInference, Arg::kNone, "u.cpp:4")});
  Site duplicate = MakeSite({MakeUse(Context::kKernel, Arg::kNone, "k.cpp:3")});
  Site other = MakeSite({MakeUse(Context::kInference)});
  other.span.offset = 500;
  std::vector<Site> merged = MergeSites({b, a, duplicate, other});
  ASSERT_EQ(merged.size(), 2u);
  EXPECT_EQ(merged[0].span.offset, 10u);
  EXPECT_EQ(merged[0].uses.size(), 2u);  // the duplicate use is one
  EXPECT_TRUE(merged[0].missing_inference_decl);
  EXPECT_EQ(merged[1].span.offset, 500u);
}

TEST(DecisionName, NamesEveryDecision) {
  EXPECT_STREQ(DecisionName(Decision::kKernel), "KERNEL");
  EXPECT_STREQ(DecisionName(Decision::kInference), "INFERENCE");
  EXPECT_STREQ(DecisionName(Decision::kManual), "MANUAL");
  EXPECT_STREQ(DecisionName(Decision::kRemove), "REMOVE");
  EXPECT_STREQ(DecisionName(Decision::kSuppressed), "SUPPRESSED");
}

}  // namespace
}  // namespace migrate
