#include "modes/grad_mode.h"

#include <stdexcept>

#include "gtest/gtest.h"

namespace ember {
namespace {

TEST(GradModeTest, EnabledByDefault) { EXPECT_TRUE(GradMode::is_enabled()); }

TEST(GradModeTest, SetEnabledChangesTheThreadState) {
  GradMode::set_enabled(false);
  EXPECT_FALSE(GradMode::is_enabled());
  EXPECT_FALSE(AutogradState::get_tls_state().get_grad_mode());
  GradMode::set_enabled(true);
  EXPECT_TRUE(GradMode::is_enabled());
}

TEST(GradModeTest, NoGradGuardDisablesAndRestores) {
  {
    NoGradGuard no_grad;
    EXPECT_FALSE(GradMode::is_enabled());
  }
  EXPECT_TRUE(GradMode::is_enabled());
}

TEST(GradModeTest, NoGradGuardRestoresDisabledState) {
  GradMode::set_enabled(false);
  { NoGradGuard no_grad; }
  EXPECT_FALSE(GradMode::is_enabled());
  GradMode::set_enabled(true);
}

TEST(GradModeTest, AutoGradModeSetsEitherValueAndRestores) {
  {
    AutoGradMode off(false);
    EXPECT_FALSE(GradMode::is_enabled());
    {
      AutoGradMode on(true);
      EXPECT_TRUE(GradMode::is_enabled());
    }
    EXPECT_FALSE(GradMode::is_enabled());
  }
  EXPECT_TRUE(GradMode::is_enabled());
}

TEST(GradModeTest, GuardsRestoreWhenAnExceptionLeavesTheScope) {
  try {
    NoGradGuard no_grad;
    throw std::runtime_error("leave the scope");
  } catch (const std::runtime_error&) {
  }
  EXPECT_TRUE(GradMode::is_enabled());
}

TEST(GradModeTest, GradModeDoesNotTouchInferenceOrForwardGradMode) {
  NoGradGuard no_grad;
  EXPECT_FALSE(AutogradState::get_tls_state().get_inference_mode());
  EXPECT_TRUE(AutogradState::get_tls_state().get_fw_grad_mode());
}

TEST(GradModeTest, AutoFwGradModeSetsOnlyForwardGradMode) {
  {
    AutoFwGradMode fw_off(false);
    EXPECT_FALSE(AutogradState::get_tls_state().get_fw_grad_mode());
    EXPECT_TRUE(GradMode::is_enabled());
    {
      AutoFwGradMode fw_on(true);
      EXPECT_TRUE(AutogradState::get_tls_state().get_fw_grad_mode());
    }
    EXPECT_FALSE(AutogradState::get_tls_state().get_fw_grad_mode());
  }
  EXPECT_TRUE(AutogradState::get_tls_state().get_fw_grad_mode());
}

TEST(GradModeTest, AutogradStateDefaultsAreGradOnInferenceOffForwardGradOn) {
  EXPECT_EQ(AutogradState::get_tls_state(),
            AutogradState(/*grad_mode=*/true, /*inference_mode=*/false, /*fw_grad_mode=*/true));
}

TEST(GradModeTest, AutogradStateSetTlsStateReplacesAllThreeFlags) {
  AutogradState saved = AutogradState::get_tls_state();
  AutogradState::set_tls_state(AutogradState(false, true, false));
  EXPECT_FALSE(AutogradState::get_tls_state().get_grad_mode());
  EXPECT_TRUE(AutogradState::get_tls_state().get_inference_mode());
  EXPECT_FALSE(AutogradState::get_tls_state().get_fw_grad_mode());
  AutogradState::set_tls_state(saved);
  EXPECT_EQ(AutogradState::get_tls_state(), saved);
}

}  // namespace
}  // namespace ember
