// A third-party header (excluded with --exclude): its macro is not ours to edit.
#pragma once
#include <ATen/core/LegacyTypeDispatch.h>
#include <c10/core/InferenceMode.h>

#define LIB_NO_GRAD at::AutoNonVariableTypeMode lib_guard(true)
