// What the differential tests share: Ember and LibTorch 1.13 behind one set
// of names, so that one template runs the same program in both, an error's
// message, and a tensor's autograd state in one line.
//
//   template <class L> std::string story() {
//     typename L::InferenceMode guard;
//     return differential::state(L::Tensor(...));
//   }
//   EXPECT_EQ(story<differential::EmberLib>(), story<differential::TorchLib>());
#ifndef EMBER_TESTS_DIFFERENTIAL_H_
#define EMBER_TESTS_DIFFERENTIAL_H_

#include <torch/torch.h>

#include <exception>
#include <functional>
#include <string>

#include "autograd/autograd.h"
#include "modes/grad_mode.h"
#include "modes/inference_mode.h"
#include "tensor/tensor.h"

namespace differential {

struct TorchLib {
  using Tensor = torch::Tensor;
  using InferenceMode = c10::InferenceMode;
  using NoGrad = torch::NoGradGuard;
  // The message `f` throws (without LibTorch's backtrace), or "" if none.
  static std::string error_of(const std::function<void()>& f) {
    try {
      f();
    } catch (const c10::Error& e) {
      return e.what_without_backtrace();
    } catch (const std::exception& e) {
      return e.what();
    }
    return "";
  }
};

struct EmberLib {
  using Tensor = ember::Tensor;
  using InferenceMode = ember::InferenceMode;
  using NoGrad = ember::NoGradGuard;
  static std::string error_of(const std::function<void()>& f) {
    try {
      f();
    } catch (const std::exception& e) {
      return e.what();
    }
    return "";
  }
};

// "leaf rg inf noview v0": is_leaf, requires_grad, is_inference, is_view,
// and the version ("v-" for a tensor that has none).
template <class Tensor>
std::string state(const Tensor& t) {
  std::string v;
  try {
    v = std::to_string(t._version());
  } catch (...) {
    v = "-";
  }
  return std::string(t.is_leaf() ? "leaf " : "nonleaf ") + (t.requires_grad() ? "rg " : "norg ") +
         (t.is_inference() ? "inf " : "normal ") + (t.is_view() ? "view " : "noview ") + "v" + v;
}

}  // namespace differential

#endif  // EMBER_TESTS_DIFFERENTIAL_H_
