// CPU kernels of the view ops: each makes a TensorImpl over the input's
// storage (sharing its version counter and key set) with new sizes, strides
// and offset. No data moves.
#include <vector>

#include "tensor/check.h"
#include "tensor/ops.h"
#include "tensor/tensor.h"
#include "tensor/tensor_util.h"

namespace ember {
namespace cpu {
namespace {

using detail::make_view;
using detail::maybe_wrap_dim;

// view() with a -1, of a non-contiguous or empty tensor, or to a shape with
// size-1 dims (which LibTorch's computeStride gives the stride of the chunk
// they fall in, not a row-major one). Out of line: its vectors would
// otherwise make the common path's stack frame.
[[gnu::noinline]] Tensor view_general(const Tensor& self, IntArrayRef size) {
  DimVector shape = detail::infer_view_size(size, self.numel(), "view");
  DimVector strides;
  EMBER_CHECK(detail::compute_view_strides(self.sizes(), self.strides(), shape, &strides),
              "view size is not compatible with input tensor's size and stride (at least one dimension spans across "
              "two contiguous subspaces). Use .reshape(...) instead. (view of sizes ",
              self.sizes(), " and strides ", self.strides(), " to ", shape,
              "; reshape() copies when it must, or call .contiguous() first.)");
  return make_view(self, shape, strides, self.storage_offset());
}

Tensor view_kernel(DispatchKeySet, const Tensor& self, IntArrayRef size) {
  // The common case, a contiguous input and no -1 nor 1: the sizes are
  // checked in the same pass that multiplies them, and the view is built
  // straight from `size`, without an intermediate shape or strides vector.
  // Row-major strides are then exactly LibTorch's.
  if (self.is_contiguous()) {
    bool plain = true;
    int64_t numel = 1;
    for (int64_t s : size) plain &= s > 1 && !__builtin_mul_overflow(numel, s, &numel);
    if (plain && numel == self.numel()) return detail::make_contiguous_view(self, size);
  }
  return view_general(self, size);
}

Tensor transpose_kernel(DispatchKeySet, const Tensor& self, int64_t dim0, int64_t dim1) {
  int64_t nd = self.dim();
  int64_t d0 = maybe_wrap_dim(dim0, nd, "transpose");
  int64_t d1 = maybe_wrap_dim(dim1, nd, "transpose");
  // A copy of self's geometry (numel and all) with two dims swapped.
  Tensor out = detail::make_alias(self);
  if (nd > 0) out.unsafeGetTensorImpl()->swap_dims(d0, d1);
  return out;
}

// Checked in the kernel, as LibTorch's: its Autograd layer looks at the
// input first (a view whose base changed in inference mode fails there).
Tensor t_kernel(DispatchKeySet ks, const Tensor& self) {
  EMBER_CHECK(self.dim() <= 2, "t() expects a tensor with <= 2 dimensions, but self is ", self.dim(), "D (sizes ",
              self.sizes(), "). Use transpose(dim0, dim1) or permute() for more dims.");
  return self.dim() < 2 ? transpose_kernel(ks, self, 0, 0) : transpose_kernel(ks, self, 0, 1);
}

Tensor permute_kernel(DispatchKeySet, const Tensor& self, IntArrayRef dims) {
  int64_t nd = self.dim();
  EMBER_CHECK(static_cast<int64_t>(dims.size()) == nd,
              "permute(sparse_coo): number of dimensions in the tensor input does not match the length of the "
              "desired ordering of dimensions i.e. input.dim() = ",
              nd, " is not equal to len(dims) = ", dims.size(), " (permute of sizes ", self.sizes(), " by ", dims,
              "). Pass one entry per dim.");
  DimVector sizes(nd), strides(nd);
  SmallVector<bool, 8> used(static_cast<size_t>(nd), false);
  for (int64_t i = 0; i < nd; ++i) {
    int64_t d = maybe_wrap_dim(dims[i], nd, "permute");
    EMBER_CHECK(!used[d], "permute(): duplicate dims are not allowed. (dims ", dims, " name dim ", d,
                " twice; pass each dim once.)");
    used[d] = true;
    sizes[i] = self.sizes()[d];
    strides[i] = self.strides()[d];
  }
  return make_view(self, sizes, strides, self.storage_offset());
}

Tensor select_kernel(DispatchKeySet, const Tensor& self, int64_t dim, int64_t index) {
  EMBER_CHECK(self.dim() > 0, "select() cannot be applied to a 0-dim tensor. Use item() to read its value.");
  int64_t d = maybe_wrap_dim(dim, self.dim(), "select");
  int64_t size = self.sizes()[d];
  EMBER_CHECK(index >= -size && index < size, "select(): index ", index, " out of range for tensor of size ",
              self.sizes(), " at dimension ", d, ". Use an index in [", -size, ", ", size - 1, "].");
  if (index < 0) index += size;
  DimVector sizes(self.sizes()), strides(self.strides());
  sizes.erase(d);
  strides.erase(d);
  return make_view(self, sizes, strides, self.storage_offset() + index * self.strides()[d]);
}

Tensor slice_kernel(DispatchKeySet, const Tensor& self, int64_t dim, int64_t start, int64_t end, int64_t step) {
  EMBER_CHECK(self.dim() > 0, "slice() cannot be applied to a 0-dim tensor. Use view({1}) first.");
  int64_t d = maybe_wrap_dim(dim, self.dim(), "slice");
  EMBER_CHECK(step > 0, "slice step must be positive (got ", step, " in slice(dim=", d, ") of sizes ", self.sizes(),
              "). Flip the tensor instead of using a negative step.");
  int64_t size = self.sizes()[d];
  // Python's clamping of slice bounds.
  if (start < 0) start += size;
  if (end < 0) end += size;
  start = start < 0 ? 0 : start > size ? size : start;
  end = end < start ? start : end > size ? size : end;
  DimVector sizes(self.sizes()), strides(self.strides());
  sizes[d] = (end - start + step - 1) / step;
  strides[d] *= step;
  return make_view(self, sizes, strides, self.storage_offset() + start * self.strides()[d]);
}

// ---- Several views at once: LibTorch's checks and messages, in its order ----

std::vector<Tensor> unbind_kernel(DispatchKeySet ks, const Tensor& self, int64_t dim) {
  EMBER_CHECK(self.dim() > 0, "Dimension specified as ", dim,
              " but tensor has no dimensions (unbind of a 0-dim tensor). Use item() to read its value.");
  const int64_t d = maybe_wrap_dim(dim, self.dim(), "unbind");
  const int64_t size = self.sizes()[d];
  std::vector<Tensor> out;
  out.reserve(static_cast<size_t>(size));
  for (int64_t i = 0; i < size; ++i) out.push_back(select_kernel(ks, self, d, i));
  return out;
}

std::vector<Tensor> split_kernel(DispatchKeySet ks, const Tensor& self, int64_t split_size, int64_t dim) {
  EMBER_CHECK(self.dim() != 0, "split expects at least a 1-dimensional tensor (got a 0-dim tensor). Use view({1}) "
              "first.");
  EMBER_CHECK(split_size >= 0, "split expects split_size be non-negative, but got split_size=", split_size,
              " (split of sizes ", self.sizes(), "). Pass the length of each piece.");
  const int64_t d = maybe_wrap_dim(dim, self.dim(), "split");
  const int64_t dim_size = self.sizes()[d];
  EMBER_CHECK(split_size > 0 || dim_size == 0,
              "split_size can only be 0 if dimension size is 0, but got dimension size of ", dim_size, " (split of sizes ",
              self.sizes(), " along dim ", d, "). Pass a positive split_size.");
  // At least one piece, also when split_size exceeds the dim (LibTorch keeps
  // that for backward compatibility) or the dim is empty. Rounded up without
  // forming dim_size + split_size, which a huge split_size would overflow.
  const int64_t num_splits = dim_size == 0 ? 1 : (dim_size - 1) / split_size + 1;
  std::vector<Tensor> out;
  out.reserve(static_cast<size_t>(num_splits));
  for (int64_t i = 0; i < num_splits; ++i) {
    const int64_t start = i * split_size;
    const int64_t length = i < num_splits - 1 ? split_size : dim_size - start;
    out.push_back(slice_kernel(ks, self, d, start, start + length, 1));
  }
  return out;
}

std::vector<Tensor> split_with_sizes_kernel(DispatchKeySet ks, const Tensor& self, IntArrayRef split_sizes,
                                            int64_t dim) {
  EMBER_CHECK(self.dim() != 0, "split expects at least a 1-dimensional tensor (got a 0-dim tensor in "
              "split_with_sizes). Use view({1}) first.");
  const int64_t d = maybe_wrap_dim(dim, self.dim(), "split_with_sizes");
  const int64_t dim_size = self.sizes()[d];
  int64_t total = 0;
  bool overflowed = false;
  for (int64_t length : split_sizes) {
    EMBER_CHECK(length >= 0, "split_with_sizes expects split_sizes have only non-negative entries, but got "
                "split_sizes=", split_sizes, " (split_with_sizes of sizes ", self.sizes(), " along dim ", d, ").");
    overflowed |= __builtin_add_overflow(total, length, &total);
  }
  EMBER_CHECK(!overflowed && total == dim_size, "split_with_sizes expects split_sizes to sum exactly to ", dim_size,
              " (input tensor's size at dimension ", d, "), but got split_sizes=", split_sizes,
              ". Make the sizes add up to ", dim_size, ".");
  std::vector<Tensor> out;
  out.reserve(split_sizes.size());
  int64_t start = 0;
  for (int64_t length : split_sizes) {
    out.push_back(slice_kernel(ks, self, d, start, start + length, 1));
    start += length;
  }
  return out;
}

// Not views: a new row-major tensor, as LibTorch's (whatever grad's layout).
// The write goes through select/slice of it, so their checks and messages
// apply to the arguments; straight to the CPU kernels, as nothing here is
// for autograd to see (the fresh tensor's view and version bump included).
Tensor select_backward_kernel(DispatchKeySet, const Tensor& grad, IntArrayRef input_sizes, int64_t dim,
                              int64_t index) {
  Tensor grad_input = zeros(input_sizes, grad.dtype());
  ops::copy_.redispatch(detail::kCpuOnly, select_kernel(detail::kCpuOnly, grad_input, dim, index), grad);
  return grad_input;
}

Tensor slice_backward_kernel(DispatchKeySet, const Tensor& grad, IntArrayRef input_sizes, int64_t dim, int64_t start,
                             int64_t end, int64_t step) {
  Tensor grad_input = zeros(input_sizes, grad.dtype());
  ops::copy_.redispatch(detail::kCpuOnly, slice_kernel(detail::kCpuOnly, grad_input, dim, start, end, step), grad);
  return grad_input;
}

Tensor squeeze_kernel(DispatchKeySet, const Tensor& self) {
  DimVector sizes, strides;
  for (int64_t d = 0; d < self.dim(); ++d) {
    if (self.sizes()[d] == 1) continue;
    sizes.push_back(self.sizes()[d]);
    strides.push_back(self.strides()[d]);
  }
  return make_view(self, sizes, strides, self.storage_offset());
}

Tensor squeeze_dim_kernel(DispatchKeySet, const Tensor& self, int64_t dim) {
  int64_t d = maybe_wrap_dim(dim, self.dim(), "squeeze");
  DimVector sizes(self.sizes()), strides(self.strides());
  if (self.dim() > 0 && sizes[d] == 1) {
    sizes.erase(d);
    strides.erase(d);
  }
  return make_view(self, sizes, strides, self.storage_offset());
}

Tensor unsqueeze_kernel(DispatchKeySet, const Tensor& self, int64_t dim) {
  int64_t d = maybe_wrap_dim(dim, self.dim() + 1, "unsqueeze");
  DimVector sizes(self.sizes()), strides(self.strides());
  // The stride that keeps the new dim "contiguous" with the one after it.
  int64_t stride = d >= self.dim() ? 1 : sizes[d] * strides[d];
  sizes.insert(d, 1);
  strides.insert(d, stride);
  return make_view(self, sizes, strides, self.storage_offset());
}

Tensor expand_kernel(DispatchKeySet, const Tensor& self, IntArrayRef size) {
  int64_t nd = static_cast<int64_t>(size.size());
  EMBER_CHECK(nd >= self.dim(), "expand(", self.toString(), "{", self.sizes(), "}, size=", size,
              "): the number of sizes provided (", nd, ") must be greater or equal to the number of dimensions in ",
              "the tensor (", self.dim(), ").");
  DimVector sizes(nd), strides(nd);
  for (int64_t i = nd - 1; i >= 0; --i) {
    int64_t od = i - (nd - self.dim());
    int64_t target = size[i];
    if (od < 0) {
      EMBER_CHECK(target >= 0, "The expanded size of the tensor (", target,
                  ") isn't allowed in a leading, non-existing dimension ", i, ". Use a size >= 0 there.");
      sizes[i] = target;
      strides[i] = 0;
      continue;
    }
    int64_t cur = self.sizes()[od];
    if (target == -1) target = cur;
    EMBER_CHECK(cur == target || cur == 1, "The expanded size of the tensor (", target,
                ") must match the existing size (", cur, ") at non-singleton dimension ", i,
                ".  Target sizes: ", size, ".  Tensor sizes: ", self.sizes(),
                ". Only dims of size 1 can be expanded; use repeat-like copies (cat) otherwise.");
    sizes[i] = target;
    strides[i] = cur == target ? self.strides()[od] : 0;
  }
  return make_view(self, sizes, strides, self.storage_offset());
}

Tensor as_strided_kernel(DispatchKeySet, const Tensor& self, IntArrayRef size, IntArrayRef stride, int64_t offset) {
  EMBER_CHECK(size.size() == stride.size(), "mismatch in length of strides and shape (as_strided of sizes ", size,
              " and strides ", stride, "). Pass one stride per dim.");
  int64_t last = offset;
  for (size_t i = 0; i < size.size(); ++i) {
    EMBER_CHECK(size[i] >= 0 && stride[i] >= 0, "as_strided(): negative size or stride in sizes ", size,
                " strides ", stride, ".");
    if (size[i] == 0) last = -1;
    if (last >= 0) last += (size[i] - 1) * stride[i];
  }
  EMBER_CHECK(offset >= 0 && (last < 0 || (last + 1) * static_cast<int64_t>(self.itemsize()) <=
                                              static_cast<int64_t>(self.storage().nbytes())),
              "setStorage: sizes ", size, ", strides ", stride, ", storage offset ", offset,
              " are out of bounds for storage of size ", self.storage().nbytes(),
              " bytes (as_strided). Keep the view inside the storage.");
  return make_view(self, size, stride, offset);
}

Tensor detach_kernel(DispatchKeySet, const Tensor& self) {
  return make_view(self, self.sizes(), self.strides(), self.storage_offset());
}

// Below autograd a tensor has no history to drop.
const Tensor& detach__kernel(DispatchKeySet, const Tensor& self) { return self; }

const bool registered = [] {
  ops::view.register_kernel(DispatchKey::CPU, &view_kernel);
  ops::_unsafe_view.register_kernel(DispatchKey::CPU, &view_kernel);
  ops::transpose.register_kernel(DispatchKey::CPU, &transpose_kernel);
  ops::t.register_kernel(DispatchKey::CPU, &t_kernel);
  ops::_reshape_alias.register_kernel(DispatchKey::CPU, &view_kernel);
  ops::permute.register_kernel(DispatchKey::CPU, &permute_kernel);
  ops::select.register_kernel(DispatchKey::CPU, &select_kernel);
  ops::slice.register_kernel(DispatchKey::CPU, &slice_kernel);
  ops::select_backward.register_kernel(DispatchKey::CPU, &select_backward_kernel);
  ops::slice_backward.register_kernel(DispatchKey::CPU, &slice_backward_kernel);
  ops::unbind.register_kernel(DispatchKey::CPU, &unbind_kernel);
  ops::split.register_kernel(DispatchKey::CPU, &split_kernel);
  ops::split_with_sizes.register_kernel(DispatchKey::CPU, &split_with_sizes_kernel);
  ops::squeeze.register_kernel(DispatchKey::CPU, &squeeze_kernel);
  ops::squeeze_dim.register_kernel(DispatchKey::CPU, &squeeze_dim_kernel);
  ops::unsqueeze.register_kernel(DispatchKey::CPU, &unsqueeze_kernel);
  ops::expand.register_kernel(DispatchKey::CPU, &expand_kernel);
  ops::as_strided.register_kernel(DispatchKey::CPU, &as_strided_kernel);
  ops::detach.register_kernel(DispatchKey::CPU, &detach_kernel);
  ops::detach_.register_kernel(DispatchKey::CPU, &detach__kernel);
  return true;
}();

}  // namespace
}  // namespace cpu
}  // namespace ember
