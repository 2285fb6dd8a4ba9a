#include "autograd/function.h"

#include "autograd/engine.h"
#include "autograd/gradcheck.h"
#include "autograd/test_util.h"
#include "modes/inference_mode.h"
#include "modes/kernel_guards.h"
#include "tensor/tensor.h"

namespace ember {
namespace autograd {
namespace {

struct Square : Function<Square> {
  static Tensor forward(AutogradContext* ctx, Tensor x) {
    ctx->save_for_backward({x});
    AutoDispatchBelowADInplaceOrView g;  // The kernel-side guard.
    return x * x;
  }
  static variable_list backward(AutogradContext* ctx, variable_list g) {
    Tensor x = ctx->get_saved_variables()[0];
    return {g[0] * 2 * x};
  }
};

// A non-tensor argument and saved_data.
struct MulConstant : Function<MulConstant> {
  static Tensor forward(AutogradContext* ctx, Tensor x, double c) {
    ctx->saved_data["c"] = c;
    return x * c;
  }
  static variable_list backward(AutogradContext* ctx, variable_list g) {
    return {g[0] * ctx->saved_data["c"].toDouble(), Tensor()};
  }
};

// Two outputs, two inputs; needs_input_grad.
struct MulAndAdd : Function<MulAndAdd> {
  static variable_list forward(AutogradContext* ctx, Tensor a, Tensor b) {
    ctx->save_for_backward({a, b});
    ctx->saved_data["needs_a"] = ctx->needs_input_grad(0);
    ctx->saved_data["needs_b"] = ctx->needs_input_grad(1);
    return {a * b, a + b};
  }
  static variable_list backward(AutogradContext* ctx, variable_list g) {
    variable_list s = ctx->get_saved_variables();
    return {g[0] * s[1] + g[1], g[0] * s[0] + g[1]};
  }
};

// In place on its input.
struct DoubleInplace : Function<DoubleInplace> {
  static Tensor forward(AutogradContext* ctx, Tensor x) {
    ctx->mark_dirty({x});
    AutoDispatchBelowADInplaceOrView g;
    x.mul_(2);
    return x;
  }
  static variable_list backward(AutogradContext*, variable_list g) { return {g[0] * 2}; }
};

// A differentiable output and a non-differentiable mask.
struct ReluWithMask : Function<ReluWithMask> {
  static variable_list forward(AutogradContext* ctx, Tensor x) {
    Tensor y = x.relu();
    Tensor mask = y.eq(0).to(x.dtype());
    ctx->mark_non_differentiable({mask});
    ctx->save_for_backward({mask});
    return {y, mask};
  }
  static variable_list backward(AutogradContext* ctx, variable_list g) {
    Tensor mask = ctx->get_saved_variables()[0];
    return {g[0] * (1 - mask)};
  }
};

// Returns its input unchanged.
// Scales x in place by y; both are marked dirty, so the same tensor may come twice.
struct ScaleInPlace : Function<ScaleInPlace> {
  static Tensor forward(AutogradContext* ctx, Tensor x, Tensor y) {
    ctx->mark_dirty({x, y});
    x.mul_(2);
    return x;
  }
  static variable_list backward(AutogradContext*, variable_list g) { return {g[0] * 2, Tensor()}; }
};

struct DirtyButNotReturned : Function<DirtyButNotReturned> {
  static Tensor forward(AutogradContext* ctx, Tensor x) {
    ctx->mark_dirty({x});
    x.mul_(2);
    return x * 1;
  }
  static variable_list backward(AutogradContext*, variable_list g) { return {g[0] * 2}; }
};

struct Identity : Function<Identity> {
  static Tensor forward(AutogradContext*, Tensor x) { return x; }
  static variable_list backward(AutogradContext*, variable_list g) { return {g[0]}; }
};

// Records whether it got an undefined gradient.
struct TwoOutputsNoMaterialize : Function<TwoOutputsNoMaterialize> {
  static variable_list forward(AutogradContext* ctx, Tensor x) {
    ctx->set_materialize_grads(false);
    return {x * 1, x * 2};
  }
  static variable_list backward(AutogradContext*, variable_list g) {
    EXPECT_TRUE(g[0].defined());
    EXPECT_FALSE(g[1].defined());
    return {g[0]};
  }
};

struct TwoOutputsMaterialize : Function<TwoOutputsMaterialize> {
  static variable_list forward(AutogradContext*, Tensor x) { return {x * 1, x * 2}; }
  static variable_list backward(AutogradContext*, variable_list g) {
    EXPECT_TRUE(g[1].defined());
    EXPECT_TRUE(g[1].equal(zeros_like(g[1])));
    return {g[0] + g[1] * 2};
  }
};

struct WrongCount : Function<WrongCount> {
  static Tensor forward(AutogradContext*, Tensor x, Tensor y) { return x + y; }
  static variable_list backward(AutogradContext*, variable_list g) { return {g[0]}; }
};

Tensor dvec(std::initializer_list<double> v) { return tensor(v).to(kDouble); }

TEST(CustomFunction, SquareGivesGradientAndName) {
  Tensor x = dvec({1, 2, 3}).set_requires_grad(true);
  Tensor y = Square::apply(x);
  EXPECT_TRUE(y.requires_grad());
  EXPECT_EQ(y.grad_fn()->name(), "CppNode<ember::autograd::(anonymous namespace)::Square>");
  y.sum().backward();
  EXPECT_TRUE(x.grad().allclose(dvec({2, 4, 6})));
}

TEST(CustomFunction, SquarePassesGradcheckAndGradgradcheck) {
  Tensor x = dvec({0.5, -1.5, 2}).set_requires_grad(true);
  DifferentiableFn fn = [](const variable_list& in) { return variable_list{Square::apply(in[0])}; };
  EXPECT_TRUE(gradcheck(fn, {x}));
  EXPECT_TRUE(gradgradcheck(fn, {x}));
}

TEST(CustomFunction, NonTensorArgumentAndSavedData) {
  Tensor x = dvec({1, 2}).set_requires_grad(true);
  MulConstant::apply(x, 3.0).sum().backward();
  EXPECT_TRUE(x.grad().allclose(dvec({3, 3})));
}

TEST(CustomFunction, TwoOutputsAndNeedsInputGrad) {
  Tensor a = dvec({1, 2}).set_requires_grad(true);
  Tensor b = dvec({3, 4});
  variable_list out = MulAndAdd::apply(a, b);
  EXPECT_EQ(out[0].output_nr(), 0);
  EXPECT_EQ(out[1].output_nr(), 1);
  (out[0] + out[1]).sum().backward();
  EXPECT_TRUE(a.grad().allclose(dvec({4, 5})));
  auto* node = static_cast<CppNode<MulAndAdd>*>(out[0].grad_fn().get());
  EXPECT_TRUE(node->ctx_.saved_data["needs_a"].toBool());
  EXPECT_FALSE(node->ctx_.saved_data["needs_b"].toBool());
  DifferentiableFn fn = [](const variable_list& in) { return MulAndAdd::apply(in[0], in[1]); };
  EXPECT_TRUE(gradcheck(fn, {a, b.set_requires_grad(true)}));
}

TEST(CustomFunction, MarkDirtyRebasesHistoryOfInput) {
  Tensor w = dvec({1, 2}).set_requires_grad(true);
  Tensor x = w * 1;
  Tensor y = DoubleInplace::apply(x);
  EXPECT_TRUE(y.is_same(x));
  // The kernel guard skipped the in-place op's bump; mark_dirty counts the
  // write once, as LibTorch's get_and_bump_dirty does. The node owns the history.
  EXPECT_EQ(x._version(), 1);
  EXPECT_EQ(x.grad_fn()->name(), "CppNode<ember::autograd::(anonymous namespace)::DoubleInplace>");
  y.sum().backward();
  EXPECT_TRUE(w.grad().allclose(dvec({2, 2})));
}

TEST(CustomFunction, MarkDirtyOnLeafThatRequiresGradThrows) {
  Tensor w = dvec({1, 2}).set_requires_grad(true);
  EXPECT_THROW_MSG(DoubleInplace::apply(w), "a leaf Variable that requires grad has been used in an in-place operation.");
}

TEST(CustomFunction, ADirtyInputPassedTwiceIsBumpedOnce) {
  Tensor x = dvec({1, 2});
  ScaleInPlace::apply(x, x);
  EXPECT_EQ(x._version(), 2);  // mul_ in forward, then mark_dirty's one bump
  EXPECT_TRUE(x.equal(dvec({2, 4})));
}

TEST(CustomFunction, ATensorMarkedDirtyMustBeReturned) {
  Tensor x = dvec({1, 2}).set_requires_grad(true) * 1;
  EXPECT_THROW_MSG(DirtyButNotReturned::apply(x), "Some elements marked as dirty during the forward method were not "
                                                  "returned as output.");
}

TEST(CustomFunction, WithoutGradAnInputReturnedAsIsIsANewViewOfIt) {
  Tensor x = dvec({1, 2});
  Tensor y = Identity::apply(x);
  EXPECT_FALSE(y.is_same(x));
  EXPECT_TRUE(y.is_view());
  EXPECT_TRUE(y._base().is_same(x));
  EXPECT_EQ(y._version(), 0);
}

TEST(CustomFunction, MarkNonDifferentiable) {
  Tensor x = dvec({-1, 2}).set_requires_grad(true);
  variable_list out = ReluWithMask::apply(x);
  EXPECT_TRUE(out[0].requires_grad());
  EXPECT_FALSE(out[1].requires_grad());
  out[0].sum().backward();
  EXPECT_TRUE(x.grad().allclose(dvec({0, 1})));
}

TEST(CustomFunction, InputReturnedAsIsIsCustomFunctionViewThatRefusesInplace) {
  Tensor x = dvec({1, 2}).set_requires_grad(true);
  Tensor y = Identity::apply(x);
  EXPECT_FALSE(y.is_same(x));
  EXPECT_TRUE(y.is_view());
  EXPECT_EQ(impl::get_autograd_meta(y)->creation_meta_, CreationMeta::IN_CUSTOM_FUNCTION);
  EXPECT_THROW_MSG(y.mul_(2), "Output 0 of CppNode<ember::autograd::(anonymous namespace)::Identity> is a view and is "
                              "being modified inplace. This view was created inside a custom Function (or because an "
                              "input was returned as-is)");
  EXPECT_TRUE(x.equal(dvec({1, 2})));
  Tensor z = y.clone();  // The fix.
  z.mul_(2);
  z.sum().backward();
  EXPECT_TRUE(x.grad().allclose(dvec({2, 2})));
}

TEST(CustomFunction, MaterializeGrads) {
  Tensor x = dvec({1, 2}).set_requires_grad(true);
  TwoOutputsNoMaterialize::apply(x)[0].sum().backward();
  EXPECT_TRUE(x.grad().allclose(dvec({1, 1})));
  Tensor x2 = dvec({1, 2}).set_requires_grad(true);
  TwoOutputsMaterialize::apply(x2)[0].sum().backward();
  EXPECT_TRUE(x2.grad().allclose(dvec({1, 1})));
}

TEST(CustomFunction, WrongNumberOfGradientsThrows) {
  Tensor x = dvec({1}).set_requires_grad(true);
  Tensor y = WrongCount::apply(x, x);
  EXPECT_THROW_MSG(y.sum().backward(), "returned an incorrect number of gradients (expected 2, got 1)");
}

TEST(CustomFunction, SecondBackwardThroughFreedGraphThrows) {
  Tensor x = dvec({1}).set_requires_grad(true);
  Tensor y = Square::apply(x).sum();
  y.backward();
  EXPECT_THROW_MSG(y.backward(), "Trying to backward through the graph a second time");
}

TEST(CustomFunction, SavingInferenceTensorThrows) {
  Tensor i;
  {
    InferenceMode guard;
    i = ones({2}, kDouble);
  }
  Tensor w = dvec({1, 2}).set_requires_grad(true);
  EXPECT_THROW_MSG(MulAndAdd::apply(i, w), "Inference tensors cannot be saved for backward.");
}

TEST(CustomFunction, NoGraphWithoutRequiresGradOrInsideInferenceMode) {
  Tensor x = dvec({1, 2});
  EXPECT_FALSE(Square::apply(x).requires_grad());
  Tensor w = dvec({1, 2}).set_requires_grad(true);
  InferenceMode guard;
  Tensor y = Square::apply(w);
  EXPECT_FALSE(y.requires_grad());
  EXPECT_TRUE(y.is_inference());
}

TEST(CustomFunction, SavedDataWrongKindThrows) {
  IValue v(2.0);
  EXPECT_THROW_MSG(v.toInt(), "Expected int but got double");
}

}  // namespace
}  // namespace autograd
}  // namespace ember
