#include "modes/dispatch_key_set.h"

namespace ember {

std::string toString(DispatchKeySet keys) {
  std::string out = "DispatchKeySet(";
  bool first = true;
  for (DispatchKey key : keys) {
    if (!first) out += ", ";
    out += toString(key);
    first = false;
  }
  return out + ")";
}

std::ostream& operator<<(std::ostream& out, DispatchKeySet keys) { return out << toString(keys); }

}  // namespace ember
