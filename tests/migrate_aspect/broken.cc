#include "modes/legacy_guards.h"

void predict_broken() {
  ember::AutoNonVariableTypeMode guard;
  undeclared_function();
}
