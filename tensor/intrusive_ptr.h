// intrusive_ptr: a reference-counted pointer whose count lives in the object.
//
// Tensor and Storage handles are copied on every op call; an intrusive count
// costs one atomic increment and no control block, unlike std::shared_ptr
// (PyTorch's c10::intrusive_ptr for the same reason). A class opts in by
// deriving from intrusive_ptr_target.
//
// While the process has one thread, counts are plain loads and stores: see
// Note [Counting without atomics in a single-threaded process] in
// tensor/single_threaded.h.
//
//   struct Node : ember::intrusive_ptr_target { int v = 0; };
//   ember::intrusive_ptr<Node> a = ember::make_intrusive<Node>();
//   ember::intrusive_ptr<Node> b = a;   // a.use_count() == 2
#ifndef EMBER_TENSOR_INTRUSIVE_PTR_H_
#define EMBER_TENSOR_INTRUSIVE_PTR_H_

#include <atomic>
#include <cstdint>
#include <type_traits>
#include <utility>

#include "tensor/single_threaded.h"

namespace ember {

// Not polymorphic: intrusive_ptr<T> deletes through T itself, so T must be
// the complete (final) type; no vtable pointer, no virtual destructor call.
class intrusive_ptr_target {
 public:
  intrusive_ptr_target() = default;
  // A copied object starts with its own count, never the source's.
  intrusive_ptr_target(const intrusive_ptr_target&) : refcount_(0) {}
  intrusive_ptr_target& operator=(const intrusive_ptr_target&) { return *this; }

 protected:
  ~intrusive_ptr_target() = default;

 private:
  template <class T>
  friend class intrusive_ptr;
  mutable std::atomic<uint32_t> refcount_{0};
};

template <class T>
class intrusive_ptr final {
  static_assert(std::is_final<T>::value || !std::is_polymorphic<T>::value,
                "intrusive_ptr deletes through T: T must be final or non-polymorphic");

 public:
  constexpr intrusive_ptr() noexcept = default;
  // Takes a new reference to `p` (which may already be owned elsewhere).
  explicit intrusive_ptr(T* p) noexcept : p_(p) { retain(); }
  intrusive_ptr(const intrusive_ptr& other) noexcept : p_(other.p_) { retain(); }
  intrusive_ptr(intrusive_ptr&& other) noexcept : p_(other.p_) { other.p_ = nullptr; }
  ~intrusive_ptr() { reset(); }

  intrusive_ptr& operator=(const intrusive_ptr& other) noexcept {
    intrusive_ptr(other).swap(*this);
    return *this;
  }
  intrusive_ptr& operator=(intrusive_ptr&& other) noexcept {
    intrusive_ptr(std::move(other)).swap(*this);
    return *this;
  }

  void reset() noexcept {
    if (p_ != nullptr) {
      // The sole owner can delete without a read-modify-write: no other
      // reference exists from which a new one could be made concurrently.
      uint32_t count = p_->refcount_.load(std::memory_order_acquire);
      if (count == 1) {
        delete p_;
      } else if (detail::process_is_single_threaded()) {
        p_->refcount_.store(count - 1, std::memory_order_relaxed);
      } else {
        release_shared(p_);
      }
    }
    p_ = nullptr;
  }
  // Takes ownership of a freshly made object nobody else has seen (count 0),
  // with a plain store instead of an atomic increment.
  static intrusive_ptr adopt_new(T* p) noexcept {
    intrusive_ptr out;
    p->refcount_.store(1, std::memory_order_relaxed);
    out.p_ = p;
    return out;
  }
  void swap(intrusive_ptr& other) noexcept { std::swap(p_, other.p_); }
  // Gives up ownership without decrementing; the caller owns one reference.
  T* release() noexcept {
    T* p = p_;
    p_ = nullptr;
    return p;
  }

  T* get() const noexcept { return p_; }
  T& operator*() const noexcept { return *p_; }
  T* operator->() const noexcept { return p_; }
  explicit operator bool() const noexcept { return p_ != nullptr; }
  uint32_t use_count() const noexcept { return p_ ? p_->refcount_.load(std::memory_order_acquire) : 0; }

  bool operator==(const intrusive_ptr& other) const noexcept { return p_ == other.p_; }
  bool operator!=(const intrusive_ptr& other) const noexcept { return p_ != other.p_; }

 private:
  template <class U>
  friend class intrusive_ptr;
  void retain() noexcept {
    if (p_ != nullptr) detail::counter_add(p_->refcount_, uint32_t{1});
  }
  // Out of line so that reset()'s common paths stay small enough to inline
  // into every handle's destructor.
  [[gnu::noinline]] static void release_shared(T* p) noexcept {
    if (p->refcount_.fetch_sub(1, std::memory_order_acq_rel) == 1) delete p;
  }
  T* p_ = nullptr;
};

template <class T, class... Args>
intrusive_ptr<T> make_intrusive(Args&&... args) {
  return intrusive_ptr<T>::adopt_new(new T(std::forward<Args>(args)...));
}

}  // namespace ember

#endif  // EMBER_TENSOR_INTRUSIVE_PTR_H_
