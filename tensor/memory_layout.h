// Memory layouts: the order in which an op lays out the elements it makes.
//
// LibTorch does not make every result contiguous. An elementwise op keeps the
// dim order of its inputs (x.t() * 2 is laid out as x.t() is), clone() and the
// *_like factories keep their argument's strides, and only contiguous(),
// reductions, mm and cat start from row-major order. Code that later calls
// view() or reads strides() sees the difference, so Ember follows the same
// rules; these functions compute them from sizes and strides alone.
//
//   DimVector s = ember::detail::elementwise_output_strides({4, 3}, {{x.sizes(), x.strides()}});
//   ember::Tensor y = x.clone(ember::MemoryFormat::Contiguous);
#ifndef EMBER_TENSOR_MEMORY_LAYOUT_H_
#define EMBER_TENSOR_MEMORY_LAYOUT_H_

#include <cstdint>
#include <initializer_list>
#include <ostream>

#include "tensor/array_ref.h"

namespace ember {

// LibTorch's c10::MemoryFormat: how clone() lays out its copy. Preserve keeps
// the argument's strides when they tile memory densely, else its dim order.
// ChannelsLast (rank 4: NHWC in memory) and ChannelsLast3d (rank 5: NDHWC).
enum class MemoryFormat : int8_t { Contiguous, Preserve, ChannelsLast, ChannelsLast3d };

std::ostream& operator<<(std::ostream& out, MemoryFormat format);

namespace detail {

// One operand's geometry.
struct Geometry {
  IntArrayRef sizes;
  IntArrayRef strides;
};

// TensorIterator's dim order, innermost first: an insertion sort from
// row-major order that steps over pairs it has no opinion on.
// should_swap(dim0, dim1) is 1 when dim0 goes outside dim1, -1 when inside,
// 0 for no opinion (a broadcast or stride-0 dim).
template <class ShouldSwap>
DimVector sort_dims_innermost_first(int64_t ndim, ShouldSwap should_swap) {
  DimVector perm(ndim);
  for (int64_t i = 0; i < ndim; ++i) perm[i] = ndim - 1 - i;
  for (int64_t i = 1; i < ndim; ++i) {
    int64_t dim1 = i;
    for (int64_t dim0 = i - 1; dim0 >= 0; --dim0) {
      const int comparison = should_swap(perm[dim0], perm[dim1]);
      if (comparison > 0) {
        const int64_t t = perm[dim0];
        perm[dim0] = perm[dim1];
        perm[dim1] = t;
        dim1 = dim0;
      } else if (comparison < 0) {
        break;
      }
    }
  }
  return perm;
}

// PyTorch's rule: dims of size 1 may have any stride; no elements is contiguous.
bool is_contiguous(IntArrayRef sizes, IntArrayRef strides);
// Whether the elements tile one block of memory exactly, in some dim order.
bool is_non_overlapping_and_dense(IntArrayRef sizes, IntArrayRef strides);
// Whether a rank 4 (5) tensor is dense in NHWC (NDHWC) order; false for other ranks.
bool is_channels_last_contiguous(IntArrayRef sizes, IntArrayRef strides);
bool is_channels_last_3d_contiguous(IntArrayRef sizes, IntArrayRef strides);

// Dense strides of `sizes` in `format`; throws LibTorch's rank message for a
// channels-last format of the wrong rank. Not for Preserve.
DimVector strides_for(IntArrayRef sizes, MemoryFormat format);

// LibTorch's suggest_memory_format(): ChannelsLast(3d) when the strides order
// the dims as NHWC (NDHWC) does, else Contiguous.
MemoryFormat suggest_memory_format(IntArrayRef sizes, IntArrayRef strides);

// Dense strides with the dim order of `strides` (LibTorch's
// infer_dense_strides): dims sorted by stride, ties by size; a dim of stride
// 0 stays where row-major order puts it.
DimVector infer_dense_strides(IntArrayRef sizes, IntArrayRef strides);

// The strides of a clone / to() / *_like copy of (sizes, strides) under
// MemoryFormat::Preserve: the same strides when they are dense, else
// infer_dense_strides.
DimVector preserved_strides(IntArrayRef sizes, IntArrayRef strides);

// The strides LibTorch's TensorIterator gives the output it allocates for an
// elementwise op over `inputs` (in argument order) broadcast to `shape`.
// `has_scalar`: the op has a Scalar argument too (LibTorch wraps it in a
// 0-dim tensor, which takes the op off the same-shape fast path).
//   - all inputs of `shape`, all contiguous: contiguous;
//   - ... all channels-last (rank 4): channels-last;
//   - ... all dense with equal strides: those strides;
//   - otherwise the dims are ordered by the inputs' strides, the first input
//     that orders a pair deciding it, broadcast dims never deciding.
DimVector elementwise_output_strides(IntArrayRef shape, std::initializer_list<Geometry> inputs,
                                     bool has_scalar = false);

}  // namespace detail
}  // namespace ember

#endif  // EMBER_TENSOR_MEMORY_LAYOUT_H_
