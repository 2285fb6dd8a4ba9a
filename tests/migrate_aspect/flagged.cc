#if !defined(USE_GUARD) || !defined(CONFIG_FROM_DEP) || GUARD_LEVEL != 2
#error "parsed without the target's own flags"
#endif

#include "modes/legacy_guards.h"

int flagged() {
#ifdef USE_GUARD
  ember::AutoNonVariableTypeMode guard;
#endif
  return 0;
}
