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

}  // namespace
}  // namespace ember
