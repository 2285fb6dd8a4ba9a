#include "modes/local_dispatch_key_set.h"

#include <thread>

#include "gtest/gtest.h"

namespace ember {
namespace {

TEST(LocalDispatchKeySetTest, DefaultStateIncludesOnlyADInplaceOrView) {
  LocalDispatchKeySet keys = tls_local_dispatch_key_set();
  EXPECT_EQ(keys.included_, DispatchKeySet(DispatchKey::ADInplaceOrView));
  EXPECT_TRUE(keys.excluded_.empty());
}

TEST(LocalDispatchKeySetTest, DefaultStateIsAllZeroRawBits) {
  EXPECT_EQ(impl::raw_local_dispatch_key_set.included, 0u);
  EXPECT_EQ(impl::raw_local_dispatch_key_set.excluded, 0u);
}

TEST(LocalDispatchKeySetTest, ExcludeGuardAddsKeysAndRemovesThemOnExit) {
  {
    ExcludeDispatchKeyGuard guard(autograd_dispatch_keyset);
    EXPECT_EQ(tls_local_dispatch_key_set().excluded_, autograd_dispatch_keyset);
  }
  EXPECT_TRUE(tls_local_dispatch_key_set().excluded_.empty());
}

TEST(LocalDispatchKeySetTest, ExcludeGuardKeepsKeysThatWereAlreadyExcluded) {
  ExcludeDispatchKeyGuard outer(DispatchKey::AutogradCPU);
  {
    ExcludeDispatchKeyGuard inner(autograd_dispatch_keyset);
    EXPECT_EQ(tls_local_dispatch_key_set().excluded_, autograd_dispatch_keyset);
  }
  EXPECT_EQ(tls_local_dispatch_key_set().excluded_, DispatchKeySet(DispatchKey::AutogradCPU));
}

TEST(LocalDispatchKeySetTest, IncludeGuardAddsKeysAndRemovesThemOnExit) {
  {
    IncludeDispatchKeyGuard guard(DispatchKey::CPU);
    EXPECT_EQ(tls_local_dispatch_key_set().included_,
              (DispatchKeySet{DispatchKey::CPU, DispatchKey::ADInplaceOrView}));
  }
  EXPECT_EQ(tls_local_dispatch_key_set().included_, default_included_set);
}

TEST(LocalDispatchKeySetTest, IncludeGuardLeavesAnAlreadyIncludedKeyIncluded) {
  { IncludeDispatchKeyGuard guard(DispatchKey::ADInplaceOrView); }
  EXPECT_TRUE(tls_is_dispatch_key_included(DispatchKey::ADInplaceOrView));
}

TEST(LocalDispatchKeySetTest, SingleKeySettersToggleOneKey) {
  tls_set_dispatch_key_excluded(DispatchKey::AutogradCPU, true);
  EXPECT_TRUE(tls_is_dispatch_key_excluded(DispatchKey::AutogradCPU));
  EXPECT_FALSE(tls_is_dispatch_key_excluded(DispatchKey::AutogradCUDA));
  tls_set_dispatch_key_excluded(DispatchKey::AutogradCPU, false);
  EXPECT_FALSE(tls_is_dispatch_key_excluded(DispatchKey::AutogradCPU));

  tls_set_dispatch_key_included(DispatchKey::ADInplaceOrView, false);
  EXPECT_FALSE(tls_is_dispatch_key_included(DispatchKey::ADInplaceOrView));
  tls_set_dispatch_key_included(DispatchKey::ADInplaceOrView, true);
  EXPECT_EQ(tls_local_dispatch_key_set().included_, default_included_set);
}

TEST(LocalDispatchKeySetTest, ForceReplacesBothSets) {
  LocalDispatchKeySet saved = tls_local_dispatch_key_set();
  _force_tls_local_dispatch_key_set({DispatchKeySet{}, DispatchKeySet(DispatchKey::AutogradCPU)});
  EXPECT_TRUE(tls_local_dispatch_key_set().included_.empty());
  EXPECT_EQ(tls_local_dispatch_key_set().excluded_, DispatchKeySet(DispatchKey::AutogradCPU));
  _force_tls_local_dispatch_key_set(saved);
  EXPECT_EQ(tls_local_dispatch_key_set().included_, default_included_set);
}

TEST(LocalDispatchKeySetTest, GuardOnOneThreadIsInvisibleToAnother) {
  ExcludeDispatchKeyGuard guard(autograd_dispatch_keyset);
  DispatchKeySet seen_by_other_thread(DispatchKeySet::FULL);
  std::thread([&] { seen_by_other_thread = tls_local_dispatch_key_set().excluded_; }).join();
  EXPECT_TRUE(seen_by_other_thread.empty());
}

}  // namespace
}  // namespace ember
