// A use in a macro argument is edited in place; one in a macro body is edited
// in the definition only when every expansion agrees.
#include <ATen/core/LegacyTypeDispatch.h>
#include <c10/core/InferenceMode.h>

namespace torch { namespace autograd { struct AutogradContext; } }

#define NO_GRAD_SCOPE c10::InferenceMode no_grad_guard(true)
#define WITH_GUARD(Guard) Guard scoped_guard
#define EITHER_GUARD at::AutoNonVariableTypeMode either_guard

void predict() {
  NO_GRAD_SCOPE;
  WITH_GUARD(c10::InferenceMode);
  EITHER_GUARD;
}

void predict_again() { NO_GRAD_SCOPE; }

void kernel(torch::autograd::AutogradContext* ctx) {
  EITHER_GUARD;
}
