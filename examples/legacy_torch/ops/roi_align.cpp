#include "ops/roi_align.h"

namespace vision {
namespace {

at::Tensor roi_align_forward_impl(const at::Tensor& input, const at::Tensor& rois, double spatial_scale) {
  // Called only from the autograd function below.
  at::AutoNonVariableTypeMode guard(true);
  return spatial_scale > 0 ? input : rois;
}

}  // namespace

class ROIAlignFunction : public torch::autograd::Function<ROIAlignFunction> {
 public:
  static torch::autograd::variable_list forward(torch::autograd::AutogradContext* ctx,
                                                const at::Tensor& input, const at::Tensor& rois,
                                                double spatial_scale) {
    ctx->saved_data["spatial_scale"] = spatial_scale;
    ctx->save_for_backward({rois});
    at::AutoNonVariableTypeMode g;
    return {roi_align_forward_impl(input, rois, spatial_scale)};
  }

  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 const torch::autograd::variable_list& grad_output) {
    at::AutoNonVariableTypeMode g(true);
    return {grad_output[0], at::Tensor(), at::Tensor()};
  }
};

at::Tensor roi_align(const at::Tensor& input, const at::Tensor& rois, double spatial_scale) {
  return ROIAlignFunction::apply(input, rois, spatial_scale)[0];
}

}  // namespace vision
