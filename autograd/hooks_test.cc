// Tensor::register_hook / remove_hook and retain_grad across grad_fn changes,
// as LibTorch 1.13 behaves (each expectation was read off a LibTorch program).
#include <vector>

#include "autograd/autograd.h"
#include "autograd/function.h"
#include "autograd/test_util.h"
#include "modes/warning.h"
#include "tensor/tensor.h"

namespace ember {
namespace autograd {
namespace {

Tensor dvec(std::initializer_list<double> v) { return tensor(v).to(kDouble); }
Tensor leaf(std::initializer_list<double> v) { return dvec(v).set_requires_grad(true); }

TEST(Hooks, RunInRegistrationOrderAndMayReplaceTheGradient) {
  Tensor w = leaf({1, 1, 1});
  Tensor b = w * 1;
  std::vector<std::string> calls;
  b.register_hook([&](const Tensor& g) {
    calls.push_back("double");
    return g * 2;
  });
  b.register_hook([&](const Tensor& g) {
    calls.push_back("look");
    EXPECT_TRUE(g.allclose(dvec({2, 2, 2})));
  });
  b.register_hook([&](Tensor g) { return g + 1; });
  b.sum().backward();
  EXPECT_EQ(calls, (std::vector<std::string>{"double", "look"}));
  EXPECT_TRUE(w.grad().allclose(dvec({3, 3, 3})));
}

// Two outputs from one node: a backward through the first alone leaves the
// second's gradient undefined.
struct TwoOutputs : Function<TwoOutputs> {
  static variable_list forward(AutogradContext*, Tensor x) { return {x * 2, x * 3}; }
  static variable_list backward(AutogradContext*, variable_list g) { return {g[0] * 2 + g[1] * 3}; }
};

TEST(Hooks, AreNotCalledWithAnUndefinedGradient) {
  // LibTorch 1.13 calls the hook with an undefined tensor here, and its C++
  // hook wrapper then fails an internal assert (`src.defined()`).
  Tensor x = leaf({1, 1});
  variable_list outs = TwoOutputs::apply(x);
  bool first_called = false, second_called = false;
  outs[0].register_hook([&](const Tensor&) { first_called = true; });
  outs[1].register_hook([&](const Tensor&) { second_called = true; });
  outs[0].sum().backward();
  EXPECT_TRUE(first_called);
  EXPECT_FALSE(second_called);
  EXPECT_TRUE(x.grad().allclose(dvec({2, 2})));  // the missing gradient counted as zeros
}

TEST(Hooks, LeafHooksRunBeforeAccumulation) {
  Tensor w = leaf({1, 1, 1});
  w.register_hook([](const Tensor& g) { return g * 10; });
  Tensor seen;
  w.register_hook([&](const Tensor& g) { seen = g.clone(); });
  (w * 2).sum().backward();
  EXPECT_TRUE(seen.allclose(dvec({20, 20, 20})));
  EXPECT_TRUE(w.grad().allclose(dvec({20, 20, 20})));
}

TEST(Hooks, OnAViewOfALeafSeeTheViewsGradient) {
  Tensor w = leaf({1, 1, 1, 1});
  Tensor v = w.narrow(0, 0, 2);
  Tensor seen;
  v.register_hook([&](Tensor g) {
    seen = g.clone();
    return g * 2;
  });
  (v * 3).sum().backward();
  EXPECT_TRUE(seen.allclose(dvec({3, 3})));
  EXPECT_TRUE(w.grad().allclose(dvec({6, 6, 0, 0})));
}

// The view's history is regenerated first (its base changed through a
// detached alias), and the hook goes on the new node. LibTorch 1.13
// segfaults here unless grad_fn() was read before register_hook.
TEST(Hooks, OnAViewWhoseBaseChangedGoOnTheRegeneratedHistory) {
  Tensor w = leaf({1, 2, 3, 4});
  Tensor v = w.narrow(0, 1, 2);
  v.detach().fill_(5);
  v.register_hook([](Tensor g) { return g * 2; });
  EXPECT_EQ(v.grad_fn()->name(), "AsStridedBackward0");
  (v * 3).sum().backward();
  EXPECT_TRUE(w.grad().allclose(dvec({0, 6, 6, 0})));
}

TEST(Hooks, ReplacementsKeepTheirHistoryUnderCreateGraph) {
  Tensor w = leaf({1, 2});
  Tensor b = w * w;
  b.register_hook([&](const Tensor& g) { return g * w; });  // Makes the gradient depend on w again.
  Tensor g = grad({b.sum()}, {w}, {}, -1, /*create_graph=*/true)[0];  // 2 w * w
  EXPECT_TRUE(g.allclose(dvec({2, 8})));
  g.sum().backward();
  EXPECT_TRUE(w.grad().allclose(dvec({4, 8})));  // d(2 w^2)/dw
}

TEST(Hooks, RemoveHookStopsIt) {
  Tensor w = leaf({1, 1, 1});
  unsigned h = w.register_hook([](const Tensor& g) { return g * 10; });
  (w * 2).sum().backward();
  w.remove_hook(h);
  (w * 2).sum().backward();
  EXPECT_TRUE(w.grad().allclose(dvec({22, 22, 22})));
  w.remove_hook(h);  // Removing twice is allowed, as in LibTorch.
}

TEST(Hooks, HandlesArePositions) {
  Tensor w = leaf({1});
  Tensor b = w * 1;
  EXPECT_EQ(b.register_hook([](const Tensor& g) { return g; }), 0u);
  EXPECT_EQ(b.register_hook([](const Tensor& g) { return g; }), 1u);
}

TEST(Hooks, OnATensorThatDoesNotRequireGradThrows) {
  EXPECT_THROW_MSG(dvec({1, 2}).register_hook([](const Tensor& g) { return g; }),
                   "cannot register a hook on a variable that doesn't require gradient");
}

TEST(Hooks, RemoveWithAnUnknownHandleThrows) {
  Tensor w = leaf({1, 2});
  EXPECT_THROW_MSG(w.remove_hook(5), "Invalid index, no hook at position 5");
  w.register_hook([](const Tensor& g) { return g; });
  EXPECT_THROW_MSG(w.remove_hook(1), "Invalid index, no hook at position 1");
}

TEST(Hooks, ChangingTheDtypeThrows) {
  Tensor w = leaf({1, 2});
  w.register_hook([](const Tensor& g) { return g.to(kFloat); });
  EXPECT_THROW_MSG((w * 2).sum().backward(),
                   "hook '0' has changed the type of value (was CPUDoubleType got CPUFloatType)");
}

TEST(Hooks, ChangingTheSizeThrows) {
  Tensor w = leaf({1, 2});
  Tensor b = w * 2;
  b.register_hook([](const Tensor& g) { return g; });
  b.register_hook([](const Tensor& g) { return g.sum(); });
  EXPECT_THROW_MSG(b.sum().backward(), "hook '1' has changed the size of value");
}

TEST(Hooks, SeeTheSummedGradientOnce) {
  Tensor w = leaf({1, 1});
  Tensor b = w * 1;
  int calls = 0;
  b.register_hook([&](const Tensor& g) {
    ++calls;
    EXPECT_TRUE(g.allclose(dvec({5, 5})));
  });
  (b * 2 + b * 3).sum().backward();
  EXPECT_EQ(calls, 1);
}

TEST(Hooks, RetainGradTakesItsPlaceInRegistrationOrder) {
  Tensor w = leaf({1, 1, 1});
  Tensor b = w * 1;
  b.retain_grad();
  b.register_hook([](const Tensor& g) { return g * 2; });
  b.sum().backward();
  EXPECT_TRUE(b.grad().allclose(dvec({1, 1, 1})));  // Retained before the hook doubled it.
  EXPECT_TRUE(w.grad().allclose(dvec({2, 2, 2})));

  Tensor c = w * 1;
  c.register_hook([](const Tensor& g) { return g * 2; });
  c.retain_grad();
  c.sum().backward();
  EXPECT_TRUE(c.grad().allclose(dvec({2, 2, 2})));
}

TEST(Hooks, RegisteredBeforeAnInplaceOpSeeTheOldValuesGradient) {
  Tensor w = leaf({1, 1, 1});
  Tensor b = w * 1;
  Tensor first, second;
  b.register_hook([&](const Tensor& g) {
    first = g.clone();
    return g * 2;
  });
  b.mul_(5);
  b.register_hook([&](const Tensor& g) {
    second = g.clone();
    return g * 3;
  });
  b.sum().backward();
  EXPECT_TRUE(second.allclose(dvec({1, 1, 1})));
  EXPECT_TRUE(first.allclose(dvec({15, 15, 15})));
  EXPECT_TRUE(w.grad().allclose(dvec({30, 30, 30})));
}

TEST(Hooks, HandlesFromBeforeAnInplaceOpAreGone) {
  Tensor w = leaf({1, 1, 1});
  Tensor b = w * 1;
  unsigned h = b.register_hook([](const Tensor& g) { return g * 2; });
  b.mul_(2);
  EXPECT_THROW_MSG(b.remove_hook(h), "Invalid index, no hook at position 0");
  b.sum().backward();
  EXPECT_TRUE(w.grad().allclose(dvec({4, 4, 4})));  // The old hook still ran.
}

TEST(Hooks, RunForNonLeavesInGradButNotForLeaves) {
  Tensor w = leaf({1, 1, 1});
  bool leaf_hook_ran = false;
  w.register_hook([&](const Tensor& g) {
    leaf_hook_ran = true;
    return g * 10;
  });
  Tensor b = w * 2;
  b.register_hook([](const Tensor& g) { return g * 10; });
  EXPECT_TRUE(grad({(b * b).sum()}, {w})[0].allclose(dvec({80, 80, 80})));
  EXPECT_FALSE(leaf_hook_ran);
  // The gradient of b itself is captured before b's hooks run.
  EXPECT_TRUE(grad({(b * b).sum()}, {b})[0].allclose(dvec({4, 4, 4})));
}

TEST(RetainGrad, MovesToTheNewGradFnAfterAnInplaceOp) {
  Tensor w = leaf({1, 1, 1});
  Tensor b = w * 1;
  b.retain_grad();
  b.mul_(2);
  EXPECT_TRUE(b.retains_grad());
  (b * dvec({0, 1, 2})).sum().backward();
  EXPECT_TRUE(b.grad().allclose(dvec({0, 1, 2})));  // Of b after mul_, not before.
}

TEST(RetainGrad, OnAViewSurvivesAnInplaceOpOnTheView) {
  Tensor w = leaf({1, 1, 1, 1});
  Tensor b = w * 1;
  Tensor v = b.narrow(0, 1, 2);
  v.retain_grad();
  v.mul_(3);
  EXPECT_EQ(v.grad_fn()->name(), "AsStridedBackward0");
  (v * dvec({0, 1})).sum().backward();
  ASSERT_TRUE(v.grad().defined());
  EXPECT_TRUE(v.grad().allclose(dvec({0, 1})));
  EXPECT_TRUE(w.grad().allclose(dvec({0, 0, 3, 0})));
}

TEST(RetainGrad, OnAViewSurvivesAnInplaceOpOnItsBaseButOtherHooksStay) {
  Tensor w = leaf({1, 1, 1, 1});
  Tensor b = w * 1;
  Tensor v = b.narrow(0, 0, 2);
  bool view_hook_ran = false;
  v.register_hook([&](const Tensor& g) {
    view_hook_ran = true;
    return g * 2;
  });
  v.retain_grad();
  b.mul_(3);
  v.sum().backward();
  EXPECT_FALSE(view_hook_ran);  // It sits on the view's old SliceBackward0, no longer in the graph.
  ASSERT_TRUE(v.grad().defined());
  EXPECT_TRUE(v.grad().allclose(dvec({1, 1})));
  EXPECT_TRUE(w.grad().allclose(dvec({3, 3, 0, 0})));
}

TEST(RetainGrad, TheBasesHooksStayOnItsOldGradFnAfterAnInplaceOpOnAView) {
  Tensor w = leaf({1, 1, 1});
  Tensor b = w * 1;
  b.retain_grad();
  std::vector<Tensor> seen;
  b.register_hook([&](const Tensor& g) { seen.push_back(g.clone()); });
  b.narrow(0, 0, 2).mul_(3);
  EXPECT_EQ(b.grad_fn()->name(), "CopySlices");
  b.register_hook([&](const Tensor& g) { seen.push_back(g.clone()); });
  (b * dvec({0, 1, 2})).sum().backward();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_TRUE(seen[0].allclose(dvec({0, 3, 2})));
  EXPECT_TRUE(seen[1].allclose(dvec({0, 3, 2})));
  EXPECT_TRUE(b.grad().allclose(dvec({0, 3, 2})));
}

TEST(RetainGrad, OnALeafIsANoOp) {
  Tensor w = leaf({1, 2});
  w.retain_grad();
  EXPECT_FALSE(w.retains_grad());
}

struct CollectWarnings : WarningHandler {
  void process(const std::string& message) override { messages.push_back(message); }
  std::vector<std::string> messages;
};

TEST(Grad, ReadingANonLeafsGradWithoutRetainGradWarns) {
  Tensor y = dvec({1, 2}).set_requires_grad(true) * 2;
  y.sum().backward();
  CollectWarnings collect;
  WarningHandlerGuard guard(&collect);
  EXPECT_FALSE(y.grad().defined());
  ASSERT_EQ(collect.messages.size(), 1u);
  EXPECT_EQ(collect.messages[0].rfind("The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. "
                                      "Its .grad attribute won't be populated during autograd.backward().",
                                      0),
            0u);
  y.retain_grad();
  EXPECT_FALSE(y.grad().defined());
  EXPECT_EQ(collect.messages.size(), 1u);  // retained: no warning
}

TEST(Grad, MutableGradResetsOrReplacesTheGradient) {
  Tensor x = dvec({1, 2}).set_requires_grad(true);
  (x * 3).sum().backward();
  x.mutable_grad() = Tensor();
  EXPECT_FALSE(x.grad().defined());
  (x * 3).sum().backward();
  EXPECT_TRUE(x.grad().equal(dvec({3, 3})));
  x.mutable_grad() = dvec({10, 10});
  (x * 3).sum().backward();
  EXPECT_TRUE(x.grad().equal(dvec({13, 13})));
}

TEST(Grad, MutableGradOfARetainedNonLeafIsItsRetainedGradient) {
  Tensor y = dvec({1, 2}).set_requires_grad(true) * 2;
  y.retain_grad();
  (y * 5).sum().backward();
  EXPECT_TRUE(y.mutable_grad().equal(dvec({5, 5})));
  y.mutable_grad() = Tensor();
  EXPECT_FALSE(y.grad().defined());
}

}  // namespace
}  // namespace autograd
}  // namespace ember
