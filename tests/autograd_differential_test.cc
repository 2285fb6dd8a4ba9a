// The same programs in Ember and in LibTorch 1.13, compared: values,
// gradients, and error messages (LibTorch's phrase must appear in Ember's).
#include <torch/torch.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "autograd/autograd.h"
#include "gtest/gtest.h"
#include "modes/grad_mode.h"
#include "modes/inference_mode.h"
#include "tensor/ops.h"
#include "tensor/tensor.h"
#include "tests/differential.h"

namespace {

std::vector<double> data(int n, double scale, double shift) {
  std::vector<double> v;
  for (int i = 0; i < n; ++i) v.push_back(shift + scale * ((i * 37 % 11) - 5) / 5.0);
  return v;
}
ember::Tensor E(const std::vector<double>& v, std::vector<int64_t> sizes, bool rg = true) {
  ember::Tensor t = ember::tensor(ember::ArrayRef<double>(v), ember::kDouble).view(sizes);
  t = t.clone();
  return rg ? t.set_requires_grad(true) : t;
}
torch::Tensor T(const std::vector<double>& v, std::vector<int64_t> sizes, bool rg = true) {
  torch::Tensor t = torch::tensor(v, torch::kDouble).view(sizes).clone();
  return rg ? t.set_requires_grad(true) : t;
}
std::vector<double> values(const ember::Tensor& t) {
  ember::Tensor c = t.to(ember::kDouble).contiguous();
  return std::vector<double>(c.data_ptr<double>(), c.data_ptr<double>() + c.numel());
}
std::vector<double> values(const torch::Tensor& t) {
  torch::Tensor c = t.to(torch::kDouble).contiguous();
  return std::vector<double>(c.data_ptr<double>(), c.data_ptr<double>() + c.numel());
}
void expect_near(const std::vector<double>& a, const std::vector<double>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) EXPECT_NEAR(a[i], b[i], 1e-9 * (1 + std::abs(b[i]))) << "element " << i;
}

TEST(Differential, MlpLossAndGradients) {
  auto x = data(12, 1.0, 0.1), w1 = data(20, 0.5, 0.0), b1 = data(5, 0.2, 0.05), w2 = data(10, 0.7, -0.1);
  ember::Tensor ex = E(x, {3, 4}, false), ew1 = E(w1, {4, 5}), eb1 = E(b1, {5}), ew2 = E(w2, {5, 2});
  torch::Tensor tx = T(x, {3, 4}, false), tw1 = T(w1, {4, 5}), tb1 = T(b1, {5}), tw2 = T(w2, {5, 2});
  ember::Tensor el = ((ex.mm(ew1) + eb1).relu().mm(ew2).sigmoid() * 2 + ew2.sum().tanh()).mean();
  torch::Tensor tl = ((tx.mm(tw1) + tb1).relu().mm(tw2).sigmoid() * 2 + tw2.sum().tanh()).mean();
  expect_near(values(el), values(tl));
  el.backward();
  tl.backward();
  expect_near(values(ew1.grad()), values(tw1.grad()));
  expect_near(values(eb1.grad()), values(tb1.grad()));
  expect_near(values(ew2.grad()), values(tw2.grad()));
}

TEST(Differential, ElementwiseBroadcastAndReductions) {
  auto a = data(6, 1.0, 2.0), b = data(3, 0.5, 1.5);
  ember::Tensor ea = E(a, {2, 3}), eb = E(b, {3});
  torch::Tensor ta = T(a, {2, 3}), tb = T(b, {3});
  ember::Tensor el = ((ea / eb).exp() + ea.log() * eb.pow(2) - ea.pow(eb)).sum({1}).mean() + (ea - eb).neg().sum();
  torch::Tensor tl = ((ta / tb).exp() + ta.log() * tb.pow(2) - ta.pow(tb)).sum({1}).mean() + (ta - tb).neg().sum();
  expect_near(values(el), values(tl));
  el.backward();
  tl.backward();
  expect_near(values(ea.grad()), values(ta.grad()));
  expect_near(values(eb.grad()), values(tb.grad()));
}

TEST(Differential, InplaceOnViewRoutesGradientsLikeCopySlices) {
  auto a = data(4, 1.0, 0.5), b = data(2, 1.0, 1.0);
  ember::Tensor ea = E(a, {4}), eb = E(b, {2});
  torch::Tensor ta = T(a, {4}), tb = T(b, {2});
  ember::Tensor ebase = ea.clone();
  torch::Tensor tbase = ta.clone();
  ebase.narrow(0, 1, 2).mul_(eb);
  tbase.narrow(0, 1, 2).mul_(tb);
  EXPECT_EQ(ebase.grad_fn()->name(), "CopySlices");
  EXPECT_EQ(tbase.grad_fn()->name(), "torch::autograd::CopySlices");
  (ebase * ember::arange(4).to(ember::kDouble)).sum().backward();
  (tbase * torch::arange(4).to(torch::kDouble)).sum().backward();
  expect_near(values(ea.grad()), values(ta.grad()));
  expect_near(values(eb.grad()), values(tb.grad()));
}

// In-place updates through chains of views of a base that is not contiguous
// and not a view (column-major, permuted): LibTorch rebases each with
// CopySlices on the base's strides, and so must Ember.
TEST(Differential, InplaceOnViewsOfANonContiguousBase) {
  auto a = data(12, 1.0, 0.5), b = data(2, 1.0, 1.0), c = data(3, 0.5, -0.2), x = data(24, 0.3, 0.1),
       s = data(3, 1.0, 0.0);
  ember::Tensor ea = E(a, {3, 4}), eb = E(b, {2}), ec = E(c, {3, 1}), ex = E(x, {2, 3, 4}), es = E(s, {3});
  torch::Tensor ta = T(a, {3, 4}), tb = T(b, {2}), tc = T(c, {3, 1}), tx = T(x, {2, 3, 4}), ts = T(s, {3});

  ember::Tensor ebase = ember::empty_strided({3, 4}, {1, 3}, ember::kDouble);
  torch::Tensor tbase = torch::empty_strided({3, 4}, {1, 3}, torch::kDouble);
  ebase.copy_(ea);
  tbase.copy_(ta);
  ember::Tensor erow = ebase.select(0, 2);
  torch::Tensor trow = tbase.select(0, 2);
  ebase.t().narrow(0, 1, 2).select(1, 2).mul_(eb);
  tbase.t().narrow(0, 1, 2).select(1, 2).mul_(tb);
  ebase.select(0, 1).mul_(-0.5);  // Saves nothing: the later in-place ops may change the base.
  tbase.select(0, 1).mul_(-0.5);
  ebase.slice(1, 0, 4, 2).add_(ec, 2);
  tbase.slice(1, 0, 4, 2).add_(tc, 2);
  erow.mul_(erow.clone());
  trow.mul_(trow.clone());
  EXPECT_EQ(ebase.grad_fn()->name(), "CopySlices");
  EXPECT_EQ(erow.grad_fn()->name(), "AsStridedBackward0");
  EXPECT_EQ(trow.grad_fn()->name(), "AsStridedBackward0");
  expect_near(values(ebase), values(tbase));

  ember::Tensor e3 = ember::empty_strided({2, 3, 4}, {1, 2, 6}, ember::kDouble);
  torch::Tensor t3 = torch::empty_strided({2, 3, 4}, {1, 2, 6}, torch::kDouble);
  e3.copy_(ex);
  t3.copy_(tx);
  e3.permute({2, 0, 1}).select(0, 3).select(0, 1).copy_(es);
  t3.permute({2, 0, 1}).select(0, 3).select(0, 1).copy_(ts);
  expect_near(values(e3), values(t3));

  ember::Tensor el = (ebase * ember::arange(12).to(ember::kDouble).view({3, 4})).sum() + erow.sum() * 3 +
                     (e3 * e3).sum();
  torch::Tensor tl = (tbase * torch::arange(12).to(torch::kDouble).view({3, 4})).sum() + trow.sum() * 3 +
                     (t3 * t3).sum();
  expect_near(values(el), values(tl));
  el.backward();
  tl.backward();
  for (auto [e, t] : {std::pair{ea, ta}, {eb, tb}, {ec, tc}, {ex, tx}, {es, ts}}) {
    expect_near(values(e.grad()), values(t.grad()));
  }
}

// First-order gradients through CopySlices match LibTorch's. Second-order
// ones are compared with LibTorch on the same function written out of place:
// LibTorch 1.13's double backward through CopySlices is wrong here (for
// a = [[.5, 1, 1.5], [2, 2.5, 3]], b = [1, 2, 3] it gives d/db0 = 144 where
// finite differences and its own out-of-place graph give 136); Ember's is
// also checked by gradgradcheck in //autograd:gradcheck_test.
TEST(Differential, DoubleBackwardThroughAnInplaceOpOnAView) {
  auto a = data(6, 1.0, 0.5), b = data(3, 1.0, 1.0);
  ember::Tensor ea = E(a, {2, 3}), eb = E(b, {3});
  torch::Tensor ta = T(a, {2, 3}), tb = T(b, {3});
  ember::Tensor ebase = ea * 1;
  torch::Tensor tbase = ta * 1;
  ebase.select(0, 1).mul_(eb);
  tbase.select(0, 1).mul_(tb);
  auto eg = ember::autograd::grad({(ebase * ebase).sum()}, {ea, eb}, {}, -1, true);
  auto tg = torch::autograd::grad({(tbase * tbase).sum()}, {ta, tb}, {}, c10::nullopt, true);
  expect_near(values(eg[0]), values(tg[0]));
  expect_near(values(eg[1]), values(tg[1]));
  (eg[0].sum() + eg[1].pow(2).sum()).backward();

  torch::Tensor ta2 = T(a, {2, 3}), tb2 = T(b, {3});
  torch::Tensor out_of_place = torch::stack({ta2.select(0, 0), ta2.select(0, 1) * tb2}, 0);
  auto tg2 = torch::autograd::grad({(out_of_place * out_of_place).sum()}, {ta2, tb2}, {}, c10::nullopt, true);
  (tg2[0].sum() + tg2[1].pow(2).sum()).backward();
  expect_near(values(ea.grad()), values(ta2.grad()));
  expect_near(values(eb.grad()), values(tb2.grad()));
}

// Hooks and retain_grad across in-place ops, one program in both libraries.
TEST(Differential, HooksAndRetainGradAcrossInplaceOps) {
  auto w = data(4, 1.0, 0.5);
  ember::Tensor ew = E(w, {4});
  torch::Tensor tw = T(w, {4});
  std::vector<ember::Tensor> eseen;
  std::vector<torch::Tensor> tseen;
  ew.register_hook([](ember::Tensor g) { return g * 3; });
  tw.register_hook([](torch::Tensor g) { return g * 3; });
  ember::Tensor eb = ew * 2;
  torch::Tensor tb = tw * 2;
  ember::Tensor ev = eb.narrow(0, 1, 2);
  torch::Tensor tv = tb.narrow(0, 1, 2);
  eb.retain_grad();
  tb.retain_grad();
  eb.register_hook([&](ember::Tensor g) { eseen.push_back(g.clone()); return g + 1; });
  tb.register_hook([&](torch::Tensor g) { tseen.push_back(g.clone()); return g + 1; });
  ev.retain_grad();
  tv.retain_grad();
  ev.mul_(ev.clone());
  tv.mul_(tv.clone());
  ev.register_hook([&](ember::Tensor g) { eseen.push_back(g.clone()); return g * 2; });
  tv.register_hook([&](torch::Tensor g) { tseen.push_back(g.clone()); return g * 2; });
  eb.mul_(ember::arange(4).to(ember::kDouble));
  tb.mul_(torch::arange(4).to(torch::kDouble));
  ember::Tensor el = eb.sum() + ev.pow(2).sum();
  torch::Tensor tl = tb.sum() + tv.pow(2).sum();
  el.backward();
  tl.backward();
  ASSERT_EQ(eseen.size(), tseen.size());
  for (size_t i = 0; i < eseen.size(); ++i) expect_near(values(eseen[i]), values(tseen[i]));
  expect_near(values(ew.grad()), values(tw.grad()));
  ASSERT_EQ(eb.grad().defined(), tb.grad().defined());
  if (tb.grad().defined()) expect_near(values(eb.grad()), values(tb.grad()));
  ASSERT_EQ(ev.grad().defined(), tv.grad().defined());
  if (tv.grad().defined()) expect_near(values(ev.grad()), values(tv.grad()));
}

// A thousand distinct values in [lo, hi].
std::vector<double> spread(double lo, double hi) {
  std::vector<double> v;
  for (int i = 0; i < 1000; ++i) v.push_back(lo + (hi - lo) * ((i * 7919) % 1009) / 1009.0);
  return v;
}

// Results that must agree to the bit: the fused add/sub with alpha,
// sigmoid_backward and tanh_backward (tanh's fused), and gradients whose
// formulas use only correctly rounded operations, which then round as
// LibTorch's formulas do only if they multiply in LibTorch's order. (The
// forward of sigmoid, tanh and pow to other exponents rounds differently:
// LibTorch uses SLEEF; see tensor/README.md.)
template <class Tensor, class Make, class Grad, class Backward>
std::vector<std::vector<double>> bitwise_results(Make make, Grad grad, Backward activation_backward) {
  std::vector<std::vector<double>> out;
  for (bool float32 : {false, true}) {
    Tensor x = make(spread(0.2, 2.0), float32), y = make(spread(0.5, 3.0), float32), g = make(spread(-2, 2), float32);
    Tensor xd = x.detach(), yd = y.detach();
    out.push_back(values(xd.add(yd, 2.7)));
    out.push_back(values(xd.sub(yd, 0.3)));
    out.push_back(values(activation_backward(g, yd, /*tanh=*/false)));
    out.push_back(values(activation_backward(g, yd.sub(1.25).mul(0.5), /*tanh=*/true)));
    out.push_back(values(grad(x.pow(3), x, g)));
    out.push_back(values(grad(x.pow(-1), x, g)));
    out.push_back(values(grad(x.pow(0.5), x, g)));
    out.push_back(values(grad(x / y, x, g)));
    out.push_back(values(grad(x / y, y, g)));
    out.push_back(values(grad(x * y, y, g)));
  }
  return out;
}

TEST(Differential, FusedAndBackwardArithmeticMatchLibTorchToTheBit) {
  auto mine = bitwise_results<ember::Tensor>(
      [](const std::vector<double>& v, bool f) {
        ember::Tensor t = E(v, {static_cast<int64_t>(v.size())}, false);
        return (f ? t.to(ember::kFloat) : t).set_requires_grad(true);
      },
      [](const ember::Tensor& r, const ember::Tensor& in, const ember::Tensor& g) {
        return ember::autograd::grad({r}, {in}, {g})[0];
      },
      [](const ember::Tensor& g, const ember::Tensor& y, bool tanh) {
        return (tanh ? ember::ops::tanh_backward : ember::ops::sigmoid_backward).call(g, y, 1);
      });
  auto theirs = bitwise_results<torch::Tensor>(
      [](const std::vector<double>& v, bool f) {
        torch::Tensor t = T(v, {static_cast<int64_t>(v.size())}, false);
        return (f ? t.to(torch::kFloat) : t).set_requires_grad(true);
      },
      [](const torch::Tensor& r, const torch::Tensor& in, const torch::Tensor& g) {
        return torch::autograd::grad({r}, {in}, {g})[0];
      },
      [](const torch::Tensor& g, const torch::Tensor& y, bool tanh) {
        return tanh ? at::tanh_backward(g, y) : at::sigmoid_backward(g, y);
      });
  ASSERT_EQ(mine.size(), theirs.size());
  for (size_t k = 0; k < mine.size(); ++k) {
    int differing = 0;
    for (size_t i = 0; i < mine[k].size(); ++i) differing += mine[k][i] != theirs[k][i];
    EXPECT_EQ(differing, 0) << "result " << k << " (" << (k < mine.size() / 2 ? "float64" : "float32") << ")";
  }
}

TEST(Differential, DoubleBackward) {
  auto x = data(3, 1.0, 0.3);
  ember::Tensor ex = E(x, {3});
  torch::Tensor tx = T(x, {3});
  ember::Tensor eg = ember::autograd::grad({(ex * ex * ex).sigmoid().sum()}, {ex}, {}, -1, true)[0];
  torch::Tensor tg = torch::autograd::grad({(tx * tx * tx).sigmoid().sum()}, {tx}, {}, c10::nullopt, true)[0];
  expect_near(values(eg), values(tg));
  eg.sum().backward();
  tg.sum().backward();
  expect_near(values(ex.grad()), values(tx.grad()));
}

#define EXPECT_SAME_PHRASE(ember_stmt, torch_stmt)                                            \
  do {                                                                                        \
    std::string t_ = differential::TorchLib::error_of([&] { torch_stmt; });                   \
    std::string e_ = differential::EmberLib::error_of([&] { ember_stmt; });                   \
    EXPECT_NE(t_, "") << "LibTorch did not refuse it";                                        \
    EXPECT_NE(e_.find(t_), std::string::npos) << "LibTorch: " << t_ << "\nEmber: " << e_;     \
  } while (0)

TEST(Differential, ErrorPhrasesMatchLibTorch) {
  ember::Tensor ei;
  torch::Tensor ti;
  {
    ember::InferenceMode g;
    ei = ember::ones({3}, ember::kDouble);
  }
  {
    c10::InferenceMode g;
    ti = torch::ones({3}, torch::kDouble);
  }
  ember::Tensor ew = E({1, 2, 3}, {3});
  torch::Tensor tw = T({1, 2, 3}, {3});
  EXPECT_SAME_PHRASE(ei.add_(1), ti.add_(1));
  EXPECT_SAME_PHRASE(ei.copy_(ew.detach()), ti.copy_(tw.detach()));
  EXPECT_SAME_PHRASE(ei.set_requires_grad(true), ti.set_requires_grad(true));
  EXPECT_SAME_PHRASE(ei._version(), ti._version());
  EXPECT_SAME_PHRASE(ei * ew, ti * tw);
  EXPECT_SAME_PHRASE(ew.add_(1), tw.add_(1));
  EXPECT_SAME_PHRASE(ew.view({3}).add_(1), tw.view({3}).add_(1));
  EXPECT_SAME_PHRASE(ember::Tensor x = ew * 1; ember::Tensor v; {
    ember::InferenceMode g;
    v = x.view({3});
  } v.add_(1), torch::Tensor x = tw * 1; torch::Tensor v; {
    c10::InferenceMode g;
    v = x.view({3});
  } v.add_(1));
  EXPECT_SAME_PHRASE(ember::Tensor y = (ew * ew).sum(); y.backward(); y.backward(),
                     torch::Tensor y = (tw * tw).sum(); y.backward(); y.backward());
  EXPECT_SAME_PHRASE(ember::Tensor y = ew.sigmoid(); ember::Tensor z = y.sum(); y.add_(1); z.backward(),
                     torch::Tensor y = tw.sigmoid(); torch::Tensor z = y.sum(); y.add_(1); z.backward());
  EXPECT_SAME_PHRASE((ew * 2).backward(), (tw * 2).backward());
  EXPECT_SAME_PHRASE(ember::mul_out(ei, ew, ew), torch::mul_out(ti, tw, tw));
  // An in-place op on an inference tensor outside the mode that is also
  // invalid: LibTorch's kernel runs first, so its error wins (Ember runs the
  // kernel on a copy, and still writes nothing).
  EXPECT_SAME_PHRASE(ei.add_(ember::ones({4}, ember::kDouble)), ti.add_(torch::ones({4}, torch::kDouble)));
  EXPECT_SAME_PHRASE(ei.copy_(ember::ones({2}, ember::kDouble)), ti.copy_(torch::ones({2}, torch::kDouble)));
  EXPECT_SAME_PHRASE(ember::Tensor l; {
    ember::InferenceMode g;
    l = ember::ones({3}, ember::kLong);
  } l.add_(1.5), torch::Tensor l; {
    c10::InferenceMode g;
    l = torch::ones({3}, torch::kLong);
  } l.add_(1.5));
  EXPECT_TRUE(ei.equal(ember::ones({3}, ember::kDouble)));
  EXPECT_SAME_PHRASE(ember::Tensor n = ember::zeros({3}); ember::add_out(n, ew, ew),
                     torch::Tensor n = torch::zeros({3}); torch::add_out(n, tw, tw));
}

using differential::state;

// The state of what `body` returns, or "error" when it throws.
template <class Body>
std::string outcome(Body body) {
  try {
    return state(body());
  } catch (const std::exception&) {
    return std::string("error");
  }
}

template <class Tensor, class InferenceMode, class NoGrad, class Make>
std::vector<std::string> mode_story(Make make) {
  std::vector<std::string> out;
  Tensor w = make().set_requires_grad(true);
  Tensor x = make();
  Tensor a, b, c, d, e, f;
  {
    InferenceMode g;
    a = w * 2;          // functional op inside
    b = w.view({3});    // view of a normal leaf inside
    c = make();         // factory inside
    x.add_(1);          // in-place on a normal tensor inside
    d = c.view({3});    // view of an inference tensor inside
  }
  {
    NoGrad g;
    e = w * 2;
    f = (w * 1).view({3});
  }
  Tensor y = a + w;     // functional op on an inference tensor outside
  Tensor z = c.view({3});
  Tensor u = w.view({3});
  Tensor s = (w * x).sum();
  for (const Tensor* t : {&w, &x, &a, &b, &c, &d, &e, &f, &y, &z, &u, &s}) out.push_back(state(*t));
  return out;
}

TEST(Differential, LeafGradVersionInferenceAndViewStateAfterEachStep) {
  auto ember_story = mode_story<ember::Tensor, ember::InferenceMode, ember::NoGradGuard>(
      [] { return ember::ones({3}, ember::kDouble); });
  auto torch_story = mode_story<torch::Tensor, c10::InferenceMode, torch::NoGradGuard>(
      [] { return torch::ones({3}, torch::kDouble); });
  const char* names[] = {"w", "x", "a", "b", "c", "d", "e", "f", "y", "z", "u", "s"};
  for (size_t i = 0; i < ember_story.size(); ++i) EXPECT_EQ(ember_story[i], torch_story[i]) << names[i];
}

// Steps at the edges of the inference-tensor rules, each run alone: the
// state of its result, or "error" when it throws.
template <class Tensor, class InferenceMode, class NoGrad, class Make>
std::vector<std::string> edge_story(Make make) {
  auto inference = [&] {
    InferenceMode g;
    return make();
  };
  std::vector<std::string> out;
  // Inside InferenceMode: a factory that requires grad, and in-place ops on
  // a normal leaf that requires grad and on a view of it (no Autograd kernel
  // runs there, so neither is refused).
  out.push_back(outcome([&] {
    InferenceMode g;
    return make().set_requires_grad(true);
  }));
  out.push_back(outcome([&] {
    Tensor w = make().set_requires_grad(true);
    InferenceMode g;
    w.add_(1);
    return w;
  }));
  out.push_back(outcome([&] {
    Tensor w = make().set_requires_grad(true);
    InferenceMode g;
    Tensor v = w.view({3});
    v.mul_(2);
    return v;
  }));
  // Outside: what functional ops, detach and conversions make of an
  // inference tensor.
  out.push_back(outcome([&] { return inference().detach(); }));
  out.push_back(outcome([&] { return inference().clone(); }));
  out.push_back(outcome([&] { return inference().to(decltype(make().dtype())(make().dtype())); }));
  out.push_back(outcome([&] { return inference().neg(); }));
  out.push_back(outcome([&] {
    Tensor i = inference();
    i.detach_();
    return i;
  }));
  // InferenceMode(false) inside InferenceMode is normal mode again; under
  // NoGradGuard inside it, still inference.
  out.push_back(outcome([&] {
    InferenceMode outer;
    InferenceMode inner(false);
    return make();
  }));
  out.push_back(outcome([&] {
    InferenceMode outer;
    NoGrad inner;
    return make();
  }));
  // An inference tensor with a normal one that requires grad, in a
  // functional op outside: refused only when it must be saved.
  out.push_back(outcome([&] { return inference() + make().set_requires_grad(true); }));
  out.push_back(outcome([&] { return inference() * make().set_requires_grad(true); }));
  return out;
}

// detach_(): on a result, a leaf, views, inference tensors, inside the
// modes, and what an existing graph still does with the tensor.
template <class Tensor, class InferenceMode, class NoGrad, class Make>
std::vector<std::string> detach_story(Make make) {
  auto grad_of = [](const Tensor& t) {
    return t.grad().defined() ? "grad " + std::to_string(t.grad().sum().template item<double>()) : "no grad";
  };
  std::vector<std::string> out;
  out.push_back(outcome([&] {
    Tensor y = make().set_requires_grad(true) * 2;
    y.detach_();
    return y;
  }));
  out.push_back(outcome([&] {
    Tensor w = make().set_requires_grad(true);
    w.detach_();
    return w;
  }));
  out.push_back(outcome([&] { return (make().set_requires_grad(true) * 2).view({3}).detach_(); }));
  out.push_back(outcome([&] { return make().view({3}).detach_(); }));
  out.push_back(outcome([&] {
    Tensor i;
    {
      InferenceMode g;
      i = make();
    }
    return i.detach_();
  }));
  out.push_back(outcome([&] {
    Tensor w = make().set_requires_grad(true);
    Tensor y = w * 2;
    InferenceMode g;
    w.detach_();
    y.detach_();
    return y;
  }));
  out.push_back(outcome([&] {
    Tensor y = make().set_requires_grad(true) * 2;
    NoGrad g;
    return y.detach_();
  }));
  // The graph built before keeps its nodes: a detached result still passes
  // gradients back (when the graph did not save it: LibTorch 1.13 fails an
  // internal assert, "No grad_fn for non-leaf saved tensor", if it did); a
  // detached leaf no longer accumulates.
  {
    Tensor w = make().set_requires_grad(true);
    Tensor y = w * 2;
    Tensor s = (y * 3).sum();
    y.detach_();
    s.backward();
    out.push_back(grad_of(w));
  }
  {
    Tensor w = make().set_requires_grad(true);
    Tensor s = (w * 3).sum();
    w.detach_();
    s.backward();
    out.push_back(grad_of(w));
  }
  return out;
}

TEST(Differential, DetachInPlace) {
  auto ember_story = detach_story<ember::Tensor, ember::InferenceMode, ember::NoGradGuard>(
      [] { return ember::ones({3}, ember::kDouble); });
  auto torch_story = detach_story<torch::Tensor, c10::InferenceMode, torch::NoGradGuard>(
      [] { return torch::ones({3}, torch::kDouble); });
  ASSERT_EQ(ember_story.size(), torch_story.size());
  for (size_t i = 0; i < ember_story.size(); ++i) EXPECT_EQ(ember_story[i], torch_story[i]) << "step " << i;
}

TEST(Differential, DetachingAViewInPlaceKeepsLibTorchsPhrase) {
  ember::Tensor ew = E({1, 2, 3}, {3});
  torch::Tensor tw = T({1, 2, 3}, {3});
  EXPECT_SAME_PHRASE((ew * 2).view({3}).detach_(), (tw * 2).view({3}).detach_());
}

TEST(Differential, EdgesOfTheInferenceTensorRules) {
  auto ember_story = edge_story<ember::Tensor, ember::InferenceMode, ember::NoGradGuard>(
      [] { return ember::ones({3}, ember::kDouble); });
  auto torch_story = edge_story<torch::Tensor, c10::InferenceMode, torch::NoGradGuard>(
      [] { return torch::ones({3}, torch::kDouble); });
  ASSERT_EQ(ember_story.size(), torch_story.size());
  // 2: after an in-place op inside InferenceMode on a view made there, the
  //    view's grad_fn is stale. LibTorch's C++ is_leaf() reads grad_fn_
  //    without regenerating it and answers "leaf"; so does Ember's (Python's
  //    is_leaf regenerates it and throws).
  EXPECT_EQ(torch_story[2], "leaf rg normal view v1");
  EXPECT_EQ(ember_story[2], torch_story[2]);
  // Two known differences, each pinned on both sides so that a change in
  // either library shows here:
  // 3: LibTorch's detach() of an inference tensor outside InferenceMode
  //    gives it a fresh version counter (shallow_copy_and_detach with 0)
  //    although is_inference() is true; Ember's is an inference tensor
  //    throughout: no version counter.
  EXPECT_EQ(torch_story[3], "leaf norg inf noview v0");
  EXPECT_EQ(ember_story[3], "leaf norg inf noview v-");
  // 4: LibTorch's clone() of an inference tensor outside InferenceMode runs
  //    its inner copy_ through ADInplaceOrView and starts at version 1;
  //    Ember's fresh tensors start at 0.
  EXPECT_EQ(torch_story[4], "leaf norg normal noview v1");
  EXPECT_EQ(ember_story[4], "leaf norg normal noview v0");
  for (size_t i = 0; i < ember_story.size(); ++i) {
    if (i < 2 || i > 4) {
      EXPECT_EQ(ember_story[i], torch_story[i]) << "step " << i;
    }
  }
}

// Found by random programs: an in-place op on a view, from a leaf that is
// not among grad()'s inputs, after an earlier in-place op on the same view.
// LibTorch 1.13's grad() gives up ("could not compute gradients for some
// functions") where its backward() computes the input's gradient; Ember's
// grad() gives what LibTorch's backward() gives.
template <class Tensor, class Make, class Leaf>
std::pair<Tensor, Tensor> inplace_from_a_leaf_not_asked_for(Make make, Leaf leaf_of) {
  Tensor x = make();
  Tensor base = x * 1;
  Tensor view = base.transpose(0, 1).reshape({-1});
  view.zero_();
  Tensor other = leaf_of(view / 3);
  view.sub_(other);
  return {x, (other * 2.0).sum() + (base * 0.5).sum()};
}

TEST(Differential, GradThroughAnInplaceOpOnAViewFromALeafNotAskedForIsBackwardsGradient) {
  auto make_t = [] { return (torch::arange(12, torch::kDouble).view({1, 3, 1, 4}) * 0.1 + 0.3).set_requires_grad(true); };
  auto leaf_t = [](const torch::Tensor& t) { return t.detach().clone().requires_grad_(true); };
  auto [tx, tloss] = inplace_from_a_leaf_not_asked_for<torch::Tensor>(make_t, leaf_t);
  EXPECT_EQ(differential::TorchLib::error_of([&] { (void)torch::autograd::grad({tloss}, {tx}, {}, true); }),
            "could not compute gradients for some functions");
  tloss.backward();

  auto make_e = [] {
    return (ember::arange(12).to(ember::kDouble).view({1, 3, 1, 4}) * 0.1 + 0.3).set_requires_grad(true);
  };
  auto leaf_e = [](const ember::Tensor& t) { return t.detach().clone().requires_grad_(true); };
  auto [ex, eloss] = inplace_from_a_leaf_not_asked_for<ember::Tensor>(make_e, leaf_e);
  expect_near(values(ember::autograd::grad({eloss}, {ex})[0]), values(tx.grad()));
}

}  // namespace
