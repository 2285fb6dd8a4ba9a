// SavedVariable: a tensor a Node keeps for its backward formula.
//
// It remembers the tensor's version when saved; unpacking after an in-place
// change throws PyTorch's "modified by an inplace operation" error with both
// versions. A saved *output* of the node keeps only an alias of the data and
// a weak reference to the node (a strong one would be a cycle: output ->
// grad_fn -> saved output). Inference tensors cannot be saved: they have no
// version counter to check.
//
//   SavedVariable s(x, /*is_output=*/false, "mul");
//   x.add_(1);
//   s.unpack(node);   // throws: "... is at version 1; expected version 0 instead."
#ifndef EMBER_AUTOGRAD_SAVED_VARIABLE_H_
#define EMBER_AUTOGRAD_SAVED_VARIABLE_H_

#include <cstdint>
#include <memory>

#include "autograd/node.h"
#include "tensor/tensor.h"

namespace ember {
namespace autograd {

// PyTorch's ERR_BACKWARD_TWICE: the first sentences of what a node of a
// freed graph says.
extern const char kErrBackwardTwice[];

class SavedVariable {
 public:
  SavedVariable() = default;
  // `op` names the forward op in the error for an inference tensor.
  SavedVariable(const Tensor& t, bool is_output, const char* op);

  // The saved tensor; `owner` is the node unpacking it (for the messages).
  Tensor unpack(const Node* owner = nullptr) const;
  // Drops the data after a backward without retain_graph.
  void reset_data();
  bool defined() const { return was_defined_; }
  // For the result of an in-place op on a view: the node that saved it, the
  // history it is given back when the view's own (regenerated, held weakly)
  // is gone, as LibTorch's unpack falls back to `saved_for`.
  void set_owner(const std::shared_ptr<Node>& owner) { weak_owner_ = owner; }

 private:
  Tensor data_;
  std::weak_ptr<Node> weak_grad_fn_;  // Saved outputs: their grad_fn.
  std::weak_ptr<Node> weak_owner_;
  uint32_t output_nr_ = 0;
  uint32_t saved_version_ = 0;
  bool was_defined_ = false;
  bool is_output_ = false;
  bool requires_grad_ = false;
  bool released_ = false;
  bool had_grad_fn_ = false;  // A saved input that had history when saved.
};

}  // namespace autograd
}  // namespace ember

#endif  // EMBER_AUTOGRAD_SAVED_VARIABLE_H_
