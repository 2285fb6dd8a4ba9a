// SizesAndStrides: a TensorImpl's sizes and strides in one block, with one
// length for both and up to 5 dims inline (PyTorch's c10::impl::
// SizesAndStrides).
//
// Why not two DimVectors: each carries a data pointer, a size and a capacity,
// so making a tensor wrote six header words where one length will do, and a
// TensorImpl was 40 bytes larger. Every op makes a TensorImpl, and on the
// cheapest path (a view of an inference tensor) the next atomic reference-
// count update waits for the construction's stores to drain (measured on the
// 2-core AMD EPYC CI machine: 24 stores between a storage's increment and
// decrement add about 3 ns to their 10 ns).
//
//   ember::SizesAndStrides g;                 // 0-dim
//   g.set_contiguous({2, 3});                 // sizes [2, 3], strides [3, 1]
//   g.sizes();                                // IntArrayRef
//   std::swap(g.size_data()[0], g.size_data()[1]);
#ifndef EMBER_TENSOR_SIZES_AND_STRIDES_H_
#define EMBER_TENSOR_SIZES_AND_STRIDES_H_

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>

#include "tensor/array_ref.h"

namespace ember {

class SizesAndStrides final {
 public:
  static constexpr size_t kInlineDims = 5;

  SizesAndStrides() = default;
  // `sizes` and their contiguous strides, for a new tensor: each word is
  // written once, with no check against this object's old contents.
  struct Contiguous {};
  SizesAndStrides(Contiguous, IntArrayRef sizes) : dim_(sizes.size()) {
    if (!is_inline()) heap_ = allocate(dim_);
    write_contiguous(sizes);
  }
  SizesAndStrides(const SizesAndStrides& other) : dim_(other.dim_) {
    if (other.is_inline()) {
      // Only the dims in use: a handful of words, not the whole inline block.
      for (size_t i = 0; i < dim_; ++i) {
        inline_[i] = other.inline_[i];
        inline_[kInlineDims + i] = other.inline_[kInlineDims + i];
      }
    } else {
      heap_ = allocate(dim_);
      std::memcpy(heap_, other.heap_, 2 * dim_ * sizeof(int64_t));
    }
  }
  SizesAndStrides& operator=(const SizesAndStrides& other) {
    if (this != &other) set(other.sizes(), other.strides());
    return *this;
  }
  ~SizesAndStrides() {
    if (!is_inline()) std::free(heap_);
  }

  size_t dim() const { return dim_; }
  IntArrayRef sizes() const { return IntArrayRef(size_data(), dim_); }
  IntArrayRef strides() const { return IntArrayRef(stride_data(), dim_); }
  int64_t* size_data() { return is_inline() ? inline_ : heap_; }
  int64_t* stride_data() { return is_inline() ? inline_ + kInlineDims : heap_ + dim_; }
  const int64_t* size_data() const { return is_inline() ? inline_ : heap_; }
  const int64_t* stride_data() const { return is_inline() ? inline_ + kInlineDims : heap_ + dim_; }

  // Sets both. Either may be this object's own sizes or strides (or a part
  // of them); their lengths must match.
  void set(IntArrayRef sizes, IntArrayRef strides) {
    size_t n = sizes.size();
    if (overlaps(sizes) || overlaps(strides)) {
      SizesAndStrides copy;
      copy.set(sizes, strides);
      swap(copy);
      return;
    }
    resize_for_overwrite(n);
    int64_t* sz = size_data();
    int64_t* st = stride_data();
    for (size_t i = 0; i < n; ++i) {
      sz[i] = sizes[i];
      st[i] = strides[i];
    }
  }

  // Sets the sizes and their contiguous strides, and returns the element
  // count. One pass, each word written once. `sizes` may be this object's
  // own sizes.
  int64_t set_contiguous(IntArrayRef sizes) {
    if (overlaps(sizes)) {
      SizesAndStrides copy;
      int64_t numel = copy.set_contiguous(sizes);
      swap(copy);
      return numel;
    }
    resize_for_overwrite(sizes.size());
    return write_contiguous(sizes);
  }

  void swap(SizesAndStrides& other) noexcept {
    // Trivially relocatable: the heap pointer or the inline words move as bytes.
    unsigned char tmp[sizeof(SizesAndStrides)];
    std::memcpy(tmp, static_cast<void*>(this), sizeof(SizesAndStrides));
    std::memcpy(static_cast<void*>(this), static_cast<const void*>(&other), sizeof(SizesAndStrides));
    std::memcpy(static_cast<void*>(&other), tmp, sizeof(SizesAndStrides));
  }

 private:
  bool is_inline() const { return dim_ <= kInlineDims; }
  static int64_t* allocate(size_t dim) {
    auto* p = static_cast<int64_t*>(std::malloc(2 * dim * sizeof(int64_t)));
    if (p == nullptr) throw std::bad_alloc();
    return p;
  }
  // Whether `values` points into this object's storage.
  bool overlaps(IntArrayRef values) const {
    if (values.empty()) return false;
    const int64_t* begin = is_inline() ? inline_ : heap_;
    const int64_t* end = begin + (is_inline() ? 2 * kInlineDims : 2 * dim_);
    return !(values.end() <= begin || values.begin() >= end);
  }
  // Writes `sizes` (dim_ of them) and their contiguous strides; returns numel.
  int64_t write_contiguous(IntArrayRef sizes) {
    int64_t* sz = size_data();
    int64_t* st = stride_data();
    int64_t running = 1;
    int64_t numel = 1;
    for (size_t i = dim_; i-- > 0;) {
      int64_t s = sizes[i];
      sz[i] = s;
      st[i] = running;
      numel *= s;
      running *= s > 1 ? s : 1;
    }
    return numel;
  }
  // Makes room for `dim` dims; the values are then unspecified.
  void resize_for_overwrite(size_t dim) {
    if (dim <= kInlineDims) {
      if (!is_inline()) std::free(heap_);
    } else if (dim != dim_) {
      int64_t* fresh = allocate(dim);
      if (!is_inline()) std::free(heap_);
      heap_ = fresh;
    }
    dim_ = dim;
  }

  size_t dim_ = 0;
  union {
    int64_t inline_[2 * kInlineDims];  // sizes, then strides
    int64_t* heap_;                    // 2 * dim_ words: sizes, then strides
  };
};

}  // namespace ember

#endif  // EMBER_TENSOR_SIZES_AND_STRIDES_H_
