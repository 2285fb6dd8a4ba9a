// InferenceMode versus NoGradGuard: what the result is afterwards.
#include <iostream>

#include "modes/grad_mode.h"
#include "modes/inference_mode.h"
#include "tensor/tensor.h"

int main() {
  std::cout << std::boolalpha;
  ember::Tensor x = ember::ones({2, 2}).set_requires_grad(true);

  ember::Tensor a;
  {
    ember::NoGradGuard guard;
    a = x * 2;
  }
  std::cout << "NoGradGuard:   is_leaf = " << a.is_leaf() << ", requires_grad = " << a.requires_grad()
            << ", is_inference = " << a.is_inference() << ", _version = " << a._version() << "\n";
  a.add_(1);
  std::cout << "NoGradGuard:   after a.add_(1) outside: _version = " << a._version() << ", a[0][0] = "
            << a.select(0, 0).select(0, 0).item<float>() << "\n";

  ember::Tensor b;
  {
    ember::InferenceMode guard;
    b = x * 2;
  }
  std::cout << "InferenceMode: is_leaf = " << b.is_leaf() << ", requires_grad = " << b.requires_grad()
            << ", is_inference = " << b.is_inference() << "\n";
  try {
    b._version();
  } catch (const std::exception& e) {
    std::cout << "InferenceMode: b._version() throws: " << e.what() << "\n";
  }
  try {
    b.add_(1);
  } catch (const std::exception& e) {
    std::cout << "InferenceMode: b.add_(1) outside throws: " << e.what() << "\n";
  }
  std::cout << "InferenceMode: b[0][0] is unchanged: " << b.select(0, 0).select(0, 0).item<float>() << "\n";
  ember::Tensor c = b.clone();
  c.add_(1);
  std::cout << "InferenceMode: b.clone().add_(1) works: c[0][0] = " << c.select(0, 0).select(0, 0).item<float>()
            << ", _version = " << c._version() << "\n";
  return 0;
}
