// nn::Linear: y = x W^T + b, with W of shape (out, in) as in LibTorch.
//
// Initialised as LibTorch does (uniform on [-1/sqrt(in), 1/sqrt(in)] for both
// W and b) from Ember's global generator, so ember::manual_seed(s) makes it
// deterministic.
//
//   ember::manual_seed(0);
//   ember::nn::Linear fc(10, 20);
//   Tensor y = fc(ember::randn({100, 10}));   // (100, 20)
#ifndef EMBER_NN_LINEAR_H_
#define EMBER_NN_LINEAR_H_

#include "nn/module.h"

namespace ember {
namespace nn {

class Linear final : public Module {
 public:
  Linear(int64_t in_features, int64_t out_features, bool bias = true);
  Tensor forward(const Tensor& input) override;

  Tensor weight;
  Tensor bias;
};

}  // namespace nn
}  // namespace ember

#endif  // EMBER_NN_LINEAR_H_
