// operator<<(std::ostream&, const Tensor&): LibTorch 1.13's printed form,
// character for character (checked against LibTorch in tests/), so that
// output diffs between the two libraries show only differing values.
//
// The format is chosen once per matrix from the range of its values: integers
// print as integers; small ranges in fixed point with 4 decimals (with a
// common "0.001 *" scale factor when all are tiny or huge); wide ranges in
// scientific notation. Matrices wider than 80 characters print in column
// blocks; tensors of 3+ dims print as a sequence of matrices "(i,j,.,.) =".
#include <cmath>
#include <iomanip>
#include <ostream>

#include "tensor/tensor.h"

namespace ember {
namespace {

constexpr int64_t kLineSize = 80;

struct Format {
  double scale = 1;
  int64_t width = 0;
};

// Restores the stream's flags and precision on exit.
class StreamStateGuard {
 public:
  explicit StreamStateGuard(std::ostream& out) : out_(out), flags_(out.flags()), precision_(out.precision()) {}
  ~StreamStateGuard() {
    out_.flags(flags_);
    out_.precision(precision_);
  }

 private:
  std::ostream& out_;
  std::ios_base::fmtflags flags_;
  std::streamsize precision_;
};

Format choose_format(std::ostream& out, const double* p, int64_t n) {
  Format f;
  if (n == 0) return f;
  bool int_mode = true;
  for (int64_t i = 0; i < n; ++i) {
    if (std::isfinite(p[i]) && p[i] != std::ceil(p[i])) {
      int_mode = false;
      break;
    }
  }
  int64_t first_finite = 0;
  while (first_finite < n && !std::isfinite(p[first_finite])) ++first_finite;
  double exp_min = 1, exp_max = 1;
  if (first_finite < n) {
    exp_min = exp_max = std::fabs(p[first_finite]);
    for (int64_t i = first_finite; i < n; ++i) {
      double z = std::fabs(p[i]);
      if (!std::isfinite(z)) continue;
      if (z < exp_min) exp_min = z;
      // LibTorch compares the signed value here; kept so output matches.
      if (p[i] > exp_max) exp_max = z;
    }
    exp_min = exp_min != 0 ? std::floor(std::log10(exp_min)) + 1 : 1;
    exp_max = exp_max != 0 ? std::floor(std::log10(exp_max)) + 1 : 1;
  }
  if (int_mode) {
    if (exp_max > 9) {
      f.width = 11;
      out << std::scientific << std::setprecision(4);
    } else {
      f.width = static_cast<int64_t>(exp_max) + 1;
      out.unsetf(std::ios_base::floatfield);
    }
  } else if (exp_max - exp_min > 4) {
    f.width = 11;
    if (std::fabs(exp_max) > 99 || std::fabs(exp_min) > 99) f.width += 1;
    out << std::scientific << std::setprecision(4);
  } else {
    if (exp_max > 5 || exp_max < 0) {
      f.width = 7;
      f.scale = std::pow(10, exp_max - 1);
    } else {
      f.width = exp_max == 0 ? 7 : static_cast<int64_t>(exp_max) + 6;
    }
    out << std::fixed << std::setprecision(4);
  }
  return f;
}

void print_scale(std::ostream& out, double scale) {
  StreamStateGuard guard(out);
  out.unsetf(std::ios_base::floatfield);
  out << scale << " *\n";
}

void indent(std::ostream& out, int64_t n) {
  for (int64_t i = 0; i < n; ++i) out << ' ';
}

// `m` is a contiguous double matrix of rows x cols.
void print_matrix(std::ostream& out, const double* m, int64_t rows, int64_t cols, int64_t ind) {
  Format f = choose_format(out, m, rows * cols);
  indent(out, ind);
  int64_t per_line = (kLineSize - ind) / (f.width + 1);
  for (int64_t first = 0; first < cols;) {
    int64_t last = first + per_line <= cols ? first + per_line - 1 : cols - 1;
    if (per_line < cols) {
      if (first != 0) out << '\n';
      out << "Columns " << first + 1 << " to " << last + 1;
      indent(out, ind);
    }
    if (f.scale != 1) {
      print_scale(out, f.scale);
      indent(out, ind);
    }
    for (int64_t r = 0; r < rows; ++r) {
      for (int64_t c = first; c <= last; ++c) {
        out << std::setw(static_cast<int>(f.width)) << m[r * cols + c] / f.scale;
        if (c != last) {
          out << ' ';
          continue;
        }
        out << '\n';
        if (r != rows - 1) {
          indent(out, ind);
          if (f.scale != 1) out << ' ';
        }
      }
    }
    first = last + 1;
  }
}

}  // namespace

std::ostream& operator<<(std::ostream& out, const Tensor& t) {
  StreamStateGuard guard(out);
  if (!t.defined()) return out << "[ Tensor (undefined) ]";
  Tensor d = t.to(kDouble).contiguous();
  const double* p = static_cast<const double*>(d.data_ptr());
  int64_t nd = d.dim();
  if (nd == 0) {
    out.unsetf(std::ios_base::floatfield);
    out << p[0] << '\n';
  } else if (nd == 1) {
    if (d.numel() > 0) {
      Format f = choose_format(out, p, d.numel());
      if (f.scale != 1) print_scale(out, f.scale);
      for (int64_t i = 0; i < d.numel(); ++i) out << std::setw(static_cast<int>(f.width)) << p[i] / f.scale << '\n';
    }
  } else if (nd == 2) {
    if (d.numel() > 0) print_matrix(out, p, d.size(0), d.size(1), 0);
  } else if (d.numel() > 0) {
    int64_t rows = d.size(-2), cols = d.size(-1), mat = rows * cols;
    int64_t nmat = d.numel() / mat;
    DimVector counter(static_cast<size_t>(nd - 2), 0);
    for (int64_t k = 0; k < nmat; ++k) {
      if (k > 0) out << '\n';
      out << '(';
      int64_t offset = 0;
      for (int64_t i = 0; i < nd - 2; ++i) {
        out << counter[i] + 1 << ',';
        offset += counter[i] * d.stride(i);
      }
      out << ".,.) = \n";
      print_matrix(out, p + offset, rows, cols, 1);
      // LibTorch's order: the *first* index varies fastest.
      for (int64_t i = 0; i < nd - 2; ++i) {
        if (++counter[i] < d.size(i)) break;
        counter[i] = 0;
      }
    }
  }
  out << "[ " << t.toString() << '{';
  for (int64_t i = 0; i < nd; ++i) out << (i ? "," : "") << t.size(i);
  return out << "} ]";
}

}  // namespace ember
