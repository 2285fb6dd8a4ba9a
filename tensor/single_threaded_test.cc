#include "tensor/single_threaded.h"

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace ember {
namespace {

TEST(CounterAddTest, ReturnsTheNewValue) {
  std::atomic<int64_t> counter{40};
  EXPECT_EQ(detail::counter_add(counter, int64_t{2}), 42);
  EXPECT_EQ(detail::counter_add(counter, int64_t{-50}), -8);
  EXPECT_EQ(counter.load(), -8);
}

TEST(CounterAddTest, ThreadsAddingAtOnceLoseNoUpdate) {
  std::atomic<int64_t> counter{0};
  std::atomic<bool> seen_single_threaded{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&counter, &seen_single_threaded] {
      if (detail::process_is_single_threaded()) seen_single_threaded = true;
      for (int i = 0; i < 50000; ++i) detail::counter_add(counter, int64_t{1});
    });
  for (std::thread& t : threads) t.join();
  EXPECT_FALSE(seen_single_threaded.load());  // read where a second thread surely runs
  EXPECT_EQ(counter.load(), 200000);
}

// In a fresh process (the threadsafe death-test style re-executes the test
// binary): single-threaded until the body starts a thread, multi-threaded
// while it runs, and no update is lost across the change.
[[noreturn]] void AddAcrossTheFirstThread() {
  std::atomic<int64_t> counter{0};
  if (!detail::process_is_single_threaded()) {
    std::fprintf(stderr, "the process already had a second thread\n");
    std::exit(2);
  }
  for (int i = 0; i < 1000; ++i) detail::counter_add(counter, int64_t{1});
  std::thread other([&counter] {
    for (int i = 0; i < 50000; ++i) detail::counter_add(counter, int64_t{1});
  });
  const bool single_while_running = detail::process_is_single_threaded();
  for (int i = 0; i < 50000; ++i) detail::counter_add(counter, int64_t{1});
  other.join();
  if (single_while_running) {
    std::fprintf(stderr, "single-threaded while a second thread ran\n");
    std::exit(3);
  }
  if (counter.load() != 101000) {
    std::fprintf(stderr, "counter %lld, expected 101000\n", static_cast<long long>(counter.load()));
    std::exit(4);
  }
  std::exit(0);
}

TEST(CounterAddDeathTest, NoUpdateIsLostWhenTheFirstThreadStarts) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(AddAcrossTheFirstThread(), testing::ExitedWithCode(0), "");
}

}  // namespace
}  // namespace ember
