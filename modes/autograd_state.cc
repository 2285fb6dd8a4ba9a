#include "modes/autograd_state.h"

namespace ember {
namespace impl {

thread_local EMBER_CONSTINIT AutogradState autograd_state_tls(/*grad_mode=*/true, /*inference_mode=*/false,
                                                               /*fw_grad_mode=*/true);

}  // namespace impl
}  // namespace ember
