// The app's own shorthand for "no autograd here", shared by its sources.
#pragma once

#include <ATen/core/LegacyTypeDispatch.h>

namespace app {

using NoGradScope = at::AutoNonVariableTypeMode;

}  // namespace app
