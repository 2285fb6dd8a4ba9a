#include "modes/inference_mode.h"
#include "modes/legacy_guards.h"

void predict_broken() {
  ember::InferenceMode guard;
  undeclared_function();
}
