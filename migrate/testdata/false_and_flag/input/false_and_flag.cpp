// `false` and a runtime flag in kernel context are reported, not rewritten.
#include <ATen/core/LegacyTypeDispatch.h>
#include <c10/core/InferenceMode.h>

namespace torch { namespace autograd { struct AutogradContext; } }

void predict() {
  at::AutoNonVariableTypeMode off(false);
}

void kernel(torch::autograd::AutogradContext* ctx, bool flag) {
  at::AutoNonVariableTypeMode guard(flag);
}

void kernel_ok(torch::autograd::AutogradContext* ctx) {
  at::AutoNonVariableTypeMode guard(true);
}
