#include "autograd/functions.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "autograd/autograd_meta.h"
#include "autograd/saved_variable.h"
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

namespace {

// LibTorch's utils::obeys_layout_contract: a dense leaf's gradient has the
// leaf's strides (where a dim has more than one element); any other leaf's
// gradient is contiguous.
bool obeys_layout_contract(const Tensor& grad, const Tensor& variable) {
  if (!variable.is_non_overlapping_and_dense()) return grad.is_contiguous();
  for (int64_t d = 0; d < grad.dim(); ++d)
    if (grad.size(d) != 1 && grad.stride(d) != variable.stride(d)) return false;
  return true;
}

Tensor clone_obey_contract(const Tensor& grad, const Tensor& variable) {
  if (!variable.is_non_overlapping_and_dense()) return grad.clone(MemoryFormat::Contiguous);
  Tensor out = empty_strided(variable.sizes(), variable.strides(), grad.dtype());
  out.copy_(grad);
  return out;
}

}  // namespace

// Leaves run as soon as they are ready: nothing after them depends on it.
AccumulateGrad::AccumulateGrad(Tensor variable) : Node(1, UINT64_MAX), variable_(std::move(variable)) {}

variable_list AccumulateGrad::apply(variable_list&& grads) {
  Tensor g = grads[0];
  if (!g.defined()) return {};
  AutogradMeta* meta = impl::materialize_autograd_meta(variable_);
  // The leaf's hooks see (and may replace) the gradient before it is added.
  if (std::shared_ptr<TensorHooks> hooks = meta->hooks_) g = hooks->run(std::move(g));
  // An in-place op gave the leaf a history after this graph was built: its
  // gradient now belongs to that history, so LibTorch refuses.
  EMBER_CHECK(!variable_.grad_fn(), "leaf variable has been moved into the graph interior (Ember: a tensor of sizes ",
              variable_.sizes(), " was a leaf when this graph used it, and an in-place op that recorded a history "
              "on it (", variable_.grad_fn()->name(), ") ran since; run that op on a clone, or build the graph "
              "after it.)");
  // A leaf detach_()ed (or set_requires_grad(false)) since this graph was
  // built gets nothing, as in LibTorch.
  if (!variable_.requires_grad()) return {};
  std::lock_guard<std::mutex> lock(mutex_);
  if (!meta->grad_.defined()) {
    // A copy: the incoming gradient may be an expanded view or shared. Laid
    // out as LibTorch's gradient layout contract says: like the leaf when the
    // leaf is dense, else contiguous.
    meta->grad_ = obeys_layout_contract(g, variable_) ? g.clone() : clone_obey_contract(g, variable_);
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

int64_t ViewGeometry::storage_end() const {
  int64_t last = storage_offset;
  for (size_t d = 0; d < sizes.size(); ++d) {
    if (sizes[d] == 0) return storage_offset;
    last += (sizes[d] - 1) * strides[d];
  }
  return last + 1;
}

namespace {

int64_t numel_of(IntArrayRef sizes) {
  int64_t n = 1;
  for (int64_t s : sizes) n *= s;
  return n;
}

// Whether two elements of the geometry may share a storage element: dims of
// size > 1 sorted by stride must each step over everything the smaller ones
// span (the usual sufficient test; it may refuse an exotic interleaving).
bool may_overlap(IntArrayRef sizes, IntArrayRef strides) {
  std::vector<std::pair<int64_t, int64_t>> dims;  // (stride, size)
  for (size_t d = 0; d < sizes.size(); ++d) {
    if (sizes[d] == 0) return false;
    if (sizes[d] > 1) dims.emplace_back(strides[d], sizes[d]);
  }
  std::sort(dims.begin(), dims.end());
  int64_t span = 1;  // Storage elements the smaller dims cover.
  for (const auto& [stride, size] : dims) {
    if (stride < span) return true;
    span = stride * (size - 1) + span;
  }
  return false;
}

DimVector without(const DimVector& v, size_t d) {
  DimVector out = v;
  out.erase(d);
  return out;
}

// Adds `g` into the elements of `buffer` that the geometry (sizes, strides,
// offset) reaches, once per output element, also where several output
// elements share one (PyTorch's index_add_ in storage space). Dims are peeled
// off, one index at a time, until what is left does not overlap: the dim
// whose removal ends the overlap at the fewest indices, else the shortest.
// In-place adds into views of buffer, so a graph is recorded under
// create_graph.
void add_into_storage(const Tensor& buffer, const Tensor& g, const DimVector& sizes, const DimVector& strides,
                      int64_t offset) {
  if (!may_overlap(sizes, strides)) {
    buffer.as_strided(sizes, strides, offset).add_(g);
    return;
  }
  size_t peel = sizes.size();
  for (size_t d = 0; d < sizes.size(); ++d) {
    if (sizes[d] < 2 || may_overlap(without(sizes, d), without(strides, d))) continue;
    if (peel == sizes.size() || sizes[d] < sizes[peel]) peel = d;
  }
  if (peel == sizes.size()) {
    for (size_t d = 0; d < sizes.size(); ++d) {
      if (sizes[d] > 1 && (peel == sizes.size() || sizes[d] < sizes[peel])) peel = d;
    }
  }
  const DimVector rest_sizes = without(sizes, peel), rest_strides = without(strides, peel);
  for (int64_t i = 0; i < sizes[peel]; ++i) {
    add_into_storage(buffer, g.select(static_cast<int64_t>(peel), i), rest_sizes, rest_strides,
                     offset + i * strides[peel]);
  }
}

}  // namespace

PiecesBackward::PiecesBackward(const char* name, bool stacks, int64_t dim, std::vector<DimVector> piece_sizes)
    : Node(static_cast<uint32_t>(piece_sizes.size())),
      name_(name),
      stacks_(stacks),
      dim_(dim),
      piece_sizes_(std::move(piece_sizes)) {}

variable_list PiecesBackward::apply(variable_list&& grads) {
  const ScalarType dtype = input_metas()[0].dtype;
  for (size_t i = 0; i < grads.size(); ++i) {
    if (!grads[i].defined()) grads[i] = zeros(piece_sizes_[i], dtype);
  }
  return {stacks_ ? stack(grads, dim_) : cat(grads, dim_)};
}

CopySlices::CopySlices(const Tensor& base, ViewGeometry view, std::shared_ptr<Node> fn)
    : Node(1), base_(ViewGeometry::of(base)), view_(std::move(view)), fn_(std::move(fn)) {
  add_next_edge(base);
  for (size_t i = 1; i < fn_->next_edges().size(); ++i) {
    mutable_next_edges().push_back(fn_->next_edges()[i]);
    mutable_input_metas().push_back(fn_->input_metas()[i]);
  }
}

variable_list CopySlices::apply(variable_list&& grads) {
  EMBER_CHECK(fn_ != nullptr, kErrBackwardTwice,
              " (Ember: CopySlices, for an in-place op on a view, already ran and let go of the op's node; pass "
              "retain_graph=true to the first backward().)");
  variable_list out(next_edges().size());
  const Tensor& grad = grads[0];
  if (!grad.defined()) return out;
  // As LibTorch's: the base's gradient in a fresh tensor with the base's
  // strides, whose storage starts at the base's first element, so the view's
  // geometry picks the view's slice of it whatever the base's layout (the
  // gaps of a non-dense base are zeroed first). Under create_graph the
  // result's history is then LibTorch's, CopySlices over a copy_, and
  // gradients of gradients are laid out as LibTorch's.
  const int64_t extent = base_.storage_end() - base_.storage_offset;
  Tensor result = empty_strided(base_.sizes, base_.strides, grad.dtype());
  if (extent != numel_of(base_.sizes)) result.as_strided({extent}, {1}, 0).zero_();
  result.copy_(grad);
  // An empty view is still a view of the result (at offset 0, which holds
  // it whatever its own offset): writing fn_'s gradient into it under
  // create_graph makes the result depend on it, as in LibTorch.
  Tensor slice = numel_of(view_.sizes) == 0
                     ? result.as_strided(view_.sizes, view_.strides, 0)
                     : result.as_strided(view_.sizes, view_.strides, view_.storage_offset - base_.storage_offset);
  // A row-major copy, as LibTorch's CopySlices passes: under create_graph
  // the gradients fn_ computes from it are laid out as LibTorch's.
  variable_list res = fn_->apply({slice.clone(MemoryFormat::Contiguous)});
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

Tensor as_strided_backward(const Tensor& grad, const ViewGeometry& input, const ViewGeometry& output) {
  // Output elements that share a storage element through a stride-0 dim
  // (what expand makes) add their gradients up.
  DimVector sizes = output.sizes;
  DimVector summed;
  for (size_t d = 0; d < sizes.size(); ++d) {
    if (output.strides[d] == 0 && sizes[d] > 1) {
      summed.push_back(static_cast<int64_t>(d));
      sizes[d] = 1;
    }
  }
  Tensor g = summed.empty() ? grad : grad.sum(summed, /*keepdim=*/true);
  // No gradient flows from an empty output: plain row-major zeros, as
  // LibTorch's (not zeros laid out like the input, which the storage buffer
  // below would give; its layout shows where gradients are summed).
  if (numel_of(input.sizes) == 0 || numel_of(sizes) == 0) return zeros(input.sizes, grad.dtype());
  const int64_t lo = std::min(input.storage_offset, output.storage_offset);
  const int64_t hi = std::max(input.storage_end(), output.storage_end());
  Tensor buffer = zeros({hi - lo}, grad.dtype());
  if (may_overlap(sizes, output.strides)) {
    // Output elements that share a storage element (sliding windows):
    // their gradients add up there.
    add_into_storage(buffer, g, sizes, output.strides, output.storage_offset - lo);
  } else {
    buffer.as_strided(sizes, output.strides, output.storage_offset - lo).copy_(g);
  }
  if (may_overlap(input.sizes, input.strides)) {
    // Input elements that share a storage element each get that element's
    // gradient divided by how many share it, as PyTorch's as_strided_backward
    // does (the shares add back up to it when they flow on). Storage the
    // input does not reach divides by 0; the input never reads it.
    Tensor count = zeros({hi - lo}, grad.dtype());
    add_into_storage(count, ones(input.sizes, grad.dtype()), input.sizes, input.strides, input.storage_offset - lo);
    buffer = buffer / count;
  }
  return buffer.as_strided(input.sizes, input.strides, input.storage_offset - lo);
}

std::shared_ptr<Node> make_as_strided_backward(const Tensor& base, const Tensor& view) {
  auto node = std::make_shared<OpNode>("AsStridedBackward0", [](OpNode& n, const Tensor& g) -> variable_list {
    return {as_strided_backward(g, {n.shapes[0], n.shapes[1], n.i0}, {n.shapes[2], n.shapes[3], n.i1})};
  });
  node->add_next_edge(base);
  node->shapes = {DimVector(base.sizes()), DimVector(base.strides()), DimVector(view.sizes()),
                  DimVector(view.strides())};
  node->i0 = base.storage_offset();
  node->i1 = view.storage_offset();
  return node;
}

}  // namespace autograd
}  // namespace ember
