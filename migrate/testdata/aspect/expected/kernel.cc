#include "migrate/testdata/aspect/guards.h"
#include "modes/kernel_guards.h"

namespace ember {
namespace autograd {
struct AutogradContext;
}  // namespace autograd
}  // namespace ember

#ifndef KERNEL_SITE
#error "parsed without the target's local_defines"
#endif

int backward(ember::autograd::AutogradContext* ctx) {
  ember::AutoDispatchBelowADInplaceOrView guard;
  return ctx == nullptr ? 0 : 1;
}
