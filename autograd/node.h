// Node and Edge: the backward graph.
//
// Every op that records history creates one Node (its "grad_fn"). A Node
// maps the gradients of its forward outputs to the gradients of its forward
// inputs (`apply`), and `next_edges()[i]` says where the i-th of those goes:
// the grad_fn of that input (and which of its outputs the input was), or the
// AccumulateGrad of a leaf. An Edge to nowhere marks an input that needs no
// gradient. Sequence numbers grow with creation, so the engine can run later
// nodes first and every run visits nodes in the same order.
//
//   Tensor y = (w * x).sum();     // y.grad_fn(): SumBackward0
//   y.grad_fn()->next_edges()[0]  // {MulBackward0, 0}
//   ...->next_edges()[0]          // {AccumulateGrad of w, 0}
#ifndef EMBER_AUTOGRAD_NODE_H_
#define EMBER_AUTOGRAD_NODE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "autograd/inline_vector.h"
#include "tensor/tensor.h"

namespace ember {
namespace autograd {

using variable_list = std::vector<Tensor>;
using tensor_list = std::vector<Tensor>;

class Node;

struct Edge {
  Edge() = default;
  Edge(std::shared_ptr<Node> fn, uint32_t nr) : function(std::move(fn)), input_nr(nr) {}
  bool is_valid() const { return function != nullptr; }

  std::shared_ptr<Node> function;
  uint32_t input_nr = 0;
};

// What a gradient flowing to one forward input must look like: the engine
// sums broadcast dims away and casts to the input's dtype (so backward
// formulas can ignore broadcasting and type promotion).
struct InputMeta {
  DimVector sizes;
  ScalarType dtype = kFloat;
};

// A node's edges and input metadata: one per forward input, two inline (see
// inline_vector.h).
using edge_list = InlineVector<Edge, 2>;
using input_meta_list = InlineVector<InputMeta, 2>;

// The gradient of a non-leaf that called retain_grad(); shared by its
// AutogradMeta and its grad_fn, so neither outlives the other's view of it.
struct RetainedGrad {
  Tensor grad;
};

// One tensor's gradient hooks (Tensor::register_hook, retain_grad) on one
// node, PyTorch's tensor pre-hooks: they run in registration order on the
// gradient of the node's output `output_nr` before the node runs; a hook may
// return a replacement. A leaf's hooks are run by its AccumulateGrad before
// accumulating. A removed hook leaves an empty entry: handles are positions.
struct TensorHooks {
  struct Entry {
    std::function<Tensor(const Tensor&)> fn;
    std::shared_ptr<RetainedGrad> retain;  // retain_grad()'s entry.
  };
  std::vector<Entry> entries;
  // `grad` after every hook, with PyTorch's checks on a replacement.
  Tensor run(Tensor grad) const;
};

// Not enable_shared_from_this (LibTorch's Node is): nothing needs
// shared_from_this, and its weak reference cost two atomic updates per node
// and kept every node off shared_ptr's release path for objects nobody
// observes weakly (one load instead of two atomic decrements).
class Node {
 public:
  explicit Node(uint32_t num_inputs = 1);
  // Releases a long chain of nodes iteratively (PyTorch's deleteNode): a
  // graph of a million in-place ops must not overflow the stack.
  virtual ~Node();
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  // Gradients of the forward outputs in, gradients of the forward inputs out
  // (one per next edge; undefined where no gradient flows).
  virtual variable_list apply(variable_list&& grads) = 0;
  // PyTorch's names: "MulBackward0", "AccumulateGrad", ...
  virtual std::string name() const = 0;
  // Frees saved tensors after a backward without retain_graph.
  virtual void release_variables() {}

  uint64_t sequence_nr() const { return sequence_nr_; }
  uint32_t num_inputs() const { return num_inputs_; }
  void set_num_inputs(uint32_t n) { num_inputs_ = n; }
  const edge_list& next_edges() const { return next_edges_; }
  edge_list& mutable_next_edges() { return next_edges_; }
  const input_meta_list& input_metas() const { return input_metas_; }
  input_meta_list& mutable_input_metas() { return input_metas_; }
  // Adds an edge to `input`'s history (or to nowhere if it needs no grad),
  // remembering its shape and dtype.
  void add_next_edge(const Tensor& input);
  void reserve_edges(size_t n) {
    next_edges_.reserve(n);
    input_metas_.reserve(n);
  }
  bool should_compute_output(size_t i) const { return i < next_edges_.size() && next_edges_[i].is_valid(); }

  // Hooks of the tensors this node made, by output number.
  std::vector<std::pair<uint32_t, std::shared_ptr<TensorHooks>>>& tensor_hooks() { return tensor_hooks_; }

 protected:
  // For nodes whose sequence number is fixed rather than drawn from the
  // shared counter (AccumulateGrad: one atomic increment less per leaf edge).
  Node(uint32_t num_inputs, uint64_t sequence_nr) : sequence_nr_(sequence_nr), num_inputs_(num_inputs) {}

  uint64_t sequence_nr_;

 private:
  uint32_t num_inputs_;
  edge_list next_edges_;
  input_meta_list input_metas_;
  std::vector<std::pair<uint32_t, std::shared_ptr<TensorHooks>>> tensor_hooks_;
};

// Sums `grad` down to `meta.sizes` (undoing broadcasting) and casts it to
// `meta.dtype`; `node` and `index` name the gradient in the error for a shape
// that no broadcast explains.
Tensor conform_gradient(const Tensor& grad, const InputMeta& meta, const Node& node, size_t index);

}  // namespace autograd
}  // namespace ember

#endif  // EMBER_AUTOGRAD_NODE_H_
