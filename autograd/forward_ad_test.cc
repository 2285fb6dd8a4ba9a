#include "autograd/forward_ad.h"

#include <vector>

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
      [](const Tensor& a, const Tensor& b) { return where(a > 1, a * 2, b); },
      [](const Tensor& a, const Tensor& b) { return where(b < 1, a, 0.5); },
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

TEST(ForwardAD, UnbindAndSplitSplitTheTangent) {
  Tensor a = dvec({1, 2, 3, 4, 5, 6}).view({2, 3}), ta = dvec({1, 2, 3, 4, 5, 6}).view({2, 3}) * 10;
  DualLevel level;
  Tensor x = make_dual(a, ta);
  std::vector<Tensor> rows = x.unbind();
  EXPECT_TRUE(unpack_dual(rows[1]).tangent.equal(dvec({40, 50, 60})));
  std::vector<Tensor> cols = x.split_with_sizes({2, 1}, 1);
  EXPECT_TRUE(unpack_dual(cols[1]).tangent.equal(dvec({30, 60}).view({2, 1})));
  EXPECT_TRUE(unpack_dual(x.chunk(3, 1)[0] * 2).tangent.equal(dvec({20, 80}).view({2, 1})));
}

TEST(ForwardAD, InplaceOnBaseIsSeenByItsPiecesTangents) {
  Tensor p = dvec({1, 2, 3, 4}), tp = dvec({1, 1, 1, 1});
  DualLevel level;
  Tensor base = make_dual(p, tp) * 1;
  std::vector<Tensor> pieces = base.split(2);
  base.mul_(3);
  EXPECT_TRUE(unpack_dual(pieces[1]).tangent.equal(dvec({3, 3})));
}

// Central difference of f along the tangents of its inputs.
template <class F>
Tensor finite_jvp(F f, const Tensor& p, const Tensor& tp, const Tensor& q, const Tensor& tq) {
  double eps = 1e-6;
  return (f(p + tp * eps, q + tq * eps) - f(p - tp * eps, q - tq * eps)) / (2 * eps);
}

TEST(ForwardAD, AsStridedMatchesFiniteDifference) {
  Tensor p = dvec({0.5, 1, 1.5, 2, 2.5, 3}).view({2, 3}), tp = dvec({1, -1, 2, 0.5, 3, -2}).view({2, 3});
  Tensor q = dvec({1, 2}), tq = dvec({0, 1});
  auto f = [](const Tensor& a, const Tensor& b) {
    return a.t().as_strided({2, 2}, {3, 1}, 1) * b + a.narrow(1, 1, 2).as_strided({2}, {3}, 1).sum();
  };
  Tensor expected = finite_jvp(f, p, tp, q, tq);
  DualLevel level;
  Tensor t = unpack_dual(f(make_dual(p, tp), make_dual(q, tq))).tangent;
  ASSERT_TRUE(t.defined());
  EXPECT_TRUE(t.allclose(expected, 1e-5, 1e-6));
}

TEST(ForwardAD, InplaceOnViewUpdatesTheBaseTangent) {
  Tensor p = dvec({0.5, 1, 1.5, 2, 2.5, 3}), tp = dvec({1, -1, 2, 0.5, 3, -2});
  Tensor q = dvec({2, 3}), tq = dvec({1, 4});
  // The views' tangents are views of the base's: the updates reach the base.
  auto f = [](const Tensor& a, const Tensor& b) {
    Tensor base = a.view({2, 3}).t().contiguous() * 1;
    base.select(1, 0).narrow(0, 1, 2).mul_(b);
    base.t().select(0, 1).exp_();
    return base * 1;
  };
  Tensor expected = finite_jvp(f, p, tp, q, tq);
  DualLevel level;
  Tensor t = unpack_dual(f(make_dual(p, tp), make_dual(q, tq))).tangent;
  ASSERT_TRUE(t.defined());
  EXPECT_TRUE(t.allclose(expected, 1e-5, 1e-6));
}

TEST(ForwardAD, InplaceOnViewGivesAPlainBaseATangent) {
  Tensor q = dvec({2, 3}), tq = dvec({1, 4});
  DualLevel level;
  Tensor base = zeros({4}, kDouble);
  Tensor other_view = base.narrow(0, 2, 2);  // Made before the base had a tangent.
  base.narrow(0, 1, 2).copy_(make_dual(q, tq));
  EXPECT_TRUE(unpack_dual(base).tangent.allclose(dvec({0, 1, 4, 0})));
  EXPECT_TRUE(unpack_dual(other_view).tangent.allclose(dvec({4, 0})));
  base.fill_(1);
  EXPECT_TRUE(unpack_dual(other_view).tangent.allclose(dvec({0, 0})));
}

TEST(ForwardAD, InplaceOnBaseIsSeenByItsViewsTangents) {
  Tensor p = dvec({1, 2, 3, 4}), tp = dvec({1, 1, 1, 1});
  DualLevel level;
  Tensor base = make_dual(p, tp) * 1;
  Tensor v = base.view({2, 2}).select(1, 1);
  base.mul_(3);
  EXPECT_TRUE(unpack_dual(v).tangent.allclose(dvec({3, 3})));
  base.add_(make_dual(p, tp));
  EXPECT_TRUE(unpack_dual(v).tangent.allclose(dvec({4, 4})));
}

TEST(ForwardAD, ANonContiguousBaseSharesItsTangentWithItsViews) {
  Tensor p = dvec({1, 2, 3, 4, 5, 6}).view({2, 3}), tp = dvec({1, 1, 1, 1, 1, 1}).view({2, 3});
  DualLevel level;
  Tensor base = empty_strided({2, 3}, {1, 2}, kDouble);  // Column-major, not a view.
  base.copy_(make_dual(p, tp));
  Tensor row = base.select(0, 1);  // Its tangent is a view of base's.
  base.select(1, 2).mul_(10);      // Through another view.
  EXPECT_TRUE(unpack_dual(base).tangent.allclose(dvec({1, 1, 10, 1, 1, 10}).view({2, 3})));
  EXPECT_TRUE(unpack_dual(row).tangent.allclose(dvec({1, 1, 10})));
}

TEST(ForwardAD, AddOfOneDualGivesAFreshTangent) {
  Tensor p = dvec({1, 2}), tp = dvec({1, 1});
  DualLevel level;
  Tensor x = make_dual(p, tp);
  Tensor y = x + dvec({5, 5});
  y.mul_(2);
  EXPECT_TRUE(unpack_dual(y).tangent.allclose(dvec({2, 2})));
  EXPECT_TRUE(unpack_dual(x).tangent.allclose(dvec({1, 1})));
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
