// DispatchKey: the names of the layers an operator call passes through.
//
// A tensor carries a set of keys (see dispatch_key_set.h); the dispatcher runs
// the kernel of the highest-priority key and that kernel may redispatch to the
// keys below it. Later enumerators have higher priority, exactly as in
// PyTorch's c10::DispatchKey:
//
//   CPU  <  ADInplaceOrView  <  AutogradCPU
//   (compute)  (version bumps,     (records the graph)
//               view metadata)
#ifndef EMBER_MODES_DISPATCH_KEY_H_
#define EMBER_MODES_DISPATCH_KEY_H_

#include <cstdint>
#include <ostream>

namespace ember {

enum class DispatchKey : uint8_t {
  Undefined = 0,

  // Backends: where the data lives and the compute kernel runs. New backends
  // go here, each with an Autograd<Backend> key below.
  CPU,
  CUDA,
  Meta,

  // Bumps version counters on in-place ops and sets up view metadata.
  ADInplaceOrView,

  // Record the autograd graph. AutogradOther serves backends without a key.
  AutogradOther,
  AutogradCPU,
  AutogradCUDA,
  AutogradMeta,

  EndOfKeys,  // Not a key: one past the last.
};

constexpr int kNumDispatchKeys = static_cast<int>(DispatchKey::EndOfKeys) - 1;
static_assert(kNumDispatchKeys <= 64, "DispatchKeySet is a 64-bit mask");

// "AutogradCPU" for DispatchKey::AutogradCPU; "Undefined" for anything unknown.
const char* toString(DispatchKey key);
std::ostream& operator<<(std::ostream& out, DispatchKey key);

constexpr bool isBackendKey(DispatchKey key) {
  return key == DispatchKey::CPU || key == DispatchKey::CUDA || key == DispatchKey::Meta;
}

// The autograd key that records the graph for tensors of `backend`.
constexpr DispatchKey getAutogradKeyFromBackend(DispatchKey backend) {
  switch (backend) {
    case DispatchKey::CPU:
      return DispatchKey::AutogradCPU;
    case DispatchKey::CUDA:
      return DispatchKey::AutogradCUDA;
    case DispatchKey::Meta:
      return DispatchKey::AutogradMeta;
    default:
      return DispatchKey::AutogradOther;
  }
}

}  // namespace ember

#endif  // EMBER_MODES_DISPATCH_KEY_H_
