#include "modes/legacy_guards.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "modes/autograd_state.h"
#include "modes/error.h"
#include "modes/kernel_guards.h"
#include "modes/warning.h"

// These tests use the deprecated guard on purpose.
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

namespace ember {
namespace {

// Keeps the one-time deprecation warning off the test log.
class SilentHandler final : public WarningHandler {
 public:
  void process(const std::string&) override {}
};

class LegacyGuardsTest : public testing::Test {
 protected:
  SilentHandler silent_;
  WarningHandlerGuard quiet_{&silent_};
};

TEST_F(LegacyGuardsTest, ExcludesExactlyWhatAutoDispatchBelowAutogradExcludes) {
  DispatchKeySet below_autograd;
  {
    AutoDispatchBelowAutograd guard;
    below_autograd = tls_local_dispatch_key_set().excluded_;
  }
  AutoNonVariableTypeMode legacy;
  EXPECT_EQ(tls_local_dispatch_key_set().excluded_, below_autograd);
  EXPECT_EQ(tls_local_dispatch_key_set().excluded_, autograd_dispatch_keyset);
}

TEST_F(LegacyGuardsTest, KeepsADInplaceOrViewSoVersionsAreStillBumped) {
  AutoNonVariableTypeMode legacy(true);
  EXPECT_TRUE(tls_local_dispatch_key_set().included_.has(DispatchKey::ADInplaceOrView));
  EXPECT_FALSE(tls_local_dispatch_key_set().excluded_.has(DispatchKey::ADInplaceOrView));
}

TEST_F(LegacyGuardsTest, IsNotInferenceModeAndLeavesGradModeAlone) {
  AutoNonVariableTypeMode legacy;
  EXPECT_FALSE(AutogradState::get_tls_state().get_inference_mode());
  EXPECT_TRUE(AutogradState::get_tls_state().get_grad_mode());
}

TEST_F(LegacyGuardsTest, RestoresTheExcludedSetOnExit) {
  { AutoNonVariableTypeMode legacy; }
  EXPECT_TRUE(tls_local_dispatch_key_set().excluded_.empty());
}

TEST_F(LegacyGuardsTest, FalseThrowsAnErrorThatNamesBothReplacements) {
  try {
    AutoNonVariableTypeMode legacy(false);
    FAIL() << "AutoNonVariableTypeMode(false) should throw";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), testing::StartsWith("AutoNonVariableTypeMode(false) is not supported"));
    EXPECT_THAT(e.what(), testing::HasSubstr("ember::InferenceMode"));
    EXPECT_THAT(e.what(), testing::HasSubstr("ember::AutoDispatchBelowADInplaceOrView"));
  }
  EXPECT_TRUE(tls_local_dispatch_key_set().excluded_.empty());
}

}  // namespace
}  // namespace ember
