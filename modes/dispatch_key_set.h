// DispatchKeySet: a constexpr 64-bit set of DispatchKeys.
//
// Key k occupies bit (k - 1); DispatchKey::Undefined is never a member. The
// set answers the dispatcher's one question quickly: which is the
// highest-priority key present (highestPriorityTypeId)? Iteration goes from
// the lowest-priority key to the highest.
//
//   constexpr DispatchKeySet ks{DispatchKey::CPU, DispatchKey::AutogradCPU};
//   static_assert(ks.highestPriorityTypeId() == DispatchKey::AutogradCPU);
//   for (DispatchKey k : ks) { ... }             // CPU, then AutogradCPU
//   DispatchKeySet below(DispatchKeySet::FULL_AFTER, DispatchKey::AutogradCPU);
//   (ks & below).highestPriorityTypeId();        // CPU: where a kernel redispatches
#ifndef EMBER_MODES_DISPATCH_KEY_SET_H_
#define EMBER_MODES_DISPATCH_KEY_SET_H_

#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <ostream>
#include <string>

#include "modes/dispatch_key.h"

namespace ember {

class DispatchKeySet final {
 public:
  enum Full { FULL };
  enum FullAfter { FULL_AFTER };
  enum Raw { RAW };

  constexpr DispatchKeySet() = default;
  // Every key.
  constexpr explicit DispatchKeySet(Full) : repr_(kAllBits) {}
  // Every key of lower priority than `key` (not `key` itself): the keys a
  // kernel registered for `key` may redispatch to.
  constexpr DispatchKeySet(FullAfter, DispatchKey key) : repr_(bit(key) == 0 ? 0 : bit(key) - 1) {}
  constexpr DispatchKeySet(Raw, uint64_t repr) : repr_(repr & kAllBits) {}
  constexpr explicit DispatchKeySet(DispatchKey key) : repr_(bit(key)) {}
  constexpr DispatchKeySet(std::initializer_list<DispatchKey> keys) {
    for (DispatchKey key : keys) repr_ |= bit(key);
  }

  constexpr bool has(DispatchKey key) const { return (repr_ & bit(key)) != 0; }
  constexpr bool has_all(DispatchKeySet other) const { return (repr_ & other.repr_) == other.repr_; }
  constexpr bool has_any(DispatchKeySet other) const { return (repr_ & other.repr_) != 0; }
  constexpr bool isSupersetOf(DispatchKeySet other) const { return has_all(other); }
  constexpr bool empty() const { return repr_ == 0; }
  constexpr int size() const { return __builtin_popcountll(repr_); }
  constexpr uint64_t raw_repr() const { return repr_; }

  constexpr DispatchKeySet add(DispatchKey key) const { return DispatchKeySet(RAW, repr_ | bit(key)); }
  constexpr DispatchKeySet remove(DispatchKey key) const { return DispatchKeySet(RAW, repr_ & ~bit(key)); }

  constexpr DispatchKeySet operator|(DispatchKeySet other) const { return DispatchKeySet(RAW, repr_ | other.repr_); }
  constexpr DispatchKeySet operator&(DispatchKeySet other) const { return DispatchKeySet(RAW, repr_ & other.repr_); }
  constexpr DispatchKeySet operator-(DispatchKeySet other) const { return DispatchKeySet(RAW, repr_ & ~other.repr_); }
  constexpr DispatchKeySet operator^(DispatchKeySet other) const { return DispatchKeySet(RAW, repr_ ^ other.repr_); }
  constexpr bool operator==(DispatchKeySet other) const { return repr_ == other.repr_; }
  constexpr bool operator!=(DispatchKeySet other) const { return repr_ != other.repr_; }

  // The member with the highest priority, or Undefined for the empty set.
  constexpr DispatchKey highestPriorityTypeId() const {
    return repr_ == 0 ? DispatchKey::Undefined : static_cast<DispatchKey>(64 - __builtin_clzll(repr_));
  }

  class iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = DispatchKey;
    using difference_type = std::ptrdiff_t;
    using pointer = const DispatchKey*;
    using reference = DispatchKey;

    constexpr explicit iterator(uint64_t remaining) : remaining_(remaining) {}
    constexpr DispatchKey operator*() const { return static_cast<DispatchKey>(__builtin_ctzll(remaining_) + 1); }
    constexpr iterator& operator++() {
      remaining_ &= remaining_ - 1;  // Drop the lowest set bit.
      return *this;
    }
    constexpr iterator operator++(int) {
      iterator before = *this;
      ++*this;
      return before;
    }
    constexpr bool operator==(iterator other) const { return remaining_ == other.remaining_; }
    constexpr bool operator!=(iterator other) const { return remaining_ != other.remaining_; }

   private:
    uint64_t remaining_;
  };

  constexpr iterator begin() const { return iterator(repr_); }
  constexpr iterator end() const { return iterator(0); }

 private:
  static constexpr uint64_t kAllBits =
      kNumDispatchKeys == 64 ? ~uint64_t{0} : (uint64_t{1} << kNumDispatchKeys) - 1;

  static constexpr uint64_t bit(DispatchKey key) {
    return key == DispatchKey::Undefined || key >= DispatchKey::EndOfKeys
               ? 0
               : uint64_t{1} << (static_cast<int>(key) - 1);
  }

  uint64_t repr_ = 0;
};

// "DispatchKeySet(CPU, AutogradCPU)", lowest priority first.
std::string toString(DispatchKeySet keys);
std::ostream& operator<<(std::ostream& out, DispatchKeySet keys);

// The keys that record the autograd graph.
constexpr DispatchKeySet autograd_dispatch_keyset{
    DispatchKey::AutogradOther, DispatchKey::AutogradCPU, DispatchKey::AutogradCUDA, DispatchKey::AutogradMeta};

constexpr DispatchKeySet autograd_dispatch_keyset_with_ADInplaceOrView =
    autograd_dispatch_keyset.add(DispatchKey::ADInplaceOrView);

// The keys every tensor of `backend` gets outside InferenceMode: the backend,
// ADInplaceOrView and the backend's autograd key. An inference tensor gets
// only the backend key.
constexpr DispatchKeySet normal_tensor_keyset(DispatchKey backend) {
  return DispatchKeySet{backend, DispatchKey::ADInplaceOrView, getAutogradKeyFromBackend(backend)};
}

}  // namespace ember

#endif  // EMBER_MODES_DISPATCH_KEY_SET_H_
