// nn::Module: a callable with parameters and child modules, LibTorch-style.
//
// A module registers its parameters (leaf tensors that require grad) and its
// children; parameters() walks them all, train()/eval() set the mode on the
// whole tree. Copying a module shares its parameters (tensors are handles).
//
//   struct Affine : ember::nn::Module {
//     Affine() { w = register_parameter("w", ember::ones({3})); }
//     Tensor forward(const Tensor& x) override { return x * w; }
//     Tensor w;
//   };
#ifndef EMBER_NN_MODULE_H_
#define EMBER_NN_MODULE_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "tensor/tensor.h"

namespace ember {
namespace nn {

class Module {
 public:
  virtual ~Module() = default;

  virtual Tensor forward(const Tensor& input) = 0;
  Tensor operator()(const Tensor& input) { return forward(input); }

  // Parameters of this module and (if `recurse`) of its descendants, in
  // registration order.
  std::vector<Tensor> parameters(bool recurse = true) const;
  std::vector<std::pair<std::string, Tensor>> named_parameters(bool recurse = true) const;
  const std::vector<std::pair<std::string, std::shared_ptr<Module>>>& children() const { return children_; }

  void train(bool on = true);
  void eval() { train(false); }
  bool is_training() const { return training_; }
  // Clears every parameter's .grad (those that have one), as LibTorch 1.13's:
  // the gradient is first detached from any graph (create_graph backward),
  // then zeroed in place, or reset to undefined with `set_to_none`.
  void zero_grad(bool set_to_none = false);

 protected:
  // Makes `t` a parameter: requires_grad(requires_grad), remembered by name.
  Tensor register_parameter(std::string name, Tensor t, bool requires_grad = true);
  void register_module(std::string name, std::shared_ptr<Module> module);

 private:
  std::vector<std::pair<std::string, Tensor>> parameters_;
  std::vector<std::pair<std::string, std::shared_ptr<Module>>> children_;
  bool training_ = true;
};

}  // namespace nn
}  // namespace ember

#endif  // EMBER_NN_MODULE_H_
