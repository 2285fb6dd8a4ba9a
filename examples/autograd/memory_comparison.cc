// Peak memory of one forward pass of a 1000-1000-1000-10 MLP on a (50, 1000)
// batch: normal mode keeps what backward needs; NoGradGuard and
// InferenceMode free intermediates as they go.
#include <iostream>

#include "modes/grad_mode.h"
#include "modes/inference_mode.h"
#include "nn/nn.h"
#include "tensor/allocator.h"
#include "tensor/tensor.h"

namespace {

// Peak bytes allocated during one forward, above what was live before it.
int64_t forward_peak(ember::nn::Module& model, const ember::Tensor& x) {
  int64_t before = ember::memory_stats().current_bytes;
  ember::reset_peak_memory_stats();
  ember::Tensor y = model(x);
  return ember::memory_stats().peak_bytes - before;
}

}  // namespace

int main() {
  ember::manual_seed(0);
  ember::nn::Sequential mlp(ember::nn::Linear(1000, 1000), ember::nn::ReLU(), ember::nn::Linear(1000, 1000),
                            ember::nn::ReLU(), ember::nn::Linear(1000, 10));
  mlp.eval();
  ember::Tensor x = ember::randn({50, 1000});

  int64_t normal = forward_peak(mlp, x);
  int64_t no_grad, inference;
  {
    ember::NoGradGuard guard;
    no_grad = forward_peak(mlp, x);
  }
  {
    ember::InferenceMode guard;
    inference = forward_peak(mlp, x);
  }
  std::cout << "peak bytes, normal mode:   " << normal << "\n";
  std::cout << "peak bytes, NoGradGuard:   " << no_grad << "\n";
  std::cout << "peak bytes, InferenceMode: " << inference << "\n";
  std::cout << "InferenceMode <= NoGradGuard < normal: " << (inference <= no_grad && no_grad < normal ? "yes" : "no")
            << "\n";
  return 0;
}
