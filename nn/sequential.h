// nn::Sequential: runs its modules in order, each on the previous output.
// Modules are taken by value and shared (a copy shares parameters), and are
// registered as children "0", "1", ... as in LibTorch.
//
//   ember::nn::Sequential model(ember::nn::Linear(10, 20), ember::nn::ReLU(), ember::nn::Linear(20, 5));
//   model.eval();
//   Tensor y = model(x);
#ifndef EMBER_NN_SEQUENTIAL_H_
#define EMBER_NN_SEQUENTIAL_H_

#include <memory>
#include <string>
#include <type_traits>
#include <utility>

#include "nn/module.h"

namespace ember {
namespace nn {

class Sequential final : public Module {
 public:
  template <class... M>
  explicit Sequential(M&&... modules) {
    (push_back(std::make_shared<std::decay_t<M>>(std::forward<M>(modules))), ...);
  }
  void push_back(std::shared_ptr<Module> module) { register_module(std::to_string(children().size()), std::move(module)); }
  size_t size() const { return children().size(); }

  Tensor forward(const Tensor& input) override {
    Tensor x = input;
    for (const auto& child : children()) x = child.second->forward(x);
    return x;
  }
};

}  // namespace nn
}  // namespace ember

#endif  // EMBER_NN_SEQUENTIAL_H_
