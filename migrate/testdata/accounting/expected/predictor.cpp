// Every mention of AutoNonVariableTypeMode below is accounted for: this one is
// in a comment, the rest are code, strings, #if 0 or an inactive branch.
#include <ATen/core/LegacyTypeDispatch.h>
#include <c10/core/InferenceMode.h>
#include <torch/torch.h>

#define PREDICTOR_OLD_TORCH 0

static const char* kHelp = "wrap calls in at::AutoNonVariableTypeMode";

#if 0
void old_predict() { at::AutoNonVariableTypeMode guard(true); }
#endif

torch::Tensor predict(const torch::Tensor& input) {
#ifdef PREDICTOR_LEGACY_BUILD
  c10::InferenceMode legacy_guard(true);
#else
  c10::InferenceMode guard(true);
#endif
  return input * 2;
}

#if 1
torch::Tensor score(const torch::Tensor& input) {
  c10::InferenceMode guard;
  return input + 1;
}
#else
torch::Tensor score(const torch::Tensor& input) { return input; }
#endif
