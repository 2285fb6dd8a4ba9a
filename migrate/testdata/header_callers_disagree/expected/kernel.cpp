#include "helper.h"

void kernel(torch::autograd::AutogradContext* ctx) { step(); }
