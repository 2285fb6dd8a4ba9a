#include "migrate/testdata/aspect/guards.h"

namespace ember {
namespace autograd {
struct AutogradContext;
}  // namespace autograd
}  // namespace ember

#ifndef KERNEL_SITE
#error "parsed without the target's local_defines"
#endif

int backward(ember::autograd::AutogradContext* ctx) {
  ember::AutoNonVariableTypeMode guard(true);
  return ctx == nullptr ? 0 : 1;
}
