// A small model in eval mode predicting a batch under InferenceMode, and the
// same through the inference_mode(fn) wrapper.
#include <cstdio>
#include <iostream>

#include "modes/inference_mode.h"
#include "nn/nn.h"
#include "tensor/tensor.h"

int main() {
  std::cout << std::boolalpha;
  ember::manual_seed(0);
  ember::nn::Sequential model(ember::nn::Linear(10, 20), ember::nn::ReLU(), ember::nn::Linear(20, 5));
  model.eval();
  ember::Tensor batch = ember::randn({100, 10});

  ember::Tensor predictions;
  {
    ember::InferenceMode guard;
    predictions = model(batch);
  }
  std::cout << "guard:   sizes = " << predictions.sizes() << ", is_inference = " << predictions.is_inference()
            << ", requires_grad = " << predictions.requires_grad() << "\n";

  auto predict = ember::inference_mode([&model](const ember::Tensor& x) { return model(x); });
  ember::Tensor wrapped = predict(batch);
  std::cout << "wrapper: sizes = " << wrapped.sizes() << ", is_inference = " << wrapped.is_inference()
            << ", requires_grad = " << wrapped.requires_grad() << "\n";
  std::cout << "both give the same predictions: " << wrapped.equal(predictions) << "\n";
  std::cout << "parameters still require grad: " << model.parameters()[0].requires_grad() << "\n";
  std::printf("mean prediction: %.4f\n", predictions.mean().item<double>());
  return 0;
}
