// Guards for *kernel* code: custom autograd Function forward/backward bodies
// and kernels registered for an Autograd key. Not for user code.
//
// RAII, thread local (!):
//   AutoDispatchBelowAutograd          ops skip the Autograd kernels
//                                      (versions are still bumped)
//   AutoDispatchBelowADInplaceOrView   ops skip Autograd *and* ADInplaceOrView
//                                      (no version bumps, no view tracking)
//
// Note [AutoDispatchBelowADInplaceOrView in user code]
// Outside a kernel, skipping ADInplaceOrView means an in-place update of a
// tensor that an existing graph saved does not bump its version, so that
// graph's backward() silently computes a wrong gradient:
//   Tensor y = (w * x).sum();                   // saves x
//   { AutoDispatchBelowADInplaceOrView g; x.mul_(2); }
//   y.backward();                               // w.grad() is wrong, no error
// User code wants InferenceMode, which bumps versions of normal tensors.
#ifndef EMBER_MODES_KERNEL_GUARDS_H_
#define EMBER_MODES_KERNEL_GUARDS_H_

#include "modes/local_dispatch_key_set.h"

namespace ember {

// RAII, thread local (!): excludes the autograd keys.
class AutoDispatchBelowAutograd final {
 public:
  [[nodiscard]] AutoDispatchBelowAutograd() : autograd_guard_(autograd_dispatch_keyset) {}
  AutoDispatchBelowAutograd(const AutoDispatchBelowAutograd&) = delete;
  AutoDispatchBelowAutograd& operator=(const AutoDispatchBelowAutograd&) = delete;

 private:
  ExcludeDispatchKeyGuard autograd_guard_;
};

// RAII, thread local (!): excludes the autograd keys and ADInplaceOrView.
class AutoDispatchBelowADInplaceOrView final {
 public:
  [[nodiscard]] AutoDispatchBelowADInplaceOrView() : dispatch_key_guard_(autograd_dispatch_keyset_with_ADInplaceOrView) {}
  AutoDispatchBelowADInplaceOrView(const AutoDispatchBelowADInplaceOrView&) = delete;
  AutoDispatchBelowADInplaceOrView& operator=(const AutoDispatchBelowADInplaceOrView&) = delete;

 private:
  ExcludeDispatchKeyGuard dispatch_key_guard_;
};

}  // namespace ember

#endif  // EMBER_MODES_KERNEL_GUARDS_H_
