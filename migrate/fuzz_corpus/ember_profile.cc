#include "modes/inference_mode.h"

struct Square : ember::autograd::Function<Square> {
  static int forward(ember::autograd::AutogradContext* ctx, int x) {
    ember::AutoNonVariableTypeMode guard(true);
    return x * x;
  }
};

int infer(int x) {
  ember::AutoNonVariableTypeMode guard;
  return Square::forward(nullptr, x);
}
