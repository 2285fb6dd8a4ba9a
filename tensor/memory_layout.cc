#include "tensor/memory_layout.h"

#include <algorithm>

#include "tensor/check.h"

namespace ember {

std::ostream& operator<<(std::ostream& out, MemoryFormat format) {
  switch (format) {
    case MemoryFormat::Contiguous:
      return out << "Contiguous";
    case MemoryFormat::Preserve:
      return out << "Preserve";
    case MemoryFormat::ChannelsLast:
      return out << "ChannelsLast";
    case MemoryFormat::ChannelsLast3d:
      return out << "ChannelsLast3d";
  }
  return out << "MemoryFormat(" << static_cast<int>(format) << ")";
}

namespace detail {
namespace {

// Dims of a channels-last layout, innermost first.
constexpr int64_t kChannelsLast2d[] = {1, 3, 2, 0};
constexpr int64_t kChannelsLast3d[] = {1, 4, 3, 2, 0};

template <size_t N>
bool dense_in_order(IntArrayRef sizes, IntArrayRef strides, const int64_t (&order)[N]) {
  if (sizes.size() != N) return false;
  int64_t expected = 1;
  for (int64_t d : order) {
    if (sizes[d] == 1) continue;
    if (strides[d] != expected) return false;
    expected *= sizes[d];
  }
  return true;
}

// LibTorch's is_channels_last_strides_2d/3d: the strides grow in NHWC
// (NDHWC) order. Ambiguous shapes (a trivial C dim, N111) count as NCHW.
template <size_t N>
bool strides_like(IntArrayRef sizes, IntArrayRef strides, const int64_t (&order)[N]) {
  if (sizes.size() != N || strides[1] == 0) return false;
  int64_t min = 0;
  for (int64_t d : order) {
    if (sizes[d] == 0 || strides[d] < min) return false;
    if (d == 0 && min == strides[1]) return false;
    min = strides[d];
    if (sizes[d] > 1) min *= sizes[d];
  }
  return true;
}

// Strides dense in `order` (innermost first). Without row-major strides'
// max(size, 1): LibTorch's channels-last strides and TensorIterator's
// compatible_stride let a size-0 dim zero the strides outside it.
DimVector dense_strides_in_order(IntArrayRef sizes, IntArrayRef order) {
  DimVector strides(sizes.size());
  int64_t running = 1;
  for (int64_t d : order) {
    strides[d] = running;
    running *= sizes[d];
  }
  return strides;
}

template <size_t N>
DimVector channels_last_strides(IntArrayRef sizes, const int64_t (&order)[N]) {
  return dense_strides_in_order(sizes, IntArrayRef(order, N));
}

DimVector row_major_strides(IntArrayRef sizes) {
  DimVector strides(sizes.size());
  int64_t running = 1;
  for (size_t i = sizes.size(); i-- > 0;) {
    strides[i] = running;
    running *= std::max<int64_t>(sizes[i], 1);
  }
  return strides;
}

}  // namespace

bool is_contiguous(IntArrayRef sizes, IntArrayRef strides) {
  for (int64_t s : sizes)
    if (s == 0) return true;
  int64_t expected = 1;
  for (size_t i = sizes.size(); i-- > 0;) {
    if (sizes[i] == 1) continue;
    if (strides[i] != expected) return false;
    expected *= sizes[i];
  }
  return true;
}

bool is_non_overlapping_and_dense(IntArrayRef sizes, IntArrayRef strides) {
  if (is_contiguous(sizes, strides)) return true;
  // Dims of size >= 2 sorted by stride must tile memory; an insertion sort,
  // as there are a handful of dims.
  DimVector order;
  for (size_t d = 0; d < sizes.size(); ++d)
    if (sizes[d] >= 2) order.push_back(static_cast<int64_t>(d));
  for (size_t i = 1; i < order.size(); ++i)
    for (size_t j = i; j > 0 && strides[order[j]] < strides[order[j - 1]]; --j) std::swap(order[j], order[j - 1]);
  int64_t expected = 1;
  for (int64_t d : order) {
    if (strides[d] != expected) return false;
    expected *= sizes[d];
  }
  return true;
}

bool is_channels_last_contiguous(IntArrayRef sizes, IntArrayRef strides) {
  return dense_in_order(sizes, strides, kChannelsLast2d);
}

bool is_channels_last_3d_contiguous(IntArrayRef sizes, IntArrayRef strides) {
  return dense_in_order(sizes, strides, kChannelsLast3d);
}

DimVector strides_for(IntArrayRef sizes, MemoryFormat format) {
  switch (format) {
    case MemoryFormat::ChannelsLast:
      EMBER_CHECK(sizes.size() == 4, "required rank 4 tensor to use channels_last format (Ember: the tensor has ",
                  sizes.size(), " dims, sizes ", sizes, "; use MemoryFormat::Contiguous or Preserve.)");
      return channels_last_strides(sizes, kChannelsLast2d);
    case MemoryFormat::ChannelsLast3d:
      EMBER_CHECK(sizes.size() == 5, "required rank 5 tensor to use channels_last_3d format (Ember: the tensor has ",
                  sizes.size(), " dims, sizes ", sizes, "; use MemoryFormat::Contiguous or Preserve.)");
      return channels_last_strides(sizes, kChannelsLast3d);
    case MemoryFormat::Contiguous:
    case MemoryFormat::Preserve:
      break;
  }
  return row_major_strides(sizes);
}

MemoryFormat suggest_memory_format(IntArrayRef sizes, IntArrayRef strides) {
  if (strides_like(sizes, strides, kChannelsLast2d)) return MemoryFormat::ChannelsLast;
  if (strides_like(sizes, strides, kChannelsLast3d)) return MemoryFormat::ChannelsLast3d;
  return MemoryFormat::Contiguous;
}

DimVector infer_dense_strides(IntArrayRef sizes, IntArrayRef strides) {
  const int64_t ndim = static_cast<int64_t>(sizes.size());
  if (ndim == 0) return {};
  // A stride-0 dim has no opinion and stays where row-major order puts it.
  const DimVector perm = sort_dims_innermost_first(ndim, [&](int64_t dim0, int64_t dim1) {
    if (strides[dim0] == 0 || strides[dim1] == 0) return 0;
    if (strides[dim0] != strides[dim1]) return strides[dim0] < strides[dim1] ? -1 : 1;
    return sizes[dim0] > sizes[dim1] ? 1 : 0;
  });
  DimVector out(ndim);
  int64_t running = 1;
  for (int64_t d : perm) {
    out[d] = running;
    if (sizes[d] > 1) running *= sizes[d];
  }
  return out;
}

DimVector preserved_strides(IntArrayRef sizes, IntArrayRef strides) {
  if (is_non_overlapping_and_dense(sizes, strides)) return DimVector(strides);
  return infer_dense_strides(sizes, strides);
}

DimVector elementwise_output_strides(IntArrayRef shape, std::initializer_list<Geometry> inputs, bool has_scalar) {
  const int64_t ndim = static_cast<int64_t>(shape.size());
  // The common case first: inputs of `shape` with exactly row-major strides.
  // Both paths below give row-major strides then, unless the tensor is empty
  // (where a size-1 dim after a size-0 one reorders).
  DimVector row_major = row_major_strides(shape);
  bool all_row_major = true;
  int64_t numel = 1;
  for (int64_t s : shape) numel *= s;
  for (const Geometry& g : inputs) all_row_major &= g.sizes.equals(shape) && g.strides.equals(row_major);
  if (all_row_major && numel != 0) return row_major;
  bool same_shape = !(has_scalar && ndim > 0);
  for (const Geometry& g : inputs) same_shape &= g.sizes.equals(shape);
  if (same_shape) {
    bool contiguous = true, channels_last = true, dense = true;
    for (const Geometry& g : inputs) {
      contiguous &= is_contiguous(g.sizes, g.strides);
      channels_last &= is_channels_last_contiguous(g.sizes, g.strides);
      dense &= is_non_overlapping_and_dense(g.sizes, g.strides);
    }
    if (contiguous) return row_major;
    if (channels_last) return channels_last_strides(shape, kChannelsLast2d);
    if (dense) {
      bool equal = true;
      for (const Geometry& g : inputs) equal &= g.strides.equals(inputs.begin()->strides);
      if (equal) return DimVector(inputs.begin()->strides);
    }
  }
  if (ndim <= 1) return row_major;

  // Each input's strides over `shape`, one row of ndim per input: 0 where
  // it is broadcast.
  const int64_t n = static_cast<int64_t>(inputs.size());
  DimVector strides(n * ndim, 0);
  int64_t row = 0;
  for (const Geometry& g : inputs) {
    const int64_t offset = ndim - static_cast<int64_t>(g.sizes.size());
    for (int64_t i = 0; i < static_cast<int64_t>(g.sizes.size()); ++i)
      strides[row + offset + i] = (g.sizes[i] == 1 && shape[offset + i] != 1) ? 0 : g.strides[i];
    row += ndim;
  }
  // 1: dim0 goes after dim1; -1: before; 0: no input has an opinion. The
  // first input with a strict order decides; equal strides put the smaller
  // dim first, or let the next input decide.
  const DimVector perm = sort_dims_innermost_first(ndim, [&](int64_t dim0, int64_t dim1) {
    for (int64_t row = 0; row < n * ndim; row += ndim) {
      const int64_t s0 = strides[row + dim0], s1 = strides[row + dim1];
      if (s0 == 0 || s1 == 0) continue;
      if (s0 != s1) return s0 < s1 ? -1 : 1;
      if (shape[dim0] > shape[dim1]) return 1;
    }
    return 0;
  });
  bool in_row_major_order = true;
  for (int64_t i = 0; i < ndim; ++i) in_row_major_order &= perm[i] == ndim - 1 - i;
  if (in_row_major_order) return row_major;
  return dense_strides_in_order(shape, perm);
}

}  // namespace detail
}  // namespace ember
