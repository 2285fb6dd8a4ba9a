// The dispatcher: one table of kernels per operator, indexed by DispatchKey.
//
// A call computes
//     ks = (union of the tensor arguments' key sets | TLS included) - TLS excluded
// and runs the kernel of the highest key in ks that is not a *fallthrough*
// for this operator. The kernel receives ks and may continue below itself with
//     op.redispatch(ks & DispatchKeySet(DispatchKeySet::FULL_AFTER, its_key), args...)
// ADInplaceOrView and the Autograd keys start as fallthroughs: //tensor
// registers only CPU kernels, and //autograd fills those slots at static init.
// That is PyTorch's design, and why InferenceMode is fast: inference tensors
// carry no Autograd/ADInplaceOrView keys and InferenceMode excludes the
// autograd keys, so such calls go straight to the CPU kernel.
//
// The hot path is a fold over the arguments' key sets, two thread-local
// reads, a count-leading-zeros and an indirect call: no lookup by name, no
// lock, no allocation. Operators are constant-initialised globals, so kernels
// may be registered from any translation unit's static initialisers.
// Registration is not thread-safe: do it at static init or before threads start.
//
//   // declared once (tensor/ops.h), defined once (tensor/ops.cc):
//   Operator<Tensor(const Tensor&, const Tensor&)> mm{"mm"};
//   // registered by a backend:
//   static const bool r = (ops::mm.register_kernel(DispatchKey::CPU, &mm_cpu), true);
//   // called:
//   Tensor y = ops::mm.call(a, b);
#ifndef EMBER_TENSOR_DISPATCHER_H_
#define EMBER_TENSOR_DISPATCHER_H_

#include <utility>

#include "modes/dispatch_key_set.h"
#include "modes/local_dispatch_key_set.h"

namespace ember {

// Arguments that are not tensors contribute no keys. Tensor (tensor.h) adds
// overloads found by argument-dependent lookup.
template <class T>
constexpr DispatchKeySet dispatch_keys_of(const T&) {
  return DispatchKeySet();
}

// The keys an operator starts with as fallthroughs.
constexpr DispatchKeySet default_fallthrough_keys = autograd_dispatch_keyset_with_ADInplaceOrView;

namespace detail {
[[noreturn]] void throw_missing_kernel(const char* op, DispatchKey key, DispatchKeySet ks);
}  // namespace detail

template <class Signature>
class Operator;

template <class R, class... Args>
class Operator<R(Args...)> final {
 public:
  using Kernel = R (*)(DispatchKeySet, Args...);

  constexpr explicit Operator(const char* name) : name_(name) {}
  // `implicit_keys` join every call's keys, as if an argument that is not a
  // tensor carried them: see ops::add_Scalar.
  constexpr Operator(const char* name, DispatchKeySet implicit_keys) : name_(name), implicit_keys_(implicit_keys) {}
  Operator(const Operator&) = delete;
  Operator& operator=(const Operator&) = delete;

  const char* name() const { return name_; }

  // The key set this call dispatches with (before fallthroughs are skipped).
  DispatchKeySet compute_dispatch_key_set(const Args&... args) const {
    const impl::PODLocalDispatchKeySet& tls = impl::raw_local_dispatch_key_set;
    return ((dispatch_keys_of(args) | ... | implicit_keys_) | tls.get_included()) - tls.get_excluded();
  }

  R call(Args... args) const {
    return redispatch(compute_dispatch_key_set(args...), std::forward<Args>(args)...);
  }

  R redispatch(DispatchKeySet ks, Args... args) const {
    DispatchKey key = (ks - fallthrough_).highestPriorityTypeId();
    Kernel kernel = kernels_[static_cast<int>(key)];
    if (__builtin_expect(kernel == nullptr, 0)) detail::throw_missing_kernel(name_, key, ks);
    return kernel(ks, std::forward<Args>(args)...);
  }

  // Installs `kernel` for `key`, replacing any kernel or fallthrough there.
  // Returns the previous kernel (null if none or fallthrough).
  Kernel register_kernel(DispatchKey key, Kernel kernel) {
    Kernel previous = kernels_[static_cast<int>(key)];
    kernels_[static_cast<int>(key)] = kernel;
    fallthrough_ = kernel == nullptr ? fallthrough_ : fallthrough_.remove(key);
    return previous;
  }
  // Makes `key` a fallthrough: calls skip to the next key below it.
  void register_fallthrough(DispatchKey key) {
    kernels_[static_cast<int>(key)] = nullptr;
    fallthrough_ = fallthrough_.add(key);
  }
  Kernel kernel(DispatchKey key) const { return kernels_[static_cast<int>(key)]; }
  bool is_fallthrough(DispatchKey key) const { return fallthrough_.has(key); }

  // The key a call with key set `ks` runs.
  DispatchKey dispatch_key(DispatchKeySet ks) const { return (ks - fallthrough_).highestPriorityTypeId(); }

 private:
  const char* name_;
  DispatchKeySet implicit_keys_;
  Kernel kernels_[kNumDispatchKeys + 1] = {};
  DispatchKeySet fallthrough_ = default_fallthrough_keys;
};

// The keys below `key`, for a kernel registered at `key` to redispatch with.
constexpr DispatchKeySet keys_after(DispatchKeySet ks, DispatchKey key) {
  return ks & DispatchKeySet(DispatchKeySet::FULL_AFTER, key);
}

}  // namespace ember

#endif  // EMBER_TENSOR_DISPATCHER_H_
