// Headers this machine does not have: the project's umbrella header (which
// brings in LibTorch), CUDA, Python and a generated config. stubs/ holds them
// only for the compile check; the tool parses the file without them (the
// missing includes answered with LibTorch's own headers and stand-ins) and
// the AST decides every use whose code parsed; the token tier the rest.
#include "ops/common.h"

#include <ATen/core/LegacyTypeDispatch.h>
#include <Python.h>
#include <c10/core/InferenceMode.h>
#include <cuda_runtime.h>

#include "generated/ops_config.h"
#include "ops/scale_function.h"

namespace ops {

// A custom Function: the body calls CUDA (undeclared here), which does not
// change what forward is. KERNEL, from the AST.
struct Square : public torch::autograd::Function<Square> {
  static at::Tensor forward(torch::autograd::AutogradContext* ctx, const at::Tensor& x) {
    at::AutoDispatchBelowADInplaceOrView guard;
    cudaStream_t stream = nullptr;
    cudaStreamSynchronize(stream);
    return x.mul(x);
  }
};

// Hand-written autograd: the raw result is computed under the guard and the
// node is built by hand. KERNEL, from the AST.
struct NegateBackward : public torch::autograd::Node {
  torch::autograd::variable_list apply(torch::autograd::variable_list&& grads) override {
    return {grads[0].neg()};
  }
};

at::Tensor negate(const at::Tensor& x) {
  auto raw = [&]() {
    at::AutoDispatchBelowADInplaceOrView non_var;
    return x.neg();
  }();
  auto node = std::make_shared<NegateBackward>();
  node->set_next_edges(torch::autograd::collect_next_edges(x));
  return raw;
}

// A backend kernel registered below autograd. KERNEL, from the AST.
at::Tensor fused_relu(const at::Tensor& self) {
  at::AutoDispatchBelowADInplaceOrView guard;
  return self.clamp_min(0);
}
TORCH_LIBRARY_IMPL(aten, PrivateUse1, m) { m.impl("relu", fused_relu); }

// User code: the batch size comes from the generated header. INFERENCE, from
// the AST.
class Predictor {
 public:
  at::Tensor run(const at::Tensor& input) {
    c10::InferenceMode guard(true);
    return input.reshape({OPS_BATCH, -1});
  }
};

}  // namespace ops

// The class is declared in the missing header, so the parser drops this
// definition: KERNEL, from tokens (its parameters take an AutogradContext).
at::Tensor ScaleFunction::forward(torch::autograd::AutogradContext* ctx, const at::Tensor& x) {
  at::AutoDispatchBelowADInplaceOrView guard;
  return x.mul(2);
}

// A launcher: cudaStream_t is undeclared here, so the declarator did not
// parse and the AST's evidence is void: INFERENCE, from tokens.
void launch_predict(cudaStream_t stream, const at::Tensor& x) {
  c10::InferenceMode guard(true);
  cudaStreamSynchronize(stream);
}

// A Python entry point (LibTorch declares PyObject; Py_None is undeclared
// here, an error outside the guard's statement): INFERENCE, from the AST.
PyObject* py_predict(PyObject* self, PyObject* args) {
  c10::InferenceMode guard(true);
  return Py_None;
}
