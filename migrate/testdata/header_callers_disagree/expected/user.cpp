#include "helper.h"

void predict() { step(); }
