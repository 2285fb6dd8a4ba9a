#include "nn/linear.h"

#include <cmath>

#include "modes/grad_mode.h"

namespace ember {
namespace nn {

Linear::Linear(int64_t in_features, int64_t out_features, bool with_bias) {
  double bound = 1.0 / std::sqrt(static_cast<double>(in_features));
  weight = register_parameter("weight", rand({out_features, in_features}) * (2 * bound) - bound);
  if (with_bias) bias = register_parameter("bias", rand({out_features}) * (2 * bound) - bound);
}

Tensor Linear::forward(const Tensor& input) {
  // mm reads the transposed weight in place (BLAS), and the bias is added
  // into mm's fresh result: one allocation per call, like LibTorch's addmm.
  Tensor out = input.dim() == 2 ? input.mm(weight.t()) : input.matmul(weight.t());
  if (bias.defined()) out.add_(bias);
  return out;
}

}  // namespace nn
}  // namespace ember
