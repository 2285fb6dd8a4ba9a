// Tensors across threads: InferenceMode is per thread, so is the kind of
// tensor a factory makes; allocation counts and the large-block cache are
// shared and must stay consistent under concurrent use (run under TSan).
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "modes/inference_mode.h"
#include "tensor/tensor.h"
#include "tensor/testing.h"

namespace ember {
namespace {

TEST(ThreadsTest, InferenceModeOnOneThreadDoesNotMakeInferenceTensorsOnAnother) {
  InferenceMode guard;
  bool other_is_inference = true;
  std::thread t([&] { other_is_inference = ones({2}).is_inference(); });
  t.join();
  EXPECT_FALSE(other_is_inference);
  EXPECT_TRUE(ones({2}).is_inference());
}

TEST(ThreadsTest, ConcurrentOpsGiveCorrectResultsAndBalancedCounts) {
  int64_t before = memory_stats().current_bytes;
  std::vector<std::thread> threads;
  std::vector<int> ok(4, 0);
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([i, &ok] {
      bool inference = i % 2 == 1;
      InferenceMode guard(inference);
      for (int r = 0; r < 20; ++r) {
        Tensor big = full({1 << 19}, static_cast<double>(i));  // 2 MB: the large-block path
        Tensor small = ones({3, 3});
        Tensor s = (big + 1).sum() + small.mm(small).sum();
        if (s.item<double>() == static_cast<double>((i + 1) * (1 << 19) + 27) && s.is_inference() == inference) {
          ++ok[i];
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (int i = 0; i < 4; ++i) EXPECT_EQ(ok[i], 20) << "thread " << i;
  EXPECT_EQ(memory_stats().current_bytes, before);
}

TEST(ThreadsTest, AViewMayOutliveItsBaseOnAnotherThread) {
  Tensor base = arange(1000, kFloat);
  Tensor view = base.slice(0, 10, 20);
  std::thread t([v = view] { EXPECT_EQ(v.sum().item<float>(), 145); });
  base = Tensor();
  view = Tensor();
  t.join();
}

// TensorImpls are recycled per thread (Note [TensorImpl free list]): more
// views than a thread caches, made on one thread and freed on another that
// then exits, while the first keeps making tensors from its own list.
TEST(ThreadsTest, TensorsFreedOnAnotherThreadKeepEveryThreadsTensorsIntact) {
  Tensor base = arange(24, kFloat);
  std::vector<Tensor> views;
  for (int i = 0; i < 300; ++i) views.push_back(i % 2 ? base.view({4, 6}) : base.view({6, 4}).t());
  std::thread consumer([moved = std::move(views)]() mutable {
    for (size_t i = 0; i < moved.size(); ++i) {
      EXPECT_EQ(moved[i].sizes(), IntArrayRef({4, 6}));
      EXPECT_EQ(moved[i].is_contiguous(), i % 2 == 1);
    }
    moved.clear();
    for (int i = 0; i < 100; ++i) EXPECT_EQ(ones({2}).sum().item<float>(), 2);
  });
  for (int i = 0; i < 300; ++i) {
    Tensor v = base.view({2, 12}).transpose(0, 1);
    EXPECT_EQ(v.strides(), IntArrayRef({1, 12}));
    EXPECT_EQ(v.select(0, 3).sum().item<float>(), 3 + 15);
  }
  consumer.join();
  EXPECT_EQ(base.view({3, 8}).sum().item<float>(), 276);
}

}  // namespace
}  // namespace ember
