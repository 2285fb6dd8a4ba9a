// Compile-check stand-in for the project's umbrella header.
#pragma once
#include <ATen/core/LegacyTypeDispatch.h>
#include <c10/core/InferenceMode.h>
#include <torch/csrc/autograd/custom_function.h>
#include <torch/library.h>
