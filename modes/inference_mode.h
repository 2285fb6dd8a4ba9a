// InferenceMode: the fast path for code that will never call backward().
//
// RAII, thread local (!). Inside it:
//  - grad mode and forward-grad mode are off, so no graph is recorded;
//  - every tensor an op allocates is an *inference tensor*: it carries no
//    autograd keys and no version counter, so later ops on it skip the
//    Autograd and ADInplaceOrView layers altogether;
//  - in-place ops and views on inference tensors skip version bumps and view
//    tracking. (Normal tensors still get their versions bumped.)
// An inference tensor can be read anywhere, but outside InferenceMode it
// cannot be updated in place or saved for backward: clone() it to get a
// normal tensor.
//
//   {
//     ember::InferenceMode guard;
//     ember::Tensor y = model(x);       // y.is_inference() == true
//   }
//   auto predict = ember::inference_mode([&](const ember::Tensor& x) { return model(x); });
//   ember::Tensor z = predict(x);       // the same, as a wrapper
//
// Note [Expected TLS state in InferenceMode]
// ------------------------------------------
//   InferenceMode: ADInplaceOrView not in the TLS included set,
//                  all autograd keys in the TLS excluded set,
//                  grad mode and forward-grad mode off.
//   Normal mode:   ADInplaceOrView in the TLS included set,
//                  no autograd key in the TLS excluded set,
//                  grad mode on unless a NoGradGuard/AutoGradMode says otherwise.
// Invariants, at every point outside a kernel's AutoDispatchBelow… guard:
//   - ADInplaceOrView is never in the excluded set;
//   - no autograd key is ever in the included set;
//   - setting InferenceMode sets grad mode, not the other way round.
//
// Why remove ADInplaceOrView from *included* rather than exclude it?
//   Because normal tensors created before the mode carry the key themselves
//   and must still get their versions bumped inside it:
//     Tensor a = ones({2});           // normal tensor, saved by some graph
//     { InferenceMode g; a.add_(1); } // must bump a's version, so that the
//                                     // graph's backward() reports the change
// Why does InferenceMode(false) turn grad mode *on*?
//   It restores normal mode inside an inference region, as PyTorch does:
//     { InferenceMode on; { InferenceMode off(false); /* grad on here */ } }
// Why is the whole previous state restored, not the defaults?
//   Guards nest in any order with NoGradGuard and AutoGradMode:
//     NoGradGuard ng; { InferenceMode g; } // grad mode must still be off here
#ifndef EMBER_MODES_INFERENCE_MODE_H_
#define EMBER_MODES_INFERENCE_MODE_H_

#include <type_traits>
#include <utility>

#include "modes/autograd_state.h"
#include "modes/local_dispatch_key_set.h"

namespace ember {

class InferenceMode final {
 public:
  [[nodiscard]] explicit InferenceMode(bool enabled = true)
      : prev_mode_(AutogradState::get_tls_state()), prev_keyset_(tls_local_dispatch_key_set()) {
    // Enabling inference mode disables both grad modes; disabling it enables them.
    AutogradState::set_tls_state(
        AutogradState(/*grad_mode=*/!enabled, /*inference_mode=*/enabled, /*fw_grad_mode=*/!enabled));
    _force_tls_local_dispatch_key_set(
        enabled ? LocalDispatchKeySet{prev_keyset_.included_.remove(DispatchKey::ADInplaceOrView),
                                      prev_keyset_.excluded_ | autograd_dispatch_keyset}
                : LocalDispatchKeySet{prev_keyset_.included_.add(DispatchKey::ADInplaceOrView),
                                      prev_keyset_.excluded_ - autograd_dispatch_keyset});
  }
  ~InferenceMode() {
    AutogradState::set_tls_state(prev_mode_);
    _force_tls_local_dispatch_key_set(prev_keyset_);
  }
  InferenceMode(const InferenceMode&) = delete;
  InferenceMode& operator=(const InferenceMode&) = delete;

  static bool is_enabled() { return AutogradState::get_tls_state().get_inference_mode(); }

 private:
  AutogradState prev_mode_;
  LocalDispatchKeySet prev_keyset_;
};

// The C++ form of Python's @torch.inference_mode(): returns a callable that
// runs `fn` under InferenceMode and returns what `fn` returns.
template <typename Fn>
auto inference_mode(Fn fn, bool enabled = true) {
  return [fn = std::move(fn), enabled](auto&&... args) mutable -> decltype(auto) {
    InferenceMode guard(enabled);
    return fn(std::forward<decltype(args)>(args)...);
  };
}

}  // namespace ember

#endif  // EMBER_MODES_INFERENCE_MODE_H_
