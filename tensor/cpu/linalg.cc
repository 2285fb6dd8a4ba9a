// CPU kernels of mm and bmm: OpenBLAS sgemm/dgemm for float types (measured
// against Eigen and LibTorch in bench/; see tensor/README.md), a blocked
// i-k-j loop for int64. Operands with a unit stride in either dim go to BLAS
// as they are (transposed if need be); others are made contiguous first.
#include <cblas.h>

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

void gemm(const Tensor& a, const Tensor& b, const Tensor& out) {
  switch (a.dtype()) {
    case kFloat:
      return gemm_blas<float>(a, b, out);
    case kDouble:
      return gemm_blas<double>(a, b, out);
    case kLong:
      return gemm_long(a, b, out);
    case kBool:
      break;
  }
  detail::fail("\"addmm_impl_cpu_\" not implemented for 'Bool' (mm of two Bool matrices). Convert them with "
               ".to(ember::kFloat) or .to(ember::kLong) first.");
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
  check_same_dtype(a, b, "mm");
  Tensor out = detail::make_tensor({a.size(0), b.size(1)}, a.dtype(), "mm");
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
  check_same_dtype(a, b, "bmm");
  Tensor out = detail::make_tensor({a.size(0), a.size(1), b.size(2)}, a.dtype(), "bmm");
  for (int64_t i = 0; i < a.size(0); ++i) {
    gemm(ops::select.redispatch(detail::kCpuOnly, a, 0, i), ops::select.redispatch(detail::kCpuOnly, b, 0, i),
         ops::select.redispatch(detail::kCpuOnly, out, 0, i));
  }
  return out;
}

const bool registered = [] {
  ops::mm.register_kernel(DispatchKey::CPU, &mm_kernel);
  ops::bmm.register_kernel(DispatchKey::CPU, &bmm_kernel);
  return true;
}();

}  // namespace
}  // namespace cpu
}  // namespace ember
