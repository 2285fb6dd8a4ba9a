#include "tensor/allocator.h"

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <new>

namespace ember {
namespace {

std::atomic<int64_t> current_bytes{0};
std::atomic<int64_t> peak_bytes{0};

// Layout of a block: malloc'd at `raw` (16-byte aligned), the data starts at
// the first 64-byte boundary at least 16 bytes in; the size is kept at `raw`
// so the deleter can update the counts without a lookup. malloc + manual
// alignment rather than aligned_alloc: glibc serves small mallocs from its
// per-thread cache, while memalign takes the slow path and fragments the heap
// (measured: a third of a small op's time went to memalign/free).
constexpr size_t kHeader = 16;

void cpu_delete(void* raw) {
  if (raw == nullptr) return;
  size_t nbytes = *static_cast<size_t*>(raw);
  current_bytes.fetch_sub(static_cast<int64_t>(nbytes), std::memory_order_relaxed);
  std::free(raw);
}

class CpuAllocator final : public Allocator {
 public:
  DataPtr allocate(size_t nbytes) override {
    void* raw = std::malloc(nbytes + kHeader + kCpuAlignment - 1);
    if (raw == nullptr) throw std::bad_alloc();
    *static_cast<size_t*>(raw) = nbytes;
    uintptr_t data = (reinterpret_cast<uintptr_t>(raw) + kHeader + kCpuAlignment - 1) & ~(kCpuAlignment - 1);
    int64_t now = current_bytes.fetch_add(static_cast<int64_t>(nbytes), std::memory_order_relaxed) +
                  static_cast<int64_t>(nbytes);
    // One read-modify-write per allocation; the peak is only written when it grows.
    int64_t peak = peak_bytes.load(std::memory_order_relaxed);
    while (now > peak && !peak_bytes.compare_exchange_weak(peak, now, std::memory_order_relaxed)) {
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
  return stats;
}

void reset_peak_memory_stats() {
  peak_bytes.store(current_bytes.load(std::memory_order_relaxed), std::memory_order_relaxed);
}

}  // namespace ember
