// CPU kernels of the elementwise ops: arithmetic, comparison, unary math,
// copy_/fill_/clone/_to_copy.
//
// Every kernel first settles the dtype it computes in (LibTorch's
// result_type, then the op's own rule: true division and exp/log/... of
// integers compute in float) and converts operands only when they differ.
// The loops are written so that the contiguous case is a plain indexed loop
// the compiler vectorises; broadcast scalars get their own loop.
#include <cmath>
#include <cstring>

#include "modes/warning.h"
#include "tensor/check.h"
#include "tensor/cpu/loops.h"
#include "tensor/ops.h"
#include "tensor/tensor.h"
#include "tensor/tensor_util.h"

namespace ember {
namespace cpu {
namespace {

// ThresholdBackward is LibTorch's threshold_backward with TensorIterator's
// operand order: a is self, b the gradient, alpha the threshold.
// SigmoidBackward and TanhBackward take the gradient (a) and the forward's
// result (b).
enum class Kind { Add, Sub, Mul, Div, Pow, ThresholdBackward, SigmoidBackward, TanhBackward, Eq, Ne, Lt, Le, Gt, Ge };

// Comparisons produce bool whatever they compare.
constexpr bool is_comparison(Kind k) { return k >= Kind::Eq; }

const char* name_of(Kind k) {
  switch (k) {
    case Kind::Add:
      return "add";
    case Kind::Sub:
      return "sub";
    case Kind::Mul:
      return "mul";
    case Kind::Div:
      return "div";
    case Kind::Pow:
      return "pow";
    case Kind::ThresholdBackward:
      return "threshold_backward";
    case Kind::SigmoidBackward:
      return "sigmoid_backward";
    case Kind::TanhBackward:
      return "tanh_backward";
    case Kind::Eq:
      return "eq";
    case Kind::Ne:
      return "ne";
    case Kind::Lt:
      return "lt";
    case Kind::Le:
      return "le";
    case Kind::Gt:
      return "gt";
    case Kind::Ge:
      return "ge";
  }
  return "?";
}

template <class T>
T int_pow(T base, T exp) {
  if (exp < 0) {
    // LibTorch's integer semantics: only 1 and -1 survive a negative power.
    if (base == 1) return 1;
    if (base == -1) return (exp & 1) ? -1 : 1;
    return 0;
  }
  T result = 1;
  while (exp) {
    if (exp & 1) result = wrapping_mul(result, base);
    base = wrapping_mul(base, base);
    exp >>= 1;
  }
  return result;
}

template <Kind K, class T>
struct BinaryFn {
  T alpha;
  auto operator()(T a, T b) const {
    // LibTorch's add kernel fuses `a + alpha * b` (vec::fmadd, and the
    // compiler contracts its scalar loop the same way): one rounding, not two.
    if constexpr (K == Kind::Add) {
      if constexpr (std::is_same<T, bool>::value) return static_cast<bool>(a || (alpha && b));
      else if constexpr (std::is_floating_point<T>::value) return std::fma(alpha, b, a);
      else return wrapping_add(a, wrapping_mul(alpha, b));
    } else if constexpr (K == Kind::Sub) {
      if constexpr (std::is_floating_point<T>::value) return std::fma(-alpha, b, a);
      else return wrapping_sub(a, wrapping_mul(alpha, b));
    } else if constexpr (K == Kind::Mul) {
      if constexpr (std::is_same<T, bool>::value) return static_cast<bool>(a && b);
      else return wrapping_mul(a, b);
    } else if constexpr (K == Kind::Div) {
      return static_cast<T>(a / b);
    } else if constexpr (K == Kind::Pow) {
      if constexpr (std::is_floating_point<T>::value) return static_cast<T>(std::pow(a, b));
      else if constexpr (std::is_same<T, bool>::value) return static_cast<bool>(a || !b);
      else return int_pow<T>(a, b);
    } else if constexpr (K == Kind::ThresholdBackward) {
      // A NaN self passes the gradient, as LibTorch's `x <= threshold ? 0 : grad`.
      return a <= alpha ? T(0) : b;
    } else if constexpr (K == Kind::SigmoidBackward) {
      return static_cast<T>(a * (T(1) - b) * b);  // LibTorch's order of the products
    } else if constexpr (K == Kind::TanhBackward) {
      // LibTorch's kernel computes 1 - y * y fused (its compiler contracts it).
      if constexpr (std::is_floating_point<T>::value) return a * std::fma(-b, b, T(1));
      else return static_cast<T>(a * (T(1) - b * b));
    } else if constexpr (K == Kind::Eq) {
      return static_cast<bool>(a == b);
    } else if constexpr (K == Kind::Ne) {
      return static_cast<bool>(a != b);
    } else if constexpr (K == Kind::Lt) {
      return static_cast<bool>(a < b);
    } else if constexpr (K == Kind::Le) {
      return static_cast<bool>(a <= b);
    } else if constexpr (K == Kind::Gt) {
      return static_cast<bool>(a > b);
    } else {
      return static_cast<bool>(a >= b);
    }
  }
};

// The same op without alpha, so the contiguous loop is exactly `a + b`.
template <Kind K, class T>
struct PlainFn {
  auto operator()(T a, T b) const {
    if constexpr (K == Kind::Add && !std::is_same<T, bool>::value) return wrapping_add(a, b);
    else if constexpr (K == Kind::Sub) return wrapping_sub(a, b);
    else return BinaryFn<K, T>{1}(a, b);
  }
};

// `may_alias`: the output is an existing tensor an input may overlap (an
// in-place or out= op). A broadcast input is then read for every element,
// not once per run, so that it sees what the loop wrote before, as
// LibTorch's element loop does (x.sub_(x[:, 1:2]) subtracts the new value
// after the column is passed).
template <class Out, class T, class F>
void binary_loop(const StridedLoop& loop, F f, bool may_alias) {
  loop.run([f, may_alias](char** p, const int64_t* s, int64_t n) {
    Out* out = reinterpret_cast<Out*>(p[0]);
    const T* a = reinterpret_cast<const T*>(p[1]);
    const T* b = reinterpret_cast<const T*>(p[2]);
    constexpr int64_t so = sizeof(Out), st = sizeof(T);
    if (s[0] == so && s[1] == st && s[2] == st) {
      for (int64_t i = 0; i < n; ++i) out[i] = f(a[i], b[i]);
    } else if (may_alias) {
      for (int64_t i = 0; i < n; ++i) {
        *reinterpret_cast<Out*>(p[0] + i * s[0]) =
            f(*reinterpret_cast<const T*>(p[1] + i * s[1]), *reinterpret_cast<const T*>(p[2] + i * s[2]));
      }
    } else if (s[0] == so && s[1] == st && s[2] == 0) {
      const T bv = *b;
      for (int64_t i = 0; i < n; ++i) out[i] = f(a[i], bv);
    } else if (s[0] == so && s[1] == 0 && s[2] == st) {
      const T av = *a;
      for (int64_t i = 0; i < n; ++i) out[i] = f(av, b[i]);
    } else {
      for (int64_t i = 0; i < n; ++i) {
        *reinterpret_cast<Out*>(p[0] + i * s[0]) =
            f(*reinterpret_cast<const T*>(p[1] + i * s[1]), *reinterpret_cast<const T*>(p[2] + i * s[2]));
      }
    }
  });
}

// Writes op(a, b) into `out` (shape already checked). a and b are in `compute`;
// `b_scalar` replaces b when b_is_scalar.
template <Kind K>
void run_binary(const Tensor& out, const Tensor& a, const Tensor* b, const Scalar& b_scalar, ScalarType compute,
                const Scalar& alpha, bool may_alias = false) {
  dispatch_dtype(compute, [&](auto tag) {
    using T = decltype(tag);
    using Out = std::conditional_t<is_comparison(K), bool, T>;
    T bv = b_scalar.cast<T>();
    Operand ob = b ? operand(*b) : scalar_operand(&bv, sizeof(T));
    StridedLoop loop(out.sizes(), {operand(out), operand(a), ob});
    bool plain = alpha.isFloatingPoint() ? alpha.toDouble() == 1.0 : alpha.toLong() == 1;
    if (plain) {
      binary_loop<Out, T>(loop, PlainFn<K, T>{}, may_alias);
    } else {
      binary_loop<Out, T>(loop, BinaryFn<K, T>{alpha.to<T>()}, may_alias);
    }
  });
}

// The dtype the op computes in, given the promoted dtype; checks op rules.
template <Kind K>
ScalarType compute_type(ScalarType common, ScalarType self, bool other_is_bool, const Scalar& alpha) {
  if (K == Kind::Sub) {
    EMBER_CHECK(!(self == kBool && other_is_bool),
                "Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or "
                "`logical_xor()` operator instead.");
    EMBER_CHECK(self != kBool && !other_is_bool,
                "Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert a "
                "mask, use the `~` or `logical_not()` operator instead.");
  }
  if (K == Kind::Add || K == Kind::Sub) {
    EMBER_CHECK(!(isIntegralType(common, true) && alpha.isFloatingPoint()), name_of(K),
                "(): For integral input tensors, argument alpha must not be a floating point number. (Ember: alpha=",
                alpha, " with dtype ", common, "; convert the inputs with .to(ember::kFloat) or pass an integer alpha.)");
    EMBER_CHECK(common == kBool || !alpha.isBoolean(), name_of(K),
                "(): Boolean alpha only supported for Boolean results. Pass a number as alpha.");
  }
  if (K == Kind::Div && isIntegralType(common, true)) return kFloat;
  return common;
}

// The kernel's own dtype list, checked where LibTorch's kernel is chosen:
// after every TensorIterator check. Its pow kernels take every dtype but Bool.
template <Kind K>
void check_kernel_dtype(ScalarType compute) {
  EMBER_CHECK(!(K == Kind::Pow && compute == kBool), "\"pow\" not implemented for 'Bool' (Ember: pow of Bool "
              "operands; convert the base with .to(ember::kLong) or .to(ember::kFloat) first.)");
}

bool is_bool_scalar(const Scalar& s) { return s.isBoolean(); }

// LibTorch refuses an integer tensor to a negative integer Scalar power (a
// negative tensor exponent is computed: only 1 and -1 survive it).
template <Kind K>
void check_scalar_exponent(ScalarType self, const Scalar& exponent) {
  if (K != Kind::Pow) return;
  EMBER_CHECK(!(isIntegralType(self, true) && !exponent.isFloatingPoint() && exponent.to<double>() < 0),
              "Integers to negative integer powers are not allowed. (Ember: pow of a ", self, " tensor to ", exponent,
              "; pass a floating exponent such as ", exponent, ".0, or convert the tensor with .to(ember::kFloat).)");
}

// LibTorch's has_internal_overlap: a dense tensor (an empty one too, even
// with a stride-0 dim) has none; otherwise a stride-0 dim of size > 1 is one.
void check_no_internal_overlap(const Tensor& t, const char* op) {
  if (t.is_non_overlapping_and_dense()) return;
  for (int64_t d = 0; d < t.dim(); ++d) {
    EMBER_CHECK(!(t.stride(d) == 0 && t.size(d) > 1),
                "unsupported operation: more than one element of the written-to tensor refers to a single memory "
                "location. Please clone() the tensor before performing the operation. (",
                op, " writes into a tensor of sizes ", t.sizes(), " and strides ", t.strides(),
                ", e.g. made by expand().)");
  }
}

void check_defined(const Tensor& t, int position, const char* name, const char* op) {
  EMBER_CHECK(t.defined(), "Expected a proper Tensor but got None (or an undefined Tensor in C++) for argument #",
              position, " '", name, "' (in ", op, "). Pass a defined tensor.");
}

// An input that shares memory with the written tensor is fine when every
// element reads exactly what it then overwrites; otherwise the result would
// depend on the loop order, so refuse. The cases are LibTorch's
// get_overlap_status: the same span with the same strides is a full overlap
// (fine, even if the sizes differ, as for (1, 3) and (3, 1) views of three
// elements); any other intersection of two dense spans is partial.
void check_no_partial_overlap(const Tensor& written, const Tensor& input, const char* op) {
  if (written.is_same(input) || written.numel() == 0 || input.numel() == 0) return;
  // Interleaved strided views may not overlap at all; like LibTorch, only
  // judge the dense case.
  if (!written.is_non_overlapping_and_dense() || !input.is_non_overlapping_and_dense()) return;
  if (!written.storage().is_alias_of(input.storage())) return;
  auto begin = [](const Tensor& t) { return static_cast<const char*>(t.data_ptr()); };
  auto end = [&](const Tensor& t) { return begin(t) + t.nbytes(); };
  if (begin(written) == begin(input) && end(written) == end(input) && written.strides() == input.strides()) return;
  EMBER_CHECK(end(written) <= begin(input) || end(input) <= begin(written),
              "unsupported operation: some elements of the input tensor and the written-to tensor refer to a single "
              "memory location. Please clone() the tensor before performing the operation. (",
              op, " writes into sizes ", written.sizes(), " strides ", written.strides(),
              " while reading an overlapping view with sizes ", input.sizes(), " strides ", input.strides(), ")");
}

// Makes `out` the given shape, as LibTorch's resize_output: silently when it
// is empty, with a warning otherwise. A resized `out` gets `strides`, the
// layout the op would give a result it allocates.
void resize_output(const Tensor& out, IntArrayRef shape, IntArrayRef strides, const char* op) {
  if (out.sizes() == shape) return;
  if (out.numel() != 0) {
    warn(detail::str("An output with one or more elements was resized since it had shape ", out.sizes(),
                     ", which does not match the required output shape ", shape,
                     ". This behavior is deprecated, and in a future PyTorch release outputs will not be resized "
                     "unless they have zero elements. (Ember: in ",
                     op, "_out; pass an out tensor of shape ", shape, " or an empty one.)"));
  }
  int64_t numel = detail::checked_numel(shape, out.itemsize(), op);
  TensorImpl* impl = out.unsafeGetTensorImpl();
  impl->set_storage(Storage::allocate(static_cast<size_t>(numel) * out.itemsize()), 0);
  impl->set_sizes_and_strides(shape, strides);
}

void check_inplace_shape(const Tensor& self, IntArrayRef shape, const char* op) {
  EMBER_CHECK(self.sizes() == shape, "output with shape ", self.sizes(), " doesn't match the broadcast shape ", shape,
              " (in ", op, "). An in-place op cannot grow its tensor; use the out-of-place form instead.");
}

void check_cast(ScalarType compute, ScalarType out, const char* op) {
  EMBER_CHECK(canCast(compute, out), "result type ", compute, " can't be cast to the desired output type ", out,
              " (in ", op, "). Use the out-of-place form, or convert the tensor first with .to(ember::k", compute,
              ").");
}

// `o` is a fresh allocation, so it aliases neither input: __restrict lets the
// compiler vectorise without runtime overlap checks.
template <class Out, class T, class F>
void flat_loop_fresh(Out* __restrict o, const T* __restrict a, const T* __restrict b, int64_t n, F f) {
  for (int64_t i = 0; i < n; ++i) o[i] = f(a[i], b[i]);
}

// Same dtype, same sizes, both contiguous: the common case, one flat loop
// with no broadcasting bookkeeping. Returns false if it does not apply.
// `fresh`: out was just allocated (it cannot alias a or b).
template <Kind K>
bool binary_contiguous(const Tensor& out, const Tensor& a, const Tensor& b, const Scalar& alpha, bool fresh = false) {
  if (!(out.is_contiguous() && a.is_contiguous() && b.is_contiguous() && a.dtype() == b.dtype() &&
        out.sizes() == a.sizes() && a.sizes() == b.sizes())) {
    return false;
  }
  dispatch_dtype(a.dtype(), [&](auto tag) {
    using T = decltype(tag);
    using Out = std::conditional_t<is_comparison(K), bool, T>;
    Out* o = static_cast<Out*>(out.data_ptr());
    const T* pa = static_cast<const T*>(a.data_ptr());
    const T* pb = static_cast<const T*>(b.data_ptr());
    int64_t n = out.numel();
    bool plain = alpha.isFloatingPoint() ? alpha.toDouble() == 1.0 : alpha.toLong() == 1;
    if (plain && fresh) {
      flat_loop_fresh(o, pa, pb, n, PlainFn<K, T>{});
    } else if (plain) {
      PlainFn<K, T> f;
      for (int64_t i = 0; i < n; ++i) o[i] = f(pa[i], pb[i]);
    } else {
      BinaryFn<K, T> f{alpha.to<T>()};
      for (int64_t i = 0; i < n; ++i) o[i] = f(pa[i], pb[i]);
    }
  });
  return true;
}

// The result of an elementwise op over `inputs`, laid out as LibTorch's
// TensorIterator lays it out (see memory_layout.h).
Tensor make_result(IntArrayRef shape, std::initializer_list<detail::Geometry> inputs, bool has_scalar,
                   ScalarType dtype, const char* op) {
  return detail::make_tensor(shape, detail::elementwise_output_strides(shape, inputs, has_scalar), dtype, op);
}

detail::Geometry geometry(const Tensor& t) { return {t.sizes(), t.strides()}; }

template <Kind K>
Tensor binary(DispatchKeySet, const Tensor& a, const Tensor& b, const Scalar& alpha) {
  check_defined(a, 0, "self", name_of(K));
  check_defined(b, 1, "other", name_of(K));
  if (a.dtype() == b.dtype() && a.sizes() == b.sizes()) {
    ScalarType compute = compute_type<K>(a.dtype(), a.dtype(), b.dtype() == kBool, alpha);
    if (compute == a.dtype()) {
      const ScalarType dtype = is_comparison(K) ? kBool : compute;
      check_kernel_dtype<K>(compute);
      if (a.is_contiguous() && b.is_contiguous()) {
        Tensor out = detail::make_tensor(a.sizes(), dtype, name_of(K));
        if (binary_contiguous<K>(out, a, b, alpha, /*fresh=*/true)) return out;
      }
      Tensor out = make_result(a.sizes(), {geometry(a), geometry(b)}, false, dtype, name_of(K));
      run_binary<K>(out, a, &b, 0, compute, alpha);
      return out;
    }
  }
  ScalarType compute = compute_type<K>(result_type(a, b), a.dtype(), b.dtype() == kBool, alpha);
  DimVector shape = a.sizes() == b.sizes() ? DimVector(a.sizes()) : infer_size(a.sizes(), b.sizes(), name_of(K));
  // LibTorch's TensorIterator converts an input of another dtype (to(), so
  // densely) before it lays the result out by the inputs' strides.
  const Tensor a2 = a.to(compute), b2 = b.to(compute);
  check_kernel_dtype<K>(compute);
  Tensor out = make_result(shape, {geometry(a2), geometry(b2)}, false, is_comparison(K) ? kBool : compute, name_of(K));
  run_binary<K>(out, a2, &b2, 0, compute, alpha);
  return out;
}

// LibTorch computes a floating tensor to these Scalar powers without pow()
// (its pow_tensor_scalar_kernel), so x.pow(3) is x * x * x, rounded twice,
// not the correctly rounded pow(x, 3). Ember does the same, bit for bit.
// Returns false for any other exponent.
bool pow_by_multiplication(const Tensor& out, const Tensor& base, const Scalar& exponent) {
  if (exponent.isBoolean()) return false;
  const double e = exponent.toDouble();
  if (e != 2.0 && e != 3.0 && e != -2.0 && e != 0.5 && e != -0.5 && e != -1.0) return false;
  dispatch_dtype(out.dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (std::is_floating_point<T>::value) {
      StridedLoop loop(out.sizes(), {operand(out), operand(base)});
      auto run = [&loop](auto f) {
        loop.run([f](char** p, const int64_t* s, int64_t n) {
          for (int64_t i = 0; i < n; ++i)
            *reinterpret_cast<T*>(p[0] + i * s[0]) = f(*reinterpret_cast<const T*>(p[1] + i * s[1]));
        });
      };
      if (e == 2.0) run([](T x) { return x * x; });
      else if (e == 3.0) run([](T x) { return x * x * x; });
      else if (e == -2.0) run([](T x) { return T(1) / (x * x); });
      else if (e == 0.5) run([](T x) { return std::sqrt(x); });
      else if (e == -0.5) run([](T x) { return T(1) / std::sqrt(x); });
      else run([](T x) { return T(1) / x; });
    }
  });
  return true;
}

template <Kind K>
Tensor binary_scalar(DispatchKeySet, const Tensor& a, const Scalar& b, const Scalar& alpha) {
  check_scalar_exponent<K>(a.dtype(), b);
  ScalarType compute = compute_type<K>(result_type(a, b), a.dtype(), is_bool_scalar(b), alpha);
  // LibTorch wraps the Scalar in a 0-dim tensor operand, except for pow,
  // which runs as a unary op of self (converted first, as in binary()).
  check_kernel_dtype<K>(compute);
  const Tensor base = a.to(compute);
  Tensor out = make_result(a.sizes(), {geometry(base)}, /*has_scalar=*/K != Kind::Pow,
                           is_comparison(K) ? kBool : compute, name_of(K));
  if (K == Kind::Pow && isFloatingType(compute) && pow_by_multiplication(out, base, b)) return out;
  run_binary<K>(out, base, nullptr, b, compute, alpha);
  return out;
}

template <Kind K>
const Tensor& binary_(DispatchKeySet, const Tensor& self, const Tensor& other, const Scalar& alpha) {
  check_defined(other, 1, "other", name_of(K));
  ScalarType compute = compute_type<K>(result_type(self, other), self.dtype(), other.dtype() == kBool, alpha);
  // LibTorch's TensorIterator order: memory overlap, then shapes, then dtypes.
  check_no_internal_overlap(self, name_of(K));
  check_no_partial_overlap(self, other, name_of(K));
  if (self.sizes() != other.sizes()) check_inplace_shape(self, infer_size(self.sizes(), other.sizes(), name_of(K)), name_of(K));
  check_cast(compute, self.dtype(), name_of(K));
  check_kernel_dtype<K>(self.dtype());
  if (binary_contiguous<K>(self, self, other, alpha)) return self;
  // Compute in self's dtype: canCast says no information is lost that matters.
  Tensor o = other.to(self.dtype());
  run_binary<K>(self, self, &o, 0, self.dtype(), alpha, /*may_alias=*/o.storage().is_alias_of(self.storage()));
  return self;
}

template <Kind K>
const Tensor& binary_scalar_(DispatchKeySet, const Tensor& self, const Scalar& other, const Scalar& alpha) {
  check_scalar_exponent<K>(self.dtype(), other);
  ScalarType compute = compute_type<K>(result_type(self, other), self.dtype(), is_bool_scalar(other), alpha);
  check_no_internal_overlap(self, name_of(K));  // first, as LibTorch's TensorIterator
  if (K == Kind::Pow) {
    // LibTorch's pow_ with a Scalar checks the dtype itself, in its words.
    EMBER_CHECK(canCast(compute, self.dtype()), "Found dtype ", self.dtype(), " but expected ", compute,
                " (Ember: pow_ of a ", self.dtype(), " tensor to ", other, " needs a ", compute,
                " result; use pow(), or convert the tensor first with .to(ember::k", compute, ").)");
  }
  check_cast(compute, self.dtype(), name_of(K));
  check_kernel_dtype<K>(self.dtype());
  if (K == Kind::Pow && isFloatingType(self.dtype()) && pow_by_multiplication(self, self, other)) return self;
  run_binary<K>(self, self, nullptr, other, self.dtype(), alpha);
  return self;
}

template <Kind K>
const Tensor& binary_out(DispatchKeySet, const Tensor& out, const Tensor& a, const Tensor& b, const Scalar& alpha) {
  check_defined(out, 0, "out", name_of(K));
  check_defined(a, 1, "self", name_of(K));
  check_defined(b, 2, "other", name_of(K));
  ScalarType compute = compute_type<K>(result_type(a, b), a.dtype(), b.dtype() == kBool, alpha);
  DimVector shape = infer_size(a.sizes(), b.sizes(), name_of(K));
  check_cast(compute, out.dtype(), name_of(K));
  check_no_partial_overlap(out, a, name_of(K));
  check_no_partial_overlap(out, b, name_of(K));
  Tensor b2 = b.to(compute);
  const Tensor a2 = a.to(compute);
  resize_output(out, shape, detail::elementwise_output_strides(shape, {geometry(a2), geometry(b2)}), name_of(K));
  check_no_internal_overlap(out, name_of(K));
  check_kernel_dtype<K>(compute);
  if (out.dtype() == compute) {
    const bool may_alias = out.storage().is_alias_of(a2.storage()) || out.storage().is_alias_of(b2.storage());
    run_binary<K>(out, a2, &b2, 0, compute, alpha, may_alias);
  } else {
    ops::copy_.redispatch(detail::kCpuOnly, out, binary<K>(DispatchKeySet(), a2, b2, alpha));
  }
  return out;
}

// ---- Unary ----
enum class UKind { Neg, Exp, Log, Relu, Sigmoid, Tanh };

const char* name_of(UKind k) {
  switch (k) {
    case UKind::Neg:
      return "neg";
    case UKind::Exp:
      return "exp";
    case UKind::Log:
      return "log";
    case UKind::Relu:
      return "relu";
    case UKind::Sigmoid:
      return "sigmoid";
    case UKind::Tanh:
      return "tanh";
  }
  return "?";
}

template <UKind K, class T>
struct UnaryFn {
  T operator()(T a) const {
    if constexpr (std::is_same<T, bool>::value) {
      return a;  // Unreachable: bool inputs are refused or promoted first.
    } else if constexpr (K == UKind::Neg) {
      return wrapping_sub(T(0), a);
    } else if constexpr (K == UKind::Relu) {
      return a < 0 ? T(0) : a;  // NaN stays NaN, as in LibTorch.
    } else if constexpr (K == UKind::Exp) {
      return std::exp(a);
    } else if constexpr (K == UKind::Log) {
      return std::log(a);
    } else if constexpr (K == UKind::Sigmoid) {
      return T(1) / (T(1) + std::exp(-a));
    } else {
      return std::tanh(a);
    }
  }
};

template <UKind K>
ScalarType unary_compute_type(ScalarType t) {
  if (K == UKind::Neg) {
    EMBER_CHECK(t != kBool, "Negation, the `-` operator, on a bool tensor is not supported. If you are trying to "
                            "invert a mask, use the `~` or `logical_not()` operator instead.");
    return t;
  }
  if (K == UKind::Relu) {
    EMBER_CHECK(t != kBool, "Boolean inputs not supported for relu (Ember: convert the tensor with "
                            ".to(ember::kFloat) first.)");
    return t;
  }
  return isFloatingType(t) ? t : kFloat;
}

template <UKind K>
void run_unary(const Tensor& out, const Tensor& a) {
  dispatch_dtype(out.dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (!std::is_same<T, bool>::value) {
      StridedLoop loop(out.sizes(), {operand(out), operand(a)});
      UnaryFn<K, T> f;
      loop.run([f](char** p, const int64_t* s, int64_t n) {
        T* o = reinterpret_cast<T*>(p[0]);
        const T* x = reinterpret_cast<const T*>(p[1]);
        if (s[0] == sizeof(T) && s[1] == sizeof(T)) {
          for (int64_t i = 0; i < n; ++i) o[i] = f(x[i]);
        } else {
          for (int64_t i = 0; i < n; ++i)
            *reinterpret_cast<T*>(p[0] + i * s[0]) = f(*reinterpret_cast<const T*>(p[1] + i * s[1]));
        }
      });
    }
  });
}

template <UKind K>
Tensor unary(DispatchKeySet, const Tensor& a) {
  ScalarType compute = unary_compute_type<K>(a.dtype());
  const Tensor a2 = a.to(compute);  // first, as in binary()
  Tensor out = a2.is_contiguous() ? detail::make_tensor(a.sizes(), compute, name_of(K))
                                  : make_result(a.sizes(), {geometry(a2)}, false, compute, name_of(K));
  run_unary<K>(out, a2);
  return out;
}

template <UKind K>
const Tensor& unary_(DispatchKeySet, const Tensor& self) {
  ScalarType compute = unary_compute_type<K>(self.dtype());
  check_no_internal_overlap(self, name_of(K));  // first, as LibTorch's TensorIterator
  check_cast(compute, self.dtype(), name_of(K));
  run_unary<K>(self, self);
  return self;
}

// ---- Copies ----
template <class To, class From>
void copy_loop(const StridedLoop& loop) {
  loop.run([](char** p, const int64_t* s, int64_t n) {
    To* o = reinterpret_cast<To*>(p[0]);
    const From* x = reinterpret_cast<const From*>(p[1]);
    if (s[0] == sizeof(To) && s[1] == sizeof(From)) {
      for (int64_t i = 0; i < n; ++i) o[i] = convert<To>(x[i]);
    } else if (s[0] == sizeof(To) && s[1] == 0) {
      const To v = convert<To>(*x);
      for (int64_t i = 0; i < n; ++i) o[i] = v;
    } else {
      for (int64_t i = 0; i < n; ++i)
        *reinterpret_cast<To*>(p[0] + i * s[0]) = convert<To>(*reinterpret_cast<const From*>(p[1] + i * s[1]));
    }
  });
}

// The raw copy, shape already checked: src broadcast to dst, cast to dst's dtype.
void copy_impl(const Tensor& dst, const Tensor& src) {
  if (dst.dtype() == src.dtype() && dst.is_contiguous() && src.is_contiguous() && dst.sizes() == src.sizes()) {
    if (dst.numel() > 0 && dst.data_ptr() != src.data_ptr()) std::memmove(dst.data_ptr(), src.data_ptr(), dst.nbytes());
    return;
  }
  StridedLoop loop(dst.sizes(), {operand(dst), operand(src)});
  dispatch_dtype(dst.dtype(), [&](auto to) {
    dispatch_dtype(src.dtype(), [&](auto from) { copy_loop<decltype(to), decltype(from)>(loop); });
  });
}

const Tensor& copy_kernel(DispatchKeySet, const Tensor& self, const Tensor& src) {
  check_defined(src, 1, "src", "copy_");
  // A copy of a tensor into itself has nothing to do, and LibTorch checks
  // nothing for it: not even an expanded tensor's overlap.
  if (self.is_same(src)) return self;
  // LibTorch's TensorIterator order: memory overlap, then shapes.
  check_no_internal_overlap(self, "copy_");
  check_no_partial_overlap(self, src, "copy_");
  if (self.sizes() != src.sizes()) check_inplace_shape(self, infer_size(self.sizes(), src.sizes(), "copy_"), "copy_");
  copy_impl(self, src);
  return self;
}

// No overlap check: filling is idempotent, so an expanded tensor may be
// filled, as in LibTorch.
const Tensor& fill_kernel(DispatchKeySet, const Tensor& self, const Scalar& value) {
  dispatch_dtype(self.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T v = detail::checked_fill_value<T>(value, "fill_");
    StridedLoop loop(self.sizes(), {operand(self)});
    loop.run([v](char** p, const int64_t* s, int64_t n) {
      T* o = reinterpret_cast<T*>(p[0]);
      if (s[0] == sizeof(T)) {
        for (int64_t i = 0; i < n; ++i) o[i] = v;
      } else {
        for (int64_t i = 0; i < n; ++i) *reinterpret_cast<T*>(p[0] + i * s[0]) = v;
      }
    });
  });
  return self;
}

// sigmoid_backward(grad_output, output) and tanh_backward(grad_output,
// output): floating dtypes only, as LibTorch's.
template <Kind K>
Tensor activation_backward_kernel(DispatchKeySet ks, const Tensor& grad_output, const Tensor& output, const Scalar&) {
  check_defined(grad_output, 0, "grad_output", name_of(K));
  check_defined(output, 1, "output", name_of(K));
  EMBER_CHECK(isFloatingType(result_type(grad_output, output)), "\"", name_of(K), "_out\" not implemented for '",
              result_type(grad_output, output), "' (Ember: ", name_of(K),
              " of integer or bool tensors; convert them with .to(ember::kFloat) first.)");
  return binary<K>(ks, grad_output, output, 1);
}

// LibTorch lays the result out by self, then the gradient, and dispatches
// on a dtype list without Bool.
Tensor threshold_backward_kernel(DispatchKeySet ks, const Tensor& grad_output, const Tensor& self,
                                 const Scalar& threshold) {
  check_defined(grad_output, 0, "grad_output", "threshold_backward");
  check_defined(self, 1, "self", "threshold_backward");
  EMBER_CHECK(result_type(self, grad_output) != kBool,
              "\"threshold_cpu\" not implemented for 'Bool' (Ember: threshold_backward of Bool tensors; convert them "
              "with .to(ember::kFloat) first.)");
  return binary<Kind::ThresholdBackward>(ks, self, grad_output, threshold);
}

// LibTorch's where_self_out: self and other converted to their promoted
// dtype (to(), so densely) before the result is laid out by condition,
// self and other, in that order.
Tensor where_kernel(DispatchKeySet, const Tensor& condition, const Tensor& self, const Tensor& other) {
  check_defined(condition, 0, "condition", "where");
  check_defined(self, 1, "self", "where");
  check_defined(other, 2, "other", "where");
  const ScalarType dtype = result_type(self, other);
  const Tensor a = self.to(dtype), b = other.to(dtype);
  EMBER_CHECK(condition.dtype() == kBool, "where expected condition to be a boolean tensor, but got a tensor with dtype ",
              condition.dtype(), " (Ember: pass a comparison's result, e.g. x > 0, or convert the condition with "
              ".to(ember::kBool)).");
  const DimVector shape = infer_size(infer_size(condition.sizes(), a.sizes(), "where"), b.sizes(), "where");
  Tensor out = make_result(shape, {geometry(condition), geometry(a), geometry(b)}, false, dtype, "where");
  StridedLoop loop(shape, {operand(out), operand(condition), operand(a), operand(b)});
  dispatch_dtype(dtype, [&](auto tag) {
    using T = decltype(tag);
    loop.run([](char** p, const int64_t* s, int64_t n) {
      for (int64_t i = 0; i < n; ++i) {
        const bool c = *reinterpret_cast<const bool*>(p[1] + i * s[1]);
        *reinterpret_cast<T*>(p[0] + i * s[0]) = *reinterpret_cast<const T*>(p[c ? 2 : 3] + i * s[c ? 2 : 3]);
      }
    });
  });
  return out;
}

const Tensor& zero_kernel(DispatchKeySet ks, const Tensor& self) { return fill_kernel(ks, self, 0); }

Tensor clone_kernel(DispatchKeySet, const Tensor& self, MemoryFormat format) {
  Tensor out = format == MemoryFormat::Preserve
                   ? detail::make_tensor(self.sizes(), detail::preserved_strides(self.sizes(), self.strides()),
                                         self.dtype(), "clone")
                   : detail::make_tensor(self.sizes(), detail::strides_for(self.sizes(), format), self.dtype(), "clone");
  copy_impl(out, self);
  return out;
}

Tensor to_copy_kernel(DispatchKeySet, const Tensor& self, ScalarType dtype) {
  // A dense tensor's exact strides, even a contiguous one's odd strides of
  // size-1 dims, as LibTorch's _to_copy.
  Tensor out = detail::make_tensor(self.sizes(), detail::preserved_strides(self.sizes(), self.strides()), dtype, "to");
  copy_impl(out, self);
  return out;
}

#define EMBER_REGISTER_BINARY(name, K)                                  \
  ops::name.register_kernel(DispatchKey::CPU, &binary<K>);              \
  ops::name##_.register_kernel(DispatchKey::CPU, &binary_<K>);          \
  ops::name##_out.register_kernel(DispatchKey::CPU, &binary_out<K>);    \
  ops::name##_Scalar.register_kernel(DispatchKey::CPU, &binary_scalar<K>); \
  ops::name##__Scalar.register_kernel(DispatchKey::CPU, &binary_scalar_<K>);

#define EMBER_REGISTER_UNARY(name, K)                       \
  ops::name.register_kernel(DispatchKey::CPU, &unary<K>);   \
  ops::name##_.register_kernel(DispatchKey::CPU, &unary_<K>);

const bool registered = [] {
  EMBER_REGISTER_BINARY(add, Kind::Add)
  EMBER_REGISTER_BINARY(sub, Kind::Sub)
  EMBER_REGISTER_BINARY(mul, Kind::Mul)
  EMBER_REGISTER_BINARY(div, Kind::Div)
  EMBER_REGISTER_BINARY(pow, Kind::Pow)
  ops::threshold_backward.register_kernel(DispatchKey::CPU, &threshold_backward_kernel);
  ops::sigmoid_backward.register_kernel(DispatchKey::CPU, &activation_backward_kernel<Kind::SigmoidBackward>);
  ops::tanh_backward.register_kernel(DispatchKey::CPU, &activation_backward_kernel<Kind::TanhBackward>);
#define EMBER_REGISTER_COMPARISON(name, K)                  \
  ops::name.register_kernel(DispatchKey::CPU, &binary<K>); \
  ops::name##_Scalar.register_kernel(DispatchKey::CPU, &binary_scalar<K>);
  EMBER_REGISTER_COMPARISON(eq, Kind::Eq)
  EMBER_REGISTER_COMPARISON(ne, Kind::Ne)
  EMBER_REGISTER_COMPARISON(lt, Kind::Lt)
  EMBER_REGISTER_COMPARISON(le, Kind::Le)
  EMBER_REGISTER_COMPARISON(gt, Kind::Gt)
  EMBER_REGISTER_COMPARISON(ge, Kind::Ge)
#undef EMBER_REGISTER_COMPARISON
  EMBER_REGISTER_UNARY(neg, UKind::Neg)
  EMBER_REGISTER_UNARY(exp, UKind::Exp)
  EMBER_REGISTER_UNARY(log, UKind::Log)
  EMBER_REGISTER_UNARY(relu, UKind::Relu)
  EMBER_REGISTER_UNARY(sigmoid, UKind::Sigmoid)
  EMBER_REGISTER_UNARY(tanh, UKind::Tanh)
  ops::where.register_kernel(DispatchKey::CPU, &where_kernel);
  ops::copy_.register_kernel(DispatchKey::CPU, &copy_kernel);
  ops::fill_.register_kernel(DispatchKey::CPU, &fill_kernel);
  ops::zero_.register_kernel(DispatchKey::CPU, &zero_kernel);
  ops::clone.register_kernel(DispatchKey::CPU, &clone_kernel);
  ops::_to_copy.register_kernel(DispatchKey::CPU, &to_copy_kernel);
  return true;
}();

}  // namespace
}  // namespace cpu
}  // namespace ember
