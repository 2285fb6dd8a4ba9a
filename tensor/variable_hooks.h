// VariableHooksInterface: how //tensor reaches //autograd without depending on it.
//
// Tensor's autograd methods (grad(), backward(), is_leaf(), ...) forward to
// the hooks object installed here; //autograd installs its implementation at
// static init (PyTorch's at::impl::VariableHooksInterface pattern). Without
// //autograd linked, requires_grad() is false and the other methods throw an
// ember::Error that says to link it. Nothing here is on an op's hot path.
//
//   // in //autograd:
//   class AutogradHooks final : public ember::VariableHooksInterface { ... };
//   static const bool installed = (ember::SetVariableHooks(new AutogradHooks), true);
#ifndef EMBER_TENSOR_VARIABLE_HOOKS_H_
#define EMBER_TENSOR_VARIABLE_HOOKS_H_

#include <functional>
#include <memory>

#include "tensor/tensor.h"

namespace ember {

class VariableHooksInterface {
 public:
  virtual ~VariableHooksInterface() = default;
  virtual void set_requires_grad(const Tensor& self, bool requires_grad) const = 0;
  virtual const Tensor& grad(const Tensor& self) const = 0;
  virtual const std::shared_ptr<autograd::Node>& grad_fn(const Tensor& self) const = 0;
  virtual bool is_leaf(const Tensor& self) const = 0;
  virtual int64_t output_nr(const Tensor& self) const = 0;
  virtual bool is_view(const Tensor& self) const = 0;
  virtual const Tensor& base(const Tensor& self) const = 0;
  virtual void retain_grad(const Tensor& self) const = 0;
  virtual bool retains_grad(const Tensor& self) const = 0;
  // Not pure, so that hooks objects written before these existed still build;
  // the defaults say that //autograd is needed.
  virtual unsigned register_hook(const Tensor& self, std::function<Tensor(const Tensor&)> hook) const;
  virtual void remove_hook(const Tensor& self, unsigned handle) const;
  // Tensor::requires_grad_(): as set_requires_grad(), except that it refuses
  // to turn a non-leaf's flag off (LibTorch's VariableHooks::requires_grad_;
  // its set_requires_grad() does not check).
  virtual void requires_grad_(const Tensor& self, bool requires_grad) const;
  // The gradient slot itself, to reset or replace (LibTorch's mutable_grad()).
  virtual Tensor& mutable_grad(const Tensor& self) const;
  // `inputs` empty: every leaf.
  virtual void backward(const Tensor& self, const Tensor& gradient, bool retain_graph, bool create_graph,
                        TensorList inputs) const = 0;
};

// Installs `hooks` (not owned; it must outlive every use). nullptr restores
// the default, which throws.
void SetVariableHooks(VariableHooksInterface* hooks);
VariableHooksInterface* GetVariableHooks();

}  // namespace ember

#endif  // EMBER_TENSOR_VARIABLE_HOOKS_H_
