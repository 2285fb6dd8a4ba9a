#include "tensor/ops.h"

namespace ember {
namespace ops {

// Constant-initialised (constexpr constructor): they exist before any static
// initialiser runs, so kernels can be registered from any translation unit.
#define EMBER_DEFINE_BINARY(name)                          \
  Binary name{#name};                                      \
  BinaryInplace name##_{#name "_"};                        \
  BinaryOut name##_out{#name "_out"};                      \
  BinaryScalar name##_Scalar{#name ".Scalar"};             \
  BinaryScalarInplace name##__Scalar{#name "_.Scalar"};
EMBER_BINARY_OPS(EMBER_DEFINE_BINARY)
#undef EMBER_DEFINE_BINARY

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

Operator<const Tensor&(const Tensor&, const Tensor&)> copy_{"copy_"};
Operator<const Tensor&(const Tensor&, const Scalar&)> fill_{"fill_"};
UnaryInplace zero_{"zero_"};
UnaryInplace detach_{"detach_"};
Unary clone{"clone"};
Operator<Tensor(const Tensor&, ScalarType)> _to_copy{"_to_copy"};

Unary sum{"sum"};
Operator<Tensor(const Tensor&, IntArrayRef, bool)> sum_dim{"sum.dim_IntList"};
Unary mean{"mean"};
Operator<Tensor(const Tensor&, IntArrayRef, bool)> mean_dim{"mean.dim"};

Operator<Tensor(const Tensor&, const Tensor&)> mm{"mm"};
Operator<Tensor(const Tensor&, const Tensor&)> bmm{"bmm"};
Operator<Tensor(TensorList, int64_t)> cat{"cat"};

Operator<Tensor(const Tensor&, IntArrayRef)> view{"view"};
Operator<Tensor(const Tensor&, IntArrayRef)> expand{"expand"};
Operator<Tensor(const Tensor&, IntArrayRef)> permute{"permute"};
Operator<Tensor(const Tensor&, int64_t, int64_t)> transpose{"transpose"};
Operator<Tensor(const Tensor&, int64_t, int64_t)> select{"select"};
Operator<Tensor(const Tensor&, int64_t, int64_t, int64_t, int64_t)> slice{"slice"};
Unary squeeze{"squeeze"};
Operator<Tensor(const Tensor&, int64_t)> squeeze_dim{"squeeze.dim"};
Operator<Tensor(const Tensor&, int64_t)> unsqueeze{"unsqueeze"};
Operator<Tensor(const Tensor&, IntArrayRef, IntArrayRef, int64_t)> as_strided{"as_strided"};
Unary detach{"detach"};

}  // namespace ops
}  // namespace ember
