// A custom autograd op of the legacy program: y = scale * x * x.
#ifndef EMBER_EXAMPLES_LEGACY_EMBER_SCALED_SQUARE_H_
#define EMBER_EXAMPLES_LEGACY_EMBER_SCALED_SQUARE_H_

#include "tensor/tensor.h"

namespace shop {

// scale * x * x, differentiable in x (a custom ember::autograd::Function).
ember::Tensor scaled_square(const ember::Tensor& x, double scale);

}  // namespace shop

#endif  // EMBER_EXAMPLES_LEGACY_EMBER_SCALED_SQUARE_H_
