// The thread-local dispatch key sets: keys this thread adds to every
// operator call (`included_`) and keys it hides from every call (`excluded_`).
//
// The dispatcher computes, for each call,
//     (union of the arguments' key sets | included_) - excluded_
// and runs the highest key of the result. The state is thread local (!):
// nothing here is visible to another thread, and a new thread starts in the
// default state, included_ = {ADInplaceOrView}, excluded_ = {}.
//
// Why is ADInplaceOrView included by default? So that an inference tensor
// (which carries no ADInplaceOrView key) still reaches the ADInplaceOrView
// kernel outside InferenceMode, where an in-place update of it is refused.
// InferenceMode removes it from included_; see inference_mode.h.
//
//   {
//     ember::ExcludeDispatchKeyGuard below(ember::autograd_dispatch_keyset);
//     ...   // ops skip the Autograd kernels on this thread
//   }       // the previous excluded set is back
#ifndef EMBER_MODES_LOCAL_DISPATCH_KEY_SET_H_
#define EMBER_MODES_LOCAL_DISPATCH_KEY_SET_H_

#include <cstdint>

#include "modes/constinit.h"
#include "modes/dispatch_key_set.h"

namespace ember {

// The included set a thread starts with.
constexpr DispatchKeySet default_included_set{DispatchKey::ADInplaceOrView};
// The excluded set a thread starts with.
constexpr DispatchKeySet default_excluded_set{};

struct LocalDispatchKeySet {
  DispatchKeySet included_;
  DispatchKeySet excluded_;
};

namespace impl {

// One POD per thread, zero-initialised: all-zero bits mean the default state,
// so a new thread needs no constructor. `included` is stored XOR the default
// included set for that reason.
struct PODLocalDispatchKeySet {
  uint64_t included;
  uint64_t excluded;

  DispatchKeySet get_included() const {
    return DispatchKeySet(DispatchKeySet::RAW, included) ^ default_included_set;
  }
  DispatchKeySet get_excluded() const {
    return DispatchKeySet(DispatchKeySet::RAW, excluded) ^ default_excluded_set;
  }
  void set_included(DispatchKeySet keys) { included = (keys ^ default_included_set).raw_repr(); }
  void set_excluded(DispatchKeySet keys) { excluded = (keys ^ default_excluded_set).raw_repr(); }
};

extern thread_local EMBER_CONSTINIT PODLocalDispatchKeySet raw_local_dispatch_key_set;

}  // namespace impl

inline LocalDispatchKeySet tls_local_dispatch_key_set() {
  const impl::PODLocalDispatchKeySet& raw = impl::raw_local_dispatch_key_set;
  return {raw.get_included(), raw.get_excluded()};
}

// Replaces both sets. For guards that snapshot and restore the whole state.
inline void _force_tls_local_dispatch_key_set(LocalDispatchKeySet keys) {
  impl::raw_local_dispatch_key_set.set_included(keys.included_);
  impl::raw_local_dispatch_key_set.set_excluded(keys.excluded_);
}

bool tls_is_dispatch_key_included(DispatchKey key);
bool tls_is_dispatch_key_excluded(DispatchKey key);
void tls_set_dispatch_key_included(DispatchKey key, bool included);
void tls_set_dispatch_key_excluded(DispatchKey key, bool excluded);

// RAII, thread local (!): adds `keys` to the included set; on destruction
// removes exactly the keys it added (those already included stay).
class IncludeDispatchKeyGuard final {
 public:
  [[nodiscard]] explicit IncludeDispatchKeyGuard(DispatchKeySet keys)
      : added_(keys - impl::raw_local_dispatch_key_set.get_included()) {
    if (!added_.empty()) {
      impl::raw_local_dispatch_key_set.set_included(impl::raw_local_dispatch_key_set.get_included() | added_);
    }
  }
  [[nodiscard]] explicit IncludeDispatchKeyGuard(DispatchKey key) : IncludeDispatchKeyGuard(DispatchKeySet(key)) {}
  ~IncludeDispatchKeyGuard() {
    if (!added_.empty()) {
      impl::raw_local_dispatch_key_set.set_included(impl::raw_local_dispatch_key_set.get_included() - added_);
    }
  }
  IncludeDispatchKeyGuard(const IncludeDispatchKeyGuard&) = delete;
  IncludeDispatchKeyGuard& operator=(const IncludeDispatchKeyGuard&) = delete;

 private:
  DispatchKeySet added_;
};

// RAII, thread local (!): adds `keys` to the excluded set; on destruction
// removes exactly the keys it added (those already excluded stay).
class ExcludeDispatchKeyGuard final {
 public:
  [[nodiscard]] explicit ExcludeDispatchKeyGuard(DispatchKeySet keys)
      : added_(keys - impl::raw_local_dispatch_key_set.get_excluded()) {
    if (!added_.empty()) {
      impl::raw_local_dispatch_key_set.set_excluded(impl::raw_local_dispatch_key_set.get_excluded() | added_);
    }
  }
  [[nodiscard]] explicit ExcludeDispatchKeyGuard(DispatchKey key) : ExcludeDispatchKeyGuard(DispatchKeySet(key)) {}
  ~ExcludeDispatchKeyGuard() {
    if (!added_.empty()) {
      impl::raw_local_dispatch_key_set.set_excluded(impl::raw_local_dispatch_key_set.get_excluded() - added_);
    }
  }
  ExcludeDispatchKeyGuard(const ExcludeDispatchKeyGuard&) = delete;
  ExcludeDispatchKeyGuard& operator=(const ExcludeDispatchKeyGuard&) = delete;

 private:
  DispatchKeySet added_;
};

}  // namespace ember

#endif  // EMBER_MODES_LOCAL_DISPATCH_KEY_SET_H_
