// Spelling hazards: where the replacement is written, what it names must be
// LibTorch's guard, and nothing around a site may change.
#include <ATen/core/LegacyTypeDispatch.h>
#include <c10/core/InferenceMode.h>

namespace torch { namespace autograd { struct AutogradContext; } }

// A user namespace with its own `c10` and `at` (a compatibility shim):
// inside it `c10::` and `at::` name the user's, so the replacements are
// anchored at the global namespace.
namespace app {
namespace c10 {
inline int shim_version() { return 1; }
}  // namespace c10
namespace at {
struct Tag {};
}  // namespace at

int predict(int x) {
  ::c10::InferenceMode guard(true);
  return x + c10::shim_version();
}

int backward_impl(torch::autograd::AutogradContext* ctx, int grad) {
  ::at::AutoDispatchBelowADInplaceOrView guard;
  return grad;
}
}  // namespace app

// Only `c10` shadowed: `at::` is spelled as is, `c10::` gets anchored.
namespace app2 {
namespace c10 {}
void predict() { ::c10::InferenceMode guard(true); }
}  // namespace app2

// A class named `at`: inside it `at::` is the class.
namespace tools {
namespace aten = ::at;
struct at {
  static int backward(torch::autograd::AutogradContext* ctx, int grad) {
    ::at::AutoDispatchBelowADInplaceOrView guard;
    return grad;
  }
};
}  // namespace tools

// A class named InferenceMode, and a member named `c10`: the qualified
// replacement still names LibTorch's guard, unanchored.
namespace runner {
class InferenceMode {
 public:
  int run() {
    c10::InferenceMode guard(true);
    return c10;
  }

 private:
  int c10 = 0;
};
}  // namespace runner

// A namespace alias spelling the guard.
namespace aten = ::at;
void warm_up() { c10::InferenceMode guard(true); }

// The guard in a multi-line macro body, each line ending with a backslash.
#define WITH_FAST_PATH(statement)            \
  do {                                      \
    c10::InferenceMode guard(true); \
    statement;                              \
  } while (0)

int score(int x) {
  WITH_FAST_PATH(x += 1);
  return x;
}

// Tabs around the spelling, and the name in a comment next to a real site.
int classify(int x) {
	c10::InferenceMode	guard(true);  // was: at::AutoNonVariableTypeMode(true)
  /* at::AutoNonVariableTypeMode */ return x;
}
