// Forward-mode AD: tangents that travel with the forward computation.
//
// Inside a DualLevel, make_dual(primal, tangent) gives a tensor that carries
// `tangent`; every elementwise op (in-place too), mm and view op then also computes the
// tangent of its result (a Jacobian-vector product), which unpack_dual reads
// back. Like PyTorch, only one level at a time, and nothing is propagated
// while forward-grad mode is off, which InferenceMode turns off: tangents are
// dropped there. As in PyTorch, a view's tangent is a view of its base's
// tangent: in-place ops write the new tangent into the existing one, so an
// in-place op on a view changes the base's tangent too (the base gets a zero
// tangent first if it had none), and a view whose base gains a tangent later
// sees it.
//
//   {
//     ember::autograd::forward_ad::DualLevel level;
//     Tensor x = make_dual(primal, ember::ones_like(primal));
//     Tensor y = (x * x).sin...;   // y carries dy/dx . 1
//     Tensor jvp = unpack_dual(y).tangent;
//   }
#ifndef EMBER_AUTOGRAD_FORWARD_AD_H_
#define EMBER_AUTOGRAD_FORWARD_AD_H_

#include <atomic>
#include <cstdint>

#include "tensor/tensor.h"

namespace ember {
namespace autograd {
namespace forward_ad {

// RAII: enters a dual level; leaving it forgets every tangent made inside.
class DualLevel final {
 public:
  [[nodiscard]] DualLevel();
  ~DualLevel();
  DualLevel(const DualLevel&) = delete;
  DualLevel& operator=(const DualLevel&) = delete;
  uint64_t level() const { return level_; }

 private:
  uint64_t level_;
};

// A view of `primal` that carries `tangent` (same sizes) at the current level.
Tensor make_dual(const Tensor& primal, const Tensor& tangent);

struct UnpackedDual {
  Tensor primal;
  Tensor tangent;  // Undefined if `t` carries none at the current level.
};
UnpackedDual unpack_dual(const Tensor& t);

namespace impl {
extern std::atomic<uint64_t> current_level;  // 0: no level.
// Whether ops must propagate tangents now (a level exists, forward-grad mode on).
bool is_active();
// The tangent of `t` at the current level, or undefined. A view without a
// tangent of its own gets the matching as_strided view of its base's tangent.
Tensor tangent(const Tensor& t);
// Gives the fresh result `t` of an op the tangent `tangent`.
void set_tangent(const Tensor& t, const Tensor& tangent);
// After an in-place op on `self`: writes `tangent` (same sizes) into self's
// tangent, which is shared with its base and the other views of it; a view
// whose base has no tangent gives the base a zero one first.
void update_tangent_inplace(const Tensor& self, const Tensor& tangent);
// `tangent`, or a copy of it laid out like `primal` (same strides and
// storage offset) if it is not: what a view's tangent is taken from.
Tensor with_layout_of(const Tensor& primal, const Tensor& tangent);
// The tangent of as_strided(primal, size, stride, offset), given primal's
// tangent (as_strided's geometry is about primal's storage, so the tangent is
// first laid out like that storage when it is not already).
Tensor as_strided_tangent(const Tensor& primal, const Tensor& tangent, IntArrayRef size, IntArrayRef stride,
                          int64_t offset);
}  // namespace impl

}  // namespace forward_ad
}  // namespace autograd
}  // namespace ember

#endif  // EMBER_AUTOGRAD_FORWARD_AD_H_
