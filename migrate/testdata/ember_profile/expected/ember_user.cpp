// Ember's own legacy guard gets Ember's replacement names and headers.
#include "modes/inference_mode.h"
#include "modes/kernel_guards.h"
#include "modes/legacy_guards.h"

namespace ember { namespace autograd { struct AutogradContext; } }

void predict() {
  ember::InferenceMode guard;
}

void custom_backward(ember::autograd::AutogradContext* ctx) {
  ember::AutoDispatchBelowADInplaceOrView guard;
}
