// GradMode: whether ops on this thread record the autograd graph.
//
// RAII, thread local (!) guards:
//   NoGradGuard      grad mode off for the scope (torch.no_grad)
//   AutoGradMode(b)  grad mode set to b for the scope
//   AutoFwGradMode(b) forward-mode AD set to b for the scope
// Each restores the value it found, whatever happened inside.
//
//   {
//     ember::NoGradGuard no_grad;
//     auto y = model(x);   // y.requires_grad() == false, but y is a normal tensor
//   }
#ifndef EMBER_MODES_GRAD_MODE_H_
#define EMBER_MODES_GRAD_MODE_H_

#include "modes/autograd_state.h"

namespace ember {

struct GradMode {
  static bool is_enabled() { return AutogradState::get_tls_state().get_grad_mode(); }
  static void set_enabled(bool enabled) { AutogradState::get_tls_state().set_grad_mode(enabled); }
};

// RAII, thread local (!): sets grad mode to `enabled`, restores it on exit.
class AutoGradMode final {
 public:
  [[nodiscard]] explicit AutoGradMode(bool enabled) : prev_mode_(GradMode::is_enabled()) { GradMode::set_enabled(enabled); }
  ~AutoGradMode() { GradMode::set_enabled(prev_mode_); }
  AutoGradMode(const AutoGradMode&) = delete;
  AutoGradMode& operator=(const AutoGradMode&) = delete;

 private:
  bool prev_mode_;
};

// RAII, thread local (!): turns grad mode off, restores it on exit.
class NoGradGuard final {
 public:
  [[nodiscard]] NoGradGuard() {}
  NoGradGuard(const NoGradGuard&) = delete;
  NoGradGuard& operator=(const NoGradGuard&) = delete;

 private:
  AutoGradMode grad_mode_{false};
};

// RAII, thread local (!): sets forward-mode AD to `enabled`, restores it on exit.
class AutoFwGradMode final {
 public:
  [[nodiscard]] explicit AutoFwGradMode(bool enabled) : prev_mode_(AutogradState::get_tls_state().get_fw_grad_mode()) {
    AutogradState::get_tls_state().set_fw_grad_mode(enabled);
  }
  ~AutoFwGradMode() { AutogradState::get_tls_state().set_fw_grad_mode(prev_mode_); }
  AutoFwGradMode(const AutoFwGradMode&) = delete;
  AutoFwGradMode& operator=(const AutoFwGradMode&) = delete;

 private:
  bool prev_mode_;
};

}  // namespace ember

#endif  // EMBER_MODES_GRAD_MODE_H_
