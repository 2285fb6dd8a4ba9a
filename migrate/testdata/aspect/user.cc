#include "migrate/testdata/aspect/guards.h"

#if USER_LEVEL != 3
#error "parsed without the target's copts"
#endif

int predict() {
  ember::AutoNonVariableTypeMode guard(true);
  return warm_up();
}
