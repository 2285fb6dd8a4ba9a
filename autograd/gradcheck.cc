#include "autograd/gradcheck.h"

#include <cmath>
#include <sstream>

#include "autograd/engine.h"
#include "modes/grad_mode.h"
#include "tensor/check.h"

namespace ember {
namespace autograd {
namespace {

// Values of `t` as doubles, in row-major order.
std::vector<double> values(const Tensor& t) {
  Tensor c = t.to(kDouble).contiguous();
  const double* p = c.data_ptr<double>();
  return std::vector<double>(p, p + c.numel());
}

// J[out_elem][in_elem] for one output/input pair.
using Jacobian = std::vector<std::vector<double>>;

std::string show(const Jacobian& j) {
  std::ostringstream out;
  for (const auto& row : j) {
    for (double v : row) out << " " << v;
    out << "\n";
  }
  return out.str();
}

}  // namespace

bool gradcheck(const DifferentiableFn& fn, const variable_list& inputs, double eps, double atol, double rtol) {
  for (size_t i = 0; i < inputs.size(); ++i) {
    const Tensor& in = inputs[i];
    if (!in.defined() || !in.requires_grad()) continue;
    EMBER_CHECK(in.dtype() == kDouble && in.is_contiguous(), "gradcheck: input ", i, " is ", in.dtype(),
                in.is_contiguous() ? "" : " and not contiguous",
                "; finite differences need contiguous float64 inputs. Use .to(ember::kDouble).contiguous().");
  }
  variable_list outputs = fn(inputs);
  for (size_t o = 0; o < outputs.size(); ++o) {
    const Tensor& out = outputs[o];
    if (!out.defined() || !out.is_floating_point()) continue;
    int64_t n_out = out.numel();
    for (size_t i = 0; i < inputs.size(); ++i) {
      const Tensor& in = inputs[i];
      if (!in.defined() || !in.requires_grad()) continue;
      int64_t n_in = in.numel();
      Jacobian analytical(n_out, std::vector<double>(n_in, 0.0));
      Jacobian numerical(n_out, std::vector<double>(n_in, 0.0));
      // Analytical: one backward per output element.
      if (out.requires_grad()) {
        for (int64_t k = 0; k < n_out; ++k) {
          Tensor seed = zeros({n_out}, out.dtype());
          seed.data_ptr<double>()[k] = 1.0;
          variable_list g = grad({out}, {in}, {seed.view(out.sizes())}, /*retain_graph=*/1, false,
                                 /*allow_unused=*/true);
          if (g[0].defined()) analytical[k] = values(g[0]);
        }
      }
      // Numerical: central differences, one input element at a time.
      double* data = in.data_ptr<double>();
      for (int64_t j = 0; j < n_in; ++j) {
        NoGradGuard no_grad;
        double orig = data[j];
        data[j] = orig + eps;
        std::vector<double> plus = values(fn(inputs)[o]);
        data[j] = orig - eps;
        std::vector<double> minus = values(fn(inputs)[o]);
        data[j] = orig;
        for (int64_t k = 0; k < n_out; ++k) numerical[k][j] = (plus[k] - minus[k]) / (2 * eps);
      }
      for (int64_t k = 0; k < n_out; ++k) {
        for (int64_t j = 0; j < n_in; ++j) {
          double a = analytical[k][j], n = numerical[k][j];
          EMBER_CHECK(std::fabs(a - n) <= atol + rtol * std::fabs(n), "Jacobian mismatch for output ", o,
                      " with respect to input ", i, ",\nnumerical:\n", show(numerical), "analytical:\n",
                      show(analytical), "(Ember: first mismatch at output element ", k, ", input element ", j,
                      "; the backward formula disagrees with finite differences.)");
        }
      }
    }
  }
  return true;
}

bool gradgradcheck(const DifferentiableFn& fn, const variable_list& inputs, double eps, double atol, double rtol) {
  variable_list outputs = fn(inputs);
  variable_list seeds;
  for (const Tensor& out : outputs) seeds.push_back(randn(out.sizes(), kDouble));
  DifferentiableFn first_grad = [&](const variable_list& xs) {
    variable_list outs = fn(xs);
    variable_list diff_inputs;
    for (const Tensor& x : xs) {
      if (x.defined() && x.requires_grad()) diff_inputs.push_back(x);
    }
    if (!GradMode::is_enabled()) {
      // Finite differences of the first gradient: recompute it with grad on.
      AutoGradMode on(true);
      variable_list again = fn(xs);
      return grad(again, diff_inputs, seeds, 0, false, true);
    }
    return grad(outs, diff_inputs, seeds, 1, /*create_graph=*/true, /*allow_unused=*/true);
  };
  return gradcheck(first_grad, inputs, eps, atol, rtol);
}

}  // namespace autograd
}  // namespace ember
