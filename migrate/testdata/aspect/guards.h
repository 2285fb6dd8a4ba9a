// Reached by :guards (parsed on its own), :kernel and :user.
#pragma once

#include "modes/legacy_guards.h"

inline int warm_up() {
  ember::AutoNonVariableTypeMode guard;
  return 1;
}
