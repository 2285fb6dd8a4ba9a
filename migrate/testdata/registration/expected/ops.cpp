// Kernels registered for Autograd keys, new and old registration APIs.
#include <ATen/core/LegacyTypeDispatch.h>
#include <ATen/core/op_registration/op_registration.h>
#include <torch/library.h>

namespace {

at::Tensor nms_autograd(const at::Tensor& dets) {
  at::AutoDispatchBelowADInplaceOrView guard;
  return dets;
}

at::Tensor deform_autograd(const at::Tensor& input) {
  at::AutoDispatchBelowADInplaceOrView guard;
  return input;
}

at::Tensor cpu_helper(const at::Tensor& input) {
  c10::InferenceMode guard;  // not a kernel for an Autograd key
  return input;
}

}  // namespace

TORCH_LIBRARY_IMPL(vision, Autograd, m) {
  m.impl("nms", TORCH_FN(nms_autograd));
  m.impl("roi_pool", [](const at::Tensor& input) {
    at::AutoDispatchBelowADInplaceOrView guard;
    return input;
  });
}

TORCH_LIBRARY_IMPL(vision, AutogradCPU, m) {
  m.impl("ps_roi_pool", [](const at::Tensor& input) {
    at::AutoDispatchBelowADInplaceOrView guard;
    return input;
  });
}

static auto registry = c10::RegisterOperators().op(
    "vision::deform(Tensor input) -> Tensor",
    c10::RegisterOperators::options().kernel<decltype(deform_autograd), &deform_autograd>(
        c10::DispatchKey::Autograd));

at::Tensor user_entry(const at::Tensor& input) { return cpu_helper(input); }
