// A kernel registered for the Autograd dispatch key (torchvision 0.9 style).
#include <ATen/core/LegacyTypeDispatch.h>
#include <torch/library.h>

namespace vision {
namespace {

at::Tensor nms_autograd(const at::Tensor& dets, const at::Tensor& scores, double iou_threshold) {
  at::AutoNonVariableTypeMode g;
  return iou_threshold > 0 ? dets : scores;
}

}  // namespace
}  // namespace vision

TORCH_LIBRARY_IMPL(torchvision, Autograd, m) {
  m.impl("nms", TORCH_FN(vision::nms_autograd));
}
