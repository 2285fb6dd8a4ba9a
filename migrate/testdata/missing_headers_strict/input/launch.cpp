// --strict: a file whose includes cannot all be found is not parsed with
// stand-ins: it fails to parse (exit 3, the missing header named on stderr
// and in the report) and its uses are decided from tokens, like any file
// that does not parse.
#include <ATen/core/LegacyTypeDispatch.h>
#include <cuda_runtime.h>

namespace at {
namespace native {
// A backend kernel: KERNEL, from tokens.
void fill_cuda_(float* data, int n, cudaStream_t stream) {
  at::AutoNonVariableTypeMode guard(true);
  cudaStreamSynchronize(stream);
}
}  // namespace native
}  // namespace at

// User code: INFERENCE, from tokens.
void launch(cudaStream_t stream) {
  at::AutoNonVariableTypeMode guard(true);
  cudaStreamSynchronize(stream);
}
