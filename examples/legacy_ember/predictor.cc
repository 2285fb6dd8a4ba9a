// Legacy user code: inference wrapped in the deprecated guard, as predictors
// were written before PyTorch 1.9 introduced InferenceMode.
#include "predictor.h"

#include "modes/legacy_guards.h"

namespace shop {

ember::Tensor predict(ember::nn::Module& model, const ember::Tensor& x) {
  ember::AutoNonVariableTypeMode guard;
  return model(x);
}

void rescale_inplace(const ember::Tensor& batch, double factor) {
  ember::AutoNonVariableTypeMode guard;
  batch.mul_(factor);
}

}  // namespace shop
