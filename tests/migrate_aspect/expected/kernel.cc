#include "lib/guards.h"
#include "modes/kernel_guards.h"

namespace ember {
namespace autograd {
struct AutogradContext;
}  // namespace autograd
}  // namespace ember

int backward(ember::autograd::AutogradContext* ctx) {
  ember::AutoDispatchBelowADInplaceOrView guard;
  return ctx == nullptr ? 0 : 1;
}
