// Uses @ember//modes:inference_mode alone, from another workspace.
#include <iostream>

#include "modes/inference_mode.h"

int main() {
  std::cout << "before: " << ember::InferenceMode::is_enabled() << "\n";
  {
    ember::InferenceMode guard;
    std::cout << "inside: " << ember::InferenceMode::is_enabled() << "\n";
  }
  std::cout << "after: " << ember::InferenceMode::is_enabled() << "\n";
}
