// nn::ReLU: max(x, 0), elementwise.
#ifndef EMBER_NN_ACTIVATION_H_
#define EMBER_NN_ACTIVATION_H_

#include "nn/module.h"

namespace ember {
namespace nn {

class ReLU final : public Module {
 public:
  Tensor forward(const Tensor& input) override { return input.relu(); }
};

}  // namespace nn
}  // namespace ember

#endif  // EMBER_NN_ACTIVATION_H_
