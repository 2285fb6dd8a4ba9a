#include "tensor/variable_hooks.h"

#include <atomic>

#include "tensor/check.h"

namespace ember {
namespace {

[[noreturn]] void need_autograd(const char* method) {
  detail::fail("Tensor::", method, " needs Ember's autograd, which is not linked into this program. Add "
               "\"@ember//autograd\" (or \"//autograd\" inside Ember) to your target's deps.");
}

class NoAutogradHooks final : public VariableHooksInterface {
 public:
  void set_requires_grad(const Tensor&, bool) const override { need_autograd("set_requires_grad()"); }
  const Tensor& grad(const Tensor&) const override { need_autograd("grad()"); }
  const std::shared_ptr<autograd::Node>& grad_fn(const Tensor&) const override { need_autograd("grad_fn()"); }
  bool is_leaf(const Tensor&) const override { need_autograd("is_leaf()"); }
  int64_t output_nr(const Tensor&) const override { need_autograd("output_nr()"); }
  bool is_view(const Tensor&) const override { need_autograd("is_view()"); }
  const Tensor& base(const Tensor&) const override { need_autograd("_base()"); }
  void retain_grad(const Tensor&) const override { need_autograd("retain_grad()"); }
  bool retains_grad(const Tensor&) const override { need_autograd("retains_grad()"); }
  void backward(const Tensor&, const Tensor&, bool, bool, TensorList) const override { need_autograd("backward()"); }
};

NoAutogradHooks no_autograd_hooks;
std::atomic<VariableHooksInterface*> hooks{nullptr};

}  // namespace

unsigned VariableHooksInterface::register_hook(const Tensor&, std::function<Tensor(const Tensor&)>) const {
  need_autograd("register_hook()");
}
void VariableHooksInterface::remove_hook(const Tensor&, unsigned) const { need_autograd("remove_hook()"); }
void VariableHooksInterface::requires_grad_(const Tensor&, bool) const { need_autograd("requires_grad_()"); }
Tensor& VariableHooksInterface::mutable_grad(const Tensor&) const { need_autograd("mutable_grad()"); }

void SetVariableHooks(VariableHooksInterface* h) { hooks.store(h, std::memory_order_release); }

VariableHooksInterface* GetVariableHooks() {
  VariableHooksInterface* h = hooks.load(std::memory_order_acquire);
  return h != nullptr ? h : &no_autograd_hooks;
}

}  // namespace ember
