#include "tensor/scalar_type.h"

#include "tensor/check.h"


namespace ember {

const char* toString(ScalarType t) {
  switch (t) {
    case kBool:
      return "Bool";
    case kLong:
      return "Long";
    case kFloat:
      return "Float";
    case kDouble:
      return "Double";
  }
  return "Undefined";
}

std::ostream& operator<<(std::ostream& out, ScalarType t) { return out << toString(t); }

namespace detail {

void throw_conversion_overflow(const char* type, const Scalar& value) {
  fail("value cannot be converted to type ", type, " without overflow (the value is ", value,
       "). Check the value first, or convert to a type that holds it.");
}

}  // namespace detail

std::ostream& operator<<(std::ostream& out, const Scalar& s) {
  if (s.isFloatingPoint()) return out << s.toDouble();
  if (s.isBoolean()) return out << (s.toBool() ? "true" : "false");
  return out << s.toLong();
}

}  // namespace ember
