// Objective-C++ is decided from tokens: the tool does not parse .mm files.
#import <Foundation/Foundation.h>
#include <torch/script.h>

// A "call guard" bundling the legacy guard with AutoGradMode: INFERENCE for
// the legacy member, its siblings untouched.
struct MobileCallGuard {
  torch::autograd::AutoGradMode no_autograd_guard{false};
  torch::AutoNonVariableTypeMode non_var_guard{true};
  torch::jit::GraphOptimizerEnabledGuard no_optimizer_guard{false};
};

@implementation TorchModule {
  torch::jit::script::Module _module;
}

- (NSArray<NSNumber*>*)predictImage:(void*)imageBuffer {
  at::AutoNonVariableTypeMode non_var(true);
  auto output = _module.forward({at::from_blob(imageBuffer, {1, 3, 224, 224}, at::kFloat)}).toTensor();
  return nil;
}
@end
