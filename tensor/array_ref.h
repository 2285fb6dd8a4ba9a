// ArrayRef and SmallVector: the two containers of shapes.
//
// ArrayRef<T> is a non-owning view of contiguous elements (LibTorch's
// c10::ArrayRef): ops take sizes as IntArrayRef so that `{2, 3}`, a
// std::vector and a tensor's own sizes() all pass without copying.
// SmallVector<T, N> keeps up to N elements inline and spills to the heap only
// beyond that, so a TensorImpl of up to 5 dims allocates nothing for its shape.
//
//   void f(ember::IntArrayRef sizes);
//   f({2, 3});                            // from an initializer list
//   ember::DimVector v(sizes);            // an owning copy, inline for <= 5 dims
#ifndef EMBER_TENSOR_ARRAY_REF_H_
#define EMBER_TENSOR_ARRAY_REF_H_

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <new>
#include <ostream>
#include <string>
#include <type_traits>
#include <vector>

namespace ember {

template <class T>
class ArrayRef final {
 public:
  using value_type = T;
  using const_iterator = const T*;

  constexpr ArrayRef() = default;
  constexpr ArrayRef(const T& one) : data_(&one), size_(1) {}  // NOLINT: implicit, as in LibTorch
  constexpr ArrayRef(const T* data, size_t size) : data_(data), size_(size) {}
  ArrayRef(const std::vector<T>& v) : data_(v.data()), size_(v.size()) {}  // NOLINT
  // The list's array lives until the end of the full expression, which is
  // how ops use it: `x.view({2, 3})`.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winit-list-lifetime"
  constexpr ArrayRef(std::initializer_list<T> list)  // NOLINT
      : data_(list.begin() == list.end() ? nullptr : list.begin()), size_(list.size()) {}
#pragma GCC diagnostic pop

  constexpr const T* data() const { return data_; }
  constexpr size_t size() const { return size_; }
  constexpr bool empty() const { return size_ == 0; }
  constexpr const T* begin() const { return data_; }
  constexpr const T* end() const { return data_ + size_; }
  constexpr const T& operator[](size_t i) const { return data_[i]; }
  constexpr const T& front() const { return data_[0]; }
  constexpr const T& back() const { return data_[size_ - 1]; }
  std::vector<T> vec() const { return std::vector<T>(begin(), end()); }

  bool equals(ArrayRef other) const {
    if (size_ != other.size_) return false;
    for (size_t i = 0; i < size_; ++i)
      if (!(data_[i] == other.data_[i])) return false;
    return true;
  }
  // Hidden friends, so that a SmallVector or an initializer list converts.
  friend bool operator==(ArrayRef a, ArrayRef b) { return a.equals(b); }
  friend bool operator!=(ArrayRef a, ArrayRef b) { return !a.equals(b); }

 private:
  const T* data_ = nullptr;
  size_t size_ = 0;
};


using IntArrayRef = ArrayRef<int64_t>;

// "[2, 3]", as LibTorch prints sizes.
std::string toString(IntArrayRef values);
std::ostream& operator<<(std::ostream& out, IntArrayRef values);

// Only for trivially copyable T (shapes and strides): it moves bytes with memcpy.
template <class T, size_t N>
class SmallVector final {
  static_assert(std::is_trivially_copyable<T>::value, "SmallVector holds trivially copyable values");

 public:
  SmallVector() = default;
  explicit SmallVector(size_t size, T value = T()) { resize(size, value); }
  SmallVector(ArrayRef<T> values) { assign(values.data(), values.size()); }  // NOLINT
  SmallVector(std::initializer_list<T> values) { assign(values.begin(), values.size()); }
  SmallVector(const SmallVector& other) { assign(other.data(), other.size()); }
  SmallVector(SmallVector&& other) noexcept { steal(other); }
  SmallVector& operator=(const SmallVector& other) {
    if (this != &other) assign(other.data(), other.size());
    return *this;
  }
  SmallVector& operator=(SmallVector&& other) noexcept {
    if (this != &other) {
      free_heap();
      steal(other);
    }
    return *this;
  }
  SmallVector& operator=(ArrayRef<T> values) {
    if (values.data() != data_) assign(values.data(), values.size());
    return *this;
  }
  ~SmallVector() { free_heap(); }

  operator ArrayRef<T>() const { return ArrayRef<T>(data_, size_); }  // NOLINT
  ArrayRef<T> ref() const { return ArrayRef<T>(data_, size_); }

  T* data() { return data_; }
  const T* data() const { return data_; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  T* begin() { return data_; }
  T* end() { return data_ + size_; }
  const T* begin() const { return data_; }
  const T* end() const { return data_ + size_; }
  T& operator[](size_t i) { return data_[i]; }
  const T& operator[](size_t i) const { return data_[i]; }
  T& back() { return data_[size_ - 1]; }

  void reserve(size_t capacity) {
    if (capacity <= capacity_) return;
    T* fresh = static_cast<T*>(std::malloc(capacity * sizeof(T)));
    if (fresh == nullptr) throw std::bad_alloc();
    if (size_ > 0) std::memcpy(fresh, data_, size_ * sizeof(T));
    free_heap();
    data_ = fresh;
    capacity_ = capacity;
  }
  void resize(size_t size, T value = T()) {
    reserve(size);
    for (size_t i = size_; i < size; ++i) data_[i] = value;
    size_ = size;
  }
  // Sets the size without initialising new elements; the caller writes them.
  void resize_for_overwrite(size_t size) {
    reserve(size);
    size_ = size;
  }
  void push_back(T value) {
    if (size_ == capacity_) reserve(capacity_ * 2);
    data_[size_++] = value;
  }
  void insert(size_t pos, T value) {
    push_back(value);
    for (size_t i = size_ - 1; i > pos; --i) data_[i] = data_[i - 1];
    data_[pos] = value;
  }
  void erase(size_t pos) {
    for (size_t i = pos; i + 1 < size_; ++i) data_[i] = data_[i + 1];
    --size_;
  }
  void clear() { size_ = 0; }

 private:
  void assign(const T* values, size_t size) {
    size_ = 0;
    reserve(size);
    // A plain loop: shapes are a handful of elements, cheaper than a memcpy call.
    for (size_t i = 0; i < size; ++i) data_[i] = values[i];
    size_ = size;
  }
  void steal(SmallVector& other) {
    if (other.data_ == other.inline_) {
      data_ = inline_;
      capacity_ = N;
      size_ = other.size_;
      for (size_t i = 0; i < size_; ++i) inline_[i] = other.inline_[i];
    } else {
      data_ = other.data_;
      capacity_ = other.capacity_;
      size_ = other.size_;
      other.data_ = other.inline_;
      other.capacity_ = N;
    }
    other.size_ = 0;
  }
  void free_heap() {
    if (data_ != inline_) std::free(data_);
    data_ = inline_;
    capacity_ = N;
  }

  T inline_[N];
  T* data_ = inline_;
  size_t size_ = 0;
  size_t capacity_ = N;
};

// Sizes and strides: 5 dims inline, as PyTorch's TensorImpl.
using DimVector = SmallVector<int64_t, 5>;

}  // namespace ember

#endif  // EMBER_TENSOR_ARRAY_REF_H_
