#include "modes/local_dispatch_key_set.h"

namespace ember {
namespace impl {

thread_local PODLocalDispatchKeySet raw_local_dispatch_key_set;

}  // namespace impl

void _force_tls_local_dispatch_key_set(LocalDispatchKeySet keys) {
  impl::raw_local_dispatch_key_set.set_included(keys.included_);
  impl::raw_local_dispatch_key_set.set_excluded(keys.excluded_);
}

bool tls_is_dispatch_key_included(DispatchKey key) {
  return impl::raw_local_dispatch_key_set.get_included().has(key);
}

bool tls_is_dispatch_key_excluded(DispatchKey key) {
  return impl::raw_local_dispatch_key_set.get_excluded().has(key);
}

void tls_set_dispatch_key_included(DispatchKey key, bool included) {
  impl::PODLocalDispatchKeySet& raw = impl::raw_local_dispatch_key_set;
  DispatchKeySet keys = raw.get_included();
  raw.set_included(included ? keys.add(key) : keys.remove(key));
}

void tls_set_dispatch_key_excluded(DispatchKey key, bool excluded) {
  impl::PODLocalDispatchKeySet& raw = impl::raw_local_dispatch_key_set;
  DispatchKeySet keys = raw.get_excluded();
  raw.set_excluded(excluded ? keys.add(key) : keys.remove(key));
}

IncludeDispatchKeyGuard::IncludeDispatchKeyGuard(DispatchKeySet keys) {
  impl::PODLocalDispatchKeySet& raw = impl::raw_local_dispatch_key_set;
  added_ = keys - raw.get_included();
  if (!added_.empty()) raw.set_included(raw.get_included() | added_);
}

IncludeDispatchKeyGuard::~IncludeDispatchKeyGuard() {
  if (added_.empty()) return;
  impl::PODLocalDispatchKeySet& raw = impl::raw_local_dispatch_key_set;
  raw.set_included(raw.get_included() - added_);
}

ExcludeDispatchKeyGuard::ExcludeDispatchKeyGuard(DispatchKeySet keys) {
  impl::PODLocalDispatchKeySet& raw = impl::raw_local_dispatch_key_set;
  added_ = keys - raw.get_excluded();
  if (!added_.empty()) raw.set_excluded(raw.get_excluded() | added_);
}

ExcludeDispatchKeyGuard::~ExcludeDispatchKeyGuard() {
  if (added_.empty()) return;
  impl::PODLocalDispatchKeySet& raw = impl::raw_local_dispatch_key_set;
  raw.set_excluded(raw.get_excluded() - added_);
}

}  // namespace ember
