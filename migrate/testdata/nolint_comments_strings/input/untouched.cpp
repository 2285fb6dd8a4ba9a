// Mentions in comments and strings are never touched: at::AutoNonVariableTypeMode
/* at::AutoNonVariableTypeMode guard(true); */
#include <ATen/core/LegacyTypeDispatch.h>
#include <c10/core/InferenceMode.h>

const char* kMessage = "at::AutoNonVariableTypeMode guard(true);";
const char* kRaw = R"(AutoNonVariableTypeMode)";

void predict() {
  at::AutoNonVariableTypeMode kept(true);  // NOLINT(migrate)
  at::AutoNonVariableTypeMode changed(true);  // at::AutoNonVariableTypeMode in a trailing comment
}
