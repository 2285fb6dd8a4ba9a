// AutogradState: this thread's three autograd switches, kept together so a
// guard can snapshot and restore them as one value.
//
//   grad_mode       record the graph for ops on tensors that require grad
//   inference_mode  InferenceMode is on (see inference_mode.h)
//   fw_grad_mode    propagate forward-mode tangents
//
// Thread local (!); a new thread starts with grad on, inference off and
// forward grad on.
#ifndef EMBER_MODES_AUTOGRAD_STATE_H_
#define EMBER_MODES_AUTOGRAD_STATE_H_

#include "modes/constinit.h"

namespace ember {

class AutogradState {
 public:
  constexpr AutogradState(bool grad_mode, bool inference_mode, bool fw_grad_mode)
      : grad_mode_(grad_mode), inference_mode_(inference_mode), fw_grad_mode_(fw_grad_mode) {}

  static AutogradState& get_tls_state();
  static void set_tls_state(AutogradState state) { get_tls_state() = state; }

  bool get_grad_mode() const { return grad_mode_; }
  bool get_inference_mode() const { return inference_mode_; }
  bool get_fw_grad_mode() const { return fw_grad_mode_; }
  void set_grad_mode(bool enabled) { grad_mode_ = enabled; }
  void set_inference_mode(bool enabled) { inference_mode_ = enabled; }
  void set_fw_grad_mode(bool enabled) { fw_grad_mode_ = enabled; }

  bool operator==(const AutogradState& other) const {
    return grad_mode_ == other.grad_mode_ && inference_mode_ == other.inference_mode_ &&
           fw_grad_mode_ == other.fw_grad_mode_;
  }
  bool operator!=(const AutogradState& other) const { return !(*this == other); }

 private:
  bool grad_mode_;
  bool inference_mode_;
  bool fw_grad_mode_;
};

namespace impl {
// Grad on, inference off, forward grad on: a new thread's state.
extern thread_local EMBER_CONSTINIT AutogradState autograd_state_tls;
}  // namespace impl

inline AutogradState& AutogradState::get_tls_state() { return impl::autograd_state_tls; }

}  // namespace ember

#endif  // EMBER_MODES_AUTOGRAD_STATE_H_
