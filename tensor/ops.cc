#include "tensor/ops.h"

namespace ember {
namespace ops {

// Constant-initialised (constexpr constructor): they exist before any static
// initialiser runs, so kernels can be registered from any translation unit.
//
// LibTorch's functional add/sub/mul/div with a Scalar wrap it in a tensor
// made in the current mode and call the Tensor overload, so outside
// InferenceMode the call carries the Autograd key even when `self` is an
// inference tensor: `c * 2` of an inference tensor `c` that requires grad
// records a graph and backward reaches `c`, while `c.pow(2)` (a native op of
// one tensor) does not. Those Scalar overloads carry that key here; inside
// InferenceMode and below autograd the thread's excluded keys remove it, as
// they would the wrapped tensor's. The in-place Scalar overloads do not:
// LibTorch's refuse an inference tensor in ADInplaceOrView before any
// wrapping, and so do these.
constexpr DispatchKeySet kWrappedScalarKeys{DispatchKey::AutogradCPU};
#define EMBER_DEFINE_BINARY(name, scalar_keys)              \
  Binary name{#name};                                       \
  BinaryInplace name##_{#name "_"};                         \
  BinaryOut name##_out{#name ".out"};                       \
  BinaryScalar name##_Scalar{#name ".Scalar", scalar_keys}; \
  BinaryScalarInplace name##__Scalar{#name "_.Scalar"};
EMBER_DEFINE_BINARY(add, kWrappedScalarKeys)
EMBER_DEFINE_BINARY(sub, kWrappedScalarKeys)
EMBER_DEFINE_BINARY(mul, kWrappedScalarKeys)
EMBER_DEFINE_BINARY(div, kWrappedScalarKeys)
EMBER_DEFINE_BINARY(pow, DispatchKeySet())
#undef EMBER_DEFINE_BINARY

Binary threshold_backward{"threshold_backward"};
Binary sigmoid_backward{"sigmoid_backward"};
Binary tanh_backward{"tanh_backward"};

#define EMBER_DEFINE_COMPARISON(name) \
  Binary name{#name};                 \
  BinaryScalar name##_Scalar{#name ".Scalar"};
EMBER_COMPARISON_OPS(EMBER_DEFINE_COMPARISON)
#undef EMBER_DEFINE_COMPARISON

#define EMBER_DEFINE_UNARY(name) \
  Unary name{#name};             \
  UnaryInplace name##_{#name "_"};
EMBER_UNARY_OPS(EMBER_DEFINE_UNARY)
#undef EMBER_DEFINE_UNARY

Operator<Tensor(const Tensor&, const Tensor&, const Tensor&)> where{"where.self"};

Operator<const Tensor&(const Tensor&, const Tensor&)> copy_{"copy_"};
Operator<const Tensor&(const Tensor&, const Scalar&)> fill_{"fill_"};
UnaryInplace zero_{"zero_"};
UnaryInplace detach_{"detach_"};
Operator<Tensor(const Tensor&, MemoryFormat)> clone{"clone"};
Operator<Tensor(const Tensor&, ScalarType)> _to_copy{"_to_copy"};

Unary sum{"sum"};
Operator<Tensor(const Tensor&, IntArrayRef, bool)> sum_dim{"sum.dim_IntList"};
Unary mean{"mean"};
Operator<Tensor(const Tensor&, IntArrayRef, bool)> mean_dim{"mean.dim"};

Operator<Tensor(const Tensor&, const Tensor&)> mm{"mm"};
Operator<Tensor(const Tensor&, const Tensor&)> bmm{"bmm"};
Operator<Tensor(const Tensor&, const Tensor&)> dot{"dot"};
Operator<Tensor(const Tensor&, const Tensor&)> mv{"mv"};
Operator<Tensor(TensorList, int64_t)> cat{"cat"};
Operator<Tensor(TensorList, int64_t)> stack{"stack"};

Operator<Tensor(const Tensor&, IntArrayRef)> view{"view"};
Operator<Tensor(const Tensor&, IntArrayRef)> _unsafe_view{"_unsafe_view"};
Operator<Tensor(const Tensor&, IntArrayRef)> expand{"expand"};
Operator<Tensor(const Tensor&, IntArrayRef)> permute{"permute"};
Operator<Tensor(const Tensor&, int64_t, int64_t)> transpose{"transpose"};
Operator<Tensor(const Tensor&)> t{"t"};
Operator<Tensor(const Tensor&, IntArrayRef)> _reshape_alias{"_reshape_alias"};
Operator<Tensor(const Tensor&, int64_t, int64_t)> select{"select"};
Operator<Tensor(const Tensor&, int64_t, int64_t, int64_t, int64_t)> slice{"slice"};
Operator<Tensor(const Tensor&, IntArrayRef, int64_t, int64_t)> select_backward{"select_backward"};
Operator<Tensor(const Tensor&, IntArrayRef, int64_t, int64_t, int64_t, int64_t)> slice_backward{"slice_backward"};
Operator<std::vector<Tensor>(const Tensor&, int64_t)> unbind{"unbind"};
Operator<std::vector<Tensor>(const Tensor&, int64_t, int64_t)> split{"split"};
Operator<std::vector<Tensor>(const Tensor&, IntArrayRef, int64_t)> split_with_sizes{"split_with_sizes"};
Unary squeeze{"squeeze"};
Operator<Tensor(const Tensor&, int64_t)> squeeze_dim{"squeeze.dim"};
Operator<Tensor(const Tensor&, int64_t)> unsqueeze{"unsqueeze"};
Operator<Tensor(const Tensor&, IntArrayRef, IntArrayRef, int64_t)> as_strided{"as_strided"};
Unary detach{"detach"};

}  // namespace ops
}  // namespace ember
