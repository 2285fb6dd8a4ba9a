// CRLF stays CRLF, the inserted #include too.
#include <ATen/core/LegacyTypeDispatch.h>

int predict(int x) {
  at::AutoNonVariableTypeMode guard(true);
  return x;
}
