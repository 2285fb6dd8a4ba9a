void f() {
  at
#include <torch/torch.h>
::AutoNonVariableTypeMode g(true);
  c10::
#define X 1
AutoNonVariableTypeMode h(
#if 1
true
#endif
);
}
