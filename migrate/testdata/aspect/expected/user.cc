#include "migrate/testdata/aspect/guards.h"
#include "modes/inference_mode.h"

#if USER_LEVEL != 3
#error "parsed without the target's copts"
#endif

int predict() {
  ember::InferenceMode guard(true);
  return warm_up();
}

// The copt "-DUSER_TAG='two words'" is one flag, as Bazel tokenizes it.
#define USER_STRING(x) #x
#define USER_EXPAND(x) USER_STRING(x)
static_assert(sizeof(USER_EXPAND(USER_TAG)) == sizeof("two words"), "copts split at the space");
