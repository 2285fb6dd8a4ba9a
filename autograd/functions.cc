#include "autograd/functions.h"

#include "autograd/autograd_meta.h"
#include "modes/grad_mode.h"
#include "tensor/check.h"

namespace ember {
namespace autograd {

variable_list OpNode::apply(variable_list&& grads) {
  // Every recorded op has one output; no gradient in means none out.
  if (!grads[0].defined()) return variable_list(next_edges().size());
  return formula_(*this, grads[0]);
}

void OpNode::release_variables() {
  for (SavedVariable& s : saved_) s.reset_data();
}

AccumulateGrad::AccumulateGrad(Tensor variable) : Node(1), variable_(std::move(variable)) {
  // Leaves run as soon as they are ready: nothing after them depends on it.
  sequence_nr_ = UINT64_MAX;
}

variable_list AccumulateGrad::apply(variable_list&& grads) {
  const Tensor& g = grads[0];
  if (!g.defined()) return {};
  std::lock_guard<std::mutex> lock(mutex_);
  AutogradMeta* meta = impl::materialize_autograd_meta(variable_);
  if (!meta->grad_.defined()) {
    // A copy: the incoming gradient may be an expanded view or shared.
    meta->grad_ = g.clone();
  } else if (GradMode::is_enabled()) {
    meta->grad_ = meta->grad_ + g;  // create_graph: keep the history of both.
  } else {
    meta->grad_.add_(g);
  }
  return {};
}

ViewGeometry ViewGeometry::of(const Tensor& t) {
  ViewGeometry g;
  g.sizes = t.sizes();
  g.strides = t.strides();
  g.storage_offset = t.storage_offset();
  return g;
}

CopySlices::CopySlices(const Tensor& base, ViewGeometry view, std::shared_ptr<Node> fn)
    : Node(1),
      base_sizes_(base.sizes()),
      base_strides_(base.strides()),
      base_offset_(base.storage_offset()),
      view_(std::move(view)),
      fn_(std::move(fn)) {
  add_next_edge(base);
  for (size_t i = 1; i < fn_->next_edges().size(); ++i) {
    mutable_next_edges().push_back(fn_->next_edges()[i]);
    mutable_input_metas().push_back(fn_->input_metas()[i]);
  }
}

variable_list CopySlices::apply(variable_list&& grads) {
  variable_list out(next_edges().size());
  const Tensor& grad = grads[0];
  if (!grad.defined()) return out;
  Tensor result = grad.clone();  // Contiguous, shaped like the base.
  EMBER_CHECK(base_strides_ == IntArrayRef(contiguous_strides(base_sizes_)),
              "Ember cannot yet route gradients through an in-place update of a view whose base is not contiguous "
              "(base sizes ",
              IntArrayRef(base_sizes_), ", strides ", IntArrayRef(base_strides_),
              "). Make the base with contiguous() before taking views.");
  Tensor slice = result.as_strided(view_.sizes, view_.strides, view_.storage_offset - base_offset_);
  variable_list res = fn_->apply({slice.clone()});
  for (size_t i = 0; i < res.size(); ++i) {
    if (res[i].defined() && i < fn_->input_metas().size()) res[i] = conform_gradient(res[i], fn_->input_metas()[i], *fn_, i);
  }
  if (res[0].defined()) {
    slice.copy_(res[0]);
  } else {
    slice.zero_();
  }
  out[0] = result;
  for (size_t i = 1; i < res.size() && i < out.size(); ++i) out[i] = res[i];
  return out;
}

std::shared_ptr<Node> make_as_strided_backward(const Tensor& base, const Tensor& view) {
  auto node = std::make_shared<OpNode>("AsStridedBackward0", [](OpNode& n, const Tensor& g) -> variable_list {
    Tensor result = zeros(n.shapes[0], g.dtype());
    result.as_strided(n.shapes[1], n.shapes[2], n.i0).copy_(g);
    return {result};
  });
  EMBER_CHECK(base.is_contiguous(),
              "Ember cannot yet route gradients through a view whose base is not contiguous and was modified in "
              "place (base sizes ",
              base.sizes(), ", strides ", base.strides(), "). Make the base with contiguous() before taking views.");
  node->add_next_edge(base);
  node->shapes = {DimVector(base.sizes()), DimVector(view.sizes()), DimVector(view.strides())};
  node->i0 = view.storage_offset() - base.storage_offset();
  return node;
}

}  // namespace autograd
}  // namespace ember
