#include "nn/module.h"


namespace ember {
namespace nn {

std::vector<std::pair<std::string, Tensor>> Module::named_parameters(bool recurse) const {
  std::vector<std::pair<std::string, Tensor>> out = parameters_;
  if (!recurse) return out;
  for (const auto& child : children_) {
    for (auto& p : child.second->named_parameters(true)) out.emplace_back(child.first + "." + p.first, p.second);
  }
  return out;
}

std::vector<Tensor> Module::parameters(bool recurse) const {
  std::vector<Tensor> out;
  for (auto& p : named_parameters(recurse)) out.push_back(p.second);
  return out;
}

void Module::train(bool on) {
  training_ = on;
  for (auto& child : children_) child.second->train(on);
}

void Module::zero_grad(bool set_to_none) {
  for (const Tensor& p : parameters()) {
    Tensor& grad = p.mutable_grad();
    if (!grad.defined()) continue;
    grad = grad.detach();
    if (set_to_none) {
      grad = Tensor();
    } else {
      grad.zero_();
    }
  }
}

Tensor Module::register_parameter(std::string name, Tensor t, bool requires_grad) {
  t.set_requires_grad(requires_grad);
  parameters_.emplace_back(std::move(name), t);
  return t;
}

void Module::register_module(std::string name, std::shared_ptr<Module> module) {
  children_.emplace_back(std::move(name), std::move(module));
}

}  // namespace nn
}  // namespace ember
