// InlineVector<T, N>: a growable array that keeps its first N elements
// inside the object, for a node's edges and input metadata. Nearly every
// node has one or two inputs; with std::vector each node cost two heap
// allocations and two frees for them.
//
// Unlike tensor/array_ref.h's SmallVector (trivially copyable values only)
// it holds any type that moves without throwing (Edge holds a shared_ptr,
// InputMeta a DimVector). Move-only, as the nodes that own it are.
//
//   InlineVector<Edge, 2> edges;
//   edges.push_back(Edge(fn, 0));   // in place; a third element moves them all to the heap
#ifndef EMBER_AUTOGRAD_INLINE_VECTOR_H_
#define EMBER_AUTOGRAD_INLINE_VECTOR_H_

#include <cstddef>
#include <new>
#include <type_traits>
#include <utility>

namespace ember {
namespace autograd {

template <class T, size_t N>
class InlineVector final {
  static_assert(N > 0, "at least one element inline");
  static_assert(std::is_nothrow_move_constructible<T>::value, "growing moves the elements and must not throw");
  static_assert(alignof(T) <= __STDCPP_DEFAULT_NEW_ALIGNMENT__, "the heap array has operator new's alignment");

 public:
  InlineVector() = default;
  InlineVector(const InlineVector&) = delete;
  InlineVector& operator=(const InlineVector&) = delete;
  ~InlineVector() {
    clear();
    if (data_ != inline_data()) ::operator delete(data_);
  }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  T* data() { return data_; }
  const T* data() const { return data_; }
  T* begin() { return data_; }
  T* end() { return data_ + size_; }
  const T* begin() const { return data_; }
  const T* end() const { return data_ + size_; }
  T& operator[](size_t i) { return data_[i]; }
  const T& operator[](size_t i) const { return data_[i]; }
  T& back() { return data_[size_ - 1]; }
  const T& back() const { return data_[size_ - 1]; }

  void reserve(size_t capacity) {
    if (capacity > capacity_) grow(capacity);
  }
  // The size grows only once the element is built: a constructor that
  // throws (SavedVariable refusing an inference tensor) leaves none behind.
  template <class... Args>
  T& emplace_back(Args&&... args) {
    T* slot;
    if (size_ == capacity_) {
      // The arguments may refer to an element: build the value before moving them.
      T value(std::forward<Args>(args)...);
      grow(2 * capacity_);
      slot = new (data_ + size_) T(std::move(value));
    } else {
      slot = new (data_ + size_) T(std::forward<Args>(args)...);
    }
    ++size_;
    return *slot;
  }
  void push_back(const T& value) { emplace_back(value); }
  void push_back(T&& value) { emplace_back(std::move(value)); }
  void clear() {
    for (size_t i = size_; i-- > 0;) data_[i].~T();
    size_ = 0;
  }

 private:
  T* inline_data() { return reinterpret_cast<T*>(inline_); }

  void grow(size_t capacity) {
    T* fresh = static_cast<T*>(::operator new(capacity * sizeof(T)));
    for (size_t i = 0; i < size_; ++i) {
      new (fresh + i) T(std::move(data_[i]));
      data_[i].~T();
    }
    if (data_ != inline_data()) ::operator delete(data_);
    data_ = fresh;
    capacity_ = capacity;
  }

  alignas(T) unsigned char inline_[N * sizeof(T)];
  T* data_ = reinterpret_cast<T*>(inline_);
  size_t size_ = 0;
  size_t capacity_ = N;
};

}  // namespace autograd
}  // namespace ember

#endif  // EMBER_AUTOGRAD_INLINE_VECTOR_H_
