#include "modes/dispatch_key.h"

namespace ember {

const char* toString(DispatchKey key) {
  switch (key) {
    case DispatchKey::Undefined:
      return "Undefined";
    case DispatchKey::CPU:
      return "CPU";
    case DispatchKey::CUDA:
      return "CUDA";
    case DispatchKey::Meta:
      return "Meta";
    case DispatchKey::ADInplaceOrView:
      return "ADInplaceOrView";
    case DispatchKey::AutogradOther:
      return "AutogradOther";
    case DispatchKey::AutogradCPU:
      return "AutogradCPU";
    case DispatchKey::AutogradCUDA:
      return "AutogradCUDA";
    case DispatchKey::AutogradMeta:
      return "AutogradMeta";
    case DispatchKey::EndOfKeys:
      break;
  }
  return "Undefined";
}

std::ostream& operator<<(std::ostream& out, DispatchKey key) { return out << toString(key); }

}  // namespace ember
