// The operators: one dispatcher table per op, named as in PyTorch's schema
// (`add`, `add_`, `add_out` for add.out, `add_Scalar` for add.Scalar, ...).
//
// //tensor's CPU kernels register the CPU slots (tensor/cpu/*.cc); //autograd
// registers the Autograd and ADInplaceOrView slots. Tensor methods and free
// functions call these, so a kernel registered here is reached from every
// spelling of the op. The binary arithmetic ops share one signature
// (self, other, alpha); alpha is 1 for those that have none in LibTorch.
//
//   // a kernel for AutogradCPU that runs the CPU kernel underneath:
//   Tensor add_autograd(DispatchKeySet ks, const Tensor& a, const Tensor& b, const Scalar& alpha) {
//     Tensor out = ember::ops::add.redispatch(keys_after(ks, DispatchKey::AutogradCPU), a, b, alpha);
//     ...record the graph...
//     return out;
//   }
//   static const bool registered =
//       (ember::ops::add.register_kernel(DispatchKey::AutogradCPU, &add_autograd), true);
#ifndef EMBER_TENSOR_OPS_H_
#define EMBER_TENSOR_OPS_H_

#include "tensor/dispatcher.h"
#include "tensor/tensor.h"

namespace ember {
namespace ops {

using Binary = Operator<Tensor(const Tensor&, const Tensor&, const Scalar&)>;
using BinaryInplace = Operator<const Tensor&(const Tensor&, const Tensor&, const Scalar&)>;
using BinaryOut = Operator<const Tensor&(const Tensor& out, const Tensor&, const Tensor&, const Scalar&)>;
using BinaryScalar = Operator<Tensor(const Tensor&, const Scalar&, const Scalar&)>;
using BinaryScalarInplace = Operator<const Tensor&(const Tensor&, const Scalar&, const Scalar&)>;
using Unary = Operator<Tensor(const Tensor&)>;
using UnaryInplace = Operator<const Tensor&(const Tensor&)>;

#define EMBER_BINARY_OPS(_) _(add) _(sub) _(mul) _(div) _(pow)
#define EMBER_UNARY_OPS(_) _(neg) _(exp) _(log) _(relu) _(sigmoid) _(tanh)

#define EMBER_DECLARE_BINARY(name)          \
  extern Binary name;                       \
  extern BinaryInplace name##_;             \
  extern BinaryOut name##_out;              \
  extern BinaryScalar name##_Scalar;        \
  extern BinaryScalarInplace name##__Scalar;
EMBER_BINARY_OPS(EMBER_DECLARE_BINARY)
#undef EMBER_DECLARE_BINARY

// LibTorch's threshold_backward(grad_output, self, threshold): grad_output
// where self > threshold, else 0 (a NaN self passes it). relu's backward: as
// an op of its own, a gradient computed with create_graph depends on self,
// so it requires grad and a second derivative reaches self (as zeros), as in
// LibTorch.
extern Binary threshold_backward;
// LibTorch's sigmoid_backward(grad_output, output) = grad * (1 - y) * y and
// tanh_backward(grad_output, output) = grad * (1 - y * y) (fused), with their
// rounding; their own ops for the same reason (the third argument is unused).
extern Binary sigmoid_backward;
extern Binary tanh_backward;

#define EMBER_COMPARISON_OPS(_) _(eq) _(ne) _(lt) _(le) _(gt) _(ge)
#define EMBER_DECLARE_COMPARISON(name) \
  extern Binary name;                  \
  extern BinaryScalar name##_Scalar;
EMBER_COMPARISON_OPS(EMBER_DECLARE_COMPARISON)
#undef EMBER_DECLARE_COMPARISON

#define EMBER_DECLARE_UNARY(name) \
  extern Unary name;              \
  extern UnaryInplace name##_;
EMBER_UNARY_OPS(EMBER_DECLARE_UNARY)
#undef EMBER_DECLARE_UNARY

// where.self(condition, self, other): self where condition, else other,
// broadcast together, in self's and other's promoted dtype.
extern Operator<Tensor(const Tensor& condition, const Tensor& self, const Tensor& other)> where;

extern Operator<const Tensor&(const Tensor& self, const Tensor& src)> copy_;
extern Operator<const Tensor&(const Tensor& self, const Scalar& value)> fill_;
extern UnaryInplace zero_;
extern Operator<Tensor(const Tensor&, MemoryFormat)> clone;
extern Operator<Tensor(const Tensor&, ScalarType)> _to_copy;

extern Unary sum;
extern Operator<Tensor(const Tensor&, IntArrayRef dim, bool keepdim)> sum_dim;
extern Unary mean;
extern Operator<Tensor(const Tensor&, IntArrayRef dim, bool keepdim)> mean_dim;

extern Operator<Tensor(const Tensor&, const Tensor&)> mm;
extern Operator<Tensor(const Tensor&, const Tensor&)> bmm;
extern Operator<Tensor(const Tensor&, const Tensor&)> dot;
extern Operator<Tensor(const Tensor&, const Tensor&)> mv;
extern Operator<Tensor(TensorList, int64_t dim)> cat;
extern Operator<Tensor(TensorList, int64_t dim)> stack;

// Views.
extern Operator<Tensor(const Tensor&, IntArrayRef size)> view;
// view()'s geometry, but not a view to autograd: no view tracking, no base,
// and in-place ops on it rebase nothing (LibTorch's _unsafe_view). reshape()
// uses it on the copy it makes, which nothing else can reach.
extern Operator<Tensor(const Tensor&, IntArrayRef size)> _unsafe_view;
extern Operator<Tensor(const Tensor&, IntArrayRef size)> expand;
extern Operator<Tensor(const Tensor&, IntArrayRef dims)> permute;
extern Operator<Tensor(const Tensor&, int64_t dim0, int64_t dim1)> transpose;
// transpose(0, 1) of a matrix, the tensor itself viewed below 2 dims: its own
// op so that its node is LibTorch's TBackward0.
extern Operator<Tensor(const Tensor&)> t;
// reshape() of a tensor a view can express: view()'s kernel, with its own
// node name (LibTorch 1.13's ReshapeAliasBackward0).
extern Operator<Tensor(const Tensor&, IntArrayRef size)> _reshape_alias;
extern Operator<Tensor(const Tensor&, int64_t dim, int64_t index)> select;
extern Operator<Tensor(const Tensor&, int64_t dim, int64_t start, int64_t end, int64_t step)> slice;
// LibTorch's select_backward and slice_backward: zeros of `input_sizes` (row
// major, grad's dtype) with `grad` written where select/slice of them with the
// same arguments would read. The gradients of select, slice and narrow, as ops
// of their own so that a gradient computed with create_graph has LibTorch's
// SelectBackwardBackward0 / SliceBackwardBackward0 history.
extern Operator<Tensor(const Tensor& grad, IntArrayRef input_sizes, int64_t dim, int64_t index)> select_backward;
extern Operator<Tensor(const Tensor& grad, IntArrayRef input_sizes, int64_t dim, int64_t start, int64_t end,
                       int64_t step)>
    slice_backward;
// Views with several outputs, each a view of the input: LibTorch's unbind
// (select at every index), split (narrow into pieces of split_size, the last
// one shorter) and split_with_sizes. Their outputs carry
// CreationMeta::MULTI_OUTPUT_NODE in grad mode: an in-place op on one of
// them is refused when the input requires grad, as in LibTorch.
extern Operator<std::vector<Tensor>(const Tensor&, int64_t dim)> unbind;
extern Operator<std::vector<Tensor>(const Tensor&, int64_t split_size, int64_t dim)> split;
extern Operator<std::vector<Tensor>(const Tensor&, IntArrayRef split_sizes, int64_t dim)> split_with_sizes;
extern Unary squeeze;
extern Operator<Tensor(const Tensor&, int64_t dim)> squeeze_dim;
extern Operator<Tensor(const Tensor&, int64_t dim)> unsqueeze;
extern Operator<Tensor(const Tensor&, IntArrayRef size, IntArrayRef stride, int64_t offset)> as_strided;
extern Unary detach;
extern UnaryInplace detach_;

}  // namespace ops
}  // namespace ember

#endif  // EMBER_TENSOR_OPS_H_
