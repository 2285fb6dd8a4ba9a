#include <atomic>
#include <random>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "modes/grad_mode.h"
#include "modes/inference_mode.h"
#include "modes/kernel_guards.h"

namespace ember {
namespace {

bool IsDefaultState() {
  LocalDispatchKeySet keys = tls_local_dispatch_key_set();
  return AutogradState::get_tls_state() == AutogradState(true, false, true) &&
         keys.included_ == default_included_set && keys.excluded_.empty();
}

TEST(ThreadLocalityTest, NewThreadStartsInTheDefaultStateWhateverItsParentDoes) {
  InferenceMode inference;
  NoGradGuard no_grad;
  AutoDispatchBelowADInplaceOrView kernel;
  bool child_default = false;
  std::thread([&] { child_default = IsDefaultState(); }).join();
  EXPECT_TRUE(child_default);
}

TEST(ThreadLocalityTest, ChildGuardsDoNotLeakIntoTheParent) {
  std::thread([] {
    InferenceMode inference;
    GradMode::set_enabled(false);  // Even a bare setter stays on the child.
  }).join();
  EXPECT_TRUE(IsDefaultState());
}

// Many threads toggle every guard at once; each must only ever see its own
// state. Run under --config=tsan in CI, where a shared variable would be a race.
TEST(ThreadLocalityTest, ConcurrentTogglingNeverCrossesThreads) {
  constexpr int kThreads = 8;
  constexpr int kIterations = 20000;
  std::atomic<int> ready{0};
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937 rng(t);
      ready.fetch_add(1);
      while (ready.load() < kThreads) {
      }
      for (int i = 0; i < kIterations; ++i) {
        switch (rng() % 4) {
          case 0: {
            InferenceMode guard;
            if (!InferenceMode::is_enabled() || GradMode::is_enabled()) failures.fetch_add(1);
            break;
          }
          case 1: {
            NoGradGuard guard;
            if (GradMode::is_enabled() || InferenceMode::is_enabled()) failures.fetch_add(1);
            break;
          }
          case 2: {
            AutoDispatchBelowADInplaceOrView guard;
            if (!tls_is_dispatch_key_excluded(DispatchKey::ADInplaceOrView)) failures.fetch_add(1);
            break;
          }
          default: {
            InferenceMode on;
            InferenceMode off(false);
            if (InferenceMode::is_enabled() || !GradMode::is_enabled()) failures.fetch_add(1);
            break;
          }
        }
        if (!IsDefaultState()) failures.fetch_add(1);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_TRUE(IsDefaultState());
}

}  // namespace
}  // namespace ember
