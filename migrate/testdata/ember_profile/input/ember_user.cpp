// Ember's own legacy guard gets Ember's replacement names and headers.
#include "modes/legacy_guards.h"

namespace ember { namespace autograd { struct AutogradContext; } }

void predict() {
  ember::AutoNonVariableTypeMode guard;
}

void custom_backward(ember::autograd::AutogradContext* ctx) {
  ember::AutoNonVariableTypeMode guard(true);
}
