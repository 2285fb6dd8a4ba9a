// Holders in kernel context: the no-argument kernel guard loses its `true`.
#include <ATen/core/LegacyTypeDispatch.h>
#include <c10/util/Optional.h>

#include <memory>

namespace torch { namespace autograd { struct AutogradContext; } }

void kernel(torch::autograd::AutogradContext* ctx) {
  auto owned = std::make_unique<at::AutoDispatchBelowADInplaceOrView>();
  std::unique_ptr<at::AutoDispatchBelowADInplaceOrView> later;
  later.reset(new at::AutoDispatchBelowADInplaceOrView());
  c10::optional<at::AutoDispatchBelowADInplaceOrView> maybe;
  maybe.emplace();
  at::AutoDispatchBelowADInplaceOrView copy_init = at::AutoDispatchBelowADInplaceOrView();
  auto deduced = at::AutoDispatchBelowADInplaceOrView{};
}

struct KernelState {
  explicit KernelState(torch::autograd::AutogradContext* ctx) : guard_() {}
  at::AutoDispatchBelowADInplaceOrView guard_;
};
