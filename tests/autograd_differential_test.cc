// The same programs in Ember and in LibTorch 1.13, compared: values,
// gradients, and error messages (LibTorch's phrase must appear in Ember's).
#include <torch/torch.h>

#include <functional>
#include <string>
#include <vector>

#include "autograd/autograd.h"
#include "gtest/gtest.h"
#include "modes/grad_mode.h"
#include "modes/inference_mode.h"
#include "tensor/tensor.h"

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

std::string ember_error(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "(no error)";
}
std::string torch_error(const std::function<void()>& f) {
  try {
    f();
  } catch (const c10::Error& e) {
    return e.what_without_backtrace();
  }
  return "(no error)";
}
#define EXPECT_SAME_PHRASE(ember_stmt, torch_stmt)                               \
  do {                                                                           \
    std::string t_ = torch_error([&] { torch_stmt; });                           \
    std::string e_ = ember_error([&] { ember_stmt; });                           \
    EXPECT_NE(t_, "(no error)");                                                 \
    EXPECT_NE(e_.find(t_), std::string::npos) << "LibTorch: " << t_ << "\nEmber: " << e_; \
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
}

// (is_leaf, requires_grad, is_inference, is_view, _version or -1) after each step.
template <class Tensor>
std::string state(const Tensor& t) {
  std::string v;
  try {
    v = std::to_string(t._version());
  } catch (...) {
    v = "-";
  }
  return std::string(t.is_leaf() ? "leaf " : "nonleaf ") + (t.requires_grad() ? "rg " : "norg ") +
         (t.is_inference() ? "inf " : "normal ") + (t.is_view() ? "view " : "noview ") + "v" + v;
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

}  // namespace
