#include "autograd/autograd_meta.h"

#include <sstream>

#include "autograd/functions.h"
#include "modes/grad_mode.h"
#include "tensor/check.h"

namespace ember {
namespace autograd {

const char* toString(CreationMeta m) {
  switch (m) {
    case CreationMeta::DEFAULT:
      return "DEFAULT";
    case CreationMeta::IN_CUSTOM_FUNCTION:
      return "IN_CUSTOM_FUNCTION";
    case CreationMeta::MULTI_OUTPUT_NODE:
      return "MULTI_OUTPUT_NODE";
    case CreationMeta::NO_GRAD_MODE:
      return "NO_GRAD_MODE";
    case CreationMeta::INFERENCE_MODE:
      return "INFERENCE_MODE";
  }
  return "?";
}

namespace impl {
namespace {

// PyTorch's handle_view_on_rebase: a header naming the view (by its node
// when it has one) and what was modified, then the reason for its
// CreationMeta. `indirect`: its base or a sibling was modified, not it.
[[noreturn]] void throw_view_on_rebase(const Tensor& view, const AutogradMeta& meta, bool indirect, const char* op) {
  std::ostringstream msg;
  const char* modified = indirect ? "its base or another view of its base has been" : "is being";
  const CreationMeta creation_meta = meta.creation_meta_;
  const Node* grad_fn = meta.grad_fn_.get();
  const bool made_in_a_mode = creation_meta == CreationMeta::INFERENCE_MODE || creation_meta == CreationMeta::NO_GRAD_MODE;
  if (made_in_a_mode || grad_fn == nullptr) {
    if (grad_fn != nullptr) {
      msg << "Output " << meta.output_nr_ << " of " << grad_fn->name() << " is a view of a view which was created in";
    } else {
      msg << "A view was created in";
    }
    // LibTorch 1.13 says "no_grad mode" for every view without a grad_fn
    // that was not made in InferenceMode: an output of unbind or split whose
    // input does not require grad is refused as one made in no_grad mode
    // when the other operand of the in-place op requires grad.
    if (creation_meta == CreationMeta::INFERENCE_MODE) {
      msg << " inference mode and " << modified << " modified inplace in normal mode.";
    } else {
      msg << " no_grad mode and " << modified << " modified inplace with grad mode enabled.";
    }
  } else {
    msg << "Output " << meta.output_nr_ << " of " << grad_fn->name() << " is a view and " << modified
        << " modified inplace.";
  }
  switch (creation_meta) {
    case CreationMeta::MULTI_OUTPUT_NODE:
      msg << " This view is the output of a function that returns multiple views. Such functions do not allow the "
             "output views to be modified inplace. You should replace the inplace operation by an out-of-place one.";
      break;
    case CreationMeta::NO_GRAD_MODE:
      msg << " Given that this use case is ambiguous and error-prone, it is forbidden. You can clarify your code by "
             "moving both the view and the inplace either both inside the no_grad block (if you don't want the "
             "inplace to be tracked) or both outside (if you want the inplace to be tracked).";
      break;
    case CreationMeta::INFERENCE_MODE:
      msg << " Given that this use case is ambiguous and error-prone, it is forbidden. You can clarify your code by "
             "moving both the view and the inplace either both inside the inference_mode block (if you don't want "
             "the inplace to be tracked) or both outside (if you want the inplace to be tracked).";
      break;
    case CreationMeta::IN_CUSTOM_FUNCTION:
      msg << " This view was created inside a custom Function (or because an input was returned as-is) and the "
             "autograd logic to handle view+inplace would override the custom backward associated with the custom "
             "Function, leading to incorrect gradients. This behavior is forbidden. You can fix this by cloning the "
             "output of the custom Function.";
      break;
    case CreationMeta::DEFAULT:
      break;
  }
  const bool base_requires_grad = meta.base_.defined() && meta.base_.requires_grad();
  msg << " (Ember: " << (indirect ? "a view" : op) << " of sizes " << view.sizes() << " made with CreationMeta::"
      << toString(creation_meta) << "; "
      << (base_requires_grad ? "its base requires grad" : "an operand of the in-place op requires grad")
      << ". Fix: clone() the view, or ";
  switch (creation_meta) {
    case CreationMeta::INFERENCE_MODE:
      msg << "keep the view and the in-place op on the same side of the InferenceMode guard.)";
      break;
    case CreationMeta::MULTI_OUTPUT_NODE:
      msg << "use the out-of-place op.)";
      break;
    default:
      msg << "keep the view and the in-place op in the same mode.)";
  }
  detail::fail(msg.str());
}

std::shared_ptr<Node> null_node;

}  // namespace

AutogradMeta* materialize_autograd_meta(const Tensor& t) {
  TensorImpl* impl = t.unsafeGetTensorImpl();
  if (impl->autograd_meta() == nullptr) impl->set_autograd_meta(std::make_unique<AutogradMeta>());
  return static_cast<AutogradMeta*>(impl->autograd_meta());
}

const std::shared_ptr<Node>& grad_fn(const Tensor& t) {
  AutogradMeta* meta = get_autograd_meta(t);
  if (meta == nullptr) return null_node;
  if (!meta->is_view_) return meta->grad_fn_;
  const bool maybe_none = !meta->view_has_grad_fn_.load(std::memory_order_relaxed) && !meta->base_.requires_grad();
  // Two threads may ask for one view's grad_fn; only one regenerates it.
  std::lock_guard<MetaLock> lock(meta->mutex_);
  // As LibTorch: no history only if the view never had one. One regenerated
  // earlier (AsStridedBackward0) stays, even once the base no longer
  // requires grad (detach_()).
  if (maybe_none && meta->grad_fn_ == nullptr) return null_node;
  uint32_t current = t.unsafeGetTensorImpl()->version();
  if (meta->attr_version_ != current) {
    // The base or another view of it changed in place: this view's history
    // now goes through the base's (rebased) history.
    if (meta->creation_meta_ != CreationMeta::DEFAULT) throw_view_on_rebase(t, *meta, /*indirect=*/true, "");
    meta->grad_fn_ = make_as_strided_backward(meta->base_, t);
    meta->output_nr_ = 0;
    meta->attr_version_ = current;
    if (meta->grad_fn_ != nullptr) meta->view_has_grad_fn_.store(true, std::memory_order_relaxed);
    update_hooks_on_new_grad_fn(meta, meta->grad_fn_);
  }
  return meta->grad_fn_;
}

bool is_leaf(const Tensor& t) {
  AutogradMeta* meta = get_autograd_meta(t);
  if (meta == nullptr) return true;
  if (!meta->is_view_) return meta->grad_fn_ == nullptr;
  std::lock_guard<MetaLock> lock(meta->mutex_);  // grad_fn() may be regenerating it
  return meta->grad_fn_ == nullptr;
}

std::shared_ptr<Node> grad_accumulator(const Tensor& t) {
  AutogradMeta* meta = materialize_autograd_meta(t);
  std::lock_guard<MetaLock> lock(meta->mutex_);
  std::shared_ptr<Node> acc = meta->grad_accumulator_.lock();
  if (!acc) {
    // Made again whenever the last graph using the leaf is gone (a loop of
    // ops on a leaf makes one per op): from this thread's block cache.
    acc = std::allocate_shared<AccumulateGrad>(impl::CachingAllocator<AccumulateGrad>(), t);
    meta->grad_accumulator_ = acc;
  }
  return acc;
}

Edge gradient_edge(const Tensor& t) {
  const std::shared_ptr<Node>& fn = grad_fn(t);
  if (fn) return Edge(fn, get_autograd_meta(t)->output_nr_);
  // A leaf accumulates only if it was made to require grad itself, as
  // LibTorch's grad_accumulator: a view made under NoGradGuard or in
  // InferenceMode of a base that requires grad says requires_grad() (from
  // its base) but has no edge, so no gradient reaches it or its base.
  const AutogradMeta* meta = get_autograd_meta(t);
  if (meta != nullptr && meta->requires_grad_) return Edge(grad_accumulator(t), 0);
  return Edge();
}

namespace {
// Reached only when a kernel gives a non-floating result for an input that
// requires grad: an empty mm of a Long and a Double matrix skips the dtype
// check (LibTorch's check is in data_ptr, which an empty tensor never reads).
// LibTorch fails an internal assert there.
[[noreturn, gnu::cold]] void throw_history_on_non_floating_result(const Tensor& t, const Node& node) {
  detail::fail("isDifferentiableType(variable.scalar_type()): ", node.name(), " would give its ", t.dtype(),
               " result of sizes ", t.sizes(),
               " a gradient history, but only floating point tensors can require gradients. (Ember: an input of the "
               "op requires grad and the inputs' dtypes differ; LibTorch fails an internal assert here. Give the "
               "inputs one floating point dtype with .to(ember::kFloat) or .to(ember::kDouble).)");
}
}  // namespace

void set_history(const Tensor& t, std::shared_ptr<Node> node, uint32_t output_nr) {
  if (__builtin_expect(!isFloatingType(t.dtype()), 0)) throw_history_on_non_floating_result(t, *node);
  AutogradMeta* meta = materialize_autograd_meta(t);
  meta->grad_fn_ = std::move(node);
  meta->output_nr_ = output_nr;
  // A fresh result has no hooks; a custom Function's dirty input may.
  if (__builtin_expect(meta->hooks_ != nullptr, 0)) update_hooks_on_new_grad_fn(meta, meta->grad_fn_);
  if (meta->is_view_) {
    meta->attr_version_ = t.unsafeGetTensorImpl()->version();
    meta->view_has_grad_fn_.store(meta->grad_fn_ != nullptr, std::memory_order_relaxed);
  }
}

void rebase_history(const Tensor& t, std::shared_ptr<Node> node) {
  AutogradMeta* meta = materialize_autograd_meta(t);
  if (!meta->is_view_) {
    meta->grad_fn_ = std::move(node);
    meta->output_nr_ = 0;
    update_hooks_on_new_grad_fn(meta, meta->grad_fn_);
    return;
  }
  // In-place on a view: the base's new history is "the old one, except that
  // this slice went through `node`". The view's own grad_fn is regenerated
  // from the base on next use (its version changed).
  const Tensor& base = meta->base_;
  auto copy_slices = std::make_shared<CopySlices>(base, ViewGeometry::of(t), std::move(node));
  // The base's hooks and retain_grad stay on its old grad_fn, as in LibTorch
  // 1.13 (set_gradient_edge leaves them): they see the gradient of the value
  // from before the in-place op.
  AutogradMeta* base_meta = materialize_autograd_meta(base);
  base_meta->grad_fn_ = std::move(copy_slices);
  base_meta->output_nr_ = 0;
  grad_fn(t);
}

TensorHooks& current_hooks(AutogradMeta* meta, const std::shared_ptr<Node>& fn) {
  if (!meta->hooks_) {
    meta->hooks_ = std::make_shared<TensorHooks>();
    if (fn) fn->tensor_hooks().emplace_back(meta->output_nr_, meta->hooks_);
  }
  return *meta->hooks_;
}

void update_hooks_on_new_grad_fn(AutogradMeta* meta, const std::shared_ptr<Node>& new_fn) {
  if (!meta->hooks_) return;
  std::shared_ptr<TensorHooks> old = std::move(meta->hooks_);
  meta->hooks_ = nullptr;
  if (!meta->retained_) return;
  for (TensorHooks::Entry& e : old->entries) {
    if (e.retain == meta->retained_) e.retain = nullptr;
  }
  current_hooks(meta, new_fn).entries.push_back({nullptr, meta->retained_});
}

void set_view_info(const Tensor& view, const Tensor& base, CreationMeta creation_meta) {
  AutogradMeta* meta = materialize_autograd_meta(view);
  AutogradMeta* base_meta = get_autograd_meta(base);
  meta->is_view_ = true;
  if (base_meta != nullptr && base_meta->is_view_) {
    meta->base_ = base_meta->base_;
    // A view of a view is never less restricted than its base view, and a
    // view made in InferenceMode stays INFERENCE_MODE, the most restricted,
    // through views made later in any mode (PyTorch's propagate_creation_meta).
    CreationMeta previous = base_meta->creation_meta_;
    if (creation_meta == CreationMeta::DEFAULT || previous == CreationMeta::INFERENCE_MODE) creation_meta = previous;
  } else {
    meta->base_ = base;
  }
  meta->creation_meta_ = creation_meta;
  meta->attr_version_ = view.unsafeGetTensorImpl()->version();
}

void check_inplace(const Tensor& self, const char* op, bool requires_grad) {
  AutogradMeta* meta = get_autograd_meta(self);
  if (meta == nullptr || !requires_grad) return;
  if (meta->is_view_) {
    if (meta->creation_meta_ != CreationMeta::DEFAULT) throw_view_on_rebase(self, *meta, /*indirect=*/false, op);
    // LibTorch's test: the view requires grad and its base is a leaf (a
    // base that detach_() made a leaf counts, though it requires no grad).
    EMBER_CHECK(!(self.requires_grad() && meta->base_.is_leaf()),
                "a view of a leaf Variable that requires grad is being used in an in-place operation. (Ember: ", op,
                " on a view of sizes ", self.sizes(), " of a leaf of sizes ", meta->base_.sizes(),
                "; nothing was written. Do the update under NoGradGuard if it is an initialisation, or on a "
                "clone().)");
  }
  if (!meta->is_view_) {
    EMBER_CHECK(!(meta->requires_grad_ && meta->grad_fn_ == nullptr),
                "a leaf Variable that requires grad is being used in an in-place operation. (Ember: ", op,
                " on a leaf of sizes ", self.sizes(),
                "; nothing was written. Do the update under NoGradGuard if it is an initialisation or an optimiser "
                "step, or on a clone().)");
    return;
  }
  // LibTorch's test reads a view's history field as is_leaf() does: a view
  // made before its base required grad, whose grad_fn nobody asked for
  // since, counts as a leaf.
  EMBER_CHECK(!(self.requires_grad() && is_leaf(self)),
              "a leaf Variable that requires grad is being used in an in-place operation. (Ember: ", op,
              " on a view of sizes ", self.sizes(),
              " made before its base required grad; nothing was written. Take the view again from the base, or "
              "read its grad_fn() first.)");
}

}  // namespace impl
}  // namespace autograd
}  // namespace ember
