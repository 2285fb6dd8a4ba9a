#include "tensor/array_ref.h"

namespace ember {

std::string toString(IntArrayRef values) {
  std::string out = "[";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ", ";
    out += std::to_string(values[i]);
  }
  return out + "]";
}

std::ostream& operator<<(std::ostream& out, IntArrayRef values) { return out << toString(values); }

}  // namespace ember
