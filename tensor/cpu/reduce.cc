// CPU kernels of sum and mean, over all elements or over dims.
//
// Floating sums add in LibTorch 1.13's order (its cascade_sum, below), so
// that they agree with LibTorch's to the bit; integer sums (which wrap
// around, in any order alike) walk the input once with the output
// broadcast along the reduced dims.
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
// A floating sum visits the input as LibTorch's TensorIterator does for a
// reduction (reduced dims innermost, dims merged where contiguous) and sums
// each two-dimensional block as cascade_sum's loop does: a row is summed in
// four interleaved partial sums of "packs", each partial kept in up to four
// levels of a cascade that carries into the next level every 2^p packs; a
// contiguous row of at least kLanes elements in packs of kLanes elements
// added lane by lane (LibTorch's Vectorized<T>: 32 bytes on its DEFAULT and
// AVX2 builds), its leftover elements first, then the lanes in order; a
// reduction over an outer dim with contiguous outputs sums kLanes or
// 4 * kLanes columns at once. The partials are of the element type
// (LibTorch's acc_type<T, true>), and each block's sums are added to the
// result. This matches LibTorch's sums bit for bit when LibTorch runs them
// on one thread (with more, it splits inputs of 32768 elements or more).

int64_t ceil_log2(int64_t x) { return x <= 2 ? 1 : 64 - __builtin_clzll(static_cast<uint64_t>(x - 1)); }

// LibTorch's multi_row_sum: `Rows` sums of `Lanes` lanes at once over
// `size` steps; step i of row k, lane l reads in[i * row_stride +
// k * col_stride + l] (strides in elements; a row's lanes are adjacent, as
// in a Vectorized<T> load).
template <class T, int Rows, int Lanes>
void multi_row_sum(const T* in, int64_t row_stride, int64_t col_stride, int64_t size, T (&out)[Rows][Lanes]) {
  constexpr int kLevels = 4, kWidth = Rows * Lanes;
  const int64_t level_power = std::max<int64_t>(4, ceil_log2(size) / kLevels);
  const int64_t level_step = int64_t{1} << level_power, level_mask = level_step - 1;
  // acc[level][k * Lanes + l]. When the rows are adjacent (col_stride ==
  // Lanes) a step is kWidth adjacent elements, one loop the compiler
  // vectorises.
  T acc[kLevels][kWidth] = {};
  const bool adjacent = col_stride == Lanes;
  int64_t i = 0;
  // Level 0 is zero whenever steps are added (it was just carried, or never
  // used), so the steps are summed in registers from zero and stored.
  auto add_steps = [&](int64_t end) {
    if (adjacent) {
      T sum[kWidth] = {};
      for (; i < end; ++i) {
        const T* step = in + i * row_stride;
        for (int e = 0; e < kWidth; ++e) sum[e] += step[e];
      }
      for (int e = 0; e < kWidth; ++e) acc[0][e] = sum[e];
      return;
    }
    for (; i < end; ++i) {
      const T* step = in + i * row_stride;
      for (int k = 0; k < Rows; ++k) {
        for (int l = 0; l < Lanes; ++l) acc[0][k * Lanes + l] += step[k * col_stride + l];
      }
    }
  };
  while (i + level_step <= size) {
    add_steps(i + level_step);
    for (int j = 1; j < kLevels; ++j) {
      for (int e = 0; e < kWidth; ++e) {
        acc[j][e] += acc[j - 1][e];
        acc[j - 1][e] = T(0);
      }
      if ((i & (level_mask << (j * level_power))) != 0) break;
    }
  }
  add_steps(size);
  for (int j = 1; j < kLevels; ++j) {
    for (int e = 0; e < kWidth; ++e) acc[0][e] += acc[j][e];
  }
  for (int k = 0; k < Rows; ++k) {
    for (int l = 0; l < Lanes; ++l) out[k][l] = acc[0][k * Lanes + l];
  }
}

// LibTorch's row_sum: `size` steps `stride` elements apart, in four
// interleaved partial sums (step 4 * g + k goes to partial k).
template <class T, int Lanes>
void row_sum(const T* in, int64_t stride, int64_t size, T (&out)[Lanes]) {
  constexpr int kIlp = 4;
  const int64_t groups = size / kIlp;
  T partial[kIlp][Lanes];
  multi_row_sum<T, kIlp, Lanes>(in, stride * kIlp, stride, groups, partial);
  for (int64_t i = groups * kIlp; i < size; ++i) {
    for (int l = 0; l < Lanes; ++l) partial[0][l] += in[i * stride + l];
  }
  for (int k = 1; k < kIlp; ++k) {
    for (int l = 0; l < Lanes; ++l) partial[0][l] += partial[k][l];
  }
  for (int l = 0; l < Lanes; ++l) out[l] = partial[0][l];
}

template <class T>
constexpr int kLanes = 32 / sizeof(T);

// LibTorch's vectorized_inner_sum for one contiguous row of n >= kLanes
// elements: packs of kLanes, then the leftover elements, then the lanes.
template <class T>
T inner_row_sum(const T* row, int64_t n) {
  T lanes[kLanes<T>];
  row_sum<T, kLanes<T>>(row, kLanes<T>, n / kLanes<T>, lanes);
  T sum = 0;
  for (int64_t k = n / kLanes<T> * kLanes<T>; k < n; ++k) sum += row[k];
  for (int l = 0; l < kLanes<T>; ++l) sum += lanes[l];
  return sum;
}

template <class T>
T scalar_row_sum(const T* row, int64_t stride, int64_t n) {
  T one[1];
  row_sum<T, 1>(row, stride, n, one);
  return one[0];
}

// LibTorch's cascade_sum loop over a 2-D block: size0 x size1 elements of
// `in`, added into `out` (strides in elements; out's are 0 along reduced
// dims, and at most one of the two is reduced after the swap below).
template <class T>
void cascade_block(T* out, const T* in, int64_t out_s0, int64_t out_s1, int64_t in_s0, int64_t in_s1, int64_t size0,
                   int64_t size1) {
  constexpr int64_t lanes = kLanes<T>;
  if (out_s0 != 0 && out_s1 == 0) {  // The reduced dim goes first.
    std::swap(out_s0, out_s1);
    std::swap(in_s0, in_s1);
    std::swap(size0, size1);
  }
  if (out_s0 != 0 && out_s1 != 0) {  // Nothing reduced in this block: out += in.
    for (int64_t j = 0; j < size1; ++j) {
      for (int64_t i = 0; i < size0; ++i) out[j * out_s1 + i * out_s0] += in[j * in_s1 + i * in_s0];
    }
    return;
  }
  if (in_s0 == 1 && size0 >= lanes) {  // vectorized_inner_sum
    for (int64_t j = 0; j < size1; ++j) out[j * out_s1] += inner_row_sum<T>(in + j * in_s1, size0);
  } else if (in_s1 == 1 && size1 >= lanes) {  // vectorized_outer_sum
    int64_t j = 0;
    for (; j + 4 * lanes <= size1; j += 4 * lanes) {
      T sums[4][lanes];
      multi_row_sum<T, 4, lanes>(in + j, in_s0, lanes, size0, sums);
      for (int k = 0; k < 4; ++k) {
        for (int l = 0; l < lanes; ++l) out[(j + k * lanes + l) * out_s1] += sums[k][l];
      }
    }
    for (; j + lanes <= size1; j += lanes) {
      T sums[lanes];
      row_sum<T, lanes>(in + j, in_s0, size0, sums);
      for (int l = 0; l < lanes; ++l) out[(j + l) * out_s1] += sums[l];
    }
    for (; j < size1; ++j) out[j * out_s1] += scalar_row_sum<T>(in + j, in_s0, size0);
  } else if (in_s0 < in_s1) {  // scalar_inner_sum
    for (int64_t j = 0; j < size1; ++j) out[j * out_s1] += scalar_row_sum<T>(in + j * in_s1, in_s0, size0);
  } else {  // scalar_outer_sum
    int64_t j = 0;
    for (; j + 3 < size1; j += 4) {
      T sums[4][1];
      multi_row_sum<T, 4, 1>(in + j * in_s1, in_s0, in_s1, size0, sums);
      for (int k = 0; k < 4; ++k) out[(j + k) * out_s1] += sums[k][0];
    }
    for (; j < size1; ++j) out[j * out_s1] += scalar_row_sum<T>(in + j * in_s1, in_s0, size0);
  }
}

// A floating sum over dims, added into `out` (zeros with `out_strides`, of
// `in`'s sizes with the reduced dims as 1, `reduced`) in LibTorch's order:
// TensorIterator's dim order for a reduction (reduced dims innermost, then
// by the output's strides, then the input's), its merging of dims, then
// cascade_block over the two innermost dims for each index of the others.
template <class T>
void cascade_sum_into(T* out, IntArrayRef out_strides, uint64_t reduced, const Tensor& in) {
  const int64_t nd = in.dim();
  if (in.numel() == 0) return;
  DimVector out_st(nd), in_st(nd);
  for (int64_t d = 0; d < nd; ++d) {
    out_st[d] = (reduced & (uint64_t{1} << d)) && in.sizes()[d] != 1 ? 0 : out_strides[d];
    in_st[d] = in.strides()[d];
  }
  IntArrayRef sizes = in.sizes();
  const DimVector perm = detail::sort_dims_innermost_first(nd, [&](int64_t d0, int64_t d1) {
    if ((out_st[d0] == 0) != (out_st[d1] == 0)) return out_st[d1] == 0 ? 1 : -1;
    if (out_st[d0] != 0) {
      if (out_st[d0] != out_st[d1]) return out_st[d0] < out_st[d1] ? -1 : 1;
      if (sizes[d0] > sizes[d1]) return 1;
    }
    if (in_st[d0] == 0 || in_st[d1] == 0) return 0;
    if (in_st[d0] != in_st[d1]) return in_st[d0] < in_st[d1] ? -1 : 1;
    return sizes[d0] > sizes[d1] ? 1 : 0;
  });
  DimVector shape, os, is;
  for (int64_t d : perm) {
    shape.push_back(sizes[d]);
    os.push_back(out_st[d]);
    is.push_back(in_st[d]);
  }
  // TensorIterator's coalesce_dimensions.
  int64_t prev = 0;
  for (int64_t d = 1; d < nd; ++d) {
    const bool merge = shape[prev] == 1 || shape[d] == 1 ||
                       (shape[prev] * os[prev] == os[d] && shape[prev] * is[prev] == is[d]);
    if (merge) {
      if (shape[prev] == 1) {
        os[prev] = os[d];
        is[prev] = is[d];
      }
      shape[prev] *= shape[d];
    } else {
      ++prev;
      if (prev != d) {
        os[prev] = os[d];
        is[prev] = is[d];
        shape[prev] = shape[d];
      }
    }
  }
  // The merged dims, then size-1 dims up to two.
  const int64_t dims = nd == 0 ? 0 : prev + 1;
  shape.resize(dims);
  os.resize(dims);
  is.resize(dims);
  while (shape.size() < 2) {
    shape.push_back(1);
    os.push_back(0);
    is.push_back(0);
  }
  // The blocks over dims 0 and 1, for each index of the outer dims.
  DimVector counter(shape.size(), 0);
  T* o = out;
  const T* x = static_cast<const T*>(in.data_ptr());
  while (true) {
    cascade_block<T>(o, x, os[0], os[1], is[0], is[1], shape[0], shape[1]);
    size_t d = 2;
    for (; d < shape.size(); ++d) {
      o += os[d];
      x += is[d];
      if (++counter[d] < shape[d]) break;
      o -= os[d] * shape[d];
      x -= is[d] * shape[d];
      counter[d] = 0;
    }
    if (d == shape.size()) return;
  }
}

Tensor sum_all(const Tensor& self, const char* op) {
  ScalarType out_type = sum_type(self.dtype());
  Tensor in = self.to(out_type);
  Tensor out = detail::make_tensor({}, out_type, op);
  dispatch_dtype(out_type, [&](auto tag) {
    using T = decltype(tag);
    if constexpr (std::is_floating_point<T>::value) {
      // LibTorch's output for a full reduction: all dims reduced, of size 1
      // and (row-major) stride 1.
      T* sum = static_cast<T*>(out.data_ptr());
      *sum = T(0);
      cascade_sum_into<T>(sum, DimVector(in.dim(), 1), ~uint64_t{0}, in);
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
    if constexpr (std::is_floating_point<T>::value) {
      cascade_sum_into<T>(static_cast<T*>(out.data_ptr()), out.strides(), mask, in);
      return;
    }
    // Integers wrap around, in any order alike.
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
