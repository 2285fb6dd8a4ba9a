// AutogradMeta: what autograd knows about one tensor.
//
// A tensor gets one lazily: when it is made to require grad, gets a grad_fn,
// or is a view of a normal tensor (views record their base and how they were
// made, CreationMeta, so that a later in-place op can be checked and
// rebased). Tensors that never touch autograd carry none, which keeps
// InferenceMode and requires_grad=false code free of autograd state.
//
//   Tensor w = ember::ones({3}).set_requires_grad(true);   // meta: requires_grad
//   Tensor v = w.view({3, 1});   // meta: view of w, CreationMeta::DEFAULT, grad_fn ViewBackward0
#ifndef EMBER_AUTOGRAD_AUTOGRAD_META_H_
#define EMBER_AUTOGRAD_AUTOGRAD_META_H_

#include <cstdint>
#include <memory>
#include <mutex>

#include "autograd/node.h"
#include "tensor/tensor.h"

namespace ember {
namespace autograd {

// How a view was made; anything but DEFAULT forbids rebasing its history
// when it (or its base) is modified in place while grad is needed.
enum class CreationMeta : uint8_t { DEFAULT, IN_CUSTOM_FUNCTION, MULTI_OUTPUT_NODE, NO_GRAD_MODE, INFERENCE_MODE };
const char* toString(CreationMeta m);

struct AutogradMeta final : AutogradMetaInterface {
  bool requires_grad() const override {
    return requires_grad_ || grad_fn_ != nullptr || (is_view_ && base_.requires_grad());
  }

  bool requires_grad_ = false;  // Set by the user on leaves.
  Tensor grad_;                 // Leaves only.
  std::shared_ptr<Node> grad_fn_;
  uint32_t output_nr_ = 0;
  std::shared_ptr<RetainedGrad> retained_;  // Non-leaves after retain_grad().

  // The AccumulateGrad of a leaf, shared by every graph that uses the leaf.
  std::mutex mutex_;
  std::weak_ptr<Node> grad_accumulator_;

  // Views: the base (never itself a view), how the view was made, and the
  // version at which grad_fn_ was last right (see impl::grad_fn).
  bool is_view_ = false;
  Tensor base_;
  CreationMeta creation_meta_ = CreationMeta::DEFAULT;
  uint32_t attr_version_ = 0;

  // Forward-mode AD: the tangent at the current dual level.
  Tensor fw_grad_;
  uint64_t fw_level_ = 0;
};

namespace impl {

// The meta of `t`, or null.
inline AutogradMeta* get_autograd_meta(const Tensor& t) {
  return t.defined() ? static_cast<AutogradMeta*>(t.unsafeGetTensorImpl()->autograd_meta()) : nullptr;
}
// The meta of `t`, created if absent.
AutogradMeta* materialize_autograd_meta(const Tensor& t);

// grad_fn, regenerated for a view whose base (or a sibling view) changed in
// place since it was last set: PyTorch's NOTE [ View + Inplace detection ].
const std::shared_ptr<Node>& grad_fn(const Tensor& t);
// Where the gradient of `t` goes: its grad_fn, its AccumulateGrad, or nowhere.
Edge gradient_edge(const Tensor& t);
// The leaf's AccumulateGrad (created once, shared).
std::shared_ptr<Node> grad_accumulator(const Tensor& t);
// Makes `node` the grad_fn of the fresh result `t` (output `output_nr`).
void set_history(const Tensor& t, const std::shared_ptr<Node>& node, uint32_t output_nr = 0);
// After an in-place op recorded by `node` on `t`: makes `node` t's grad_fn,
// or, if `t` is a view, routes the base's history through CopySlices.
void rebase_history(const Tensor& t, std::shared_ptr<Node> node);
// Marks the result of a view op: `view` of `base` made under `meta`.
void set_view_info(const Tensor& view, const Tensor& base, CreationMeta meta);

// Checks done before an in-place op writes to `self`, when the op records
// history (`requires_grad`: grad mode on and some input requires grad): a
// leaf that requires grad, a view of one, or a view made under
// no_grad/InferenceMode/a custom Function. `op` names the op in the error.
void check_inplace(const Tensor& self, const char* op, bool requires_grad);

}  // namespace impl
}  // namespace autograd
}  // namespace ember

#endif  // EMBER_AUTOGRAD_AUTOGRAD_META_H_
