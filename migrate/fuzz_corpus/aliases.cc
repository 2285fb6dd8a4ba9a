#include <c10/core/InferenceMode.h>
using Guard = at::AutoNonVariableTypeMode;
typedef ::at::AutoNonVariableTypeMode LegacyGuard;

at::Tensor kernel_helper(torch::autograd::AutogradContext* ctx, at::Tensor x) {
  Guard g(true);
  return x;
}

int run_model() {
  Guard g;
  LegacyGuard other = true;
  return 0;
}
