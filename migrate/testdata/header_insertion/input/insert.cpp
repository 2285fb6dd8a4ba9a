// The declaring header is added in the file's include style (.clang-format).
#include "insert.h"

#include <ATen/core/LegacyTypeDispatch.h>
#include <vector>

int predict(const std::vector<int>& batch) {
  at::AutoNonVariableTypeMode guard(true);
  return batch.empty() ? 0 : batch[0];
}
