// Included by three targets: each one's fixes edit it, identically.
#pragma once

#include "modes/legacy_guards.h"

namespace lib {

inline int warm_up() {
  ember::AutoNonVariableTypeMode guard;
  return 1;
}

}  // namespace lib
