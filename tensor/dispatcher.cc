#include "tensor/dispatcher.h"

#include "tensor/check.h"

namespace ember {
namespace detail {

void throw_missing_kernel(const char* op, DispatchKey key, DispatchKeySet ks) {
  if (key == DispatchKey::Undefined) {
    fail("Could not run '", op, "' with arguments from the 'Undefined' backend: its arguments carry no dispatch ",
         "keys (dispatch key set ", ks, "). Pass defined tensors; an undefined Tensor() has no backend.");
  }
  fail("Could not run '", op, "' with arguments from the '", key, "' backend. Ember has no '", op,
       "' kernel for ", key, " (dispatch key set ", ks,
       "). Register one with ops::", op, ".register_kernel(DispatchKey::", key,
       ", ...), or move the tensors to a backend that has one.");
}

}  // namespace detail
}  // namespace ember
