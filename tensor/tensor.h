// Tensor: LibTorch's tensor API, in namespace ember.
//
// A Tensor is a cheap handle (one intrusive pointer) to a TensorImpl; copying
// it shares the data. Methods and free functions have LibTorch's names and
// semantics, including broadcasting, type promotion and its error phrases;
// every op goes through the dispatcher (tensor/dispatcher.h), so //autograd
// can add its layer without changing this API. Link //tensor:tensor to get the
// CPU kernels.
//
//   ember::Tensor x = ember::randn({50, 1000});
//   ember::Tensor w = ember::ones({1000, 10}, ember::kFloat);
//   ember::Tensor y = x.mm(w).relu().sum(1);     // or ember::mm(x, w)
//   auto v = x.view({100, 500}).transpose(0, 1); // views share x's storage
//   x.add_(1).mul_(0.5);
//   std::cout << y << "\n";                      // printed as LibTorch prints
#ifndef EMBER_TENSOR_TENSOR_H_
#define EMBER_TENSOR_TENSOR_H_

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <ostream>
#include <type_traits>
#include <utility>
#include <vector>

#include "modes/dispatch_key_set.h"
#include "tensor/array_ref.h"
#include "tensor/check.h"
#include "tensor/intrusive_ptr.h"
#include "tensor/memory_layout.h"
#include "tensor/scalar_type.h"
#include "tensor/storage.h"
#include "tensor/tensor_impl.h"

namespace ember {

namespace autograd {
class Node;  // Defined by //autograd.
}  // namespace autograd

class Tensor;
using TensorList = ArrayRef<Tensor>;

class Tensor {
 public:
  Tensor() = default;
  explicit Tensor(intrusive_ptr<TensorImpl> impl) : impl_(std::move(impl)) {}

  bool defined() const { return static_cast<bool>(impl_); }
  TensorImpl* unsafeGetTensorImpl() const { return impl_.get(); }
  const intrusive_ptr<TensorImpl>& getIntrusivePtr() const { return impl_; }
  uint32_t use_count() const { return impl_.use_count(); }
  bool is_same(const Tensor& other) const { return impl_ == other.impl_; }

  // Geometry and type.
  IntArrayRef sizes() const { return impl_->sizes(); }
  IntArrayRef strides() const { return impl_->strides(); }
  int64_t size(int64_t dim) const;
  int64_t stride(int64_t dim) const;
  int64_t dim() const { return impl_->dim(); }
  int64_t ndimension() const { return dim(); }
  int64_t numel() const { return impl_->numel(); }
  size_t itemsize() const { return impl_->itemsize(); }
  size_t nbytes() const { return static_cast<size_t>(numel()) * itemsize(); }
  ScalarType scalar_type() const { return impl_->dtype(); }
  ScalarType dtype() const { return impl_->dtype(); }
  bool is_floating_point() const { return isFloatingType(dtype()); }
  bool is_contiguous() const { return impl_->is_contiguous(); }
  // Whether the elements are dense in `format`'s order (ChannelsLast: NHWC).
  bool is_contiguous(MemoryFormat format) const;
  // Whether the elements tile one block of memory, in any dim order.
  bool is_non_overlapping_and_dense() const;
  // The channels-last format the strides follow, else Contiguous.
  MemoryFormat suggest_memory_format() const;
  int64_t storage_offset() const { return impl_->storage_offset(); }
  const Storage& storage() const { return impl_->storage(); }
  DispatchKeySet key_set() const { return impl_->key_set(); }
  bool is_cpu() const { return key_set().has(DispatchKey::CPU); }
  bool is_inference() const { return impl_->is_inference(); }
  int64_t _version() const { return impl_->version(); }
  std::string toString() const;  // "CPUFloatType"

  // Data access. data_ptr<T>() checks T against the dtype.
  void* data_ptr() const { return impl_->data(); }
  template <class T>
  T* data_ptr() const;
  // The one element; item<T>() throws if T cannot hold it (see Scalar::to).
  template <class T>
  T item() const;
  Scalar item() const;

  // Autograd (forwarded to //autograd's hooks; see tensor/variable_hooks.h).
  bool requires_grad() const {
    AutogradMetaInterface* meta = impl_->autograd_meta();
    return meta != nullptr && meta->requires_grad();
  }
  // As LibTorch's: set_requires_grad(false) of a non-leaf is accepted (its
  // history still makes it require grad); requires_grad_(false) refuses it.
  const Tensor& set_requires_grad(bool requires_grad) const;
  const Tensor& requires_grad_(bool requires_grad = true) const;
  // A non-leaf's is undefined unless retain_grad() was called; reading it
  // then warns, as LibTorch does.
  const Tensor& grad() const;
  // The gradient slot, to reset or replace: `p.mutable_grad() = Tensor();`.
  Tensor& mutable_grad() const;
  const std::shared_ptr<autograd::Node>& grad_fn() const;
  bool is_leaf() const;
  int64_t output_nr() const;
  bool is_view() const;
  const Tensor& _base() const;
  void retain_grad() const;
  bool retains_grad() const;
  // A hook on this tensor's gradient (LibTorch's Tensor::register_hook): a
  // callable taking the gradient and returning a replacement (or an undefined
  // Tensor to keep it) or nothing. Returns the handle remove_hook() takes.
  template <class F>
  unsigned register_hook(F&& hook) const;
  void remove_hook(unsigned handle) const;
  unsigned _register_hook(std::function<Tensor(const Tensor&)> hook) const;
  void backward(const Tensor& gradient = Tensor(), bool retain_graph = false, bool create_graph = false) const;
  // Accumulates only into `inputs` (not empty): LibTorch's `inputs=` argument.
  void backward(const Tensor& gradient, bool retain_graph, bool create_graph, TensorList inputs) const;
  Tensor detach() const;
  // LibTorch's data(): the same memory and geometry, with no history, not a
  // view, and its own version counter (detach() shares the original's).
  // In-place ops through it are not seen by autograd: a graph that saved the
  // original then computes with the new values, unchecked.
  Tensor data() const;
  // Makes this tensor a leaf that does not require grad, in place (not a
  // view: "Can't detach views in-place"). As in LibTorch it does nothing
  // under InferenceMode, where no Autograd kernel runs.
  const Tensor& detach_() const;

  // Elementwise.
  Tensor add(const Tensor& other, const Scalar& alpha = 1) const;
  Tensor add(const Scalar& other, const Scalar& alpha = 1) const;
  const Tensor& add_(const Tensor& other, const Scalar& alpha = 1) const;
  const Tensor& add_(const Scalar& other, const Scalar& alpha = 1) const;
  Tensor sub(const Tensor& other, const Scalar& alpha = 1) const;
  Tensor sub(const Scalar& other, const Scalar& alpha = 1) const;
  const Tensor& sub_(const Tensor& other, const Scalar& alpha = 1) const;
  const Tensor& sub_(const Scalar& other, const Scalar& alpha = 1) const;
  Tensor mul(const Tensor& other) const;
  Tensor mul(const Scalar& other) const;
  const Tensor& mul_(const Tensor& other) const;
  const Tensor& mul_(const Scalar& other) const;
  Tensor div(const Tensor& other) const;
  Tensor div(const Scalar& other) const;
  const Tensor& div_(const Tensor& other) const;
  const Tensor& div_(const Scalar& other) const;
  Tensor pow(const Tensor& exponent) const;
  Tensor pow(const Scalar& exponent) const;
  const Tensor& pow_(const Tensor& exponent) const;
  const Tensor& pow_(const Scalar& exponent) const;
  Tensor eq(const Tensor& other) const;
  Tensor eq(const Scalar& other) const;
  Tensor ne(const Tensor& other) const;
  Tensor ne(const Scalar& other) const;
  Tensor lt(const Tensor& other) const;
  Tensor lt(const Scalar& other) const;
  Tensor le(const Tensor& other) const;
  Tensor le(const Scalar& other) const;
  Tensor gt(const Tensor& other) const;
  Tensor gt(const Scalar& other) const;
  Tensor ge(const Tensor& other) const;
  Tensor ge(const Scalar& other) const;
  // This tensor where `condition` is true, else `other` (LibTorch's
  // self.where(condition, other)); see ember::where.
  Tensor where(const Tensor& condition, const Tensor& other) const;
  Tensor where(const Tensor& condition, const Scalar& other) const;
  Tensor neg() const;
  const Tensor& neg_() const;
  Tensor exp() const;
  const Tensor& exp_() const;
  Tensor log() const;
  const Tensor& log_() const;
  Tensor relu() const;
  const Tensor& relu_() const;
  Tensor sigmoid() const;
  const Tensor& sigmoid_() const;
  Tensor tanh() const;
  const Tensor& tanh_() const;

  // Copies and conversions.
  const Tensor& copy_(const Tensor& src) const;
  const Tensor& fill_(const Scalar& value) const;
  const Tensor& zero_() const;
  // Preserve: a dense copy keeps the strides, others keep their dim order.
  Tensor clone(MemoryFormat format = MemoryFormat::Preserve) const;
  // This tensor if it is contiguous, else clone(MemoryFormat::Contiguous).
  Tensor contiguous() const;
  Tensor to(ScalarType dtype) const;

  // Reductions.
  Tensor sum() const;
  Tensor sum(IntArrayRef dim, bool keepdim = false) const;
  Tensor mean() const;
  Tensor mean(IntArrayRef dim, bool keepdim = false) const;
  // Sums the dims along which `size` was broadcast to this tensor's sizes
  // (the reverse of expand(size)); for gradients of broadcasting ops.
  Tensor sum_to_size(IntArrayRef size) const;

  // Linear algebra.
  Tensor mm(const Tensor& other) const;
  Tensor bmm(const Tensor& other) const;
  Tensor dot(const Tensor& other) const;  // two vectors: a 0-dim tensor
  Tensor mv(const Tensor& vec) const;     // a matrix times a vector
  Tensor matmul(const Tensor& other) const;

  // Views: share this tensor's storage and version counter.
  Tensor view(IntArrayRef size) const;
  Tensor reshape(IntArrayRef size) const;
  Tensor view_as(const Tensor& other) const;
  Tensor transpose(int64_t dim0, int64_t dim1) const;
  Tensor t() const;
  Tensor permute(IntArrayRef dims) const;
  Tensor select(int64_t dim, int64_t index) const;
  Tensor narrow(int64_t dim, int64_t start, int64_t length) const;
  Tensor slice(int64_t dim = 0, int64_t start = 0, int64_t end = INT64_MAX, int64_t step = 1) const;
  // Several views at once (LibTorch's): every index of `dim`; pieces of
  // `split_size` (the last may be shorter); pieces of the given sizes; and
  // `chunks` pieces of equal size but the last (fewer if `dim` is short).
  std::vector<Tensor> unbind(int64_t dim = 0) const;
  std::vector<Tensor> split(int64_t split_size, int64_t dim = 0) const;
  std::vector<Tensor> split_with_sizes(IntArrayRef split_sizes, int64_t dim = 0) const;
  std::vector<Tensor> chunk(int64_t chunks, int64_t dim = 0) const;
  Tensor squeeze() const;
  Tensor squeeze(int64_t dim) const;
  Tensor unsqueeze(int64_t dim) const;
  Tensor expand(IntArrayRef size) const;
  Tensor expand_as(const Tensor& other) const;
  Tensor as_strided(IntArrayRef size, IntArrayRef stride, int64_t storage_offset) const;

  bool equal(const Tensor& other) const;
  bool allclose(const Tensor& other, double rtol = 1e-05, double atol = 1e-08) const;

 private:
  intrusive_ptr<TensorImpl> impl_;
};

// The dispatcher reads tensor arguments' keys through these (see dispatcher.h).
inline DispatchKeySet dispatch_keys_of(const Tensor& t) {
  return t.defined() ? t.key_set() : DispatchKeySet();
}
inline DispatchKeySet dispatch_keys_of(TensorList tensors) {
  DispatchKeySet ks;
  for (const Tensor& t : tensors) ks = ks | dispatch_keys_of(t);
  return ks;
}

namespace detail {
[[noreturn]] void throw_dtype_mismatch(const char* what, ScalarType expected, ScalarType found);
}  // namespace detail

template <class T>
T* Tensor::data_ptr() const {
  constexpr ScalarType expected = CppTypeToScalarType<T>::value;
  if (__builtin_expect(dtype() != expected, 0)) detail::throw_dtype_mismatch("data_ptr<T>()", expected, dtype());
  return static_cast<T*>(impl_->data());
}

template <class T>
T Tensor::item() const {
  return item().to<T>();
}

// Printing, as LibTorch: values, then "[ CPUFloatType{2,3} ]".
std::ostream& operator<<(std::ostream& out, const Tensor& t);

// ---- Free functions (LibTorch's at:: / torch:: functions) ----

// Factories. The result is an inference tensor when InferenceMode is on.
template <class F>
unsigned Tensor::register_hook(F&& hook) const {
  if constexpr (std::is_void_v<std::invoke_result_t<F&, const Tensor&>>) {
    return _register_hook([h = std::forward<F>(hook)](const Tensor& grad) mutable {
      h(grad);
      return Tensor();
    });
  } else {
    return _register_hook(std::function<Tensor(const Tensor&)>(std::forward<F>(hook)));
  }
}

Tensor empty(IntArrayRef size, ScalarType dtype = kFloat);
Tensor empty_strided(IntArrayRef size, IntArrayRef stride, ScalarType dtype = kFloat);
Tensor zeros(IntArrayRef size, ScalarType dtype = kFloat);
Tensor ones(IntArrayRef size, ScalarType dtype = kFloat);
Tensor full(IntArrayRef size, const Scalar& value);  // dtype from the value, as LibTorch
Tensor full(IntArrayRef size, const Scalar& value, ScalarType dtype);
Tensor arange(const Scalar& end);
Tensor arange(const Scalar& start, const Scalar& end, const Scalar& step = 1);
Tensor arange(const Scalar& end, ScalarType dtype);
Tensor rand(IntArrayRef size, ScalarType dtype = kFloat);   // uniform on [0, 1)
Tensor randn(IntArrayRef size, ScalarType dtype = kFloat);  // standard normal
// Reseeds the process-wide generator used by rand and randn.
void manual_seed(uint64_t seed);
// Wraps `data` without copying; `deleter(data)` runs when the last user goes.
Tensor from_blob(void* data, IntArrayRef size, ScalarType dtype = kFloat);
Tensor from_blob(void* data, IntArrayRef size, IntArrayRef strides, ScalarType dtype = kFloat);
Tensor from_blob(void* data, IntArrayRef size, void (*deleter)(void*), ScalarType dtype = kFloat);
// A new tensor holding a copy of the values. Floating values give kFloat,
// integers kLong, bools kBool (LibTorch's defaults).
Tensor tensor(std::initializer_list<double> values);
Tensor tensor(std::initializer_list<float> values);
Tensor tensor(std::initializer_list<int> values);
Tensor tensor(std::initializer_list<int64_t> values);
Tensor tensor(std::initializer_list<bool> values);
Tensor tensor(ArrayRef<double> values, ScalarType dtype);
Tensor scalar_tensor(const Scalar& value);
Tensor scalar_tensor(const Scalar& value, ScalarType dtype);
Tensor empty_like(const Tensor& t);
Tensor empty_like(const Tensor& t, ScalarType dtype);
Tensor zeros_like(const Tensor& t);
Tensor zeros_like(const Tensor& t, ScalarType dtype);
Tensor ones_like(const Tensor& t);
Tensor ones_like(const Tensor& t, ScalarType dtype);
Tensor full_like(const Tensor& t, const Scalar& value);
Tensor rand_like(const Tensor& t);
Tensor randn_like(const Tensor& t);

Tensor add(const Tensor& self, const Tensor& other, const Scalar& alpha = 1);
Tensor add(const Tensor& self, const Scalar& other, const Scalar& alpha = 1);
const Tensor& add_out(const Tensor& out, const Tensor& self, const Tensor& other, const Scalar& alpha = 1);
Tensor sub(const Tensor& self, const Tensor& other, const Scalar& alpha = 1);
Tensor sub(const Tensor& self, const Scalar& other, const Scalar& alpha = 1);
const Tensor& sub_out(const Tensor& out, const Tensor& self, const Tensor& other, const Scalar& alpha = 1);
Tensor mul(const Tensor& self, const Tensor& other);
Tensor mul(const Tensor& self, const Scalar& other);
const Tensor& mul_out(const Tensor& out, const Tensor& self, const Tensor& other);
Tensor div(const Tensor& self, const Tensor& other);
Tensor div(const Tensor& self, const Scalar& other);
const Tensor& div_out(const Tensor& out, const Tensor& self, const Tensor& other);
Tensor pow(const Tensor& self, const Tensor& exponent);
Tensor pow(const Tensor& self, const Scalar& exponent);
Tensor eq(const Tensor& self, const Tensor& other);
Tensor eq(const Tensor& self, const Scalar& other);
Tensor ne(const Tensor& self, const Tensor& other);
Tensor lt(const Tensor& self, const Tensor& other);
Tensor le(const Tensor& self, const Tensor& other);
Tensor gt(const Tensor& self, const Tensor& other);
Tensor ge(const Tensor& self, const Tensor& other);
// Elementwise `condition ? self : other`, LibTorch's where(condition, self,
// other): a Bool condition, the three broadcast together, the result in the
// promoted dtype of self and other (a Scalar counts as a number: where(c,
// long_tensor, 0.5) is Float). Differentiable in self and other.
Tensor where(const Tensor& condition, const Tensor& self, const Tensor& other);
Tensor where(const Tensor& condition, const Tensor& self, const Scalar& other);
Tensor where(const Tensor& condition, const Scalar& self, const Tensor& other);
Tensor where(const Tensor& condition, const Scalar& self, const Scalar& other);
Tensor neg(const Tensor& self);
Tensor exp(const Tensor& self);
Tensor log(const Tensor& self);
Tensor relu(const Tensor& self);
Tensor sigmoid(const Tensor& self);
Tensor tanh(const Tensor& self);
Tensor clone(const Tensor& self, MemoryFormat format = MemoryFormat::Preserve);
Tensor sum(const Tensor& self);
Tensor sum(const Tensor& self, IntArrayRef dim, bool keepdim = false);
Tensor mean(const Tensor& self);
Tensor mean(const Tensor& self, IntArrayRef dim, bool keepdim = false);
Tensor mm(const Tensor& self, const Tensor& mat2);
Tensor bmm(const Tensor& self, const Tensor& mat2);
Tensor dot(const Tensor& self, const Tensor& other);
Tensor mv(const Tensor& self, const Tensor& vec);
Tensor matmul(const Tensor& self, const Tensor& other);
Tensor cat(TensorList tensors, int64_t dim = 0);
Tensor stack(TensorList tensors, int64_t dim = 0);
Tensor transpose(const Tensor& self, int64_t dim0, int64_t dim1);
Tensor reshape(const Tensor& self, IntArrayRef size);
std::vector<Tensor> unbind(const Tensor& self, int64_t dim = 0);
std::vector<Tensor> split(const Tensor& self, int64_t split_size, int64_t dim = 0);
std::vector<Tensor> split_with_sizes(const Tensor& self, IntArrayRef split_sizes, int64_t dim = 0);
std::vector<Tensor> chunk(const Tensor& self, int64_t chunks, int64_t dim = 0);
bool equal(const Tensor& self, const Tensor& other);
bool allclose(const Tensor& self, const Tensor& other, double rtol = 1e-05, double atol = 1e-08);

// The broadcast shape of two shapes; throws LibTorch's message naming `op`.
DimVector infer_size(IntArrayRef a, IntArrayRef b, const char* op = "broadcast");
// The dtype a binary op on these operands computes in (LibTorch's result_type).
ScalarType result_type(const Tensor& a, const Tensor& b);
ScalarType result_type(const Tensor& a, const Scalar& b);

Tensor operator+(const Tensor& a, const Tensor& b);
Tensor operator+(const Tensor& a, const Scalar& b);
Tensor operator+(const Scalar& a, const Tensor& b);
Tensor operator-(const Tensor& a, const Tensor& b);
Tensor operator-(const Tensor& a, const Scalar& b);
Tensor operator-(const Scalar& a, const Tensor& b);
Tensor operator*(const Tensor& a, const Tensor& b);
Tensor operator*(const Tensor& a, const Scalar& b);
Tensor operator*(const Scalar& a, const Tensor& b);
Tensor operator/(const Tensor& a, const Tensor& b);
Tensor operator/(const Tensor& a, const Scalar& b);
Tensor operator/(const Scalar& a, const Tensor& b);
Tensor operator-(const Tensor& a);
Tensor operator==(const Tensor& a, const Tensor& b);
Tensor operator==(const Tensor& a, const Scalar& b);
Tensor operator!=(const Tensor& a, const Tensor& b);
Tensor operator!=(const Tensor& a, const Scalar& b);
Tensor operator<(const Tensor& a, const Tensor& b);
Tensor operator<(const Tensor& a, const Scalar& b);
Tensor operator<=(const Tensor& a, const Tensor& b);
Tensor operator<=(const Tensor& a, const Scalar& b);
Tensor operator>(const Tensor& a, const Tensor& b);
Tensor operator>(const Tensor& a, const Scalar& b);
Tensor operator>=(const Tensor& a, const Tensor& b);
Tensor operator>=(const Tensor& a, const Scalar& b);
const Tensor& operator+=(const Tensor& a, const Tensor& b);
const Tensor& operator+=(const Tensor& a, const Scalar& b);
const Tensor& operator-=(const Tensor& a, const Tensor& b);
const Tensor& operator-=(const Tensor& a, const Scalar& b);
const Tensor& operator*=(const Tensor& a, const Tensor& b);
const Tensor& operator*=(const Tensor& a, const Scalar& b);
const Tensor& operator/=(const Tensor& a, const Tensor& b);
const Tensor& operator/=(const Tensor& a, const Scalar& b);

}  // namespace ember

#endif  // EMBER_TENSOR_TENSOR_H_
