#include "lib/guards.h"

namespace ember {
namespace autograd {
struct AutogradContext;
}  // namespace autograd
}  // namespace ember

int backward(ember::autograd::AutogradContext* ctx) {
  ember::AutoNonVariableTypeMode guard(true);
  return ctx == nullptr ? 0 : 1;
}
