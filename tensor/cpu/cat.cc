// CPU kernel of cat: checks shapes as LibTorch does, then copies each input
// into its slice of the output (a strided copy, so views work as inputs).
#include "tensor/check.h"
#include "tensor/ops.h"
#include "tensor/tensor.h"
#include "tensor/tensor_util.h"

namespace ember {
namespace cpu {
namespace {

// LibTorch still accepts the legacy empty tensor, 1-D of size 0, beside
// tensors of any rank: it joins the result dtype and is otherwise skipped.
bool is_legacy_empty(const Tensor& t) { return t.dim() == 1 && t.size(0) == 0; }

// LibTorch's cat keeps a channels-last layout that every input suggests;
// anything else is row-major.
MemoryFormat output_memory_format(TensorList tensors) {
  MemoryFormat format = MemoryFormat::Contiguous;
  for (size_t i = 0; i < tensors.size(); ++i) {
    MemoryFormat f = tensors[i].suggest_memory_format();
    if (f == MemoryFormat::Contiguous || (i > 0 && f != format)) return MemoryFormat::Contiguous;
    format = f;
  }
  return format;
}

Tensor cat_kernel(DispatchKeySet, TensorList tensors, int64_t dim) {
  EMBER_CHECK(!tensors.empty(), "torch.cat(): expected a non-empty list of Tensors. Pass at least one tensor.");
  ScalarType dtype = tensors[0].dtype();
  const Tensor* first = nullptr;  // the first tensor that is not a legacy empty one
  for (size_t i = 0; i < tensors.size(); ++i) {
    const Tensor& t = tensors[i];
    EMBER_CHECK(t.dim() > 0, "zero-dimensional tensor (at position ", i,
                ") cannot be concatenated. Use stack(), or unsqueeze(0) it first.");
    dtype = promoteTypes(dtype, t.dtype());
    if (first == nullptr && !is_legacy_empty(t)) first = &t;
  }
  if (first == nullptr) return detail::make_tensor({0}, dtype, "cat");
  int64_t nd = first->dim();
  int64_t d = detail::maybe_wrap_dim(dim, nd, "cat");
  int64_t total = 0;
  for (size_t i = 0; i < tensors.size(); ++i) {
    const Tensor& t = tensors[i];
    if (is_legacy_empty(t)) continue;
    EMBER_CHECK(t.dim() == nd, "Tensors must have same number of dimensions: got ", nd, " and ", t.dim(),
                " (cat of sizes ", first->sizes(), " and ", t.sizes(), " at entry ", i,
                "). Use unsqueeze() or view() to match them.");
    for (int64_t k = 0; k < nd; ++k) {
      EMBER_CHECK(k == d || t.size(k) == first->size(k), "Sizes of tensors must match except in dimension ", d,
                  ". Expected size ", first->size(k), " but got size ", t.size(k), " for tensor number ", i,
                  " in the list. (cat of sizes ", first->sizes(), " and ", t.sizes(), ")");
    }
    total += t.size(d);
  }
  DimVector sizes(first->sizes());
  sizes[d] = total;
  Tensor out = detail::make_tensor(sizes, detail::strides_for(sizes, output_memory_format(tensors)), dtype, "cat");
  int64_t offset = 0;
  for (const Tensor& t : tensors) {
    if (is_legacy_empty(t)) continue;
    int64_t n = t.size(d);
    if (n > 0) {
      Tensor slot = ops::slice.redispatch(detail::kCpuOnly, out, d, offset, offset + n, 1);
      ops::copy_.redispatch(detail::kCpuOnly, slot, t);
    }
    offset += n;
  }
  return out;
}

// LibTorch's order: the dim, then the sizes. Its layout is LibTorch 1.13's
// too: before the last dim, the inputs are concatenated as they are and the
// joined dim is split by a view (so a channels-last input gives a permuted
// result, and a permuted 3-D one a row-major result); at the last dim, they
// are concatenated unsqueezed.
Tensor stack_kernel(DispatchKeySet, TensorList tensors, int64_t dim) {
  const int64_t d = detail::maybe_wrap_dim(dim, tensors[0].dim() + 1, "stack");
  for (size_t i = 1; i < tensors.size(); ++i) {
    EMBER_CHECK(tensors[i].sizes() == tensors[0].sizes(), "stack expects each tensor to be equal size, but got ",
                tensors[0].sizes(), " at entry 0 and ", tensors[i].sizes(), " at entry ", i,
                ". Reshape or pad them to one size first.");
  }
  if (d < tensors[0].dim()) {
    DimVector sizes(tensors[0].sizes());
    sizes.insert(static_cast<size_t>(d), static_cast<int64_t>(tensors.size()));
    return ops::view.redispatch(detail::kCpuOnly, cat_kernel(detail::kCpuOnly, tensors, d), sizes);
  }
  std::vector<Tensor> unsqueezed;
  unsqueezed.reserve(tensors.size());
  for (const Tensor& t : tensors) unsqueezed.push_back(ops::unsqueeze.redispatch(detail::kCpuOnly, t, d));
  return cat_kernel(detail::kCpuOnly, unsqueezed, d);
}

const bool registered = [] {
  ops::cat.register_kernel(DispatchKey::CPU, &cat_kernel);
  ops::stack.register_kernel(DispatchKey::CPU, &stack_kernel);
  return true;
}();

}  // namespace
}  // namespace cpu
}  // namespace ember
