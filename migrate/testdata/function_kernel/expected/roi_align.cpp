// A custom op in the style of old torchvision csrc/ops/autograd.
#include <ATen/core/LegacyTypeDispatch.h>
#include <torch/csrc/autograd/custom_function.h>

#include <vector>

namespace vision {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// Called only from the kernels below: KERNEL too.
at::Tensor roi_align_impl(const at::Tensor& input, double scale) {
  at::AutoDispatchBelowADInplaceOrView guard;
  return scale > 0 ? input : input;
}

class ROIAlignFunction : public torch::autograd::Function<ROIAlignFunction> {
 public:
  static variable_list forward(AutogradContext* ctx, const at::Tensor& input, double scale) {
    at::AutoDispatchBelowADInplaceOrView g;
    ctx->saved_data["scale"] = scale;
    return {roi_align_impl(input, scale)};
  }

  static variable_list backward(AutogradContext* ctx, const variable_list& grad_output) {
    at::AutoDispatchBelowADInplaceOrView guard{};
    auto scale_twice = [&] {
      at::AutoDispatchBelowADInplaceOrView inner;
      return grad_output[0];
    };
    return {scale_twice(), at::Tensor()};
  }
};

// A base class template between the op and Function<T>.
template <class Derived>
struct OpBase : torch::autograd::Function<Derived> {};

struct PSROIPoolFunction : OpBase<PSROIPoolFunction> {
  static variable_list forward(AutogradContext* ctx, const at::Tensor& input) {
    at::AutoDispatchBelowADInplaceOrView guard;
    return {roi_align_impl(input, 1.0)};
  }
};

template <typename T>
struct ScaleFunction : public torch::autograd::Function<ScaleFunction<T>> {
  static variable_list backward(AutogradContext* ctx, const variable_list& grad) {
    at::AutoDispatchBelowADInplaceOrView guard;
    return {grad[0]};
  }
};

// Not a Function, but it takes the autograd context: kernel code.
void save_sizes(AutogradContext* ctx, const at::Tensor& input) {
  at::AutoDispatchBelowADInplaceOrView guard;
  ctx->saved_data["n"] = input.dim();
}

}  // namespace vision
