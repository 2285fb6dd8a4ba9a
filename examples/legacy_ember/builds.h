// The three builds of the legacy program, linked side by side. BUILD.bazel
// compiles each with its namespace renamed (`shop` -> `shop_<build>`):
//   shop_legacy       the sources as written (ember::AutoNonVariableTypeMode)
//   shop_migrated     the sources //migrate rewrote (migrated/)
//   shop_sed_renamed  the sources `sed` renamed to AutoDispatchBelowADInplaceOrView
// The declarations are predictor.h's and scaled_square.h's, once per build.
#ifndef EMBER_EXAMPLES_LEGACY_EMBER_BUILDS_H_
#define EMBER_EXAMPLES_LEGACY_EMBER_BUILDS_H_

#include "nn/module.h"
#include "tensor/tensor.h"

#define EMBER_LEGACY_EMBER_DECLARE_BUILD(ns)                              \
  namespace ns {                                                          \
  ember::Tensor predict(ember::nn::Module& model, const ember::Tensor& x); \
  void rescale_inplace(const ember::Tensor& batch, double factor);        \
  ember::Tensor scaled_square(const ember::Tensor& x, double scale);      \
  }

EMBER_LEGACY_EMBER_DECLARE_BUILD(shop_legacy)
EMBER_LEGACY_EMBER_DECLARE_BUILD(shop_migrated)
EMBER_LEGACY_EMBER_DECLARE_BUILD(shop_sed_renamed)

#undef EMBER_LEGACY_EMBER_DECLARE_BUILD

#endif  // EMBER_EXAMPLES_LEGACY_EMBER_BUILDS_H_
