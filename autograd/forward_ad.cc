#include "autograd/forward_ad.h"

#include <algorithm>

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

namespace {

int64_t storage_end(IntArrayRef sizes, IntArrayRef strides, int64_t offset) {
  int64_t last = offset;
  for (size_t d = 0; d < sizes.size(); ++d) {
    if (sizes[d] == 0) return offset;
    last += (sizes[d] - 1) * strides[d];
  }
  return last + 1;
}

// Whether `tangent` can be read with `primal`'s storage geometry: same strides
// and offset, and a storage that reaches `end`.
bool laid_out_like(const Tensor& tangent, const Tensor& primal, int64_t end) {
  return tangent.strides() == primal.strides() && tangent.storage_offset() == primal.storage_offset() &&
         static_cast<int64_t>(tangent.storage().nbytes()) >= end * static_cast<int64_t>(tangent.itemsize());
}

// A copy of `tangent` laid out like `primal` in a zeroed buffer that covers
// primal's storage up to `end`.
Tensor relayout(const Tensor& primal, const Tensor& tangent, int64_t end) {
  Tensor buffer = zeros({end}, tangent.dtype());
  Tensor out = buffer.as_strided(primal.sizes(), primal.strides(), primal.storage_offset());
  out.copy_(tangent);
  return out;
}

int64_t end_of(const Tensor& t) { return storage_end(t.sizes(), t.strides(), t.storage_offset()); }

}  // namespace

Tensor tangent(const Tensor& t) {
  AutogradMeta* meta = autograd::impl::get_autograd_meta(t);
  uint64_t level = current_level.load(std::memory_order_relaxed);
  if (meta == nullptr || level == 0) return Tensor();
  if (meta->fw_level_ == level && meta->fw_grad_.defined()) return meta->fw_grad_;
  if (!meta->is_view_ || !meta->fw_view_) return Tensor();
  const Tensor& base = meta->base_;
  AutogradMeta* base_meta = autograd::impl::get_autograd_meta(base);
  if (base_meta == nullptr || base_meta->fw_level_ != level || !base_meta->fw_grad_.defined()) return Tensor();
  AutoFwGradMode off(false);
  NoGradGuard no_grad;
  if (!laid_out_like(base_meta->fw_grad_, base, end_of(base))) {
    base_meta->fw_grad_ = relayout(base, base_meta->fw_grad_, end_of(base));
  }
  Tensor view_tangent = base_meta->fw_grad_.as_strided(t.sizes(), t.strides(), t.storage_offset());
  set_tangent(t, view_tangent);
  return view_tangent;
}

void set_tangent(const Tensor& t, const Tensor& tangent) {
  AutogradMeta* meta = autograd::impl::materialize_autograd_meta(t);
  meta->fw_grad_ = tangent;
  meta->fw_level_ = current_level.load(std::memory_order_relaxed);
}

void update_tangent_inplace(const Tensor& self, const Tensor& new_tangent) {
  AutoFwGradMode off(false);
  NoGradGuard no_grad;
  Tensor current = tangent(self);
  if (!current.defined()) {
    AutogradMeta* meta = autograd::impl::get_autograd_meta(self);
    if (meta == nullptr || !meta->is_view_ || !meta->fw_view_) {
      // Laid out like self, so that views of self can take theirs from it.
      set_tangent(self, relayout(self, new_tangent, end_of(self)));
      return;
    }
    // The base had no tangent: it gets zeros, and this view its slice of them.
    const Tensor& base = meta->base_;
    set_tangent(base, relayout(base, zeros_like(base), end_of(base)));
    current = tangent(self);
  }
  if (current.unsafeGetTensorImpl() != new_tangent.unsafeGetTensorImpl()) current.copy_(new_tangent);
}

Tensor with_layout_of(const Tensor& primal, const Tensor& tangent) {
  int64_t end = end_of(primal);
  if (laid_out_like(tangent, primal, end)) return tangent;
  AutoFwGradMode off(false);
  NoGradGuard no_grad;
  return relayout(primal, tangent, end);
}

Tensor as_strided_tangent(const Tensor& primal, const Tensor& tangent, IntArrayRef size, IntArrayRef stride,
                          int64_t offset) {
  AutoFwGradMode off(false);
  int64_t end = std::max(end_of(primal), storage_end(size, stride, offset));
  Tensor laid_out = laid_out_like(tangent, primal, end) ? tangent : relayout(primal, tangent, end);
  return laid_out.as_strided(size, stride, offset);
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
  // The dual carries its own tangent; primal gets none.
  if (AutogradMeta* meta = autograd::impl::get_autograd_meta(dual)) meta->fw_view_ = false;
  impl::set_tangent(dual, tangent);
  return dual;
}

UnpackedDual unpack_dual(const Tensor& t) {
  UnpackedDual out;
  out.tangent = impl::tangent(t);
  AutoFwGradMode off(false);
  out.primal = t.view_as(t);
  // The primal is a view of t that carries no tangent (PyTorch's _fw_primal).
  if (AutogradMeta* meta = autograd::impl::get_autograd_meta(out.primal)) meta->fw_view_ = false;
  return out;
}

}  // namespace forward_ad
}  // namespace autograd
}  // namespace ember
