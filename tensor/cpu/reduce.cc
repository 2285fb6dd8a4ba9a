// CPU kernels of sum and mean, over all elements or over dims.
//
// Floats accumulate in double over all elements (so that sums of many
// float32 values stay accurate); reductions over dims accumulate in the
// output dtype, walking the input once with the output broadcast along the
// reduced dims.
#include "tensor/check.h"
#include "tensor/cpu/loops.h"
#include "tensor/ops.h"
#include "tensor/tensor.h"
#include "tensor/tensor_util.h"

namespace ember {
namespace cpu {
namespace {

// bool and int64 sum to int64, as in LibTorch.
ScalarType sum_type(ScalarType t) { return isIntegralType(t, true) ? kLong : t; }

template <class T>
using acc_t = std::conditional_t<std::is_floating_point<T>::value, double, int64_t>;

Tensor sum_all(const Tensor& self, const char* op) {
  ScalarType out_type = sum_type(self.dtype());
  Tensor in = self.to(out_type);
  Tensor out = detail::make_tensor({}, out_type, op);
  dispatch_dtype(out_type, [&](auto tag) {
    using T = decltype(tag);
    acc_t<T> acc = 0;
    StridedLoop loop(in.sizes(), {operand(in)}, StridedLoop::Order::kRowMajor);
    loop.run([&acc](char** p, const int64_t* s, int64_t n) {
      acc_t<T> local = 0;
      if (s[0] == sizeof(T)) {
        const T* x = reinterpret_cast<const T*>(p[0]);
        for (int64_t i = 0; i < n; ++i) local = wrapping_add<acc_t<T>>(local, x[i]);
      } else {
        for (int64_t i = 0; i < n; ++i) local = wrapping_add<acc_t<T>>(local, *reinterpret_cast<const T*>(p[0] + i * s[0]));
      }
      acc = wrapping_add(acc, local);
    });
    *static_cast<T*>(out.data_ptr()) = static_cast<T>(acc);
  });
  return out;
}

// The reduced dims as a bit mask; checks range and duplicates.
uint64_t reduced_dims(const Tensor& self, IntArrayRef dims, const char* op) {
  uint64_t mask = 0;
  if (dims.empty()) return self.dim() == 0 ? 1 : (self.dim() >= 64 ? ~uint64_t{0} : (uint64_t{1} << self.dim()) - 1);
  for (int64_t d : dims) {
    int64_t w = detail::maybe_wrap_dim(d, self.dim(), op);
    EMBER_CHECK(!(mask & (uint64_t{1} << w)), "dim ", w, " appears multiple times in the list of dims (", op,
                " over ", dims, " of sizes ", self.sizes(), "). Name each dim once.");
    mask |= uint64_t{1} << w;
  }
  return mask;
}

Tensor sum_dims(const Tensor& self, IntArrayRef dims, bool keepdim, const char* op, int64_t* count) {
  uint64_t mask = reduced_dims(self, dims, op);
  ScalarType out_type = sum_type(self.dtype());
  Tensor in = self.to(out_type);
  DimVector kept_sizes;  // With reduced dims as 1: the shape the loop broadcasts the output over.
  DimVector out_sizes;
  *count = 1;
  for (int64_t d = 0; d < self.dim(); ++d) {
    bool reduced = mask & (uint64_t{1} << d);
    if (reduced) *count *= self.sizes()[d];
    kept_sizes.push_back(reduced ? 1 : self.sizes()[d]);
    if (!reduced || keepdim) out_sizes.push_back(reduced ? 1 : self.sizes()[d]);
  }
  Tensor out = detail::make_tensor(kept_sizes, out_type, op);
  ops::zero_.redispatch(detail::kCpuOnly, out);
  dispatch_dtype(out_type, [&](auto tag) {
    using T = decltype(tag);
    StridedLoop loop(in.sizes(), {operand(out), operand(in)}, StridedLoop::Order::kRowMajor);
    loop.run([](char** p, const int64_t* s, int64_t n) {
      if (s[0] == 0) {
        T local = 0;
        for (int64_t i = 0; i < n; ++i) local = wrapping_add(local, *reinterpret_cast<const T*>(p[1] + i * s[1]));
        *reinterpret_cast<T*>(p[0]) = wrapping_add(*reinterpret_cast<T*>(p[0]), local);
      } else if (s[0] == sizeof(T) && s[1] == sizeof(T)) {
        T* o = reinterpret_cast<T*>(p[0]);
        const T* x = reinterpret_cast<const T*>(p[1]);
        for (int64_t i = 0; i < n; ++i) o[i] = wrapping_add(o[i], x[i]);
      } else {
        for (int64_t i = 0; i < n; ++i) {
          T* o = reinterpret_cast<T*>(p[0] + i * s[0]);
          *o = wrapping_add(*o, *reinterpret_cast<const T*>(p[1] + i * s[1]));
        }
      }
    });
  });
  return keepdim ? out : ops::view.redispatch(detail::kCpuOnly, out, out_sizes);
}

Tensor sum_kernel(DispatchKeySet, const Tensor& self) { return sum_all(self, "sum"); }

Tensor sum_dim_kernel(DispatchKeySet, const Tensor& self, IntArrayRef dims, bool keepdim) {
  int64_t count;
  return sum_dims(self, dims, keepdim, "sum", &count);
}

void check_mean_dtype(const Tensor& self) {
  EMBER_CHECK(self.is_floating_point(), "mean(): could not infer output dtype. Input dtype must be either a floating ",
              "point or complex dtype. Got: ", self.dtype(), ". Convert with .to(ember::kFloat) first.");
}

Tensor mean_kernel(DispatchKeySet, const Tensor& self) {
  check_mean_dtype(self);
  Tensor out = sum_all(self, "mean");
  // 0/0 is NaN, as in LibTorch.
  return ops::div__Scalar.redispatch(detail::kCpuOnly, out, static_cast<double>(self.numel()), 1);
}

Tensor mean_dim_kernel(DispatchKeySet, const Tensor& self, IntArrayRef dims, bool keepdim) {
  check_mean_dtype(self);
  int64_t count;
  Tensor out = sum_dims(self, dims, keepdim, "mean", &count);
  return ops::div__Scalar.redispatch(detail::kCpuOnly, out, static_cast<double>(count), 1);
}

const bool registered = [] {
  ops::sum.register_kernel(DispatchKey::CPU, &sum_kernel);
  ops::sum_dim.register_kernel(DispatchKey::CPU, &sum_dim_kernel);
  ops::mean.register_kernel(DispatchKey::CPU, &mean_kernel);
  ops::mean_dim.register_kernel(DispatchKey::CPU, &mean_dim_kernel);
  return true;
}();

}  // namespace
}  // namespace cpu
}  // namespace ember
