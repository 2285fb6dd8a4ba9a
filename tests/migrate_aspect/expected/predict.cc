#include "lib/guards.h"
#include "modes/inference_mode.h"

int main() {
  ember::InferenceMode guard(true);
  return lib::warm_up() - 1;
}
