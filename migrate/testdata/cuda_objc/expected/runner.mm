// Objective-C++ is decided from tokens: the tool does not parse .mm files.
#import <Foundation/Foundation.h>
#include <c10/core/InferenceMode.h>
#include <torch/script.h>

// A "call guard" bundling the legacy guard with AutoGradMode: INFERENCE for
// the legacy member, its siblings untouched.
struct MobileCallGuard {
  torch::autograd::AutoGradMode no_autograd_guard{false};
  c10::InferenceMode non_var_guard{true};
  torch::jit::GraphOptimizerEnabledGuard no_optimizer_guard{false};
};

@implementation TorchModule {
  torch::jit::script::Module _module;
}

- (NSArray<NSNumber*>*)predictImage:(void*)imageBuffer {
  c10::InferenceMode non_var(true);
  auto output = _module.forward({at::from_blob(imageBuffer, {1, 3, 224, 224}, at::kFloat)}).toTensor();
  return nil;
}
@end
