// A custom op in the style of torchvision 0.8's csrc/ROIAlign.h, before the
// AutoNonVariableTypeMode split. Bundled as //migrate's demo input.
#pragma once

#include <ATen/core/LegacyTypeDispatch.h>
#include <torch/csrc/autograd/custom_function.h>

namespace vision {

at::Tensor roi_align(const at::Tensor& input, const at::Tensor& rois, double spatial_scale);

}  // namespace vision
