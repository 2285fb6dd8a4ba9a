#include "autograd/block_cache.h"

#include <memory>
#include <thread>
#include <vector>

#include "autograd/autograd.h"
#include "gtest/gtest.h"
#include "tensor/tensor.h"

namespace ember {
namespace autograd {
namespace {

// A size no other code in this test binary caches.
using Blocks = impl::BlockCache<200>;

// Under ASan nothing is cached (it must see every free), and its quarantine
// never hands a freed block out again at once: each test checks both.
TEST(BlockCache, HandsOutTheBlockThisThreadFreedLast) {
  void* a = Blocks::allocate();
  void* b = Blocks::allocate();
  Blocks::deallocate(a);
  Blocks::deallocate(b);
  void* first = Blocks::allocate();
  void* second = Blocks::allocate();
  EXPECT_EQ(first == b && second == a, impl::kCacheBlocks);
  Blocks::deallocate(first);
  Blocks::deallocate(second);
}

TEST(BlockCache, ABlockFreedOnAnotherThreadJoinsThatThreadsCache) {
  void* mine = Blocks::allocate();
  void* reused = nullptr;
  std::thread other([&] {
    Blocks::deallocate(mine);
    reused = Blocks::allocate();
    Blocks::deallocate(reused);
  });
  other.join();
  EXPECT_EQ(reused == mine, impl::kCacheBlocks);
}

TEST(BlockCache, FreesMoreBlocksThanItKeepsAndReusesTheOnesItKept) {
  // Three times what the cache keeps: the rest go back to the system (a leak
  // would fail the LeakSanitizer run).
  std::vector<void*> blocks;
  for (int i = 0; i < 3 * impl::kMaxCachedBlocks; ++i) blocks.push_back(Blocks::allocate());
  for (void* p : blocks) Blocks::deallocate(p);
  std::vector<void*> again;
  for (int i = 0; i < 3 * impl::kMaxCachedBlocks; ++i) again.push_back(Blocks::allocate());
  int reused = 0;
  for (void* p : again) {
    for (void* q : blocks) reused += p == q;
  }
  EXPECT_EQ(reused >= impl::kMaxCachedBlocks, impl::kCacheBlocks) << reused << " blocks reused";
  for (void* p : again) Blocks::deallocate(p);
}

TEST(BlockCache, CachingAllocatorBacksSharedPointers) {
  auto p = std::allocate_shared<std::vector<int>>(impl::CachingAllocator<std::vector<int>>(), 3, 7);
  std::weak_ptr<std::vector<int>> weak = p;
  EXPECT_EQ(p->at(2), 7);
  p.reset();
  EXPECT_TRUE(weak.expired());
}

TEST(BlockCache, GraphsBuiltOnOneThreadAreReleasedOnAnother) {
  Tensor w = ones({4}).set_requires_grad(true);
  std::vector<Tensor> views;
  for (int i = 0; i < 2 * impl::kMaxCachedBlocks; ++i) views.push_back(w.view({2, 2}) * 2);
  std::thread other([moved = std::move(views)]() mutable { moved.clear(); });
  other.join();
  // This thread's cache still works, and so does the graph it builds now.
  Tensor y = (w.view({2, 2}) * 3).sum();
  y.backward();
  EXPECT_TRUE(w.grad().allclose(full({4}, 3.0)));
}

}  // namespace
}  // namespace autograd
}  // namespace ember
