#include "modes/dispatch_key_set.h"

#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace ember {
namespace {

TEST(DispatchKeySetTest, EmptySetHasNoKeys) {
  constexpr DispatchKeySet empty;
  static_assert(empty.empty(), "");
  EXPECT_EQ(empty.size(), 0);
  EXPECT_FALSE(empty.has(DispatchKey::CPU));
  EXPECT_EQ(empty.highestPriorityTypeId(), DispatchKey::Undefined);
}

TEST(DispatchKeySetTest, AddAndRemoveAreConstexprAndPure) {
  constexpr DispatchKeySet base{DispatchKey::CPU};
  constexpr DispatchKeySet added = base.add(DispatchKey::AutogradCPU);
  constexpr DispatchKeySet removed = added.remove(DispatchKey::CPU);
  static_assert(added.has(DispatchKey::CPU) && added.has(DispatchKey::AutogradCPU), "");
  static_assert(!removed.has(DispatchKey::CPU) && removed.has(DispatchKey::AutogradCPU), "");
  EXPECT_EQ(base, DispatchKeySet(DispatchKey::CPU));
}

TEST(DispatchKeySetTest, UndefinedIsNeverAMember) {
  constexpr DispatchKeySet keys = DispatchKeySet(DispatchKey::Undefined).add(DispatchKey::Undefined);
  static_assert(keys.empty(), "");
  EXPECT_FALSE(DispatchKeySet(DispatchKeySet::FULL).has(DispatchKey::Undefined));
}

TEST(DispatchKeySetTest, UnionIntersectionDifferenceAndXor) {
  constexpr DispatchKeySet a{DispatchKey::CPU, DispatchKey::ADInplaceOrView};
  constexpr DispatchKeySet b{DispatchKey::ADInplaceOrView, DispatchKey::AutogradCPU};
  EXPECT_EQ(a | b, (DispatchKeySet{DispatchKey::CPU, DispatchKey::ADInplaceOrView, DispatchKey::AutogradCPU}));
  EXPECT_EQ(a & b, DispatchKeySet(DispatchKey::ADInplaceOrView));
  EXPECT_EQ(a - b, DispatchKeySet(DispatchKey::CPU));
  EXPECT_EQ(a ^ b, (DispatchKeySet{DispatchKey::CPU, DispatchKey::AutogradCPU}));
}

TEST(DispatchKeySetTest, HasAllAndHasAny) {
  constexpr DispatchKeySet keys{DispatchKey::CPU, DispatchKey::AutogradCPU};
  EXPECT_TRUE(keys.has_all(DispatchKeySet(DispatchKey::CPU)));
  EXPECT_FALSE(keys.has_all(autograd_dispatch_keyset));
  EXPECT_TRUE(keys.has_any(autograd_dispatch_keyset));
  EXPECT_FALSE(keys.has_any(DispatchKeySet(DispatchKey::CUDA)));
  EXPECT_TRUE(keys.isSupersetOf(DispatchKeySet{}));
}

TEST(DispatchKeySetTest, HighestPriorityFollowsEnumOrder) {
  static_assert(DispatchKeySet{DispatchKey::CPU, DispatchKey::AutogradCPU}.highestPriorityTypeId() ==
                    DispatchKey::AutogradCPU,
                "");
  EXPECT_EQ((DispatchKeySet{DispatchKey::CPU, DispatchKey::ADInplaceOrView}.highestPriorityTypeId()),
            DispatchKey::ADInplaceOrView);
  EXPECT_EQ(DispatchKeySet(DispatchKey::CPU).highestPriorityTypeId(), DispatchKey::CPU);
}

TEST(DispatchKeySetTest, FullAfterHoldsExactlyTheLowerPriorityKeys) {
  constexpr DispatchKeySet below_autograd(DispatchKeySet::FULL_AFTER, DispatchKey::AutogradCPU);
  EXPECT_TRUE(below_autograd.has(DispatchKey::CPU));
  EXPECT_TRUE(below_autograd.has(DispatchKey::ADInplaceOrView));
  EXPECT_TRUE(below_autograd.has(DispatchKey::AutogradOther));
  EXPECT_FALSE(below_autograd.has(DispatchKey::AutogradCPU));
  EXPECT_FALSE(below_autograd.has(DispatchKey::AutogradCUDA));
  EXPECT_TRUE(DispatchKeySet(DispatchKeySet::FULL_AFTER, DispatchKey::CPU).empty());
}

TEST(DispatchKeySetTest, FullHasEveryKey) {
  constexpr DispatchKeySet full(DispatchKeySet::FULL);
  EXPECT_EQ(full.size(), kNumDispatchKeys);
  for (int k = 1; k < static_cast<int>(DispatchKey::EndOfKeys); ++k) {
    EXPECT_TRUE(full.has(static_cast<DispatchKey>(k))) << toString(static_cast<DispatchKey>(k));
  }
}

TEST(DispatchKeySetTest, IterationGoesFromLowestToHighestPriority) {
  DispatchKeySet keys{DispatchKey::AutogradCPU, DispatchKey::CPU, DispatchKey::ADInplaceOrView};
  std::vector<DispatchKey> seen(keys.begin(), keys.end());
  EXPECT_EQ(seen, (std::vector<DispatchKey>{DispatchKey::CPU, DispatchKey::ADInplaceOrView,
                                            DispatchKey::AutogradCPU}));
}

TEST(DispatchKeySetTest, IterationIsUsableInConstantExpressions) {
  // The last key visited is the highest-priority one, and each step adds one key.
  constexpr DispatchKey last = [] {
    DispatchKey k = DispatchKey::Undefined;
    for (DispatchKey key : autograd_dispatch_keyset_with_ADInplaceOrView) k = key;
    return k;
  }();
  static_assert(last == autograd_dispatch_keyset_with_ADInplaceOrView.highestPriorityTypeId(), "");
  constexpr int count = [] {
    int n = 0;
    for (DispatchKey key : autograd_dispatch_keyset) n += autograd_dispatch_keyset.has(key) ? 1 : 100;
    return n;
  }();
  EXPECT_EQ(count, 4);
}

TEST(DispatchKeySetTest, RawRepresentationIsMaskedToKnownKeys) {
  DispatchKeySet keys(DispatchKeySet::RAW, ~uint64_t{0});
  EXPECT_EQ(keys, DispatchKeySet(DispatchKeySet::FULL));
}

TEST(DispatchKeySetTest, PrintsKeyNamesLowestFirst) {
  std::ostringstream out;
  out << DispatchKeySet{DispatchKey::AutogradCPU, DispatchKey::CPU};
  EXPECT_EQ(out.str(), "DispatchKeySet(CPU, AutogradCPU)");
  EXPECT_EQ(toString(DispatchKeySet{}), "DispatchKeySet()");
}

TEST(DispatchKeySetTest, EveryKeyHasItsOwnName) {
  std::set<std::string> names;
  for (int k = 0; k < static_cast<int>(DispatchKey::EndOfKeys); ++k) {
    const std::string name = toString(static_cast<DispatchKey>(k));
    EXPECT_TRUE(names.insert(name).second) << "two keys are called " << name;
  }
  EXPECT_STREQ(toString(DispatchKey::ADInplaceOrView), "ADInplaceOrView");
  EXPECT_STREQ(toString(DispatchKey::EndOfKeys), "Undefined");
}

TEST(DispatchKeySetTest, NormalTensorKeysetHasBackendViewAndAutogradKeys) {
  EXPECT_EQ(normal_tensor_keyset(DispatchKey::CPU),
            (DispatchKeySet{DispatchKey::CPU, DispatchKey::ADInplaceOrView, DispatchKey::AutogradCPU}));
  EXPECT_EQ(getAutogradKeyFromBackend(DispatchKey::CUDA), DispatchKey::AutogradCUDA);
  EXPECT_EQ(getAutogradKeyFromBackend(DispatchKey::Undefined), DispatchKey::AutogradOther);
}

TEST(DispatchKeySetTest, AutogradKeysetsDifferOnlyInADInplaceOrView) {
  EXPECT_EQ(autograd_dispatch_keyset_with_ADInplaceOrView - autograd_dispatch_keyset,
            DispatchKeySet(DispatchKey::ADInplaceOrView));
  EXPECT_FALSE(autograd_dispatch_keyset.has(DispatchKey::ADInplaceOrView));
}

}  // namespace
}  // namespace ember
