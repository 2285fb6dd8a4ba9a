// InferenceMode, the basics: what requires_grad means inside and outside it.
#include <iostream>

#include "autograd/autograd.h"
#include "modes/inference_mode.h"
#include "tensor/tensor.h"

int main() {
  std::cout << std::boolalpha;
  ember::Tensor x = ember::ones({1, 2, 3}).set_requires_grad(true);

  ember::Tensor y;
  {
    ember::InferenceMode guard;
    y = x * x;  // no graph: y does not require grad
    std::cout << "inside:  y.requires_grad() = " << y.requires_grad() << ", y.is_inference() = " << y.is_inference()
              << "\n";
    ember::Tensor z = ember::ones({2}).set_requires_grad(true);  // allowed inside the mode
    std::cout << "inside:  a factory with requires_grad set: requires_grad() = " << z.requires_grad()
              << ", is_inference() = " << z.is_inference() << "\n";
  }
  ember::Tensor w = x * x;  // outside: the graph is recorded
  std::cout << "outside: w.requires_grad() = " << w.requires_grad() << ", w.is_inference() = " << w.is_inference()
            << ", w.grad_fn() = " << w.grad_fn()->name() << "\n";
  std::cout << "outside: y is still an inference tensor: " << y.is_inference() << "\n";
  try {
    y.set_requires_grad(true);
  } catch (const std::exception& e) {
    std::cout << "outside: y.set_requires_grad(true) throws: " << e.what() << "\n";
  }
  ember::Tensor normal = y.clone();
  normal.set_requires_grad(true);
  std::cout << "outside: y.clone() is normal: is_inference() = " << normal.is_inference()
            << ", requires_grad() = " << normal.requires_grad() << "\n";
  return 0;
}
