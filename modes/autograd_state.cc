#include "modes/autograd_state.h"

namespace ember {
namespace {

// Constant-initialised (constexpr constructor, trivial destructor): a thread
// pays no lazy-initialisation check when it first touches it.
thread_local AutogradState autograd_state_tls(/*grad_mode=*/true, /*inference_mode=*/false,
                                              /*fw_grad_mode=*/true);

}  // namespace

AutogradState& AutogradState::get_tls_state() { return autograd_state_tls; }

void AutogradState::set_tls_state(AutogradState state) { autograd_state_tls = state; }

}  // namespace ember
