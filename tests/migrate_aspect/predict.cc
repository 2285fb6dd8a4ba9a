#include "lib/guards.h"

int main() {
  ember::AutoNonVariableTypeMode guard(true);
  return lib::warm_up() - 1;
}
