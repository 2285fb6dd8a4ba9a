// Allocator: where a Storage's bytes come from, and how they go back.
//
// An allocation is a DataPtr: the data pointer plus the function and context
// that free it, so memory from any source (the CPU allocator, from_blob with a
// user deleter) is released the same way. The default CPU allocator returns
// 64-byte aligned memory (a cache line, and the widest AVX-512 load) and keeps
// process-wide counts of the bytes it has handed out, which tests and
// benchmarks read through memory_stats(). Freed blocks of 1 MB or more are
// kept (up to 512 MB) and reused by later requests of a similar size, which
// spares large elementwise ops the page faults of fresh memory;
// empty_cache() releases them.
//
//   ember::DataPtr p = ember::cpu_allocator()->allocate(1024);
//   ember::memory_stats().current_bytes;   // >= 1024 while p lives
//   ember::reset_peak_memory_stats();
#ifndef EMBER_TENSOR_ALLOCATOR_H_
#define EMBER_TENSOR_ALLOCATOR_H_

#include <cstddef>
#include <cstdint>

namespace ember {

using DeleterFn = void (*)(void* ctx);

// Owns one allocation: on destruction calls deleter(ctx) (when deleter is set).
class DataPtr final {
 public:
  DataPtr() = default;
  DataPtr(void* data, void* ctx, DeleterFn deleter) : data_(data), ctx_(ctx), deleter_(deleter) {}
  DataPtr(const DataPtr&) = delete;
  DataPtr& operator=(const DataPtr&) = delete;
  DataPtr(DataPtr&& other) noexcept : data_(other.data_), ctx_(other.ctx_), deleter_(other.deleter_) {
    other.data_ = other.ctx_ = nullptr;
    other.deleter_ = nullptr;
  }
  DataPtr& operator=(DataPtr&& other) noexcept {
    if (this != &other) {
      clear();
      data_ = other.data_;
      ctx_ = other.ctx_;
      deleter_ = other.deleter_;
      other.data_ = other.ctx_ = nullptr;
      other.deleter_ = nullptr;
    }
    return *this;
  }
  ~DataPtr() { clear(); }

  void* get() const { return data_; }
  void* context() const { return ctx_; }
  DeleterFn deleter() const { return deleter_; }
  void clear() {
    if (deleter_ != nullptr) deleter_(ctx_);
    data_ = ctx_ = nullptr;
    deleter_ = nullptr;
  }

 private:
  void* data_ = nullptr;
  void* ctx_ = nullptr;
  DeleterFn deleter_ = nullptr;
};

class Allocator {
 public:
  virtual ~Allocator() = default;
  virtual DataPtr allocate(size_t nbytes) = 0;
};

// The process-wide CPU allocator (thread-safe).
Allocator* cpu_allocator();

constexpr size_t kCpuAlignment = 64;

struct MemoryStats {
  int64_t current_bytes = 0;     // Bytes allocated by the CPU allocator and not yet freed.
  int64_t peak_bytes = 0;        // The largest current_bytes since the last reset.
  int64_t cached_bytes = 0;      // Freed large blocks kept for reuse (not in current_bytes).
};

// The CPU allocator's counts. Process-wide, so concurrent tests see each other.
MemoryStats memory_stats();
// Sets peak_bytes to current_bytes.
void reset_peak_memory_stats();
// Returns the cached large blocks (see Note [Large block cache]) to the system.
void empty_cache();

}  // namespace ember

#endif  // EMBER_TENSOR_ALLOCATOR_H_
