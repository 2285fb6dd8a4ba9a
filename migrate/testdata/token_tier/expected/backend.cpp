// The token tier: every use below sits in a branch the preprocessor never
// shows the AST (this configuration defines none of the WITH_* macros), so
// each is decided from Clang's raw tokens, with the same rules.
#include <ATen/core/LegacyTypeDispatch.h>
#include <c10/core/InferenceMode.h>
#include <torch/torch.h>

#ifdef WITH_OUT_OF_LINE_FORWARD
// The class is declared in a header this machine does not have.
torch::Tensor ScaleByTwo::forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& x) {
  at::AutoDispatchBelowADInplaceOrView guard;
  return x * 2;
}
#endif

#ifdef WITH_FUNCTION_SUBCLASS
using namespace torch::autograd;
struct Halve : public Function<Halve> {
  static torch::Tensor helper(const torch::Tensor& x) {
    at::AutoDispatchBelowADInplaceOrView guard;
    return x / 2;
  }
};
#endif

#ifdef WITH_HANDWRITTEN_NODE
torch::Tensor all_reduce(const torch::Tensor& x) {
  auto raw = [&]() {
    at::AutoDispatchBelowADInplaceOrView non_var;
    return x.clone();
  }();
  auto node = std::make_shared<AllReduceBackward>();
  node->set_next_edges(torch::autograd::collect_next_edges(x));
  return raw;
}
#endif

#ifdef WITH_BACKEND
namespace at {
namespace native {
Tensor my_relu(const Tensor& self) {
  at::AutoDispatchBelowADInplaceOrView guard{};
  return self;
}
}  // namespace native
Tensor MyDeviceNativeFunctions::add(const Tensor& a, const Tensor& b) {
  at::AutoDispatchBelowADInplaceOrView guard;
  return a;
}
}  // namespace at

Tensor fused_gelu(const Tensor& self) {
  at::AutoDispatchBelowADInplaceOrView guard;
  return self;
}
TORCH_LIBRARY_IMPL(aten, PrivateUse1, m) {
  m.impl("gelu", fused_gelu);
}
#endif

#ifndef WITH_PREDICTOR
#else
torch::Tensor predict(torch::jit::Module& module, const torch::Tensor& x) {
  c10::InferenceMode guard(true);
  return module.forward({x}).toTensor();
}
void toggle(bool on) { at::AutoNonVariableTypeMode guard(false); }
#endif

torch::Tensor live(const torch::Tensor& x) { return x; }

#ifdef WITH_MACRO_KERNELS
#define DEFINE_HACK(op) \
  static Tensor op##_hack_impl(const Tensor& self) { \
	AutoNonVariableTypeMode below_grad; \
    return self.op(); \
  }
DEFINE_HACK(abs)
#endif

#ifdef __OBJC__
@implementation Runner
- (void)runModelAt:(NSString*)path {
  auto module = torch::jit::load(path.UTF8String);
  c10::InferenceMode guard(true);
  module.forward({});
}
@end
#endif
