#include "autograd/saved_variable.h"

#include <sstream>

#include "autograd/autograd_meta.h"
#include "tensor/check.h"
#include "tensor/tensor_util.h"

namespace ember {
namespace autograd {

SavedVariable::SavedVariable(const Tensor& t, bool is_output, const char* op) {
  if (!t.defined()) return;
  if (t.is_inference()) {
    std::ostringstream msg;
    msg << "Inference tensors cannot be saved for backward. To work around you can make a clone to get a normal "
           "tensor and use it in autograd. (Ember: "
        << op << " needs this tensor of sizes " << t.sizes() << " for its gradient, but it was created by "
        << t.unsafeGetTensorImpl()->creator()
        << " inside InferenceMode; clone() it outside InferenceMode to get a normal tensor.)";
    detail::fail(msg.str());
  }
  was_defined_ = true;
  is_output_ = is_output;
  requires_grad_ = t.requires_grad();
  // As LibTorch's is_leaf_: without regenerating a view's history here.
  had_grad_fn_ = !is_output && !impl::is_leaf(t);
  saved_version_ = t.unsafeGetTensorImpl()->version();
  if (is_output) {
    // An alias of the data with no autograd meta: see the header.
    data_ = detail::make_view(t, t.sizes(), t.strides(), t.storage_offset());
    if (AutogradMeta* meta = impl::get_autograd_meta(t)) {
      // An in-place op's result that is a view: its history is the view's,
      // regenerated through the base's CopySlices (LibTorch's
      // is_inplace_on_view), not the op's node, which CopySlices wraps.
      weak_grad_fn_ = meta->is_view_ ? impl::grad_fn(t) : meta->grad_fn_;
      output_nr_ = meta->output_nr_;
    }
  } else {
    data_ = t;
  }
}

void SavedVariable::reset_data() {
  if (!was_defined_) return;
  data_ = Tensor();
  released_ = true;
}

const char kErrBackwardTwice[] =
    "Trying to backward through the graph a second time (or directly access saved tensors after they have already "
    "been freed). Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). "
    "Specify retain_graph=True if you need to backward through the graph a second time or if you need to access "
    "saved tensors after calling backward.";

Tensor SavedVariable::unpack(const Node* owner) const {
  if (!was_defined_) return Tensor();
  EMBER_CHECK(!released_,
              kErrBackwardTwice, " (Ember: ", owner ? owner->name() : std::string("a node"),
              " already ran and freed what it saved; pass retain_graph=true to the first backward(), or rebuild "
              "the graph by running the forward again.)");
  // A saved input whose history detach_() has since cut: LibTorch 1.13
  // fails an internal assert here ("No grad_fn for non-leaf saved tensor");
  // later PyTorch refuses it with this sentence.
  EMBER_CHECK(!had_grad_fn_ || impl::grad_fn(data_) != nullptr,
              "Trying to use a saved tensor that has been detached in-place, i.e. with .detach_().This is not "
              "supported, please use out-of-place `.detach()` instead (Ember: ",
              owner ? owner->name() : std::string("a node"), " saved a tensor of sizes ", data_.sizes(),
              " that had a grad_fn; detach_() it after backward, or detach() a copy.)");
  uint32_t current = data_.unsafeGetTensorImpl()->version();
  if (current != saved_version_) {
    std::ostringstream msg;
    msg << "one of the variables needed for gradient computation has been modified by an inplace operation: ["
        << data_.toString() << " " << data_.sizes() << "]";
    std::shared_ptr<Node> fn = is_output_ ? weak_grad_fn_.lock() : impl::grad_fn(data_);
    uint32_t nr = is_output_ ? output_nr_ : (impl::get_autograd_meta(data_) ? impl::get_autograd_meta(data_)->output_nr_ : 0);
    if (fn) msg << ", which is output " << nr << " of " << fn->name() << ",";
    msg << " is at version " << current << "; expected version " << saved_version_
        << " instead. Hint: enable anomaly detection to find the operation that failed to compute its gradient, "
           "with torch.autograd.set_detect_anomaly(True). (Ember: "
        << (owner ? owner->name() : std::string("a node"))
        << " saved this tensor for backward and an in-place op changed it afterwards, including under "
           "InferenceMode or AutoDispatchBelowAutograd, which still bump versions; do that update on a clone(), "
           "or out of place.)";
    detail::fail(msg.str());
  }
  if (!is_output_) return data_;
  std::shared_ptr<Node> fn = weak_grad_fn_.lock();
  if (!fn) fn = weak_owner_.lock();
  if (!fn && !requires_grad_) return data_;
  // Give the alias back its history, so that double backward can go through it.
  Tensor out = detail::make_view(data_, data_.sizes(), data_.strides(), data_.storage_offset());
  if (fn) impl::set_history(out, fn, output_nr_);
  return out;
}

}  // namespace autograd
}  // namespace ember
