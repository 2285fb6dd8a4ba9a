#include "modes/local_dispatch_key_set.h"

namespace ember {
namespace impl {

thread_local EMBER_CONSTINIT PODLocalDispatchKeySet raw_local_dispatch_key_set{};

}  // namespace impl

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

}  // namespace ember
