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
  at::AutoNonVariableTypeMode legacy_guard(true);
#else
  at::AutoNonVariableTypeMode guard(true);
#endif
  return input * 2;
}

#if 1
torch::Tensor score(const torch::Tensor& input) {
  torch::AutoNonVariableTypeMode guard;
  return input + 1;
}
#else
torch::Tensor score(const torch::Tensor& input) { return input; }
#endif
