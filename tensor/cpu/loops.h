// StridedLoop: walks up to four broadcast operands of one shape together,
// handing an inner loop runs of elements (a small TensorIterator).
//
// Each operand is aligned to the output shape from the right; a dim it lacks
// or has as size 1 gets stride 0 (broadcasting). The dims are visited in
// memory order, as LibTorch's TensorIterator orders them (by the operands'
// strides, the output's first), so that a transposed output is written
// front to back and an in-place op whose input overlaps its output reads
// what LibTorch's reads. Size-1 dims are dropped and adjacent dims that are
// contiguous in every operand are merged, so contiguous operands become one
// run of numel() elements and the inner loop can be the plain, vectorisable
// `for (i) out[i] = f(a[i], b[i])`.
//
//   StridedLoop loop(out.sizes(), {operand(out), operand(a), operand(b)});
//   loop.run([](char** ptrs, const int64_t* byte_strides, int64_t n) { ... });
#ifndef EMBER_TENSOR_CPU_LOOPS_H_
#define EMBER_TENSOR_CPU_LOOPS_H_

#include <cstdint>
#include <initializer_list>

#include "tensor/array_ref.h"
#include "tensor/tensor.h"

namespace ember {
namespace cpu {

struct Operand {
  char* data;
  IntArrayRef sizes;
  IntArrayRef strides;  // In elements.
  int64_t itemsize;
};

inline Operand operand(const Tensor& t) {
  return Operand{static_cast<char*>(t.data_ptr()), t.sizes(), t.strides(), static_cast<int64_t>(t.itemsize())};
}

// A single value broadcast to any shape (stride 0 everywhere).
inline Operand scalar_operand(void* value, int64_t itemsize) { return Operand{static_cast<char*>(value), {}, {}, itemsize}; }

class StridedLoop {
 public:
  static constexpr int kMaxOperands = 4;
  // kMemory: the order described above. kRowMajor: the last dim innermost,
  // whatever the strides (integer sums use it; floating sums follow
  // LibTorch's own order, see reduce.cc).
  enum class Order { kMemory, kRowMajor };

  StridedLoop(IntArrayRef shape, std::initializer_list<Operand> operands, Order order = Order::kMemory) {
    num_ = static_cast<int>(operands.size());
    int k = 0;
    for (const Operand& op : operands) data_[k++] = op.data;
    numel_ = 1;
    for (int64_t s : shape) numel_ *= s;
    const int64_t nd = static_cast<int64_t>(shape.size());
    // Each operand's byte stride in each dim of `shape`, 0 where broadcast.
    auto stride_of = [&](const Operand& op, int64_t d) -> int64_t {
      int64_t od = d - (nd - static_cast<int64_t>(op.sizes.size()));
      return (od < 0 || (op.sizes[od] == 1 && shape[d] != 1)) ? 0 : op.strides[od] * op.itemsize;
    };
    // The dims innermost first: TensorIterator's reorder_dimensions, in
    // which the first operand with a strict order between two dims decides,
    // a broadcast dim never decides, and equal strides put the smaller dim
    // inside.
    const DimVector perm = detail::sort_dims_innermost_first(nd, [&](int64_t dim0, int64_t dim1) {
      if (order == Order::kRowMajor) return 0;
      for (const Operand& op : operands) {
        const int64_t s0 = stride_of(op, dim0), s1 = stride_of(op, dim1);
        if (s0 == 0 || s1 == 0) continue;
        if (s0 != s1) return s0 < s1 ? -1 : 1;
        if (shape[dim0] > shape[dim1]) return 1;
      }
      return 0;
    });
    for (int64_t d : perm) {
      int64_t size = shape[d];
      if (size == 1) continue;
      int64_t st[kMaxOperands] = {};
      k = 0;
      for (const Operand& op : operands) st[k++] = stride_of(op, d);
      size_t last = shape_.size();
      bool merge = last > 0;
      for (int i = 0; merge && i < num_; ++i) merge = st[i] == shape_[last - 1] * strides_[i][last - 1];
      if (merge) {
        shape_[last - 1] *= size;
      } else {
        shape_.push_back(size);
        for (int i = 0; i < num_; ++i) strides_[i].push_back(st[i]);
      }
    }
  }

  int64_t numel() const { return numel_; }
  int ndim() const { return static_cast<int>(shape_.size()); }

  // inner(char** ptrs, const int64_t* byte_strides, int64_t n) for each run.
  template <class F>
  void run(F&& inner) const {
    if (numel_ == 0) return;
    char* ptrs[kMaxOperands] = {};
    int64_t inner_strides[kMaxOperands] = {};
    for (int i = 0; i < num_; ++i) ptrs[i] = data_[i];
    if (shape_.empty()) {
      inner(ptrs, inner_strides, int64_t{1});
      return;
    }
    for (int i = 0; i < num_; ++i) inner_strides[i] = strides_[i][0];
    int64_t n = shape_[0];
    size_t nd = shape_.size();
    if (nd == 1) {
      inner(ptrs, inner_strides, n);
      return;
    }
    // Odometer over the outer dims (1 .. nd-1, innermost first).
    DimVector counter(nd, 0);
    while (true) {
      inner(ptrs, inner_strides, n);
      size_t d = 1;
      for (; d < nd; ++d) {
        for (int i = 0; i < num_; ++i) ptrs[i] += strides_[i][d];
        if (++counter[d] < shape_[d]) break;
        for (int i = 0; i < num_; ++i) ptrs[i] -= strides_[i][d] * shape_[d];
        counter[d] = 0;
      }
      if (d == nd) return;
    }
  }

 private:
  int num_ = 0;
  int64_t numel_ = 1;
  char* data_[kMaxOperands] = {};
  DimVector shape_;  // Innermost first, size-1 dims dropped, contiguous dims merged.
  DimVector strides_[kMaxOperands];  // In bytes.
};

// Calls f(T{}) with T the C++ type of `dtype`.
template <class F>
decltype(auto) dispatch_dtype(ScalarType dtype, F&& f) {
  switch (dtype) {
    case kFloat:
      return f(float{});
    case kDouble:
      return f(double{});
    case kLong:
      return f(int64_t{});
    case kBool:
      break;
  }
  return f(bool{});
}

}  // namespace cpu
}  // namespace ember

#endif  // EMBER_TENSOR_CPU_LOOPS_H_
