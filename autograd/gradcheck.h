// gradcheck: compares the gradients autograd computes with finite differences.
//
// As PyTorch's torch.autograd.gradcheck: for every output element and every
// input that requires grad, the analytical Jacobian (one backward pass per
// output element) must match the numerical one (central differences with
// step `eps`) within atol + rtol * |numerical|. Use float64 inputs.
// gradgradcheck does the same for the gradient itself (double backward).
//
//   Tensor a = ember::randn({3}, ember::kDouble).set_requires_grad(true);
//   ember::autograd::gradcheck([](const variable_list& x) { return variable_list{x[0].sigmoid()}; }, {a});
#ifndef EMBER_AUTOGRAD_GRADCHECK_H_
#define EMBER_AUTOGRAD_GRADCHECK_H_

#include <functional>

#include "autograd/node.h"
#include "tensor/tensor.h"

namespace ember {
namespace autograd {

using DifferentiableFn = std::function<variable_list(const variable_list&)>;

// Returns true, or throws ember::Error naming the output, the input and both
// Jacobians ("Jacobian mismatch for output 0 with respect to input 0, ...").
bool gradcheck(const DifferentiableFn& fn, const variable_list& inputs, double eps = 1e-6, double atol = 1e-5,
               double rtol = 1e-3);

// gradcheck of (inputs -> d(outputs . v)/d(inputs)) for a fixed random v.
bool gradgradcheck(const DifferentiableFn& fn, const variable_list& inputs, double eps = 1e-6, double atol = 1e-5,
                   double rtol = 1e-3);

}  // namespace autograd
}  // namespace ember

#endif  // EMBER_AUTOGRAD_GRADCHECK_H_
