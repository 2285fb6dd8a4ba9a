// CUDA is decided from tokens: the tool does not parse .cu files (that needs
// a CUDA installation and a device pass); the reasons say so.
#include <ATen/ATen.h>
#include <ATen/core/LegacyTypeDispatch.h>
#include <cuda_runtime.h>

namespace at {
namespace native {

__global__ void scale_kernel(float* data, float factor, int n) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) data[i] *= factor;
}

// A backend kernel: KERNEL.
Tensor scale_cuda(const Tensor& self, double factor) {
  at::AutoNonVariableTypeMode guard(true);
  auto out = self.contiguous();
  scale_kernel<<<(out.numel() + 255) / 256, 256>>>(out.data_ptr<float>(), factor, out.numel());
  return out;
}

}  // namespace native
}  // namespace at

// Host code that runs a loaded model: INFERENCE.
void warm_up(torch::jit::Module& module) {
  at::AutoNonVariableTypeMode guard(true);
  module.forward({at::ones({1, 3}, at::kCUDA)});
}
