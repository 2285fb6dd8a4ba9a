// gradcheck (float64, central differences) for the backward formula of every
// differentiable op of //tensor, and gradgradcheck for double backward.
#include "autograd/gradcheck.h"

#include <utility>
#include <vector>

#include "autograd/test_util.h"
#include "modes/grad_mode.h"
#include "tensor/ops.h"
#include "tensor/tensor.h"

namespace ember {
namespace autograd {
namespace {

Tensor input(IntArrayRef sizes, double lo = -1.0, double hi = 1.0) {
  return (rand(sizes, kDouble) * (hi - lo) + lo).set_requires_grad(true);
}
Tensor positive(IntArrayRef sizes) { return input(sizes, 0.5, 2.0); }
// Away from relu's kink at 0.
Tensor off_zero(IntArrayRef sizes) {
  Tensor r = rand(sizes, kDouble) * 0.8 + 0.2;
  Tensor sign = (rand(sizes, kDouble) - 0.5).relu().eq(0).to(kDouble) * -2 + 1;
  return (r * sign).set_requires_grad(true);
}

#define FN(body) [](const variable_list& x) -> variable_list { return {body}; }

class GradCheck : public ::testing::Test {
 protected:
  void SetUp() override { manual_seed(42); }
};

TEST_F(GradCheck, BinaryOps) {
  Tensor a = input({2, 3}), b = input({2, 3}), p = positive({2, 3});
  EXPECT_TRUE(gradcheck(FN(x[0] + x[1]), {a, b}));
  EXPECT_TRUE(gradcheck(FN(x[0].add(x[1], 2.5)), {a, b}));
  EXPECT_TRUE(gradcheck(FN(x[0] - x[1]), {a, b}));
  EXPECT_TRUE(gradcheck(FN(x[0].sub(x[1], 0.5)), {a, b}));
  EXPECT_TRUE(gradcheck(FN(x[0] * x[1]), {a, b}));
  EXPECT_TRUE(gradcheck(FN(x[0] / x[1]), {a, p}));
  EXPECT_TRUE(gradcheck(FN(x[0].pow(x[1])), {p, b}));
}

TEST_F(GradCheck, Where) {
  Tensor a = input({2, 3}), b = input({2, 3}), row = input({3});
  const Tensor mask = rand({2, 3}) > 0.5;
  EXPECT_TRUE(gradcheck([mask](const variable_list& x) -> variable_list { return {where(mask, x[0], x[1])}; }, {a, b}));
  EXPECT_TRUE(gradcheck([mask](const variable_list& x) -> variable_list { return {where(mask, x[0], x[1])}; }, {a, row}));
  EXPECT_TRUE(gradcheck([mask](const variable_list& x) -> variable_list { return {where(mask, 0.5, x[0])}; }, {row}));
  EXPECT_TRUE(gradgradcheck([mask](const variable_list& x) -> variable_list { return {where(mask, x[0] * x[0], x[1])}; },
                            {a, b}));
}

TEST_F(GradCheck, BinaryOpsBroadcast) {
  Tensor a = input({2, 3}), row = input({3}), col = positive({2, 1});
  EXPECT_TRUE(gradcheck(FN(x[0] + x[1]), {a, row}));
  EXPECT_TRUE(gradcheck(FN(x[0] * x[1]), {a, col}));
  EXPECT_TRUE(gradcheck(FN(x[0] / x[1]), {row, col}));
}

TEST_F(GradCheck, ScalarOps) {
  Tensor a = input({4}), p = positive({4});
  EXPECT_TRUE(gradcheck(FN(x[0] + 3), {a}));
  EXPECT_TRUE(gradcheck(FN(x[0] - 3), {a}));
  EXPECT_TRUE(gradcheck(FN(x[0] * 3), {a}));
  EXPECT_TRUE(gradcheck(FN(x[0] / 3), {a}));
  EXPECT_TRUE(gradcheck(FN(x[0].pow(3)), {a}));
  EXPECT_TRUE(gradcheck(FN(x[0].pow(0.5)), {p}));
  EXPECT_TRUE(gradcheck(FN(x[0].pow(0)), {a}));
  EXPECT_TRUE(gradcheck(FN(2 - x[0]), {a}));
  EXPECT_TRUE(gradcheck(FN(2 / x[0]), {p}));
}

TEST_F(GradCheck, UnaryOps) {
  Tensor a = input({5}), p = positive({5}), z = off_zero({5});
  EXPECT_TRUE(gradcheck(FN(-x[0]), {a}));
  EXPECT_TRUE(gradcheck(FN(x[0].exp()), {a}));
  EXPECT_TRUE(gradcheck(FN(x[0].log()), {p}));
  EXPECT_TRUE(gradcheck(FN(x[0].relu()), {z}));
  EXPECT_TRUE(gradcheck(FN(ops::threshold_backward.call(x[0], x[1], 0)), {a, z}));  // relu's backward
  EXPECT_TRUE(gradcheck(FN(ops::sigmoid_backward.call(x[0], x[1], 1)), {a, p}));   // sigmoid's
  EXPECT_TRUE(gradcheck(FN(ops::tanh_backward.call(x[0], x[1], 1)), {a, p}));      // tanh's
  EXPECT_TRUE(gradcheck(FN(x[0].sigmoid()), {a}));
  EXPECT_TRUE(gradcheck(FN(x[0].tanh()), {a}));
}

TEST_F(GradCheck, InplaceOps) {
  Tensor a = input({2, 3}), b = input({2, 3}), p = positive({2, 3}), z = off_zero({2, 3});
  EXPECT_TRUE(gradcheck(FN(x[0].clone().add_(x[1], 2)), {a, b}));
  EXPECT_TRUE(gradcheck(FN(x[0].clone().sub_(x[1])), {a, b}));
  EXPECT_TRUE(gradcheck(FN(x[0].clone().mul_(x[1])), {a, b}));
  EXPECT_TRUE(gradcheck(FN(x[0].clone().div_(x[1])), {a, p}));
  EXPECT_TRUE(gradcheck(FN(x[0].clone().pow_(x[1])), {p, b}));
  EXPECT_TRUE(gradcheck(FN(x[0].clone().add_(2)), {a}));
  EXPECT_TRUE(gradcheck(FN(x[0].clone().sub_(2)), {a}));
  EXPECT_TRUE(gradcheck(FN(x[0].clone().mul_(2)), {a}));
  EXPECT_TRUE(gradcheck(FN(x[0].clone().div_(2)), {a}));
  EXPECT_TRUE(gradcheck(FN(x[0].clone().pow_(2)), {a}));
  EXPECT_TRUE(gradcheck(FN(x[0].clone().neg_()), {a}));
  EXPECT_TRUE(gradcheck(FN(x[0].clone().exp_()), {a}));
  EXPECT_TRUE(gradcheck(FN(x[0].clone().log_()), {p}));
  EXPECT_TRUE(gradcheck(FN(x[0].clone().relu_()), {z}));
  EXPECT_TRUE(gradcheck(FN(x[0].clone().sigmoid_()), {a}));
  EXPECT_TRUE(gradcheck(FN(x[0].clone().tanh_()), {a}));
}

TEST_F(GradCheck, Copies) {
  Tensor a = input({2, 3}), b = input({3});
  EXPECT_TRUE(gradcheck(FN(x[0].clone()), {a}));
  EXPECT_TRUE(gradcheck(FN(x[0].to(kFloat).to(kDouble)), {a}, 1e-3, 1e-3, 1e-2));
  EXPECT_TRUE(gradcheck(FN(x[0].clone().copy_(x[1])), {a, b}));  // broadcasting copy
  EXPECT_TRUE(gradcheck(FN((x[0] * 1).fill_(2) * x[0]), {a}));
  EXPECT_TRUE(gradcheck(FN((x[0] * 1).zero_() + x[0]), {a}));
  EXPECT_TRUE(gradcheck(FN(x[0].t().contiguous()), {a}));
}

TEST_F(GradCheck, Reductions) {
  Tensor a = input({2, 3, 4});
  EXPECT_TRUE(gradcheck(FN(x[0].sum()), {a}));
  EXPECT_TRUE(gradcheck(FN(x[0].mean()), {a}));
  EXPECT_TRUE(gradcheck(FN(x[0].sum({1})), {a}));
  EXPECT_TRUE(gradcheck(FN(x[0].sum({0, 2}, true)), {a}));
  EXPECT_TRUE(gradcheck(FN(x[0].sum({-1})), {a}));
  EXPECT_TRUE(gradcheck(FN(x[0].mean({2, 0})), {a}));
  EXPECT_TRUE(gradcheck(FN(x[0].mean({1}, true)), {a}));
}

TEST_F(GradCheck, LinearAlgebra) {
  Tensor a = input({2, 3}), b = input({3, 4}), ba = input({2, 2, 3}), bb = input({2, 3, 2}), v = input({3});
  EXPECT_TRUE(gradcheck(FN(x[0].mm(x[1])), {a, b}));
  EXPECT_TRUE(gradcheck(FN(x[0].bmm(x[1])), {ba, bb}));
  EXPECT_TRUE(gradcheck(FN(x[0].dot(x[1])), {v, v}));
  EXPECT_TRUE(gradcheck(FN(x[0].mv(x[1])), {a, v}));
  // Every case of matmul: dot, mv, vector @ matrix, mm, the folds either
  // way, and bmm.
  for (const auto& [l, r] : std::vector<std::pair<Tensor, Tensor>>{
           {v, v}, {a, v}, {v, b}, {a, b}, {ba, v}, {ba, b}, {v, bb}, {a, bb}, {ba, bb}}) {
    EXPECT_TRUE(gradcheck(FN(x[0].matmul(x[1])), {l, r})) << l.sizes() << " @ " << r.sizes();
  }
}

TEST_F(GradCheck, CatAndStack) {
  Tensor a = input({2, 3}), b = input({1, 3}), c = input({2, 3});
  EXPECT_TRUE(gradcheck(FN(cat({x[0], x[1]}, 0)), {a, b}));
  EXPECT_TRUE(gradcheck(FN(cat({x[0], x[1]}, 1)), {a, c}));
  EXPECT_TRUE(gradcheck(FN(stack({x[0], x[1]}, 1)), {a, c}));
}

TEST_F(GradCheck, Views) {
  Tensor a = input({2, 3, 4}), m = input({3, 4}), one = input({3, 1});
  EXPECT_TRUE(gradcheck(FN(x[0].view({6, 4})), {a}));
  EXPECT_TRUE(gradcheck(FN(x[0].reshape({4, 6})), {a}));
  EXPECT_TRUE(gradcheck(FN(x[0].transpose(0, 2).reshape({24})), {a}));
  EXPECT_TRUE(gradcheck(FN(x[0].t()), {m}));
  EXPECT_TRUE(gradcheck(FN(x[0].permute({2, 0, 1})), {a}));
  EXPECT_TRUE(gradcheck(FN(x[0].select(1, 2)), {a}));
  EXPECT_TRUE(gradcheck(FN(x[0].select(-1, -1)), {a}));
  EXPECT_TRUE(gradcheck(FN(x[0].narrow(2, 1, 2)), {a}));
  EXPECT_TRUE(gradcheck(FN(x[0].slice(2, 0, 4, 2)), {a}));
  EXPECT_TRUE(gradcheck(FN(x[0].unsqueeze(1)), {m}));
  EXPECT_TRUE(gradcheck(FN(x[0].squeeze()), {one}));
  EXPECT_TRUE(gradcheck(FN(x[0].squeeze(1)), {one}));
  EXPECT_TRUE(gradcheck(FN(x[0].expand({2, 3, 5})), {one}));
  EXPECT_TRUE(gradcheck(FN(x[0].as_strided({2, 2}, {1, 2}, 1)), {m}));
  EXPECT_TRUE(gradcheck(FN(x[0].view_as(x[1])), {m, input({4, 3})}));
}

// Every piece is an output of its own: each one's Jacobian is checked.
TEST_F(GradCheck, UnbindAndSplits) {
  Tensor a = input({2, 3, 4});
  auto pieces = [](std::vector<Tensor> (*f)(const Tensor&)) {
    return [f](const variable_list& x) -> variable_list { return f(x[0]); };
  };
  EXPECT_TRUE(gradcheck(pieces([](const Tensor& t) { return t.unbind(1); }), {a}));
  EXPECT_TRUE(gradcheck(pieces([](const Tensor& t) { return t.split(3, -1); }), {a}));
  EXPECT_TRUE(gradcheck(pieces([](const Tensor& t) { return t.split_with_sizes({1, 0, 2}, 1); }), {a}));
  EXPECT_TRUE(gradcheck(pieces([](const Tensor& t) { return t.chunk(2, 0); }), {a}));
  // Only some pieces used: the others' gradients are zeros.
  EXPECT_TRUE(gradcheck(FN(x[0].unbind(2)[1] * x[0].split(2, 0)[0].sum(2)), {a}));
}

TEST_F(GradCheck, InplaceOnViewRoutesGradientToBase) {
  Tensor a = input({4}), b = input({2}), m = input({3, 4}), row = input({4});
  EXPECT_TRUE(gradcheck(FN([&] {
                          Tensor base = x[0] * 1;
                          base.narrow(0, 1, 2).mul_(x[1]);
                          return base;
                        }()),
                        {a, b}));
  EXPECT_TRUE(gradcheck(FN([&] {
                          Tensor base = x[0].clone();
                          base.select(0, 1).copy_(x[1]);
                          return base.sigmoid();
                        }()),
                        {m, row}));
  EXPECT_TRUE(gradcheck(FN([&] {
                          Tensor base = x[0].clone();
                          Tensor v = base.t();
                          v.select(1, 0).exp_();
                          return base * 2;
                        }()),
                        {m}));
}

// A base laid out column-major (or permuted): not a view, not contiguous.
Tensor strided_copy(const Tensor& t, IntArrayRef strides) {
  Tensor out = empty_strided(t.sizes(), strides, t.dtype());
  out.copy_(t);
  return out;
}

TEST_F(GradCheck, InplaceOnViewOfNonContiguousBase) {
  Tensor m = input({3, 4}), a3 = input({2, 3, 4}), b = input({4}), c = input({2, 4}), s = input({3});
  // transpose base (a non-contiguous non-view), narrow, in-place mul_.
  EXPECT_TRUE(gradcheck(FN([&] {
                          Tensor base = strided_copy(x[0], {1, 3});
                          EXPECT_FALSE(base.is_contiguous());
                          base.narrow(0, 1, 2).mul_(x[1]);
                          return base * 1;
                        }()),
                        {m, c}));
  // Chained views: t(), then narrow, then select, then exp_.
  EXPECT_TRUE(gradcheck(FN([&] {
                          Tensor base = strided_copy(x[0], {1, 3});
                          base.t().narrow(0, 1, 2).select(1, 2).exp_();
                          return base.sigmoid();
                        }()),
                        {m}));
  // select on a permuted base, copy_ of another input.
  EXPECT_TRUE(gradcheck(FN([&] {
                          Tensor base = strided_copy(x[0], {1, 2, 6});
                          base.select(2, 3).select(0, 1).copy_(x[1]);
                          return base * base;
                        }()),
                        {a3, s}));
  // A strided slice (step 2) with broadcasting add_.
  EXPECT_TRUE(gradcheck(FN([&] {
                          Tensor base = strided_copy(x[0], {1, 3});
                          base.slice(1, 0, 4, 2).add_(x[1].narrow(0, 0, 2), 3);
                          return base.tanh();
                        }()),
                        {m, b}));
  // Two in-place ops on two views of one base, then the first view is used.
  EXPECT_TRUE(gradcheck(FN([&] {
                          Tensor base = strided_copy(x[0], {1, 3});
                          Tensor row = base.select(0, 0);
                          base.select(1, 1).mul_(2);
                          row.mul_(x[1]);
                          return row * base.sum();
                        }()),
                        {m, b}));
}

TEST_F(GradCheck, InplaceOnViewOfABaseWithAStorageOffset) {
  Tensor m = input({3, 4}), r = input({3});
  EXPECT_TRUE(gradcheck(FN([&] {
                          Tensor storage = zeros({20}, kDouble);
                          // A detached slice: not a view, offset 5, transposed.
                          Tensor base = storage.narrow(0, 5, 12).view({4, 3}).t().detach();
                          EXPECT_FALSE(base.is_view());
                          EXPECT_EQ(base.storage_offset(), 5);
                          base.copy_(x[0]);
                          base.t().select(0, 1).mul_(x[1]);
                          return base * 1;
                        }()),
                        {m, r}));
}

TEST_F(GradCheck, InplaceOnViewOfNonContiguousBaseDoubleBackward) {
  Tensor m = input({3, 4}), c = input({2, 4});
  EXPECT_TRUE(gradgradcheck(FN([&] {
                              Tensor base = strided_copy(x[0], {1, 3});
                              base.narrow(0, 1, 2).mul_(x[1]);
                              return base * base;
                            }()),
                            {m, c}));
}

TEST_F(GradCheck, ViewOfModifiedNonContiguousBaseHasAsStridedBackward) {
  Tensor m = input({3, 4});
  EXPECT_TRUE(gradcheck(FN([&] {
                          Tensor base = strided_copy(x[0], {1, 3});
                          Tensor col = base.select(1, 2);
                          Tensor wide = base.select(0, 0).unsqueeze(0).expand({3, 4});
                          base.select(0, 1).mul_(3);  // Both views' grad_fns are regenerated.
                          return col.sum() + (wide * wide).sum();
                        }()),
                        {m}));
  Tensor base = strided_copy(m, {1, 3});
  Tensor col = base.select(1, 2);
  base.select(0, 1).mul_(3);
  EXPECT_EQ(col.grad_fn()->name(), "AsStridedBackward0");
}

TEST_F(GradCheck, AsStridedOfNonContiguousInput) {
  Tensor m = input({3, 4}), v = input({3});
  EXPECT_TRUE(gradcheck(FN(x[0].t().as_strided({2, 2}, {1, 4}, 1)), {m}));
  EXPECT_TRUE(gradcheck(FN(x[0].narrow(1, 1, 2).as_strided({3}, {4}, 2)), {m}));
  EXPECT_TRUE(gradcheck(FN(x[0].as_strided({2, 3}, {0, 1}, 0)), {v}));  // expand-like: stride 0
}

// An in-place op on a view that is gone before backward: its saved result
// gets the op's own node as history (LibTorch's fallback to saved_for).
Tensor sigmoid_through_a_view(Tensor t) {
  t.narrow(0, 0, 2).sigmoid_();
  return t;
}

// Outputs whose elements share storage (sliding windows, a window of
// windows) add their gradients up; inputs whose elements share storage (an
// expanded input) split it, as PyTorch's as_strided_backward does.
TEST_F(GradCheck, AsStridedWithOverlappingElements) {
  Tensor v = input({6}), m = input({3, 4});
  EXPECT_TRUE(gradcheck(FN(x[0].as_strided({4, 3}, {1, 1}, 0)), {v}));
  EXPECT_TRUE(gradcheck(FN(x[0].as_strided({2, 3, 2}, {2, 1, 1}, 0)), {v}));
  EXPECT_TRUE(gradcheck(FN(x[0].as_strided({3, 3}, {4, 1}, 1)), {m}));
  EXPECT_TRUE(gradcheck(FN(x[0].expand({3, 6}).as_strided({2, 6}, {0, 1}, 0)), {v}));
  EXPECT_TRUE(gradgradcheck(FN(x[0].as_strided({2, 3, 2}, {2, 1, 1}, 0).pow(2)), {v}));
}

TEST_F(GradCheck, DoubleBackward) {
  Tensor a = input({3}), b = input({3}), p = positive({3}), z = off_zero({3}), m = input({2, 3}), n = input({3, 2});
  EXPECT_TRUE(gradgradcheck(FN(x[0] * x[1]), {a, b}));
  EXPECT_TRUE(gradgradcheck(FN(x[0] / x[1]), {a, p}));
  EXPECT_TRUE(gradgradcheck(FN(x[0].pow(3)), {a}));
  EXPECT_TRUE(gradgradcheck(FN(x[0].exp()), {a}));
  EXPECT_TRUE(gradgradcheck(FN(x[0].log()), {p}));
  EXPECT_TRUE(gradgradcheck(FN(x[0].sigmoid()), {a}));
  EXPECT_TRUE(gradgradcheck(FN(x[0].tanh()), {a}));
  EXPECT_TRUE(gradgradcheck(FN(x[0].relu() * x[0]), {z}));
  EXPECT_TRUE(gradgradcheck(FN(sigmoid_through_a_view(x[0] * 1) * x[0]), {a}));
  EXPECT_TRUE(gradgradcheck(FN(x[0].mm(x[1]).sum({1})), {m, n}));
  EXPECT_TRUE(gradgradcheck(FN(x[0].dot(x[1])), {a, b}));
  EXPECT_TRUE(gradgradcheck(FN(x[0].mv(x[1])), {m, a}));
  EXPECT_TRUE(gradgradcheck(FN(x[0].select(1, 1) * x[0].sum(1)), {m}));
  EXPECT_TRUE(gradgradcheck(FN(x[0].slice(1, 0, 3, 2).pow(2)), {m}));
  EXPECT_TRUE(gradgradcheck(FN(x[0].narrow(0, 1, 1).t() * x[0].select(0, 0)), {m}));
  EXPECT_TRUE(gradgradcheck(FN(x[0].unbind(1)[0] * x[0].unbind(1)[2]), {m}));
  EXPECT_TRUE(gradgradcheck(FN(x[0].split(2, 1)[0].pow(2) * x[0].chunk(2, 0)[1].sum()), {m}));
}

TEST_F(GradCheck, ReportsAWrongFormula) {
  Tensor a = input({2});
  // The gradient of a detached factor is missing: a * a.detach() is not a^2.
  EXPECT_THROW_MSG(gradcheck(FN(x[0] * x[0].detach()), {a}), "Jacobian mismatch for output 0 with respect to input 0");
}

TEST_F(GradCheck, RefusesFloat32Inputs) {
  Tensor f = rand({2}).set_requires_grad(true);
  EXPECT_THROW_MSG(gradcheck(FN(x[0] * 2), {f}), "finite differences need contiguous float64 inputs");
}

}  // namespace
}  // namespace autograd
}  // namespace ember
