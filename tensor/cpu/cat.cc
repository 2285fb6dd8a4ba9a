// CPU kernel of cat: checks shapes as LibTorch does, then copies each input
// into its slice of the output (a strided copy, so views work as inputs).
#include "tensor/check.h"
#include "tensor/ops.h"
#include "tensor/tensor.h"
#include "tensor/tensor_util.h"

namespace ember {
namespace cpu {
namespace {

Tensor cat_kernel(DispatchKeySet, TensorList tensors, int64_t dim) {
  EMBER_CHECK(!tensors.empty(), "torch.cat(): expected a non-empty list of Tensors. Pass at least one tensor.");
  const Tensor& first = tensors[0];
  int64_t nd = first.dim();
  EMBER_CHECK(nd > 0, "zero-dimensional tensor (at position 0) cannot be concatenated. Use stack() or unsqueeze(0).");
  int64_t d = detail::maybe_wrap_dim(dim, nd, "cat");
  ScalarType dtype = first.dtype();
  int64_t total = 0;
  for (size_t i = 0; i < tensors.size(); ++i) {
    const Tensor& t = tensors[i];
    EMBER_CHECK(t.dim() == nd, "Tensors must have same number of dimensions: got ", nd, " and ", t.dim(),
                " (cat of sizes ", first.sizes(), " and ", t.sizes(), " at entry ", i,
                "). Use unsqueeze() or view() to match them.");
    for (int64_t k = 0; k < nd; ++k) {
      EMBER_CHECK(k == d || t.size(k) == first.size(k), "Sizes of tensors must match except in dimension ", d,
                  ". Expected size ", first.size(k), " but got size ", t.size(k), " for tensor number ", i,
                  " in the list. (cat of sizes ", first.sizes(), " and ", t.sizes(), ")");
    }
    dtype = promoteTypes(dtype, t.dtype());
    total += t.size(d);
  }
  DimVector sizes(first.sizes());
  sizes[d] = total;
  Tensor out = detail::make_tensor(sizes, dtype, "cat");
  int64_t offset = 0;
  for (const Tensor& t : tensors) {
    int64_t n = t.size(d);
    if (n > 0) ops::copy_.redispatch(detail::kCpuOnly, ops::slice.redispatch(detail::kCpuOnly, out, d, offset, offset + n, 1), t);
    offset += n;
  }
  return out;
}

const bool registered = [] {
  ops::cat.register_kernel(DispatchKey::CPU, &cat_kernel);
  return true;
}();

}  // namespace
}  // namespace cpu
}  // namespace ember
