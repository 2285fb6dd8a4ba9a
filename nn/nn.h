// Everything in //nn: Module, Linear, ReLU, Sequential.
#ifndef EMBER_NN_NN_H_
#define EMBER_NN_NN_H_

#include "nn/activation.h"
#include "nn/linear.h"
#include "nn/module.h"
#include "nn/sequential.h"

#endif  // EMBER_NN_NN_H_
