#include <torch/torch.h>

struct ROIAlign : public torch::autograd::Function<ROIAlign> {
  static at::Tensor forward(torch::autograd::AutogradContext* ctx, at::Tensor input) {
    at::AutoNonVariableTypeMode guard(true);
    return input;
  }
  static at::Tensor backward(torch::autograd::AutogradContext* ctx, at::Tensor grad) {
    torch::AutoNonVariableTypeMode g;
    return grad;
  }
};
