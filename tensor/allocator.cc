#include "tensor/allocator.h"

#include <atomic>
#include <cstdlib>
#include <new>

namespace ember {
namespace {

std::atomic<int64_t> current_bytes{0};
std::atomic<int64_t> peak_bytes{0};
std::atomic<int64_t> allocation_count{0};

// The context carries the size so that the deleter can update the counts
// without a lookup: [size header | 56 bytes padding | data...].
constexpr size_t kHeader = kCpuAlignment;

void cpu_delete(void* ctx) {
  if (ctx == nullptr) return;
  size_t nbytes = *static_cast<size_t*>(ctx);
  current_bytes.fetch_sub(static_cast<int64_t>(nbytes), std::memory_order_relaxed);
  std::free(ctx);
}

class CpuAllocator final : public Allocator {
 public:
  DataPtr allocate(size_t nbytes) override {
    // aligned_alloc wants a multiple of the alignment; round up (and keep
    // zero-byte tensors backed by a real, freeable block).
    size_t rounded = (nbytes + kHeader + kCpuAlignment - 1) / kCpuAlignment * kCpuAlignment;
    void* block = std::aligned_alloc(kCpuAlignment, rounded);
    if (block == nullptr) throw std::bad_alloc();
    *static_cast<size_t*>(block) = nbytes;
    int64_t now = current_bytes.fetch_add(static_cast<int64_t>(nbytes), std::memory_order_relaxed) +
                  static_cast<int64_t>(nbytes);
    int64_t peak = peak_bytes.load(std::memory_order_relaxed);
    while (now > peak && !peak_bytes.compare_exchange_weak(peak, now, std::memory_order_relaxed)) {
    }
    allocation_count.fetch_add(1, std::memory_order_relaxed);
    return DataPtr(static_cast<char*>(block) + kHeader, block, &cpu_delete);
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
  stats.allocation_count = allocation_count.load(std::memory_order_relaxed);
  return stats;
}

void reset_peak_memory_stats() {
  peak_bytes.store(current_bytes.load(std::memory_order_relaxed), std::memory_order_relaxed);
  allocation_count.store(0, std::memory_order_relaxed);
}

}  // namespace ember
