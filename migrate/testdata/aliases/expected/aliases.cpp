// Aliases are edited where they are declared, once, when every use agrees.
#include <ATen/core/LegacyTypeDispatch.h>
#include <c10/core/InferenceMode.h>

namespace torch { namespace autograd { struct AutogradContext; } }

using InferenceGuard = c10::InferenceMode;  // only user code uses it
typedef at::AutoNonVariableTypeMode LegacyGuard;     // used in both contexts: MANUAL

void predict() {
  InferenceGuard guard(true);
}

void predict_twice() {
  InferenceGuard guard;
  LegacyGuard legacy;
}

void kernel_step(torch::autograd::AutogradContext* ctx) {
  LegacyGuard legacy(true);
}
