#include "guards.h"

int main_loop() { return warm_up(1); }
