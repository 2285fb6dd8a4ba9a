// Called from a kernel in one translation unit and from user code in another.
#pragma once
#include <ATen/core/LegacyTypeDispatch.h>

namespace torch { namespace autograd { struct AutogradContext; } }

inline void step() {
  at::AutoNonVariableTypeMode guard(true);
}
