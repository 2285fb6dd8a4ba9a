// The engine: runs a backward graph on the calling thread.
//
// micrograd's algorithm with dependency counts instead of a sorted list:
//   1. count, for every node reachable from the roots, how many edges enter it;
//   2. a node whose count reaches zero has all its gradients: it is ready;
//   3. run ready nodes, latest sequence number first, adding each output
//      gradient into the input buffer of the node its edge points to.
// Grad mode is off while nodes run unless create_graph, which records the
// backward computation itself (double backward). Without retain_graph each
// node frees its saved tensors after running, so a second backward fails
// with PyTorch's message.
//
//   Tensor loss = (x.mm(w).relu() * 2).sum();
//   loss.backward();                                   // w.grad() filled
//   auto g = ember::autograd::grad({loss2}, {w});      // returned, not accumulated
#ifndef EMBER_AUTOGRAD_ENGINE_H_
#define EMBER_AUTOGRAD_ENGINE_H_

#include "autograd/node.h"
#include "tensor/tensor.h"

namespace ember {
namespace autograd {

// Accumulates d(sum of outputs * grad_outputs)/d(leaf) into every leaf's .grad.
// An undefined grad_output means ones for a one-element output. With
// `inputs`, only into theirs (a non-leaf among them retains its gradient, as
// in LibTorch), and only the nodes that lead to them run.
void backward(const variable_list& outputs, const variable_list& grad_outputs = {}, bool retain_graph = false,
              bool create_graph = false, const variable_list& inputs = {});

// Returns d(sum of outputs * grad_outputs)/d(input) for each input, leaving
// .grad alone. retain_graph defaults to create_graph, as in PyTorch.
variable_list grad(const variable_list& outputs, const variable_list& inputs, const variable_list& grad_outputs = {},
                   int retain_graph = -1, bool create_graph = false, bool allow_unused = false);

}  // namespace autograd
}  // namespace ember

#endif  // EMBER_AUTOGRAD_ENGINE_H_
