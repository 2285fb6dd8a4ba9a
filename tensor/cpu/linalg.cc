// CPU kernels of mm, bmm, dot and mv: OpenBLAS sgemm/dgemm for float types (measured
// against Eigen and LibTorch in bench/; see tensor/README.md), a blocked
// i-k-j loop for int64. Operands with a unit stride in either dim go to BLAS
// as they are (transposed if need be); others are made contiguous first.
#include <cblas.h>

#include <algorithm>
#include <cstring>

#include "tensor/check.h"
#include "tensor/ops.h"
#include "tensor/tensor.h"
#include "tensor/tensor_util.h"

namespace ember {
namespace cpu {
namespace {

// How BLAS should read a 2-D operand: row-major with leading dim `ld`, transposed or not.
struct BlasView {
  Tensor t;
  CBLAS_TRANSPOSE trans;
  int ld;
};

BlasView blas_view(const Tensor& m) {
  int64_t rows = m.size(0), cols = m.size(1);
  int64_t s0 = m.stride(0), s1 = m.stride(1);
  if ((s1 == 1 || cols == 1) && s0 >= (cols > 1 ? cols : 1)) return {m, CblasNoTrans, static_cast<int>(s0)};
  if ((s0 == 1 || rows == 1) && s1 >= (rows > 1 ? rows : 1)) return {m, CblasTrans, static_cast<int>(s1)};
  Tensor c = m.contiguous();
  return {c, CblasNoTrans, static_cast<int>(cols > 1 ? cols : 1)};
}

template <class T>
void gemm_blas(const Tensor& a, const Tensor& b, const Tensor& out) {
  int m = static_cast<int>(a.size(0)), k = static_cast<int>(a.size(1)), n = static_cast<int>(b.size(1));
  if (m == 0 || n == 0) return;
  if (k == 0) {
    ops::zero_.redispatch(detail::kCpuOnly, out);
    return;
  }
  BlasView va = blas_view(a), vb = blas_view(b);
  T* c = static_cast<T*>(out.data_ptr());
  int ldc = n;
  if constexpr (std::is_same<T, float>::value) {
    cblas_sgemm(CblasRowMajor, va.trans, vb.trans, m, n, k, 1.0f, static_cast<const float*>(va.t.data_ptr()), va.ld,
                static_cast<const float*>(vb.t.data_ptr()), vb.ld, 0.0f, c, ldc);
  } else {
    cblas_dgemm(CblasRowMajor, va.trans, vb.trans, m, n, k, 1.0, static_cast<const double*>(va.t.data_ptr()), va.ld,
                static_cast<const double*>(vb.t.data_ptr()), vb.ld, 0.0, c, ldc);
  }
}

void gemm_long(const Tensor& a_in, const Tensor& b_in, const Tensor& out) {
  Tensor a = a_in.contiguous(), b = b_in.contiguous();
  int64_t m = a.size(0), k = a.size(1), n = b.size(1);
  const int64_t* pa = a.data_ptr<int64_t>();
  const int64_t* pb = b.data_ptr<int64_t>();
  int64_t* pc = out.data_ptr<int64_t>();
  for (int64_t i = 0; i < m * n; ++i) pc[i] = 0;
  for (int64_t i = 0; i < m; ++i)
    for (int64_t p = 0; p < k; ++p) {
      const int64_t av = pa[i * k + p];
      for (int64_t j = 0; j < n; ++j) pc[i * n + j] = wrapping_add(pc[i * n + j], wrapping_mul(av, pb[p * n + j]));
    }
}

// Its callers have refused Bool (check_not_bool) and mixed dtypes.
void gemm(const Tensor& a, const Tensor& b, const Tensor& out) {
  if (a.dtype() == kFloat) return gemm_blas<float>(a, b, out);
  if (a.dtype() == kDouble) return gemm_blas<double>(a, b, out);
  gemm_long(a, b, out);
}

// LibTorch dispatches on the first operand's dtype before it compares the
// second's: a Bool first operand is "not implemented" whatever the second is.
void check_not_bool(const Tensor& a, const char* kernel, const char* op) {
  EMBER_CHECK(a.dtype() != kBool, "\"", kernel, "\" not implemented for 'Bool' (Ember: ", op,
              " of a Bool tensor; convert the operands with .to(ember::kFloat) or .to(ember::kLong) first.)");
}

// LibTorch's mm and bmm return before they look at dtypes when there is
// nothing to compute: an empty result, or zeros when the inner size is 0.
bool empty_product(const Tensor& out, int64_t inner) {
  if (out.numel() == 0) return true;
  if (inner != 0) return false;
  std::memset(out.data_ptr(), 0, out.nbytes());
  return true;
}

void check_same_dtype(const Tensor& a, const Tensor& b, const char* op) {
  EMBER_CHECK(a.dtype() == b.dtype(), "expected scalar type ", a.dtype(), " but found ", b.dtype(), " (Ember: ", op,
              " of a ", a.dtype(), " ", a.sizes(), " and a ", b.dtype(), " ", b.sizes(),
              "; convert one with .to(dtype).)");
}

Tensor mm_kernel(DispatchKeySet, const Tensor& a, const Tensor& b) {
  EMBER_CHECK(a.dim() == 2, "self must be a matrix (mm of sizes ", a.sizes(), " and ", b.sizes(),
              "). Use matmul() for vectors and batches.");
  EMBER_CHECK(b.dim() == 2, "mat2 must be a matrix (mm of sizes ", a.sizes(), " and ", b.sizes(),
              "). Use matmul() for vectors and batches.");
  EMBER_CHECK(a.size(1) == b.size(0), "mat1 and mat2 shapes cannot be multiplied (", a.size(0), "x", a.size(1),
              " and ", b.size(0), "x", b.size(1), ") in mm. The columns of the first must equal the rows of the ",
              "second; transpose one with .t() if that is what you meant.");
  Tensor out = detail::make_tensor({a.size(0), b.size(1)}, a.dtype(), "mm");
  if (empty_product(out, a.size(1))) return out;
  check_not_bool(a, "addmm_impl_cpu_", "mm");
  check_same_dtype(a, b, "mm");
  gemm(a, b, out);
  return out;
}

Tensor bmm_kernel(DispatchKeySet, const Tensor& a, const Tensor& b) {
  EMBER_CHECK(a.dim() == 3, "batch1 must be a 3D tensor (bmm of sizes ", a.sizes(), " and ", b.sizes(),
              "). Use matmul() for other ranks.");
  EMBER_CHECK(b.dim() == 3, "batch2 must be a 3D tensor (bmm of sizes ", a.sizes(), " and ", b.sizes(),
              "). Use matmul() for other ranks.");
  // One check for the batch count and the inner size, as LibTorch's.
  EMBER_CHECK(a.size(0) == b.size(0) && a.size(2) == b.size(1),
              "Expected size for first two dimensions of batch2 tensor to be: [", a.size(0), ", ", a.size(2),
              "] but got: [", b.size(0), ", ", b.size(1), "]. (Ember: bmm of sizes ", a.sizes(), " and ", b.sizes(),
              ".)");
  // Of batch2's dtype, as LibTorch's (it only shows when the product is empty).
  Tensor out = detail::make_tensor({a.size(0), a.size(1), b.size(2)}, b.dtype(), "bmm");
  if (empty_product(out, a.size(2))) return out;
  check_not_bool(a, "bmm", "bmm");
  check_same_dtype(a, b, "bmm");
  for (int64_t i = 0; i < a.size(0); ++i) {
    gemm(ops::select.redispatch(detail::kCpuOnly, a, 0, i), ops::select.redispatch(detail::kCpuOnly, b, 0, i),
         ops::select.redispatch(detail::kCpuOnly, out, 0, i));
  }
  return out;
}

// LibTorch's dot: BLAS sdot/ddot for floating types, with the same
// arguments, so the sum is added up in the same order.
Tensor dot_kernel(DispatchKeySet, const Tensor& a, const Tensor& b) {
  EMBER_CHECK(a.dim() == 1 && b.dim() == 1, "1D tensors expected, but got ", a.dim(), "D and ", b.dim(),
              "D tensors (Ember: dot of sizes ", a.sizes(), " and ", b.sizes(), "; use matmul() or mm() otherwise.)");
  EMBER_CHECK(a.dtype() == b.dtype(), "dot : expected both vectors to have same dtype, but found ", a.dtype(), " and ",
              b.dtype(), " (Ember: convert one with .to(dtype).)");
  EMBER_CHECK(a.numel() == b.numel(), "inconsistent tensor size, expected tensor [", a.numel(), "] and src [",
              b.numel(), "] to have the same number of elements, but got ", a.numel(), " and ", b.numel(),
              " elements respectively (Ember: dot of two vectors needs equal lengths.)");
  check_not_bool(a, "dot", "dot");
  Tensor out = detail::make_tensor({}, a.dtype(), "dot");
  const int n = static_cast<int>(a.numel());
  // LibTorch passes unit strides for one element (a stride may be anything then).
  const int inc_a = n == 1 ? 1 : static_cast<int>(a.stride(0)), inc_b = n == 1 ? 1 : static_cast<int>(b.stride(0));
  switch (a.dtype()) {
    case kFloat:
      *out.data_ptr<float>() = n == 0 ? 0.0f : cblas_sdot(n, a.data_ptr<float>(), inc_a, b.data_ptr<float>(), inc_b);
      break;
    case kDouble:
      *out.data_ptr<double>() = n == 0 ? 0.0 : cblas_ddot(n, a.data_ptr<double>(), inc_a, b.data_ptr<double>(), inc_b);
      break;
    default: {
      const int64_t* pa = a.data_ptr<int64_t>();
      const int64_t* pb = b.data_ptr<int64_t>();
      int64_t sum = 0;
      for (int64_t i = 0; i < n; ++i) sum = wrapping_add(sum, wrapping_mul(pa[i * inc_a], pb[i * inc_b]));
      *out.data_ptr<int64_t>() = sum;
    }
  }
  return out;
}

// y = A x, as LibTorch's addmv: BLAS gemv on A as it lies in memory
// (column-major if its rows have unit stride, else transposed row-major, else
// a contiguous copy), and its own loops where BLAS does not take the strides.
template <class T>
void gemv(char trans, int64_t m, int64_t n, const T* a, int64_t lda, const T* x, int64_t incx, T* y) {
  // Column-major, as BLAS: A is m x n; 'n' computes A x (length m), 't' A^T x (length n).
  // One column's leading dimension is never read, but BLAS refuses one
  // below m (and computes nothing): LibTorch sets it to m.
  if (n == 1) lda = m;
  if (incx > 0 && m > 0 && n > 0) {
    const CBLAS_TRANSPOSE t = trans == 'n' ? CblasNoTrans : CblasTrans;
    if constexpr (std::is_same<T, float>::value) {
      cblas_sgemv(CblasColMajor, t, static_cast<int>(m), static_cast<int>(n), 1.0f, a, static_cast<int>(lda), x,
                  static_cast<int>(incx), 0.0f, y, 1);
    } else {
      cblas_dgemv(CblasColMajor, t, static_cast<int>(m), static_cast<int>(n), 1.0, a, static_cast<int>(lda), x,
                  static_cast<int>(incx), 0.0, y, 1);
    }
    return;
  }
  if (trans == 'n') {
    for (int64_t i = 0; i < m; ++i) y[i] = T(0);
    for (int64_t j = 0; j < n; ++j) {
      const T z = x[j * incx];
      for (int64_t i = 0; i < m; ++i) y[i] += z * a[j * lda + i];
    }
  } else {
    for (int64_t i = 0; i < n; ++i) {
      T sum = 0;
      for (int64_t j = 0; j < m; ++j) sum += a[i * lda + j] * x[j * incx];
      y[i] = sum;
    }
  }
}

Tensor mv_kernel(DispatchKeySet, const Tensor& mat, const Tensor& vec) {
  EMBER_CHECK(mat.dim() == 2 && vec.dim() == 1, "vector + matrix @ vector expected, got 1, ", mat.dim(), ", ",
              vec.dim(), " (Ember: mv of sizes ", mat.sizes(), " and ", vec.sizes(), "; use matmul() otherwise.)");
  EMBER_CHECK(mat.size(1) == vec.size(0), "size mismatch, got ", mat.size(0), ", ", mat.size(0), "x", mat.size(1),
              ",", vec.size(0), " (Ember: mv of a ", mat.sizes(), " matrix needs a vector of ", mat.size(1),
              " elements.)");
  const int64_t rows = mat.size(0), cols = mat.size(1);
  // Of vec's dtype, as LibTorch's; with an empty matrix, zeros before any
  // dtype is looked at.
  Tensor out = detail::make_tensor({rows}, vec.dtype(), "mv");
  if (mat.numel() == 0) {
    if (rows > 0) std::memset(out.data_ptr(), 0, out.nbytes());
    return out;
  }
  check_not_bool(mat, "addmv_impl_cpu", "mv");
  check_same_dtype(mat, vec, "mv");
  if (mat.dtype() == kLong) {
    // Integer sums are exact in any order.
    const Tensor v = vec.contiguous(), m = mat.contiguous();
    const int64_t* pm = m.data_ptr<int64_t>();
    const int64_t* pv = v.data_ptr<int64_t>();
    int64_t* po = out.data_ptr<int64_t>();
    for (int64_t i = 0; i < rows; ++i) {
      int64_t sum = 0;
      for (int64_t j = 0; j < cols; ++j) sum = wrapping_add(sum, wrapping_mul(pm[i * cols + j], pv[j]));
      po[i] = sum;
    }
    return out;
  }
  auto lda_ok = [](int64_t m, int64_t n, int64_t lda) { return n == 1 || lda >= std::max<int64_t>(1, m); };
  auto run = [&](auto tag) {
    using T = decltype(tag);
    T* y = out.data_ptr<T>();
    // BLAS may scale what y holds by beta = 0, and 0 * NaN is NaN.
    std::memset(y, 0, out.nbytes());
    const T* x = vec.data_ptr<T>();
    if (mat.stride(0) == 1 && lda_ok(rows, cols, mat.stride(1))) {
      gemv<T>('n', rows, cols, mat.data_ptr<T>(), mat.stride(1), x, vec.stride(0), y);
    } else if (mat.stride(1) == 1 && lda_ok(cols, rows, mat.stride(0))) {
      gemv<T>('t', cols, rows, mat.data_ptr<T>(), mat.stride(0), x, vec.stride(0), y);
    } else {
      const Tensor c = mat.contiguous();
      gemv<T>('t', cols, rows, c.data_ptr<T>(), c.stride(0), x, vec.stride(0), y);
    }
  };
  if (mat.dtype() == kFloat) {
    run(float{});
  } else {
    run(double{});
  }
  return out;
}

const bool registered = [] {
  ops::mm.register_kernel(DispatchKey::CPU, &mm_kernel);
  ops::bmm.register_kernel(DispatchKey::CPU, &bmm_kernel);
  ops::dot.register_kernel(DispatchKey::CPU, &dot_kernel);
  ops::mv.register_kernel(DispatchKey::CPU, &mv_kernel);
  return true;
}();

}  // namespace
}  // namespace cpu
}  // namespace ember
