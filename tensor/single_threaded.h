// Counting without atomics while the process has one thread.
//
// Note [Counting without atomics in a single-threaded process]
// A lock-prefixed increment and decrement were 10 of the 16 ns of an
// InferenceMode view() (the storage's reference count), and two more went to
// the allocator's byte count on every tensor made. While the process has one
// thread, no other thread can touch a count, so a plain load and store do:
// glibc's __libc_single_threaded is true until the first pthread_create
// (GCC's std::shared_ptr makes the same choice on it). pthread_create orders
// every plain update before it with the new thread's first access, and every
// count is updated atomically from then on. A program that never starts a
// thread (a single-threaded server worker, OMP_NUM_THREADS=1 with no pool)
// gets the plain path; any other pays a load and a predictable branch per
// update.
//
//   std::atomic<int64_t> bytes{0};
//   ember::detail::counter_add(bytes, int64_t{64});   // 64, atomically or not
#ifndef EMBER_TENSOR_SINGLE_THREADED_H_
#define EMBER_TENSOR_SINGLE_THREADED_H_

#include <atomic>

#if __has_include(<sys/single_threaded.h>)
#include <sys/single_threaded.h>
#define EMBER_HAS_LIBC_SINGLE_THREADED 1
#endif

namespace ember {
namespace detail {

// Whether the process has never started a second thread. Without glibc 2.32,
// false: every count is atomic.
inline bool process_is_single_threaded() noexcept {
#ifdef EMBER_HAS_LIBC_SINGLE_THREADED
  return __libc_single_threaded != 0;
#else
  return false;
#endif
}

// Adds `delta` to a counter with relaxed ordering and returns the new value.
template <class T>
T counter_add(std::atomic<T>& counter, T delta) noexcept {
  if (process_is_single_threaded()) {
    T now = counter.load(std::memory_order_relaxed) + delta;
    counter.store(now, std::memory_order_relaxed);
    return now;
  }
  return counter.fetch_add(delta, std::memory_order_relaxed) + delta;
}

}  // namespace detail
}  // namespace ember

#endif  // EMBER_TENSOR_SINGLE_THREADED_H_
