#include "autograd/forward_ad.h"

#include "autograd/test_util.h"
#include "modes/inference_mode.h"
#include "tensor/tensor.h"

namespace ember {
namespace autograd {
namespace forward_ad {
namespace {

Tensor dvec(std::initializer_list<double> v) { return tensor(v).to(kDouble); }

TEST(ForwardAD, ElementwiseChainGivesJvp) {
  DualLevel level;
  Tensor x = make_dual(dvec({0.5, 1.0}), dvec({1, 2}));
  Tensor y = (x * x).exp();  // dy = exp(x^2) * 2x * dx
  Tensor expected = (dvec({0.5, 1.0}) * dvec({0.5, 1.0})).exp() * dvec({0.5, 1.0}) * 2 * dvec({1, 2});
  UnpackedDual u = unpack_dual(y);
  ASSERT_TRUE(u.tangent.defined());
  EXPECT_TRUE(u.tangent.allclose(expected));
  EXPECT_FALSE(unpack_dual(u.primal).tangent.defined());
}

TEST(ForwardAD, EveryElementwiseOpMatchesFiniteDifference) {
  Tensor p = dvec({0.7, 1.3, 2.1}), q = dvec({1.1, 0.4, 0.9}), tp = dvec({0.3, -1, 2}), tq = dvec({1, 0.5, -0.2});
  using Fn = Tensor (*)(const Tensor&, const Tensor&);
  Fn fns[] = {
      [](const Tensor& a, const Tensor& b) { return a + b * 2; },
      [](const Tensor& a, const Tensor& b) { return a.sub(b, 3); },
      [](const Tensor& a, const Tensor& b) { return a * b; },
      [](const Tensor& a, const Tensor& b) { return a / b; },
      [](const Tensor& a, const Tensor& b) { return a.pow(b); },
      [](const Tensor& a, const Tensor&) { return (-a).exp() + a.log(); },
      [](const Tensor& a, const Tensor& b) { return (a - b).relu() + a.sigmoid() + b.tanh(); },
      [](const Tensor& a, const Tensor&) { return a.pow(3) / 2 - 1 + a * 4; },
  };
  double eps = 1e-6;
  for (Fn f : fns) {
    Tensor expected = (f(p + tp * eps, q + tq * eps) - f(p - tp * eps, q - tq * eps)) / (2 * eps);
    DualLevel level;
    Tensor t = unpack_dual(f(make_dual(p, tp), make_dual(q, tq))).tangent;
    ASSERT_TRUE(t.defined());
    EXPECT_TRUE(t.allclose(expected, 1e-5, 1e-6));
  }
}

TEST(ForwardAD, InplaceOpsUpdateTheTangent) {
  Tensor p = dvec({0.7, 1.3}), q = dvec({1.1, 0.4}), tp = dvec({0.3, -1}), tq = dvec({1, 0.5});
  double eps = 1e-6;
  auto f = [](const Tensor& a, const Tensor& b) {
    Tensor x = a * 1;
    x.mul_(b);
    x.add_(b, 2);
    x.div_(2);
    x.pow_(2);
    x.exp_();
    x.tanh_();
    x.sub_(1);
    return x;
  };
  Tensor expected = (f(p + tp * eps, q + tq * eps) - f(p - tp * eps, q - tq * eps)) / (2 * eps);
  DualLevel level;
  Tensor t = unpack_dual(f(make_dual(p, tp), make_dual(q, tq))).tangent;
  ASSERT_TRUE(t.defined());
  EXPECT_TRUE(t.allclose(expected, 1e-5, 1e-6));
}

TEST(ForwardAD, MmAndViews) {
  Tensor a = dvec({1, 2, 3, 4, 5, 6}).view({2, 3}), b = dvec({1, 0, 2, 1, 0, 3}).view({3, 2});
  Tensor ta = dvec({1, 1, 1, 0, 0, 0}).view({2, 3});
  DualLevel level;
  Tensor y = make_dual(a, ta).mm(b);
  EXPECT_TRUE(unpack_dual(y).tangent.allclose(ta.mm(b)));
  Tensor c = cat({make_dual(a, ta), a * 2}, 0);
  EXPECT_TRUE(unpack_dual(c).tangent.allclose(cat({ta, zeros_like(a)}, 0)));
  Tensor v = make_dual(a, ta).t().select(0, 1).unsqueeze(0).expand({2, 2}).sum();
  EXPECT_TRUE(unpack_dual(v).tangent.allclose(ta.t().select(0, 1).sum() * 2));
}

TEST(ForwardAD, TangentsAreDroppedInsideInferenceMode) {
  DualLevel level;
  Tensor x = make_dual(dvec({1, 2}), dvec({1, 1}));
  Tensor y;
  {
    InferenceMode guard;
    y = x * 3;
  }
  EXPECT_FALSE(unpack_dual(y).tangent.defined());
  EXPECT_TRUE(unpack_dual(x * 3).tangent.allclose(dvec({3, 3})));
}

TEST(ForwardAD, LeavingTheLevelForgetsTangents) {
  Tensor y;
  {
    DualLevel level;
    y = make_dual(dvec({1}), dvec({1})) * 2;
    EXPECT_TRUE(unpack_dual(y).tangent.defined());
  }
  DualLevel again;
  EXPECT_FALSE(unpack_dual(y).tangent.defined());
}

TEST(ForwardAD, Errors) {
  EXPECT_THROW_MSG(make_dual(dvec({1}), dvec({1})), "Trying to create a dual Tensor for forward AD but no level exists");
  DualLevel level;
  EXPECT_THROW_MSG(make_dual(dvec({1, 2}), dvec({1})),
                   "Trying to set a forward gradient that has a different size than that of the original Tensor");
  EXPECT_THROW_MSG(DualLevel nested, "Nested forward mode AD is not supported at the moment");
}

TEST(ForwardAD, WorksWithBackwardOnTheSamePrimal) {
  Tensor w = dvec({1, 2}).set_requires_grad(true);
  DualLevel level;
  Tensor x = make_dual(w, dvec({1, 0}));
  Tensor y = (x * x).sum();
  EXPECT_TRUE(unpack_dual(y).tangent.allclose(dvec({2})));
  y.backward();
  EXPECT_TRUE(w.grad().allclose(dvec({2, 4})));
}

}  // namespace
}  // namespace forward_ad
}  // namespace autograd
}  // namespace ember
