#include "modes/kernel_guards.h"

#include "gtest/gtest.h"
#include "modes/inference_mode.h"

namespace ember {
namespace {

TEST(KernelGuardsTest, BelowAutogradExcludesOnlyAutogradKeys) {
  {
    AutoDispatchBelowAutograd guard;
    LocalDispatchKeySet keys = tls_local_dispatch_key_set();
    EXPECT_EQ(keys.excluded_, autograd_dispatch_keyset);
    EXPECT_TRUE(keys.included_.has(DispatchKey::ADInplaceOrView));
  }
  EXPECT_TRUE(tls_local_dispatch_key_set().excluded_.empty());
}

TEST(KernelGuardsTest, BelowADInplaceOrViewAlsoExcludesADInplaceOrView) {
  {
    AutoDispatchBelowADInplaceOrView guard;
    EXPECT_EQ(tls_local_dispatch_key_set().excluded_, autograd_dispatch_keyset_with_ADInplaceOrView);
  }
  EXPECT_TRUE(tls_local_dispatch_key_set().excluded_.empty());
}

TEST(KernelGuardsTest, GuardsDoNotChangeGradOrInferenceMode) {
  AutoDispatchBelowADInplaceOrView guard;
  EXPECT_TRUE(AutogradState::get_tls_state().get_grad_mode());
  EXPECT_FALSE(InferenceMode::is_enabled());
}

TEST(KernelGuardsTest, InnerGuardLeavesOuterExclusionsInPlace) {
  AutoDispatchBelowAutograd outer;
  { AutoDispatchBelowADInplaceOrView inner; }
  EXPECT_EQ(tls_local_dispatch_key_set().excluded_, autograd_dispatch_keyset);
}

TEST(KernelGuardsTest, KeyBelowTheGuardsIsWhatADispatchWouldPick) {
  const DispatchKeySet tensor_keys = normal_tensor_keyset(DispatchKey::CPU);
  auto pick = [&] {
    LocalDispatchKeySet tls = tls_local_dispatch_key_set();
    return ((tensor_keys | tls.included_) - tls.excluded_).highestPriorityTypeId();
  };
  EXPECT_EQ(pick(), DispatchKey::AutogradCPU);
  {
    AutoDispatchBelowAutograd guard;
    EXPECT_EQ(pick(), DispatchKey::ADInplaceOrView);
  }
  {
    AutoDispatchBelowADInplaceOrView guard;
    EXPECT_EQ(pick(), DispatchKey::CPU);
  }
}

}  // namespace
}  // namespace ember
