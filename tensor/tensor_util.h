// Helpers for code that makes tensors: kernels, factories, //autograd.
//
// make_tensor allocates a contiguous tensor and decides, from InferenceMode,
// whether it is an inference tensor; make_view makes a tensor over another's
// storage that shares its version counter and key set (a view of an inference
// tensor is an inference tensor). maybe_wrap_dim turns a negative dim into a
// positive one and throws LibTorch's message otherwise.
//
//   Tensor out = ember::detail::make_tensor(a.sizes(), a.dtype(), "add");
//   Tensor v = ember::detail::make_view(a, {3, 2}, {1, 3}, a.storage_offset());
#ifndef EMBER_TENSOR_TENSOR_UTIL_H_
#define EMBER_TENSOR_TENSOR_UTIL_H_

#include "tensor/tensor.h"

namespace ember {
namespace detail {

// The keys a CPU kernel calls another op with on tensors it made itself:
// straight to the CPU kernel. Through the full dispatcher, a kernel reached
// with no Autograd kernel above it (an inference tensor's op outside
// InferenceMode) would bump the versions of its own temporaries and make its
// result a tracked view of one.
constexpr DispatchKeySet kCpuOnly{DispatchKey::CPU};

// A new contiguous tensor of `sizes`; `creator` (a string literal) names the
// op, for error messages about inference tensors. Checks sizes.
Tensor make_tensor(IntArrayRef sizes, ScalarType dtype, const char* creator);
// A new tensor of `sizes` with `strides` (dense in some dim order: what
// memory_layout.h computes); storage for exactly the elements they reach.
Tensor make_tensor(IntArrayRef sizes, IntArrayRef strides, ScalarType dtype, const char* creator);
// A view of `base`'s storage with the given geometry.
Tensor make_view(const Tensor& base, IntArrayRef sizes, IntArrayRef strides, int64_t storage_offset);
// A view of `base` with `sizes` and contiguous strides, at base's offset.
// Inline: view() of a contiguous tensor is this and nothing else.
inline Tensor make_contiguous_view(const Tensor& base, IntArrayRef sizes) {
  return Tensor(
      intrusive_ptr<TensorImpl>::adopt_new(new TensorImpl(TensorImpl::ViewOfStorage{}, *base.unsafeGetTensorImpl(), sizes)));
}
// A view of `base` with the geometry of `base`, which the caller then changes.
inline Tensor make_alias(const Tensor& base) {
  return Tensor(intrusive_ptr<TensorImpl>::adopt_new(new TensorImpl(TensorImpl::ViewOf{}, *base.unsafeGetTensorImpl())));
}

// Checks sizes (no negative size, no numel overflow) and returns numel.
int64_t checked_numel(IntArrayRef sizes, size_t itemsize, const char* op);

int64_t maybe_wrap_dim(int64_t dim, int64_t ndim, const char* op);

[[noreturn]] void throw_fill_overflow(const char* type, ScalarType dtype, const Scalar& value, const char* op);

// `value` as a T for filling a tensor of T (full, fill_): a value T does not
// hold (Scalar::fits) throws LibTorch's "value cannot be converted to type T
// without overflow", naming `op`, the dtype and the value.
template <class T>
T checked_fill_value(const Scalar& value, const char* op) {
  if (!value.fits<T>()) throw_fill_overflow(conversion_type_name<T>(), CppTypeToScalarType<T>::value, value, op);
  return value.cast<T>();
}

// `size` with its one -1 replaced so that the product is `numel`; throws
// LibTorch's "shape '[4]' is invalid for input of size 6" naming `op`.
DimVector infer_view_size(IntArrayRef size, int64_t numel, const char* op);
// Strides that let `new_sizes` view memory laid out as (sizes, strides)
// without copying, or false when no such strides exist (PyTorch's computeStride).
// Whether a tensor of `shape` broadcasts to `target` (LibTorch's
// is_expandable_to): right-aligned, each dim equal or 1.
bool is_expandable_to(IntArrayRef shape, IntArrayRef target);
bool compute_view_strides(IntArrayRef sizes, IntArrayRef strides, IntArrayRef new_sizes,
                          DimVector* new_strides = nullptr);

}  // namespace detail
}  // namespace ember

#endif  // EMBER_TENSOR_TENSOR_UTIL_H_
