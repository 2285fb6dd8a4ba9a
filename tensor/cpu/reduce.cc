// CPU kernels of sum and mean, over all elements or over dims.
//
// A floating sum over all elements adds in LibTorch 1.13's order (its
// cascade_sum), so that it agrees with LibTorch's to the bit; reductions
// over dims accumulate in the output dtype, walking the input once with the
// output broadcast along the reduced dims.
#include <algorithm>
#include <type_traits>

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

// ---- LibTorch 1.13's cascade_sum (aten/src/ATen/native/cpu/SumKernel.cpp) ----
//
// Each run of elements the iteration visits (in memory order, dims merged
// where they are contiguous) is summed on its own and added to the result,
// in the run's order. A run is summed in four interleaved partial sums of
// "packs" (4 * k + j goes to partial j), each partial kept in up to four
// levels of a cascade that carries into the next level every 2^p packs.
// A contiguous run of at least kLanes elements is summed in packs of
// kLanes elements added lane by lane (LibTorch's Vectorized<T>, 32 bytes
// on its DEFAULT and AVX2 builds), its leftover elements first, then the
// lanes in order; any other run in packs of one element. The partials and
// the result are of the element type (LibTorch's acc_type<T, true>).
// Matches LibTorch's sums bit for bit when LibTorch runs them on one
// thread (probed for 1 to 10^6 elements; with more threads it splits sums
// of 32768 elements or more).

int64_t ceil_log2(int64_t x) { return x <= 2 ? 1 : 64 - __builtin_clzll(static_cast<uint64_t>(x - 1)); }

// `Lanes` elements per pack, `lane_bytes` apart; packs `pack_bytes` apart.
template <class T, int Lanes>
struct PackLoad {
  const char* base;
  int64_t pack_bytes, lane_bytes;
  void add_to(T (&acc)[Lanes], int64_t pack) const {
    const char* p = base + pack * pack_bytes;
    for (int l = 0; l < Lanes; ++l) acc[l] += *reinterpret_cast<const T*>(p + l * lane_bytes);
  }
};

// LibTorch's row_sum over `packs` packs (with its multi_row_sum of four
// interleaved rows): `out` gets one sum per lane.
template <class T, int Lanes>
void cascade_row_sum(const PackLoad<T, Lanes>& in, int64_t packs, T (&out)[Lanes]) {
  constexpr int kRows = 4, kLevels = 4;
  const int64_t groups = packs / kRows;
  const int64_t level_power = std::max<int64_t>(4, ceil_log2(groups) / kLevels);
  const int64_t level_step = int64_t{1} << level_power, level_mask = level_step - 1;
  T acc[kLevels][kRows][Lanes] = {};
  int64_t i = 0;
  while (i + level_step <= groups) {
    for (int64_t j = 0; j < level_step; ++j, ++i) {
      for (int k = 0; k < kRows; ++k) in.add_to(acc[0][k], i * kRows + k);
    }
    for (int j = 1; j < kLevels; ++j) {
      for (int k = 0; k < kRows; ++k) {
        for (int l = 0; l < Lanes; ++l) {
          acc[j][k][l] += acc[j - 1][k][l];
          acc[j - 1][k][l] = T(0);
        }
      }
      if ((i & (level_mask << (j * level_power))) != 0) break;
    }
  }
  for (; i < groups; ++i) {
    for (int k = 0; k < kRows; ++k) in.add_to(acc[0][k], i * kRows + k);
  }
  for (int j = 1; j < kLevels; ++j) {
    for (int k = 0; k < kRows; ++k) {
      for (int l = 0; l < Lanes; ++l) acc[0][k][l] += acc[j][k][l];
    }
  }
  for (int64_t pack = groups * kRows; pack < packs; ++pack) in.add_to(acc[0][0], pack);
  for (int k = 1; k < kRows; ++k) {
    for (int l = 0; l < Lanes; ++l) acc[0][0][l] += acc[0][k][l];
  }
  for (int l = 0; l < Lanes; ++l) out[l] = acc[0][0][l];
}

// The sum of one run of `n` elements `stride` bytes apart.
template <class T>
T cascade_run_sum(const char* data, int64_t stride, int64_t n) {
  constexpr int kLanes = 32 / sizeof(T);
  if (stride == static_cast<int64_t>(sizeof(T)) && n >= kLanes) {
    T lanes[kLanes];
    cascade_row_sum<T, kLanes>({data, kLanes * stride, stride}, n / kLanes, lanes);
    T sum = 0;
    for (int64_t k = n / kLanes * kLanes; k < n; ++k) sum += reinterpret_cast<const T*>(data)[k];
    for (int l = 0; l < kLanes; ++l) sum += lanes[l];
    return sum;
  }
  T one[1];
  cascade_row_sum<T, 1>({data, stride, 0}, n, one);
  return one[0];
}

Tensor sum_all(const Tensor& self, const char* op) {
  ScalarType out_type = sum_type(self.dtype());
  Tensor in = self.to(out_type);
  Tensor out = detail::make_tensor({}, out_type, op);
  dispatch_dtype(out_type, [&](auto tag) {
    using T = decltype(tag);
    if constexpr (std::is_floating_point<T>::value) {
      T sum = 0;
      StridedLoop loop(in.sizes(), {operand(in)});
      loop.run([&sum](char** p, const int64_t* s, int64_t n) { sum += cascade_run_sum<T>(p[0], s[0], n); });
      *static_cast<T*>(out.data_ptr()) = sum;
    } else {
      // Integers wrap around, in any order alike.
      T sum = 0;
      StridedLoop loop(in.sizes(), {operand(in)});
      loop.run([&sum](char** p, const int64_t* s, int64_t n) {
        for (int64_t i = 0; i < n; ++i) sum = wrapping_add(sum, *reinterpret_cast<const T*>(p[0] + i * s[0]));
      });
      *static_cast<T*>(out.data_ptr()) = sum;
    }
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
  // Every dim kept has size 1: a sum of all elements, in LibTorch's order.
  bool one_output = true;
  for (int64_t d = 0; d < self.dim(); ++d) one_output &= (mask & (uint64_t{1} << d)) || self.sizes()[d] == 1;
  if (one_output && isFloatingType(sum_type(self.dtype()))) {
    *count = self.numel();
    DimVector out_sizes;
    for (int64_t d = 0; d < self.dim(); ++d) {
      if (!(mask & (uint64_t{1} << d)) || keepdim) out_sizes.push_back(1);
    }
    return ops::view.redispatch(detail::kCpuOnly, sum_all(self, op), out_sizes);
  }
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
