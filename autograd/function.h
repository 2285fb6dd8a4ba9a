// Custom autograd functions, the LibTorch way.
//
// Subclass Function<T> with two static members; T::apply(args...) runs the
// forward with grad mode off and, when an input requires grad, records a
// CppNode<T> that calls T::backward. backward returns one gradient per
// forward argument (an undefined Tensor for arguments that are not tensors
// or need none). Inside forward, ops run below autograd; the kernel-side
// guard AutoDispatchBelowADInplaceOrView also skips version bumps and view
// tracking, which is right here (the node records the history) and wrong in
// user code (see modes/kernel_guards.h).
//
//   struct Square : ember::autograd::Function<Square> {
//     static Tensor forward(AutogradContext* ctx, Tensor x) {
//       ctx->save_for_backward({x});
//       ember::AutoDispatchBelowADInplaceOrView g;
//       return x * x;
//     }
//     static variable_list backward(AutogradContext* ctx, variable_list g) {
//       Tensor x = ctx->get_saved_variables()[0];
//       return {g[0] * 2 * x};
//     }
//   };
//   Tensor y = Square::apply(x);   // y.grad_fn()->name() == "CppNode<Square>"
#ifndef EMBER_AUTOGRAD_FUNCTION_H_
#define EMBER_AUTOGRAD_FUNCTION_H_

#include <memory>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <variant>
#include <vector>

#include "autograd/autograd_meta.h"
#include "autograd/node.h"
#include "autograd/saved_variable.h"
#include "modes/grad_mode.h"
#include "tensor/tensor.h"

namespace ember {
namespace autograd {

// A value kept in AutogradContext::saved_data (LibTorch's at::IValue, the
// kinds a backward needs).
class IValue {
 public:
  IValue() = default;
  IValue(double v) : v_(v) {}                          // NOLINT
  IValue(int64_t v) : v_(v) {}                         // NOLINT
  IValue(int v) : v_(static_cast<int64_t>(v)) {}       // NOLINT
  IValue(bool v) : v_(v) {}                            // NOLINT
  IValue(std::string v) : v_(std::move(v)) {}          // NOLINT
  IValue(const char* v) : v_(std::string(v)) {}        // NOLINT
  IValue(Tensor v) : v_(std::move(v)) {}               // NOLINT
  IValue(std::vector<int64_t> v) : v_(std::move(v)) {} // NOLINT

  double toDouble() const { return get<double>("double"); }
  int64_t toInt() const { return get<int64_t>("int"); }
  bool toBool() const { return get<bool>("bool"); }
  const std::string& toStringRef() const { return get<std::string>("string"); }
  const Tensor& toTensor() const { return get<Tensor>("Tensor"); }
  const std::vector<int64_t>& toIntVector() const { return get<std::vector<int64_t>>("int list"); }

 private:
  template <class V>
  const V& get(const char* what) const {
    if (const V* p = std::get_if<V>(&v_)) return *p;
    throw_wrong_type(what);
  }
  [[noreturn]] void throw_wrong_type(const char* wanted) const;
  std::variant<std::monostate, double, int64_t, bool, std::string, Tensor, std::vector<int64_t>> v_;
};

class AutogradContext {
 public:
  AutogradContext() = default;
  AutogradContext(const AutogradContext&) = delete;
  AutogradContext& operator=(const AutogradContext&) = delete;

  // Non-tensor state for backward (no version check, as LibTorch).
  std::unordered_map<std::string, IValue> saved_data;

  // Tensors for backward, checked for in-place changes when unpacked.
  void save_for_backward(variable_list to_save) { to_save_ = std::move(to_save); }
  variable_list get_saved_variables() const;
  // Inputs that forward modified in place: their history is rebased.
  void mark_dirty(const variable_list& inputs);
  // Outputs that get no gradient (indices, masks): they do not require grad.
  void mark_non_differentiable(const variable_list& outputs);
  // false: backward receives undefined Tensors for outputs that got no
  // gradient, instead of zeros.
  void set_materialize_grads(bool value) { materialize_grads_ = value; }
  // Whether forward input `index` (counting tensor arguments) needs a gradient.
  bool needs_input_grad(size_t index) const;

  // Used by Function<T>::apply.
  void save_variables(const variable_list& outputs, const char* name);
  const std::unordered_set<const TensorImpl*>& dirty() const { return dirty_; }
  const std::unordered_set<const TensorImpl*>& non_differentiable() const { return non_differentiable_; }
  bool materialize_grads() const { return materialize_grads_; }
  void set_grad_fn(const std::shared_ptr<Node>& fn) { grad_fn_ = fn; }
  void release_variables();

 private:
  variable_list to_save_;
  std::vector<SavedVariable> saved_;
  bool has_freed_buffers_ = false;
  std::unordered_set<const TensorImpl*> dirty_;
  std::unordered_set<const TensorImpl*> non_differentiable_;
  bool materialize_grads_ = true;
  std::weak_ptr<Node> grad_fn_;
};

namespace detail {
std::string demangle(const char* name);
// Checks backward's result against the forward arguments and keeps the
// gradients of the tensor arguments.
variable_list check_backward_result(variable_list grads, const std::vector<bool>& is_tensor_arg, const std::string& name);
// Gives the outputs of a custom forward their history (see function.cc).
void wrap_outputs(const variable_list& inputs, variable_list& outputs, AutogradContext& ctx,
                  const std::shared_ptr<Node>& node);
}  // namespace detail

template <class T>
class CppNode final : public Node {
 public:
  explicit CppNode(uint32_t num_outputs) : Node(num_outputs) {}
  variable_list apply(variable_list&& grads) override {
    if (ctx_.materialize_grads()) {
      for (size_t i = 0; i < grads.size(); ++i) {
        if (!grads[i].defined()) grads[i] = zeros(output_meta_[i].sizes, output_meta_[i].dtype);
      }
    }
    return detail::check_backward_result(T::backward(&ctx_, std::move(grads)), is_tensor_arg_, name());
  }
  std::string name() const override { return "CppNode<" + detail::demangle(typeid(T).name()) + ">"; }
  void release_variables() override { ctx_.release_variables(); }

  AutogradContext ctx_;
  std::vector<bool> is_tensor_arg_;
  std::vector<InputMeta> output_meta_;
};

template <class T>
struct Function {
  template <class... Args>
  static auto apply(Args&&... args);
};

namespace detail {
inline void collect(variable_list& out, std::vector<bool>& is_tensor, const Tensor& t) {
  out.push_back(t);
  is_tensor.push_back(true);
}
template <class X>
void collect(variable_list&, std::vector<bool>& is_tensor, const X&) {
  is_tensor.push_back(false);
}
inline variable_list to_list(const Tensor& t) { return {t}; }
inline variable_list to_list(const variable_list& v) { return v; }
inline void from_list(Tensor& t, variable_list&& v) { t = std::move(v[0]); }
inline void from_list(variable_list& t, variable_list&& v) { t = std::move(v); }
}  // namespace detail

template <class T>
template <class... Args>
auto Function<T>::apply(Args&&... args) {
  variable_list inputs;
  std::vector<bool> is_tensor_arg;
  (detail::collect(inputs, is_tensor_arg, args), ...);
  bool executable = false;
  for (const Tensor& t : inputs) executable |= t.defined() && t.requires_grad();
  executable &= GradMode::is_enabled();

  using Result = decltype(T::forward(static_cast<AutogradContext*>(nullptr), std::forward<Args>(args)...));
  static_assert(std::is_same<Result, Tensor>::value || std::is_same<Result, variable_list>::value,
                "forward must return a Tensor or a variable_list");
  auto node = std::make_shared<CppNode<T>>(1);
  node->ctx_.set_grad_fn(node);
  node->is_tensor_arg_ = is_tensor_arg;
  if (executable) {
    for (const Tensor& t : inputs) node->add_next_edge(t);
  }
  Result result;
  {
    AutoGradMode no_grad(false);
    result = T::forward(&node->ctx_, std::forward<Args>(args)...);
  }
  variable_list outputs = detail::to_list(result);
  node->set_num_inputs(static_cast<uint32_t>(outputs.size()));  // One per forward output.
  detail::wrap_outputs(inputs, outputs, node->ctx_, executable ? node : nullptr);
  if (executable) {
    for (const Tensor& o : outputs) node->output_meta_.push_back(InputMeta{DimVector(o.sizes()), o.dtype()});
    node->ctx_.save_variables(outputs, "a custom Function's forward");
  }
  detail::from_list(result, std::move(outputs));
  return result;
}

}  // namespace autograd
}  // namespace ember

#endif  // EMBER_AUTOGRAD_FUNCTION_H_
