// Factories and the allocation helpers every kernel uses.
#include <cmath>
#include <cstring>
#include <limits>
#include <mutex>
#include <random>

#include "modes/inference_mode.h"
#include "tensor/check.h"
#include "tensor/ops.h"
#include "tensor/tensor.h"
#include "tensor/tensor_util.h"

namespace ember {
namespace detail {

int64_t checked_numel(IntArrayRef sizes, size_t itemsize, const char* op) {
  int64_t numel = 1;
  bool overflow = false;
  for (int64_t s : sizes) {
    EMBER_CHECK(s >= 0, "Trying to create tensor with negative dimension ", s, ": ", sizes, " (in ", op,
                "). Sizes must be >= 0.");
    overflow |= __builtin_mul_overflow(numel, s, &numel);
  }
  int64_t nbytes = 0;
  overflow |= __builtin_mul_overflow(numel, static_cast<int64_t>(itemsize), &nbytes);
  EMBER_CHECK(!overflow, "Storage size calculation overflowed with sizes=", sizes, " (in ", op,
              "): the number of bytes does not fit in int64. Use smaller sizes.");
  return numel;
}

namespace {

// A new tensor over `storage`, its geometry left to the caller. Note
// [Inference tensors]: made inside InferenceMode, a tensor gets only the
// backend key and no version counter, so later ops on it skip the Autograd
// and ADInplaceOrView layers wherever they run.
intrusive_ptr<TensorImpl> new_impl(Storage storage, ScalarType dtype, const char* creator) {
  const bool inference = InferenceMode::is_enabled();
  return make_intrusive<TensorImpl>(
      std::move(storage), dtype, inference ? DispatchKeySet(DispatchKey::CPU) : normal_tensor_keyset(DispatchKey::CPU),
      inference ? intrusive_ptr<VersionCounter>() : make_intrusive<VersionCounter>(), creator);
}

Storage allocate(int64_t elements, ScalarType dtype) {
  return Storage::allocate(static_cast<size_t>(elements) * elementSize(dtype));
}

// The elements (sizes, strides) reach: one past the last one's offset.
int64_t extent_of(IntArrayRef sizes, IntArrayRef strides, int64_t numel) {
  int64_t extent = numel == 0 ? 0 : 1;
  for (size_t i = 0; i < sizes.size() && numel != 0; ++i) extent += (sizes[i] - 1) * strides[i];
  return extent;
}

}  // namespace

Tensor make_tensor(IntArrayRef sizes, ScalarType dtype, const char* creator) {
  auto impl = new_impl(allocate(checked_numel(sizes, elementSize(dtype), creator), dtype), dtype, creator);
  impl->set_sizes_contiguous(sizes);
  return Tensor(std::move(impl));
}

Tensor make_tensor(IntArrayRef sizes, IntArrayRef strides, ScalarType dtype, const char* creator) {
  const int64_t numel = checked_numel(sizes, elementSize(dtype), creator);
  auto impl = new_impl(allocate(extent_of(sizes, strides, numel), dtype), dtype, creator);
  impl->set_sizes_and_strides(sizes, strides);
  return Tensor(std::move(impl));
}

Tensor make_view(const Tensor& base, IntArrayRef sizes, IntArrayRef strides, int64_t storage_offset) {
  auto* impl = new TensorImpl(TensorImpl::ViewOfStorage{}, *base.unsafeGetTensorImpl());
  Tensor out(intrusive_ptr<TensorImpl>::adopt_new(impl));
  impl->set_sizes_and_strides(sizes, strides);
  impl->set_storage_offset(storage_offset);
  return out;
}

void throw_fill_overflow(const char* type, ScalarType dtype, const Scalar& value, const char* op) {
  fail("value cannot be converted to type ", type, " without overflow (", op, " of a ", dtype, " tensor with ",
       value, "). Use a value in ", type, "'s range, or a dtype that holds it.");
}

int64_t maybe_wrap_dim(int64_t dim, int64_t ndim, const char* op) {
  int64_t n = ndim <= 0 ? 1 : ndim;  // A 0-dim tensor accepts dims -1 and 0, as LibTorch.
  if (__builtin_expect(dim < -n || dim >= n, 0)) {
    fail("Dimension out of range (expected to be in range of [", -n, ", ", n - 1, "], but got ", dim, ") in ", op,
         " of a ", ndim, "-dim tensor. Use a dim in that range (negative dims count from the end).");
  }
  return dim < 0 ? dim + n : dim;
}

}  // namespace detail

namespace {

// The process-wide generator behind rand/randn. A mutex: these are factories,
// not per-element hot paths, and results must not depend on thread timing.
std::mutex generator_mutex;
std::mt19937_64& generator() {
  static std::mt19937_64 gen(67280421310721ULL);
  return gen;
}

template <class T>
void fill_typed(const Tensor& t, T value) {
  T* p = static_cast<T*>(t.data_ptr());
  for (int64_t i = 0, n = t.numel(); i < n; ++i) p[i] = value;
}

void fill_contiguous(const Tensor& t, const Scalar& value) {
  switch (t.dtype()) {
    case kFloat:
      return fill_typed<float>(t, detail::checked_fill_value<float>(value, "full"));
    case kDouble:
      return fill_typed<double>(t, detail::checked_fill_value<double>(value, "full"));
    case kLong:
      return fill_typed<int64_t>(t, detail::checked_fill_value<int64_t>(value, "full"));
    case kBool:
      return fill_typed<bool>(t, detail::checked_fill_value<bool>(value, "full"));
  }
}

// Uniform doubles in [0, 1) from 53 random bits.
double uniform01(std::mt19937_64& gen) { return static_cast<double>(gen() >> 11) * 0x1.0p-53; }

// `kernel`: the name LibTorch's refusal gives, its kernel's.
void check_floating(ScalarType dtype, const char* op, const char* kernel) {
  EMBER_CHECK(isFloatingType(dtype), "\"", kernel, "\" not implemented for '", dtype, "' (Ember: ", op,
              "() makes floating values, kFloat or kDouble; use ", op,
              "(size, ember::kFloat) and convert with .to(dtype) if you need integers.)");
}

}  // namespace

void manual_seed(uint64_t seed) {
  std::lock_guard<std::mutex> lock(generator_mutex);
  generator().seed(seed);
}

Tensor empty(IntArrayRef size, ScalarType dtype) { return detail::make_tensor(size, dtype, "empty"); }

Tensor empty_strided(IntArrayRef size, IntArrayRef stride, ScalarType dtype) {
  EMBER_CHECK(size.size() == stride.size(), "empty_strided(): mismatch in length of strides and shape: sizes ", size,
              " but strides ", stride, ". Pass one stride per dim.");
  for (int64_t s : stride) {
    EMBER_CHECK(s >= 0, "Storage size calculation overflowed with sizes=", size, " and strides=", stride,
                " (Ember: empty_strided() takes strides >= 0.)");
  }
  return detail::make_tensor(size, stride, dtype, "empty_strided");
}

Tensor zeros(IntArrayRef size, ScalarType dtype) {
  Tensor t = detail::make_tensor(size, dtype, "zeros");
  std::memset(t.data_ptr(), 0, t.nbytes());
  return t;
}

Tensor ones(IntArrayRef size, ScalarType dtype) {
  Tensor t = detail::make_tensor(size, dtype, "ones");
  fill_contiguous(t, 1);
  return t;
}

Tensor full(IntArrayRef size, const Scalar& value) { return full(size, value, value.type()); }

Tensor full(IntArrayRef size, const Scalar& value, ScalarType dtype) {
  Tensor t = detail::make_tensor(size, dtype, "full");
  fill_contiguous(t, value);
  return t;
}

Tensor arange(const Scalar& end) { return arange(0, end, 1); }

Tensor arange(const Scalar& end, ScalarType dtype) {
  EMBER_CHECK(dtype != kBool, "\"arange_cpu\" not implemented for 'Bool' (Ember: count in kLong and compare, e.g. "
              "arange(n) != 0.)");
  return arange(0, end, 1).to(dtype);
}

Tensor arange(const Scalar& start, const Scalar& end, const Scalar& step) {
  const bool integral = !start.isFloatingPoint() && !end.isFloatingPoint() && !step.isFloatingPoint();
  const double s = start.toDouble(), e = end.toDouble(), st = step.toDouble();
  // LibTorch's checks, in its order.
  EMBER_CHECK(st != 0, "arange(", start, ", ", end, ", ", step, "): step must be nonzero.");
  EMBER_CHECK(std::isfinite(s) && std::isfinite(e), "arange(): unsupported range: ", s, " -> ", e,
              ". Pass finite bounds.");
  // Integers are compared and counted exactly: their distance may not fit in
  // int64 (LibTorch's wraps around: arange(INT64_MIN, INT64_MAX, INT64_MAX)
  // is empty there, three elements here), nor in a double's 53 bits.
  bool toward_end;
  double length;    // for the message
  __int128 count;   // exact for integers
  if (integral) {
    const __int128 distance = static_cast<__int128>(end.toLong()) - start.toLong();
    const int64_t by = step.toLong();
    toward_end = (by > 0 && distance >= 0) || (by < 0 && distance <= 0);
    count = distance / by + (distance % by != 0 ? 1 : 0);
    length = static_cast<double>(count);
  } else {
    toward_end = (st > 0 && e >= s) || (st < 0 && e <= s);
    length = std::ceil((e - s) / st);
    count = 0;
  }
  EMBER_CHECK(toward_end, "arange(", start, ", ", end, ", ", step,
              "): upper bound and larger bound inconsistent with step sign. Use a step whose sign points from "
              "start to end.");
  EMBER_CHECK(integral ? count <= std::numeric_limits<int64_t>::max() : length < 0x1p63, "arange(", start, ", ",
              end, ", ", step, "): invalid size, possible overflow? (", length,
              " elements; a size is an int64. Use a larger step or a shorter range.)");
  const int64_t n = integral ? static_cast<int64_t>(count) : static_cast<int64_t>(length);
  Tensor t = detail::make_tensor({n}, integral ? kLong : kFloat, "arange");
  if (integral) {
    // Every element lies between start and end; modular arithmetic gets it
    // even where i * step alone would overflow.
    int64_t* p = t.data_ptr<int64_t>();
    const uint64_t first = static_cast<uint64_t>(start.toLong()), by = static_cast<uint64_t>(step.toLong());
    for (int64_t i = 0; i < n; ++i) p[i] = static_cast<int64_t>(first + static_cast<uint64_t>(i) * by);
  } else {
    float* p = t.data_ptr<float>();
    for (int64_t i = 0; i < n; ++i) p[i] = static_cast<float>(s + static_cast<double>(i) * st);
  }
  return t;
}

// Fills t's numel() elements from its data pointer on: t is dense.
void fill_uniform(const Tensor& t) {
  const ScalarType dtype = t.dtype();
  std::lock_guard<std::mutex> lock(generator_mutex);
  auto& gen = generator();
  if (dtype == kFloat) {
    float* p = t.data_ptr<float>();
    // Floats from 24 bits, so the result is never rounded up to 1.0f.
    for (int64_t i = 0, n = t.numel(); i < n; ++i) p[i] = static_cast<float>(gen() >> 40) * 0x1.0p-24f;
  } else {
    double* p = t.data_ptr<double>();
    for (int64_t i = 0, n = t.numel(); i < n; ++i) p[i] = uniform01(gen);
  }
}

Tensor rand(IntArrayRef size, ScalarType dtype) {
  check_floating(dtype, "rand", "check_uniform_bounds");
  Tensor t = detail::make_tensor(size, dtype, "rand");
  fill_uniform(t);
  return t;
}

void fill_normal(const Tensor& t) {
  const ScalarType dtype = t.dtype();
  std::lock_guard<std::mutex> lock(generator_mutex);
  auto& gen = generator();
  int64_t n = t.numel();
  // Box-Muller, two normals per pair of uniforms.
  auto normal_pair = [&gen](double* a, double* b) {
    double u1 = 1.0 - uniform01(gen);  // (0, 1]: log is finite
    double u2 = uniform01(gen);
    double r = std::sqrt(-2.0 * std::log(u1));
    *a = r * std::cos(2 * M_PI * u2);
    *b = r * std::sin(2 * M_PI * u2);
  };
  for (int64_t i = 0; i < n; i += 2) {
    double a, b;
    normal_pair(&a, &b);
    if (dtype == kFloat) {
      float* p = t.data_ptr<float>();
      p[i] = static_cast<float>(a);
      if (i + 1 < n) p[i + 1] = static_cast<float>(b);
    } else {
      double* p = t.data_ptr<double>();
      p[i] = a;
      if (i + 1 < n) p[i + 1] = b;
    }
  }
}

Tensor randn(IntArrayRef size, ScalarType dtype) {
  check_floating(dtype, "randn", "normal_kernel_cpu");
  Tensor t = detail::make_tensor(size, dtype, "randn");
  fill_normal(t);
  return t;
}

namespace {

Tensor wrap_blob(void* data, IntArrayRef size, IntArrayRef strides, ScalarType dtype, void* ctx, DeleterFn deleter) {
  int64_t numel = detail::checked_numel(size, elementSize(dtype), "from_blob");
  EMBER_CHECK(size.size() == strides.size(), "from_blob(): mismatch in length of strides and shape: sizes ", size,
              " but strides ", strides, ".");
  const size_t nbytes = static_cast<size_t>(detail::extent_of(size, strides, numel)) * elementSize(dtype);
  auto impl = detail::new_impl(Storage::wrap(data, nbytes, ctx, deleter), dtype, "from_blob");
  impl->set_sizes_and_strides(size, strides);
  return Tensor(std::move(impl));
}

template <class T, class U>
Tensor tensor_from(std::initializer_list<U> values, ScalarType dtype) {
  Tensor t = detail::make_tensor({static_cast<int64_t>(values.size())}, dtype, "tensor");
  T* p = static_cast<T*>(t.data_ptr());
  for (U v : values) *p++ = static_cast<T>(v);
  return t;
}

}  // namespace

Tensor from_blob(void* data, IntArrayRef size, ScalarType dtype) {
  return wrap_blob(data, size, contiguous_strides(size), dtype, nullptr, nullptr);
}

Tensor from_blob(void* data, IntArrayRef size, IntArrayRef strides, ScalarType dtype) {
  return wrap_blob(data, size, strides, dtype, nullptr, nullptr);
}

Tensor from_blob(void* data, IntArrayRef size, void (*deleter)(void*), ScalarType dtype) {
  return wrap_blob(data, size, contiguous_strides(size), dtype, data, deleter);
}

Tensor tensor(std::initializer_list<double> values) { return tensor_from<float>(values, kFloat); }
Tensor tensor(std::initializer_list<float> values) { return tensor_from<float>(values, kFloat); }
Tensor tensor(std::initializer_list<int> values) { return tensor_from<int64_t>(values, kLong); }
Tensor tensor(std::initializer_list<int64_t> values) { return tensor_from<int64_t>(values, kLong); }
Tensor tensor(std::initializer_list<bool> values) { return tensor_from<bool>(values, kBool); }

Tensor tensor(ArrayRef<double> values, ScalarType dtype) {
  Tensor t = detail::make_tensor({static_cast<int64_t>(values.size())}, kDouble, "tensor");
  if (!values.empty()) std::memcpy(t.data_ptr(), values.data(), values.size() * sizeof(double));
  return dtype == kDouble ? t : t.to(dtype);
}

// LibTorch's default dtype, kFloat, whatever the value's kind.
Tensor scalar_tensor(const Scalar& value) { return scalar_tensor(value, kFloat); }
Tensor scalar_tensor(const Scalar& value, ScalarType dtype) { return full({}, value, dtype); }

// LibTorch's empty_like with MemoryFormat::Preserve, which all the *_like
// factories start from: t's strides when they are dense, else its dim order.
// The result is dense, so its elements fill memory from data_ptr() on.
namespace {
Tensor preserving_empty_like(const Tensor& t, ScalarType dtype, const char* creator) {
  return detail::make_tensor(t.sizes(), detail::preserved_strides(t.sizes(), t.strides()), dtype, creator);
}
}  // namespace

Tensor empty_like(const Tensor& t) { return preserving_empty_like(t, t.dtype(), "empty_like"); }
Tensor empty_like(const Tensor& t, ScalarType dtype) { return preserving_empty_like(t, dtype, "empty_like"); }
Tensor zeros_like(const Tensor& t) { return zeros_like(t, t.dtype()); }
Tensor zeros_like(const Tensor& t, ScalarType dtype) {
  Tensor out = preserving_empty_like(t, dtype, "zeros_like");
  if (out.numel() > 0) std::memset(out.data_ptr(), 0, out.nbytes());
  return out;
}
Tensor ones_like(const Tensor& t) { return ones_like(t, t.dtype()); }
Tensor ones_like(const Tensor& t, ScalarType dtype) {
  Tensor out = preserving_empty_like(t, dtype, "ones_like");
  fill_contiguous(out, 1);
  return out;
}
Tensor full_like(const Tensor& t, const Scalar& value) {
  Tensor out = preserving_empty_like(t, t.dtype(), "full_like");
  fill_contiguous(out, value);
  return out;
}
Tensor rand_like(const Tensor& t) {
  check_floating(t.dtype(), "rand", "check_uniform_bounds");
  Tensor out = preserving_empty_like(t, t.dtype(), "rand_like");
  fill_uniform(out);
  return out;
}
Tensor randn_like(const Tensor& t) {
  check_floating(t.dtype(), "randn", "normal_kernel_cpu");
  Tensor out = preserving_empty_like(t, t.dtype(), "randn_like");
  fill_normal(out);
  return out;
}

}  // namespace ember

namespace ember {
namespace detail {

DimVector infer_view_size(IntArrayRef size, int64_t numel, const char* op) {
  DimVector out(size);
  int64_t known = 1;
  int64_t infer = -1;
  // A product past int64 cannot match any numel, unless a later 0 makes it 0.
  bool overflow = false, zero = false;
  for (size_t i = 0; i < size.size(); ++i) {
    if (size[i] == -1) {
      EMBER_CHECK(infer < 0, "only one dimension can be inferred (in ", op, " to ", size,
                  "). Use -1 for at most one dim.");
      infer = static_cast<int64_t>(i);
    } else {
      EMBER_CHECK(size[i] >= 0, "invalid shape dimension ", size[i], " (in ", op, " to ", size,
                  "). Sizes must be >= 0, or -1 for one inferred dim.");
      zero |= size[i] == 0;
      overflow |= __builtin_mul_overflow(known, size[i], &known);
    }
  }
  if (zero) {
    known = 0;
    overflow = false;
  }
  // numel 0 and a 0 among the sizes: any value fits the -1 (LibTorch refuses it).
  EMBER_CHECK(!(infer >= 0 && known == 0 && numel == 0), "cannot reshape tensor of 0 elements into shape ", size,
              " because the unspecified dimension size -1 can be any value and is ambiguous (Ember: in ", op,
              "; give that dim's size instead of -1.)");
  if (!overflow && infer >= 0 && known != 0 && numel % known == 0) {
    out[static_cast<size_t>(infer)] = numel / known;
    return out;
  }
  EMBER_CHECK(!overflow && infer < 0 && known == numel, "shape '", size, "' is invalid for input of size ", numel, " (in ", op,
              "). The new shape must have ", numel, " elements.");
  return out;
}

bool compute_view_strides(IntArrayRef sizes, IntArrayRef strides, IntArrayRef new_sizes, DimVector* new_strides) {
  DimVector result(new_sizes.size());
  int64_t numel = 1;
  for (int64_t s : sizes) numel *= s;
  if (numel == 0 || sizes.empty()) {
    // Nothing to keep consistent: any layout is a view. LibTorch keeps an
    // empty tensor's strides when the shape stays, as NumPy does, and lays
    // out any other shape contiguously.
    if (new_strides) *new_strides = numel == 0 && sizes == new_sizes ? DimVector(strides) : contiguous_strides(new_sizes);
    return true;
  }
  // Walk the old dims from the innermost, grouping them into chunks that are
  // contiguous among themselves; each chunk must be matched exactly by a run
  // of new dims.
  int64_t view_d = static_cast<int64_t>(new_sizes.size()) - 1;
  int64_t chunk_base_stride = strides.back();
  int64_t tensor_numel = 1;
  int64_t view_numel = 1;
  for (int64_t tensor_d = static_cast<int64_t>(sizes.size()) - 1; tensor_d >= 0; --tensor_d) {
    tensor_numel *= sizes[tensor_d];
    bool chunk_ends = tensor_d == 0 || (sizes[tensor_d - 1] != 1 &&
                                        strides[tensor_d - 1] != tensor_numel * chunk_base_stride);
    if (!chunk_ends) continue;
    while (view_d >= 0 && (view_numel < tensor_numel || new_sizes[view_d] == 1)) {
      result[view_d] = view_numel * chunk_base_stride;
      view_numel *= new_sizes[view_d];
      --view_d;
    }
    if (view_numel != tensor_numel) return false;
    if (tensor_d > 0) {
      chunk_base_stride = strides[tensor_d - 1];
      tensor_numel = 1;
      view_numel = 1;
    }
  }
  if (view_d != -1) return false;
  if (new_strides) *new_strides = std::move(result);
  return true;
}

}  // namespace detail
}  // namespace ember
