// AutoNonVariableTypeMode: the deprecated guard, kept so old code compiles
// while it is migrated (see //migrate, which rewrites it for you).
//
// It behaves exactly as LibTorch 1.13's: it excludes the autograd keys, i.e.
// it is AutoDispatchBelowAutograd. Versions are still bumped and tensors made
// under it are normal tensors, so it is slower than InferenceMode and gives
// none of its guarantees. Its first use in a process sends one warning to the
// warning handler (warning.h); `AutoNonVariableTypeMode(false)` throws.
//
// Replace it with:
//   ember::InferenceMode                      in user code that runs inference;
//   ember::AutoDispatchBelowADInplaceOrView   inside custom autograd kernels.
#ifndef EMBER_MODES_LEGACY_GUARDS_H_
#define EMBER_MODES_LEGACY_GUARDS_H_

#include "modes/local_dispatch_key_set.h"

namespace ember {

class [[deprecated(
    "AutoNonVariableTypeMode is deprecated: use ember::InferenceMode for inference in user code, or "
    "ember::AutoDispatchBelowADInplaceOrView inside custom autograd kernels (//migrate rewrites it)")]]
AutoNonVariableTypeMode final {
 public:
  [[nodiscard]] explicit AutoNonVariableTypeMode(bool enabled = true);
  AutoNonVariableTypeMode(const AutoNonVariableTypeMode&) = delete;
  AutoNonVariableTypeMode& operator=(const AutoNonVariableTypeMode&) = delete;

 private:
  ExcludeDispatchKeyGuard autograd_guard_;
};

// The text of the one-time deprecation warning.
extern const char* const kAutoNonVariableTypeModeWarning;

}  // namespace ember

#endif  // EMBER_MODES_LEGACY_GUARDS_H_
