// Included by both translation units, through two spellings: edited once.
#pragma once
#include <ATen/core/LegacyTypeDispatch.h>
#include <c10/core/InferenceMode.h>

namespace torch { namespace autograd { struct AutogradContext; } }

inline int warm_up(int x) {
  c10::InferenceMode guard(true);
  return x;
}

inline void kernel_prelude(torch::autograd::AutogradContext* ctx) {
  at::AutoDispatchBelowADInplaceOrView guard;
}
