#include "modes/inference_mode.h"

namespace ember {

InferenceMode::InferenceMode(bool enabled)
    : prev_mode_(AutogradState::get_tls_state()), prev_keyset_(tls_local_dispatch_key_set()) {
  // Enabling inference mode disables both grad modes; disabling it enables them.
  AutogradState::set_tls_state(
      AutogradState(/*grad_mode=*/!enabled, /*inference_mode=*/enabled, /*fw_grad_mode=*/!enabled));
  LocalDispatchKeySet keys = prev_keyset_;
  if (enabled) {
    keys.included_ = keys.included_.remove(DispatchKey::ADInplaceOrView);
    keys.excluded_ = keys.excluded_ | autograd_dispatch_keyset;
  } else {
    keys.included_ = keys.included_.add(DispatchKey::ADInplaceOrView);
    keys.excluded_ = keys.excluded_ - autograd_dispatch_keyset;
  }
  _force_tls_local_dispatch_key_set(keys);
}

InferenceMode::~InferenceMode() {
  AutogradState::set_tls_state(prev_mode_);
  _force_tls_local_dispatch_key_set(prev_keyset_);
}

}  // namespace ember
