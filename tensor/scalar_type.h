// ScalarType and Scalar: what a tensor's elements are, and a single number.
//
// Ember has LibTorch's four most used dtypes, with LibTorch's names and its
// type-promotion rules (bool < int64 < float32 < float64; a Scalar or a 0-dim
// tensor only promotes across categories: int64 tensor + 1.5 is float32,
// float32 tensor + 1.5 stays float32).
//
//   ember::Tensor x = ember::ones({2}, ember::kLong);
//   ember::promoteTypes(ember::kLong, ember::kFloat);   // kFloat
//   ember::Scalar s = 2.5;                               // s.to<int64_t>() == 2
//   ember::Scalar(1e30).to<int64_t>();                   // throws: out of int64's range
#ifndef EMBER_TENSOR_SCALAR_TYPE_H_
#define EMBER_TENSOR_SCALAR_TYPE_H_

#include <cmath>
#include <cstdint>
#include <limits>
#include <ostream>
#include <type_traits>

namespace ember {

enum class ScalarType : int8_t { Bool = 0, Long = 1, Float = 2, Double = 3 };

constexpr ScalarType kBool = ScalarType::Bool;
constexpr ScalarType kLong = ScalarType::Long;
constexpr ScalarType kInt64 = ScalarType::Long;
constexpr ScalarType kFloat = ScalarType::Float;
constexpr ScalarType kFloat32 = ScalarType::Float;
constexpr ScalarType kDouble = ScalarType::Double;
constexpr ScalarType kFloat64 = ScalarType::Double;

constexpr size_t elementSize(ScalarType t) {
  return t == kBool ? sizeof(bool) : t == kLong ? sizeof(int64_t) : t == kFloat ? sizeof(float) : sizeof(double);
}
constexpr bool isFloatingType(ScalarType t) { return t == kFloat || t == kDouble; }
constexpr bool isIntegralType(ScalarType t, bool include_bool) {
  return t == kLong || (include_bool && t == kBool);
}
// The enum is ordered so that promotion is the larger of the two.
constexpr ScalarType promoteTypes(ScalarType a, ScalarType b) { return a > b ? a : b; }
// Whether an op computing in `from` may write its result into `to`
// (LibTorch's canCast: no float -> integral, no non-bool -> bool).
constexpr bool canCast(ScalarType from, ScalarType to) {
  if (isFloatingType(from) && !isFloatingType(to)) return false;
  if (from != kBool && to == kBool) return false;
  return true;
}

// "Float", "Double", "Long", "Bool", as in LibTorch's messages.
const char* toString(ScalarType t);
std::ostream& operator<<(std::ostream& out, ScalarType t);

template <class T>
struct CppTypeToScalarType;
template <>
struct CppTypeToScalarType<float> {
  static constexpr ScalarType value = kFloat;
};
template <>
struct CppTypeToScalarType<double> {
  static constexpr ScalarType value = kDouble;
};
template <>
struct CppTypeToScalarType<int64_t> {
  static constexpr ScalarType value = kLong;
};
template <>
struct CppTypeToScalarType<bool> {
  static constexpr ScalarType value = kBool;
};

// static_cast<To>(v), defined for every input. A floating value outside
// int64's range, or NaN, becomes INT64_MIN: what LibTorch 1.13's kernels give
// on x86-64 (cvttss2si's "integer indefinite"), where C++ leaves it undefined.
template <class To, class From>
constexpr To convert(From v) {
  if constexpr (std::is_same<To, int64_t>::value && std::is_floating_point<From>::value) {
    // -2^63 and 2^63 are exact in float and double.
    return v >= From(-9223372036854775808.0) && v < From(9223372036854775808.0) ? static_cast<int64_t>(v)
                                                                                  : INT64_MIN;
  } else {
    return static_cast<To>(v);
  }
}

// int64 arithmetic wraps around (two's complement), as LibTorch's does:
// computing in uint64 makes that defined behaviour. Other types are as is.
template <class T>
constexpr T wrapping_add(T a, T b) {
  if constexpr (std::is_same<T, int64_t>::value) return static_cast<T>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b));
  else return static_cast<T>(a + b);
}
template <class T>
constexpr T wrapping_sub(T a, T b) {
  if constexpr (std::is_same<T, int64_t>::value) return static_cast<T>(static_cast<uint64_t>(a) - static_cast<uint64_t>(b));
  else return static_cast<T>(a - b);
}
template <class T>
constexpr T wrapping_mul(T a, T b) {
  if constexpr (std::is_same<T, int64_t>::value) return static_cast<T>(static_cast<uint64_t>(a) * static_cast<uint64_t>(b));
  else return static_cast<T>(a * b);
}

class Scalar;
namespace detail {
// Throws LibTorch's "value cannot be converted to type <type> without
// overflow", with the value.
[[noreturn]] void throw_conversion_overflow(const char* type, const Scalar& value);

// The C++ name LibTorch's conversion messages use for T.
template <class T>
constexpr const char* conversion_type_name() {
  if constexpr (std::is_same<T, int64_t>::value) return "int64_t";
  else if constexpr (std::is_same<T, int>::value) return "int";
  else if constexpr (std::is_same<T, int16_t>::value) return "int16_t";
  else if constexpr (std::is_same<T, int8_t>::value) return "int8_t";
  else if constexpr (std::is_same<T, uint8_t>::value) return "uint8_t";
  else if constexpr (std::is_same<T, float>::value) return "float";
  else if constexpr (std::is_same<T, double>::value) return "double";
  else return "the requested type";
}
}  // namespace detail

// A number passed to an op: `x.add(2)`, `x.mul_(0.5)`, `full({2}, true)`.
class Scalar {
 public:
  enum class Tag : uint8_t { Double, Long, Bool };

  Scalar() : Scalar(int64_t{0}) {}
  Scalar(double v) : tag_(Tag::Double) { v_.d = v; }                     // NOLINT
  Scalar(float v) : Scalar(static_cast<double>(v)) {}                    // NOLINT
  Scalar(int v) : Scalar(static_cast<int64_t>(v)) {}                     // NOLINT
  Scalar(long v) : tag_(Tag::Long) { v_.i = static_cast<int64_t>(v); }   // NOLINT
  Scalar(long long v) : tag_(Tag::Long) { v_.i = static_cast<int64_t>(v); }  // NOLINT
  Scalar(bool v) : tag_(Tag::Bool) { v_.i = v; }                         // NOLINT

  bool isFloatingPoint() const { return tag_ == Tag::Double; }
  bool isIntegral(bool include_bool) const { return tag_ == Tag::Long || (include_bool && tag_ == Tag::Bool); }
  bool isBoolean() const { return tag_ == Tag::Bool; }
  // The dtype a tensor made from this scalar would get (float32 for floats, as LibTorch's default dtype).
  ScalarType type() const { return tag_ == Tag::Double ? kFloat : tag_ == Tag::Long ? kLong : kBool; }

  // Whether T holds the value, as LibTorch's c10::overflows decides: NaN and
  // infinities fit a floating T; an unsigned T takes negative integers down
  // to minus its maximum (two's complement, for uint8 arithmetic); bool
  // takes any value (nonzero is true).
  template <class T>
  bool fits() const {
    static_assert(std::is_arithmetic<T>::value, "Scalar::fits<T>: T must be a number type");
    using limits = std::numeric_limits<T>;
    if constexpr (std::is_same<T, bool>::value) {
      return true;
    } else if (tag_ == Tag::Double) {
      const double d = v_.d;
      if (std::is_floating_point<T>::value && !std::isfinite(d)) return true;
      return d >= double(limits::lowest()) && d <= double(limits::max());
    } else if constexpr (std::is_integral<T>::value && sizeof(T) < sizeof(int64_t)) {
      const int64_t i = v_.i, max = int64_t(limits::max());
      return limits::is_signed ? i >= int64_t(limits::lowest()) && i <= max : i >= -max && i <= max;
    } else {
      return true;
    }
  }
  // The value as a T, checked as LibTorch's Scalar::to is: a value T does not
  // hold (see fits) throws "value cannot be converted to type T without
  // overflow".
  template <class T>
  T to() const {
    if (!fits<T>()) detail::throw_conversion_overflow(detail::conversion_type_name<T>(), *this);
    return cast<T>();
  }
  // The value as a T as the kernels convert a number operand (LibTorch
  // wraps it in a tensor, unchecked): out of range is +-inf for a float and
  // INT64_MIN for int64 (see convert).
  template <class T>
  T cast() const {
    if constexpr (std::is_same<T, bool>::value) return tag_ == Tag::Double ? v_.d != 0 : v_.i != 0;
    else return tag_ == Tag::Double ? convert<T>(v_.d) : static_cast<T>(v_.i);
  }
  double toDouble() const { return to<double>(); }
  int64_t toLong() const { return to<int64_t>(); }
  bool toBool() const { return to<bool>(); }

 private:
  Tag tag_;
  union {
    double d;
    int64_t i;
  } v_;
};

std::ostream& operator<<(std::ostream& out, const Scalar& s);

}  // namespace ember

#endif  // EMBER_TENSOR_SCALAR_TYPE_H_
