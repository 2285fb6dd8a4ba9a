#include "lib.h"

using Guard = at::AutoNonVariableTypeMode;

int predict(int x) {
  LIB_NO_GRAD;
  return x;
}

int predict_quietly(int x) {
  Guard guard;  // the alias decides from this use only
  return x;
}

int legacy_on_purpose(int x) {
  Guard kept(false);  // NOLINT(migrate)
  return x;
}
