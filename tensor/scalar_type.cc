#include "tensor/scalar_type.h"


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

std::ostream& operator<<(std::ostream& out, const Scalar& s) {
  if (s.isFloatingPoint()) return out << s.toDouble();
  if (s.isBoolean()) return out << (s.toBool() ? "true" : "false");
  return out << s.toLong();
}

}  // namespace ember
