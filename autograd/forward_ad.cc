#include "autograd/forward_ad.h"

#include "autograd/autograd_meta.h"
#include "modes/autograd_state.h"
#include "modes/grad_mode.h"
#include "tensor/check.h"

namespace ember {
namespace autograd {
namespace forward_ad {
namespace impl {

std::atomic<uint64_t> current_level{0};
namespace {
std::atomic<uint64_t> last_level{0};
}  // namespace

bool is_active() {
  return current_level.load(std::memory_order_relaxed) != 0 && AutogradState::get_tls_state().get_fw_grad_mode();
}

Tensor tangent(const Tensor& t) {
  AutogradMeta* meta = autograd::impl::get_autograd_meta(t);
  uint64_t level = current_level.load(std::memory_order_relaxed);
  if (meta == nullptr || level == 0 || meta->fw_level_ != level) return Tensor();
  return meta->fw_grad_;
}

void set_tangent(const Tensor& t, const Tensor& tangent) {
  AutogradMeta* meta = autograd::impl::materialize_autograd_meta(t);
  meta->fw_grad_ = tangent;
  meta->fw_level_ = current_level.load(std::memory_order_relaxed);
}

}  // namespace impl

DualLevel::DualLevel() {
  uint64_t expected = 0;
  uint64_t level = impl::last_level.fetch_add(1) + 1;
  EMBER_CHECK(impl::current_level.compare_exchange_strong(expected, level),
              "Nested forward mode AD is not supported at the moment (Ember: a DualLevel is already active; leave it "
              "before entering another.)");
  level_ = level;
}

DualLevel::~DualLevel() { impl::current_level.store(0); }

Tensor make_dual(const Tensor& primal, const Tensor& tangent) {
  EMBER_CHECK(impl::current_level.load() != 0,
              "Trying to create a dual Tensor for forward AD but no level exists, make sure to enter_dual_level() "
              "first. (Ember: create an ember::autograd::forward_ad::DualLevel guard first.)");
  EMBER_CHECK(tangent.sizes() == primal.sizes(),
              "Trying to set a forward gradient that has a different size than that of the original Tensor, this is "
              "not supported. Tensor is of size ",
              primal.sizes(), " while the given forward gradient is of size ", tangent.sizes(), ".");
  Tensor dual;
  {
    AutoFwGradMode off(false);
    dual = primal.view_as(primal);
  }
  impl::set_tangent(dual, tangent);
  return dual;
}

UnpackedDual unpack_dual(const Tensor& t) {
  UnpackedDual out;
  out.tangent = impl::tangent(t);
  AutoFwGradMode off(false);
  out.primal = t.view_as(t);
  return out;
}

}  // namespace forward_ad
}  // namespace autograd
}  // namespace ember
