// --kernel-guard=remove: forward already runs below autograd, the guard goes.
// (Stand-ins for custom_function.h keep this case fast; function_kernel uses
// the real header.)
#include <ATen/core/LegacyTypeDispatch.h>

#include <vector>

namespace torch { namespace autograd {
struct AutogradContext;
template <class T> struct Function {};
} }

using torch::autograd::AutogradContext;
using variable_list = std::vector<int>;

struct ClampFunction : public torch::autograd::Function<ClampFunction> {
  static variable_list forward(AutogradContext* ctx, int input) {
    at::AutoNonVariableTypeMode guard(true);
    return {input};
  }
  static variable_list backward(AutogradContext* ctx, const variable_list& grad) {
    at::AutoNonVariableTypeMode guard(true);
    return {grad[0]};
  }
};
