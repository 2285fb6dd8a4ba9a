// The ADInplaceOrView kernels: what must happen for *every* tensor that is
// not an inference tensor, even when no graph is recorded.
//  - In-place and out= ops: refuse an inference tensor outside InferenceMode
//    *before* writing (LibTorch 1.13 writes first, then throws), run the op,
//    bump the version counter that SavedVariable checks.
//  - View ops: record the view's base and CreationMeta (DEFAULT, NO_GRAD_MODE
//    or INFERENCE_MODE), which later in-place ops check.
// Inference tensors inside InferenceMode never get here: they carry no
// ADInplaceOrView key and InferenceMode takes it out of the included set.
#include "autograd/autograd_meta.h"
#include "modes/grad_mode.h"
#include "modes/inference_mode.h"
#include "modes/kernel_guards.h"
#include "tensor/ops.h"
#include "tensor/tensor_util.h"

namespace ember {
namespace autograd {
namespace {

constexpr DispatchKey kKey = DispatchKey::ADInplaceOrView;

// An in-place op on an inference tensor outside InferenceMode. LibTorch
// runs the kernel and then refuses, so the kernel's own errors (shapes,
// dtypes) come first there; Ember runs it on a copy, for the same errors in
// the same order with nothing written, then refuses.
template <class Op, class... Args>
[[noreturn, gnu::noinline, gnu::cold]] void refuse_inference_tensor(Op& op, DispatchKeySet ks, const Tensor& self,
                                                                    const Args&... args) {
  {
    AutoDispatchBelowADInplaceOrView guard;
    Tensor scratch = ops::clone.redispatch(detail::kCpuOnly, self, MemoryFormat::Preserve);
    op.redispatch(keys_after(ks, kKey), scratch, args...);
  }
  self.unsafeGetTensorImpl()->throw_inplace_update_of_inference_tensor(op.name());
}

template <class Op, class... Args>
const Tensor& inplace(Op& op, DispatchKeySet ks, const Tensor& self, const Args&... args) {
  if (__builtin_expect(self.is_inference() && !InferenceMode::is_enabled(), 0)) {
    refuse_inference_tensor(op, ks, self, args...);
  }
  {
    AutoDispatchBelowADInplaceOrView guard;
    op.redispatch(keys_after(ks, kKey), self, args...);
  }
  self.unsafeGetTensorImpl()->bump_version(op.name());
  return self;
}

template <ops::BinaryInplace& Op>
const Tensor& binary_(DispatchKeySet ks, const Tensor& self, const Tensor& other, const Scalar& alpha) {
  return inplace(Op, ks, self, other, alpha);
}
template <ops::BinaryScalarInplace& Op>
const Tensor& binary_scalar_(DispatchKeySet ks, const Tensor& self, const Scalar& other, const Scalar& alpha) {
  return inplace(Op, ks, self, other, alpha);
}
template <ops::BinaryOut& Op>
const Tensor& binary_out(DispatchKeySet ks, const Tensor& out, const Tensor& a, const Tensor& b, const Scalar& alpha) {
  return inplace(Op, ks, out, a, b, alpha);
}
template <ops::UnaryInplace& Op>
const Tensor& unary_(DispatchKeySet ks, const Tensor& self) {
  return inplace(Op, ks, self);
}
const Tensor& copy_(DispatchKeySet ks, const Tensor& self, const Tensor& src) { return inplace(ops::copy_, ks, self, src); }
const Tensor& fill_(DispatchKeySet ks, const Tensor& self, const Scalar& v) { return inplace(ops::fill_, ks, self, v); }

CreationMeta current_creation_meta() {
  if (InferenceMode::is_enabled()) return CreationMeta::INFERENCE_MODE;
  return GradMode::is_enabled() ? CreationMeta::DEFAULT : CreationMeta::NO_GRAD_MODE;
}

template <class Op, class... Args>
Tensor make_view(Op& op, DispatchKeySet ks, const Tensor& self, const Args&... args) {
  Tensor out;
  {
    AutoDispatchBelowADInplaceOrView guard;
    out = op.redispatch(keys_after(ks, kKey), self, args...);
  }
  // A view of an inference tensor is an inference tensor, not a tracked view.
  if (!self.is_inference()) impl::set_view_info(out, self, current_creation_meta());
  return out;
}

// unbind and split: in grad mode each output is marked MULTI_OUTPUT_NODE
// (LibTorch's), so that an in-place op on one of them, which the node's
// formula cannot account for, is refused while the input requires grad.
template <class Op, class... Args>
std::vector<Tensor> make_views(Op& op, DispatchKeySet ks, const Tensor& self, const Args&... args) {
  std::vector<Tensor> out;
  {
    AutoDispatchBelowADInplaceOrView guard;
    out = op.redispatch(keys_after(ks, kKey), self, args...);
  }
  if (self.is_inference()) return out;
  CreationMeta meta = current_creation_meta();
  if (meta == CreationMeta::DEFAULT) meta = CreationMeta::MULTI_OUTPUT_NODE;
  for (const Tensor& view : out) impl::set_view_info(view, self, meta);
  return out;
}

std::vector<Tensor> unbind(DispatchKeySet ks, const Tensor& a, int64_t d) { return make_views(ops::unbind, ks, a, d); }
std::vector<Tensor> split(DispatchKeySet ks, const Tensor& a, int64_t s, int64_t d) {
  return make_views(ops::split, ks, a, s, d);
}
std::vector<Tensor> split_with_sizes(DispatchKeySet ks, const Tensor& a, IntArrayRef s, int64_t d) {
  return make_views(ops::split_with_sizes, ks, a, s, d);
}

Tensor view(DispatchKeySet ks, const Tensor& a, IntArrayRef s) { return make_view(ops::view, ks, a, s); }
Tensor expand(DispatchKeySet ks, const Tensor& a, IntArrayRef s) { return make_view(ops::expand, ks, a, s); }
Tensor permute(DispatchKeySet ks, const Tensor& a, IntArrayRef d) { return make_view(ops::permute, ks, a, d); }
Tensor t(DispatchKeySet ks, const Tensor& a) { return make_view(ops::t, ks, a); }
Tensor reshape_alias(DispatchKeySet ks, const Tensor& a, IntArrayRef s) { return make_view(ops::_reshape_alias, ks, a, s); }
Tensor transpose(DispatchKeySet ks, const Tensor& a, int64_t d0, int64_t d1) {
  return make_view(ops::transpose, ks, a, d0, d1);
}
Tensor select(DispatchKeySet ks, const Tensor& a, int64_t d, int64_t i) { return make_view(ops::select, ks, a, d, i); }
Tensor slice(DispatchKeySet ks, const Tensor& a, int64_t d, int64_t s, int64_t e, int64_t st) {
  return make_view(ops::slice, ks, a, d, s, e, st);
}
Tensor squeeze(DispatchKeySet ks, const Tensor& a) { return make_view(ops::squeeze, ks, a); }
Tensor squeeze_dim(DispatchKeySet ks, const Tensor& a, int64_t d) { return make_view(ops::squeeze_dim, ks, a, d); }
Tensor unsqueeze(DispatchKeySet ks, const Tensor& a, int64_t d) { return make_view(ops::unsqueeze, ks, a, d); }
Tensor as_strided(DispatchKeySet ks, const Tensor& a, IntArrayRef s, IntArrayRef st, int64_t o) {
  return make_view(ops::as_strided, ks, a, s, st, o);
}

const bool registered = [] {
#define EMBER_REGISTER_BINARY(name)                                       \
  ops::name##_.register_kernel(kKey, &binary_<ops::name##_>);            \
  ops::name##__Scalar.register_kernel(kKey, &binary_scalar_<ops::name##__Scalar>); \
  ops::name##_out.register_kernel(kKey, &binary_out<ops::name##_out>);
  EMBER_BINARY_OPS(EMBER_REGISTER_BINARY)
#undef EMBER_REGISTER_BINARY
#define EMBER_REGISTER_UNARY(name) ops::name##_.register_kernel(kKey, &unary_<ops::name##_>);
  EMBER_UNARY_OPS(EMBER_REGISTER_UNARY)
#undef EMBER_REGISTER_UNARY
  ops::zero_.register_kernel(kKey, &unary_<ops::zero_>);
  ops::copy_.register_kernel(kKey, &copy_);
  ops::fill_.register_kernel(kKey, &fill_);
  ops::view.register_kernel(kKey, &view);
  ops::expand.register_kernel(kKey, &expand);
  ops::permute.register_kernel(kKey, &permute);
  ops::transpose.register_kernel(kKey, &transpose);
  ops::t.register_kernel(kKey, &t);
  ops::_reshape_alias.register_kernel(kKey, &reshape_alias);
  ops::select.register_kernel(kKey, &select);
  ops::slice.register_kernel(kKey, &slice);
  ops::unbind.register_kernel(kKey, &unbind);
  ops::split.register_kernel(kKey, &split);
  ops::split_with_sizes.register_kernel(kKey, &split_with_sizes);
  ops::squeeze.register_kernel(kKey, &squeeze);
  ops::squeeze_dim.register_kernel(kKey, &squeeze_dim);
  ops::unsqueeze.register_kernel(kKey, &unsqueeze);
  ops::as_strided.register_kernel(kKey, &as_strided);
  return true;
}();

}  // namespace
}  // namespace autograd
}  // namespace ember
