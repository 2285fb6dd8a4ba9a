#include "tensor/allocator.h"

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <mutex>

#include "tensor/check.h"
#include "tensor/single_threaded.h"

namespace ember {
namespace {

std::atomic<int64_t> current_bytes{0};
std::atomic<int64_t> peak_bytes{0};
std::atomic<int64_t> cached_bytes{0};

// Layout of a block: malloc'd at `raw`, the data starts at the first 64-byte
// boundary at least kHeader bytes in. The header holds the requested size and
// the malloc'd size, so the deleter needs no lookup. malloc + manual
// alignment rather than aligned_alloc: glibc serves small mallocs from its
// per-thread cache, while memalign takes the slow path and fragments the heap
// (measured: a third of a small op's time went to memalign/free).
constexpr size_t kHeader = 16;
struct Header {
  size_t nbytes;
  size_t capacity;  // Bytes malloc'd for the whole block.
};

// Note [Large block cache]
// A large block freed by one op is usually requested again by the next op of
// the same shape (y = a + b in a loop). glibc returns blocks above its mmap
// threshold to the kernel on free, so every such op paid for page faults on
// fresh memory: a + b on 16M floats ran at a fifth of the memory bandwidth a
// loop into a reused buffer gets. Blocks of at least kLargeBlock bytes are
// therefore kept (up to kMaxCachedBytes, kMaxEntries blocks) and handed out
// again for requests they fit without wasting more than half. Only this path
// takes a lock; small allocations never see it. empty_cache() releases them.
constexpr size_t kLargeBlock = size_t{1} << 20;
constexpr size_t kMaxCachedBytes = size_t{512} << 20;
constexpr int kMaxEntries = 8;

class LargeBlockCache {
 public:
  // A cached block of capacity in [need, 2 * need], or null.
  void* take(size_t need) {
    std::lock_guard<std::mutex> lock(mutex_);
    int best = -1;
    for (int i = 0; i < count_; ++i) {
      size_t cap = static_cast<Header*>(blocks_[i])->capacity;
      if (cap >= need && cap <= 2 * need &&
          (best < 0 || cap < static_cast<Header*>(blocks_[best])->capacity)) {
        best = i;
      }
    }
    if (best < 0) return nullptr;
    void* raw = blocks_[best];
    blocks_[best] = blocks_[--count_];
    cached_bytes.fetch_sub(static_cast<int64_t>(static_cast<Header*>(raw)->capacity), std::memory_order_relaxed);
    return raw;
  }
  // Keeps `raw` if there is room; false if the caller must free it.
  bool put(void* raw) {
    size_t cap = static_cast<Header*>(raw)->capacity;
    std::lock_guard<std::mutex> lock(mutex_);
    if (count_ == kMaxEntries ||
        static_cast<size_t>(cached_bytes.load(std::memory_order_relaxed)) + cap > kMaxCachedBytes) {
      return false;
    }
    blocks_[count_++] = raw;
    cached_bytes.fetch_add(static_cast<int64_t>(cap), std::memory_order_relaxed);
    return true;
  }
  void clear() {
    std::lock_guard<std::mutex> lock(mutex_);
    for (int i = 0; i < count_; ++i) {
      cached_bytes.fetch_sub(static_cast<int64_t>(static_cast<Header*>(blocks_[i])->capacity),
                             std::memory_order_relaxed);
      std::free(blocks_[i]);
    }
    count_ = 0;
  }

 private:
  std::mutex mutex_;
  void* blocks_[kMaxEntries] = {};
  int count_ = 0;
};

// Never destroyed: tensors in static storage may be freed after any static
// destructor has run. Cached blocks stay reachable from here (no leak report).
LargeBlockCache& large_blocks() {
  static LargeBlockCache* cache = new LargeBlockCache;
  return *cache;
}

// LibTorch's message, then what Ember knows: what tensors hold already.
[[noreturn]] __attribute__((noinline, cold)) void fail_allocation(size_t nbytes, int error) {
  if (error == 0) error = ENOMEM;
  detail::fail("DefaultCPUAllocator: can't allocate memory: you tried to allocate ", nbytes, " bytes. Error code ",
               error, " (", std::strerror(error), ") (Ember: tensors hold ",
               current_bytes.load(std::memory_order_relaxed),
               " bytes now. Make the tensor smaller, or free tensors you no longer need.)");
}

void cpu_delete(void* raw) {
  if (raw == nullptr) return;
  const Header* h = static_cast<const Header*>(raw);
  detail::counter_add(current_bytes, -static_cast<int64_t>(h->nbytes));
  if (h->capacity >= kLargeBlock && large_blocks().put(raw)) return;
  std::free(raw);
}

class CpuAllocator final : public Allocator {
 public:
  DataPtr allocate(size_t nbytes) override {
    if (nbytes > SIZE_MAX - kHeader - kCpuAlignment) fail_allocation(nbytes, ENOMEM);
    size_t capacity = nbytes + kHeader + kCpuAlignment - 1;
    void* raw = capacity >= kLargeBlock ? large_blocks().take(capacity) : nullptr;
    if (raw == nullptr) {
      raw = std::malloc(capacity);
      if (raw == nullptr && capacity >= kLargeBlock) {
        // The cached blocks may be what stands between this request and the
        // memory it needs: give them back and ask once more.
        large_blocks().clear();
        raw = std::malloc(capacity);
      }
      if (raw == nullptr) fail_allocation(nbytes, errno);
      static_cast<Header*>(raw)->capacity = capacity;
    }
    static_cast<Header*>(raw)->nbytes = nbytes;
    uintptr_t data = (reinterpret_cast<uintptr_t>(raw) + kHeader + kCpuAlignment - 1) & ~(kCpuAlignment - 1);
    int64_t now = detail::counter_add(current_bytes, static_cast<int64_t>(nbytes));
    // The peak is only written when it grows.
    int64_t peak = peak_bytes.load(std::memory_order_relaxed);
    if (now > peak && detail::process_is_single_threaded()) {
      peak_bytes.store(now, std::memory_order_relaxed);
    } else {
      while (now > peak && !peak_bytes.compare_exchange_weak(peak, now, std::memory_order_relaxed)) {
      }
    }
    return DataPtr(reinterpret_cast<void*>(data), raw, &cpu_delete);
  }
};

}  // namespace

Allocator* cpu_allocator() {
  static CpuAllocator allocator;
  return &allocator;
}

MemoryStats memory_stats() {
  MemoryStats stats;
  stats.current_bytes = current_bytes.load(std::memory_order_relaxed);
  stats.peak_bytes = peak_bytes.load(std::memory_order_relaxed);
  stats.cached_bytes = cached_bytes.load(std::memory_order_relaxed);
  return stats;
}

void reset_peak_memory_stats() {
  peak_bytes.store(current_bytes.load(std::memory_order_relaxed), std::memory_order_relaxed);
}

void empty_cache() { large_blocks().clear(); }

}  // namespace ember
