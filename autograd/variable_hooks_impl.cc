// Installs //autograd behind Tensor's autograd methods (tensor/variable_hooks.h).
#include <sstream>

#include "autograd/autograd_meta.h"
#include "autograd/engine.h"
#include "modes/inference_mode.h"
#include "modes/warning.h"
#include "tensor/check.h"
#include "tensor/variable_hooks.h"

namespace ember {
namespace autograd {
namespace {

const Tensor undefined_tensor;

class AutogradHooks final : public VariableHooksInterface {
 public:
  void set_requires_grad(const Tensor& self, bool requires_grad) const override {
    if (requires_grad) {
      EMBER_CHECK(!(self.is_inference() && !InferenceMode::is_enabled()),
                  "Setting requires_grad=True on inference tensor outside InferenceMode is not allowed. (Ember: the "
                  "tensor of sizes ",
                  self.sizes(), " was created by ", self.unsafeGetTensorImpl()->creator(),
                  " inside InferenceMode; clone() it outside InferenceMode to get a normal tensor.)");
      EMBER_CHECK(self.is_floating_point(),
                  "Only Tensors of floating point and complex dtype can require gradients (Ember: this tensor is ",
                  self.dtype(), "; convert it with .to(ember::kFloat) first.)");
    }
    AutogradMeta* meta = impl::get_autograd_meta(self);
    if (!requires_grad && meta == nullptr) return;
    meta = impl::materialize_autograd_meta(self);
    meta->requires_grad_ = requires_grad;
  }

  void requires_grad_(const Tensor& self, bool requires_grad) const override {
    if (!requires_grad && !impl::is_leaf(self)) {
      // The history as recorded: grad_fn() would regenerate a view's after
      // its base changed, and may throw for it (a MULTI_OUTPUT_NODE piece),
      // where LibTorch gives this message.
      AutogradMeta* meta = impl::get_autograd_meta(self);
      std::shared_ptr<Node> fn;
      {
        std::lock_guard<MetaLock> lock(meta->mutex_);
        fn = meta->grad_fn_;
      }
      detail::fail("you can only change requires_grad flags of leaf variables. If you want to use a computed variable "
                   "in a subgraph that doesn't require differentiation use var_no_grad = var.detach(). (Ember: this "
                   "tensor was computed by ",
                   fn ? fn->name() : std::string("an op"), ".)");
    }
    set_requires_grad(self, requires_grad);
  }

  const Tensor& grad(const Tensor& self) const override {
    AutogradMeta* meta = impl::get_autograd_meta(self);
    if (meta == nullptr) return undefined_tensor;
    if (meta->retained_) return meta->retained_->grad;
    if (!meta->grad_.defined() && !impl::is_leaf(self)) {
      warn("The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad attribute won't "
           "be populated during autograd.backward(). If you indeed want the .grad field to be populated for a "
           "non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. If you access the non-leaf Tensor by "
           "mistake, make sure you access the leaf Tensor instead. See github.com/pytorch/pytorch/pull/30531 for "
           "more informations.");
    }
    return meta->grad_;
  }
  Tensor& mutable_grad(const Tensor& self) const override {
    AutogradMeta* meta = impl::materialize_autograd_meta(self);
    return meta->retained_ ? meta->retained_->grad : meta->grad_;
  }

  const std::shared_ptr<Node>& grad_fn(const Tensor& self) const override { return impl::grad_fn(self); }
  bool is_leaf(const Tensor& self) const override { return impl::is_leaf(self); }
  int64_t output_nr(const Tensor& self) const override {
    AutogradMeta* meta = impl::get_autograd_meta(self);
    return meta ? meta->output_nr_ : 0;
  }
  bool is_view(const Tensor& self) const override {
    AutogradMeta* meta = impl::get_autograd_meta(self);
    return meta != nullptr && meta->is_view_;
  }
  const Tensor& base(const Tensor& self) const override {
    AutogradMeta* meta = impl::get_autograd_meta(self);
    EMBER_CHECK(meta != nullptr && meta->is_view_, "Can't get base of non-view Tensor (Ember: _base() of a tensor of "
                "sizes ", self.sizes(), "; check is_view() first.)");
    return meta->base_;
  }
  void retain_grad(const Tensor& self) const override {
    EMBER_CHECK(self.requires_grad(), "can't retain_grad on Tensor that has requires_grad=False (Ember: tensor of "
                "sizes ", self.sizes(), ")");
    const std::shared_ptr<Node>& fn = impl::grad_fn(self);
    if (!fn) return;  // A leaf keeps its .grad anyway.
    AutogradMeta* meta = impl::get_autograd_meta(self);
    if (meta->retained_) return;
    meta->retained_ = std::make_shared<RetainedGrad>();
    impl::current_hooks(meta, fn).entries.push_back({nullptr, meta->retained_});
  }
  unsigned register_hook(const Tensor& self, std::function<Tensor(const Tensor&)> hook) const override {
    EMBER_CHECK(self.requires_grad(), "cannot register a hook on a variable that doesn't require gradient (Ember: "
                "the tensor of sizes ", self.sizes(), " has no history and does not require grad; call "
                "set_requires_grad(true) on the leaf first, outside NoGradGuard/InferenceMode.)");
    const std::shared_ptr<Node>& fn = impl::grad_fn(self);  // A view's regenerated grad_fn gets the hook.
    TensorHooks& hooks = impl::current_hooks(impl::materialize_autograd_meta(self), fn);
    hooks.entries.push_back({std::move(hook), nullptr});
    return static_cast<unsigned>(hooks.entries.size() - 1);
  }
  void remove_hook(const Tensor& self, unsigned handle) const override {
    AutogradMeta* meta = impl::get_autograd_meta(self);
    EMBER_CHECK(meta != nullptr && meta->hooks_ != nullptr && handle < meta->hooks_->entries.size(),
                "Invalid index, no hook at position ", handle, " (Ember: a handle names a hook registered on this "
                "tensor since its last in-place change; hooks registered before it stay with the old value.)");
    meta->hooks_->entries[handle].fn = nullptr;
  }
  bool retains_grad(const Tensor& self) const override {
    AutogradMeta* meta = impl::get_autograd_meta(self);
    return meta != nullptr && meta->retained_ != nullptr;
  }
  void backward(const Tensor& self, const Tensor& gradient, bool retain_graph, bool create_graph,
                TensorList inputs) const override {
    autograd::backward({self}, {gradient}, retain_graph, create_graph, variable_list(inputs.begin(), inputs.end()));
  }
};

AutogradHooks hooks;
const bool installed = (SetVariableHooks(&hooks), true);

}  // namespace
}  // namespace autograd
}  // namespace ember
