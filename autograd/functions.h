// The nodes the built-in ops record.
//
// OpNode is one node type for every single-output op: a name (PyTorch's,
// "MulBackward0"), a plain function pointer holding the backward formula, the
// saved tensors and the few non-tensor values the formula needs. A formula
// returns one gradient per input and may ignore broadcasting and dtype: the
// engine conforms gradients to each input (see conform_gradient).
//
// AccumulateGrad adds into a leaf's .grad. CopySlices is what a base's history
// becomes after an in-place op on one of its views: it runs the op's backward
// on the view's slice of the base's gradient and passes the rest through.
#ifndef EMBER_AUTOGRAD_FUNCTIONS_H_
#define EMBER_AUTOGRAD_FUNCTIONS_H_

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "autograd/node.h"
#include "autograd/saved_variable.h"
#include "tensor/tensor.h"

namespace ember {
namespace autograd {

class OpNode final : public Node {
 public:
  using Formula = variable_list (*)(OpNode& node, const Tensor& grad);

  OpNode(const char* name, Formula formula) : name_(name), formula_(formula) {}

  variable_list apply(variable_list&& grads) override;
  std::string name() const override { return name_; }
  void release_variables() override;

  Tensor saved(size_t i) const { return saved_[i].unpack(this); }
  void save(const Tensor& t, bool is_output, const char* op) { saved_.emplace_back(t, is_output, op); }
  // Saves the result of this node's in-place op (`self_node` is this node).
  void save_inplace_result(const Tensor& t, const std::shared_ptr<Node>& self_node, const char* op) {
    saved_.emplace_back(t, true, op);
    saved_.back().set_owner(self_node);
  }
  void reserve_saved(size_t n) { saved_.reserve(n); }

  // Non-tensor state of the formula.
  Scalar scalar;
  DimVector ints;
  std::vector<DimVector> shapes;
  int64_t i0 = 0, i1 = 0, i2 = 0, i3 = 0;
  bool flag = false;

 private:
  const char* name_;
  Formula formula_;
  // Binary ops save at most two: inline, no allocation per node.
  InlineVector<SavedVariable, 2> saved_;
};

class AccumulateGrad final : public Node {
 public:
  explicit AccumulateGrad(Tensor variable);
  variable_list apply(variable_list&& grads) override;
  std::string name() const override { return "AccumulateGrad"; }
  const Tensor& variable() const { return variable_; }

 private:
  Tensor variable_;
  std::mutex mutex_;  // Two backward passes on two threads may reach one leaf.
};

// The node of an op whose outputs are pieces (views) of its one input:
// unbind, split and split_with_sizes, with LibTorch's names UnbindBackward0,
// SplitBackward0 and SplitWithSizesBackward0. Backward puts the pieces'
// gradients back together along `dim` (stack for unbind, cat for the
// splits), with zeros for the pieces no gradient reached, as LibTorch's
// unbind_backward and split_backward do.
class PiecesBackward final : public Node {
 public:
  PiecesBackward(const char* name, bool stacks, int64_t dim, std::vector<DimVector> piece_sizes);
  variable_list apply(variable_list&& grads) override;
  std::string name() const override { return name_; }

 private:
  const char* name_;
  bool stacks_;
  int64_t dim_;
  std::vector<DimVector> piece_sizes_;
};

// A tensor's geometry inside its storage (sizes, strides, storage offset).
struct ViewGeometry {
  DimVector sizes, strides;
  int64_t storage_offset = 0;
  static ViewGeometry of(const Tensor& t);
  // One past the last storage element it reaches (its offset if it is empty).
  int64_t storage_end() const;
};

// CopySlices works on the base's geometry, whatever its strides, as
// PyTorch's: the base's gradient is copied into a fresh tensor with the
// base's strides, and the view's slice of it is the as_strided view with the
// view's own geometry.
class CopySlices final : public Node {
 public:
  CopySlices(const Tensor& base, ViewGeometry view, std::shared_ptr<Node> fn);
  variable_list apply(variable_list&& grads) override;
  std::string name() const override { return "CopySlices"; }
  // As LibTorch's: lets go of the op's node, which its own place in the
  // graph may still need (a saved result whose view is gone gets its history
  // from that node directly), rather than freeing what the node saved.
  void release_variables() override { fn_.reset(); }

 private:
  ViewGeometry base_;
  ViewGeometry view_;
  std::shared_ptr<Node> fn_;
};

// The gradient of `input` for the as_strided view `output` of it (geometries
// in the same storage): the output's gradient is scattered into a buffer that
// stands for the storage and the input's elements are gathered back from it.
// Output dims of stride 0 (expand) sum their gradients; outputs whose elements
// otherwise overlap, and overlapping inputs, are refused with an error.
Tensor as_strided_backward(const Tensor& grad, const ViewGeometry& input, const ViewGeometry& output);

// The grad_fn of a view regenerated after its base changed: the gradient of
// an as_strided view of the base.
std::shared_ptr<Node> make_as_strided_backward(const Tensor& base, const Tensor& view);

}  // namespace autograd
}  // namespace ember

#endif  // EMBER_AUTOGRAD_FUNCTIONS_H_
