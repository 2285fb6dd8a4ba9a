#include "migrate/testdata/aspect/guards.h"
#include "modes/inference_mode.h"

#if USER_LEVEL != 3
#error "parsed without the target's copts"
#endif

int predict() {
  ember::InferenceMode guard(true);
  return warm_up();
}
