#include "tensor/intrusive_ptr.h"

#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "tensor/single_threaded.h"

namespace ember {
namespace {

struct Counted final : intrusive_ptr_target {
  explicit Counted(int* destroyed) : destroyed(destroyed) {}
  ~Counted() { ++*destroyed; }
  int* destroyed;
};

TEST(IntrusivePtrTest, CopiesShareOneCount) {
  int destroyed = 0;
  intrusive_ptr<Counted> a = make_intrusive<Counted>(&destroyed);
  intrusive_ptr<Counted> b = a;
  intrusive_ptr<Counted> c(a.get());
  EXPECT_EQ(a.use_count(), 3u);
  b.reset();
  EXPECT_EQ(a.use_count(), 2u);
  EXPECT_EQ(destroyed, 0);
}

TEST(IntrusivePtrTest, MoveTakesTheReferenceWithoutCounting) {
  int destroyed = 0;
  intrusive_ptr<Counted> a = make_intrusive<Counted>(&destroyed);
  intrusive_ptr<Counted> b = std::move(a);
  EXPECT_FALSE(a);
  EXPECT_EQ(b.use_count(), 1u);
}

TEST(IntrusivePtrTest, TheLastReferenceDeletesOnce) {
  int destroyed = 0;
  intrusive_ptr<Counted> a = make_intrusive<Counted>(&destroyed);
  intrusive_ptr<Counted> b = a;
  a.reset();
  EXPECT_EQ(destroyed, 0);
  b = intrusive_ptr<Counted>();
  EXPECT_EQ(destroyed, 1);
}

TEST(IntrusivePtrTest, ACopiedTargetStartsWithItsOwnCount) {
  int destroyed = 0;
  intrusive_ptr<Counted> a = make_intrusive<Counted>(&destroyed);
  intrusive_ptr<Counted> keep = a;
  intrusive_ptr<Counted> copy = make_intrusive<Counted>(*a);
  EXPECT_EQ(copy.use_count(), 1u);
  EXPECT_EQ(a.use_count(), 2u);
}

// Copies and drops one object from several threads at once: the count ends
// exact and the object is deleted once.
void CopyAndDropConcurrently(intrusive_ptr<Counted> shared, int threads, int rounds) {
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t)
    workers.emplace_back([shared, rounds] {
      for (int i = 0; i < rounds; ++i) {
        intrusive_ptr<Counted> copy = shared;
        intrusive_ptr<Counted> second(copy.get());
      }
    });
  for (std::thread& w : workers) w.join();
}

TEST(IntrusivePtrTest, CountsStayExactWhenThreadsCopyAndDropOneObject) {
  int destroyed = 0;
  intrusive_ptr<Counted> a = make_intrusive<Counted>(&destroyed);
  CopyAndDropConcurrently(a, 4, 20000);
  EXPECT_EQ(a.use_count(), 1u);
  a.reset();
  EXPECT_EQ(destroyed, 1);
}

// Run in a fresh process (the threadsafe death-test style re-executes the test
// binary), which has one thread until the body starts one: the references
// counted before it, with plain stores, must stay exact once counting turns
// atomic. Exits 0 when they do; otherwise prints what was wrong.
[[noreturn]] void CountAcrossTheFirstThread() {
  if (!detail::process_is_single_threaded()) {
    std::fprintf(stderr, "the process already had a second thread\n");
    std::exit(2);
  }
  int destroyed = 0;
  intrusive_ptr<Counted> a = make_intrusive<Counted>(&destroyed);
  std::vector<intrusive_ptr<Counted>> before(1000, a);  // counted with plain stores
  CopyAndDropConcurrently(a, 2, 20000);
  if (a.use_count() != 1001) {
    std::fprintf(stderr, "count %u, expected 1001\n", a.use_count());
    std::exit(3);
  }
  before.clear();
  a.reset();
  if (destroyed != 1) {
    std::fprintf(stderr, "destroyed %d times\n", destroyed);
    std::exit(4);
  }
  std::exit(0);
}

TEST(IntrusivePtrDeathTest, CountsTakenBeforeTheFirstThreadStayExactAfterIt) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(CountAcrossTheFirstThread(), testing::ExitedWithCode(0), "");
}

}  // namespace
}  // namespace ember
