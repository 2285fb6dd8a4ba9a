// Holders in kernel context: the no-argument kernel guard loses its `true`.
#include <ATen/core/LegacyTypeDispatch.h>
#include <c10/util/Optional.h>

#include <memory>

namespace torch { namespace autograd { struct AutogradContext; } }

void kernel(torch::autograd::AutogradContext* ctx) {
  auto owned = std::make_unique<at::AutoNonVariableTypeMode>(true);
  std::unique_ptr<at::AutoNonVariableTypeMode> later;
  later.reset(new at::AutoNonVariableTypeMode(true));
  c10::optional<at::AutoNonVariableTypeMode> maybe;
  maybe.emplace(true);
  at::AutoNonVariableTypeMode copy_init = at::AutoNonVariableTypeMode(true);
  auto deduced = at::AutoNonVariableTypeMode{true};
}

struct KernelState {
  explicit KernelState(torch::autograd::AutogradContext* ctx) : guard_(true) {}
  at::AutoNonVariableTypeMode guard_;
};
