// Preprocessor directives inside a guard's spelling or its argument: no
// single edit can rewrite the piece without deleting the directive, so the
// site is left to a person (MANUAL) and every directive stays.
#include <ATen/core/LegacyTypeDispatch.h>
#include <torch/csrc/autograd/custom_function.h>

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// The qualifier and the name on two sides of a #define.
at::Tensor predict(const at::Tensor& input) {
  at::
#define EMBER_SPLIT_GUARD_ARGUMENT 1
  AutoNonVariableTypeMode guard(true);
  return input;
}

struct Square : torch::autograd::Function<Square> {
  // KERNEL, but the argument to drop spans an #if: MANUAL.
  static at::Tensor forward(AutogradContext* ctx, const at::Tensor& x) {
    at::AutoNonVariableTypeMode guard(
#if EMBER_SPLIT_GUARD_ARGUMENT
        true
#endif
    );
    return x;
  }

  // KERNEL with a directive after the declaration: edited as usual.
  static variable_list backward(AutogradContext* ctx, variable_list grad) {
    at::AutoDispatchBelowADInplaceOrView guard;
#ifdef EMBER_SPLIT_GUARD_ARGUMENT
    return grad;
#else
    return {};
#endif
  }
};
