// The inference side of the legacy program.
#ifndef EMBER_EXAMPLES_LEGACY_EMBER_PREDICTOR_H_
#define EMBER_EXAMPLES_LEGACY_EMBER_PREDICTOR_H_

#include "nn/module.h"
#include "tensor/tensor.h"

namespace shop {

// model(x) with autograd off: predictions only.
ember::Tensor predict(ember::nn::Module& model, const ember::Tensor& x);

// Multiplies a batch by `factor` in place before it is predicted on; "no
// autograd needed" for preprocessing, so the legacy code turns it off.
void rescale_inplace(const ember::Tensor& batch, double factor);

}  // namespace shop

#endif  // EMBER_EXAMPLES_LEGACY_EMBER_PREDICTOR_H_
