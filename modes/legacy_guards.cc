#include "modes/legacy_guards.h"

#include <atomic>

#include "modes/error.h"
#include "modes/warning.h"

#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

namespace ember {
namespace {

DispatchKeySet checked_autograd_keys(bool enabled) {
  if (!enabled) {
    throw Error(
        "AutoNonVariableTypeMode(false) is not supported: the legacy guard can only turn autograd "
        "dispatch off, and its `false` form never meant what InferenceMode(false) means. To record "
        "the graph, remove the guard (or use ember::AutoGradMode(true)); for inference use "
        "ember::InferenceMode; inside a custom autograd kernel use "
        "ember::AutoDispatchBelowADInplaceOrView.");
  }
  static std::atomic<bool> warned{false};
  if (!warned.exchange(true, std::memory_order_relaxed)) warn(kAutoNonVariableTypeModeWarning);
  return autograd_dispatch_keyset;
}

}  // namespace

const char* const kAutoNonVariableTypeModeWarning =
    "AutoNonVariableTypeMode is deprecated. For kernel implementations use "
    "AutoDispatchBelowADInplaceOrView instead; for an inference-only workload in user code use "
    "ember::InferenceMode. Using AutoDispatchBelowADInplaceOrView in user code risks silently "
    "wrong gradients (see Note [AutoDispatchBelowADInplaceOrView in user code] in "
    "modes/kernel_guards.h). `bazel run @ember//migrate` rewrites each use for you.";

AutoNonVariableTypeMode::AutoNonVariableTypeMode(bool enabled)
    : autograd_guard_(checked_autograd_keys(enabled)) {}

}  // namespace ember
