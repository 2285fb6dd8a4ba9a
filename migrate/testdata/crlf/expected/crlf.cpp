// CRLF stays CRLF, the inserted #include too.
#include <ATen/core/LegacyTypeDispatch.h>
#include <c10/core/InferenceMode.h>

int predict(int x) {
  c10::InferenceMode guard(true);
  return x;
}
