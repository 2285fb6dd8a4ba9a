// Every row of ARCHITECTURE.md's "inference-tensor rules" table, each for an
// input that requires grad and one that does not, with PyTorch's phrases.
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "autograd/autograd_meta.h"
#include "autograd/test_util.h"
#include "modes/grad_mode.h"
#include "modes/inference_mode.h"
#include "modes/kernel_guards.h"
#include "modes/legacy_guards.h"
#include "tensor/tensor.h"

namespace ember {
namespace autograd {
namespace {

constexpr const char* kInplaceOutside = "Inplace update to inference tensor outside InferenceMode is not allowed";

Tensor normal(bool requires_grad) {
  Tensor t = tensor({1.0, 2.0, 3.0}).to(kDouble);
  return requires_grad ? t.set_requires_grad(true) : t;
}
// A non-leaf, so that in-place ops on it are allowed when it requires grad.
Tensor normal_nonleaf(bool requires_grad) { return requires_grad ? normal(true) * 1 : normal(false); }
Tensor inference_tensor() {
  InferenceMode guard;
  return ones({3}, kDouble);
}
CreationMeta creation_meta(const Tensor& t) { return impl::get_autograd_meta(t)->creation_meta_; }

class InferenceRules : public ::testing::TestWithParam<bool> {};
INSTANTIATE_TEST_SUITE_P(RequiresGrad, InferenceRules, ::testing::Bool());

TEST_P(InferenceRules, FactoryInsideIsInferenceTensorEvenWithRequiresGradSetInside) {
  InferenceMode guard;
  Tensor t = zeros({2}, kDouble);
  if (GetParam()) t.set_requires_grad(true);
  EXPECT_TRUE(t.is_inference());
  EXPECT_EQ(t.requires_grad(), GetParam());  // LibTorch allows it inside the mode.
  EXPECT_THROW_MSG(t._version(), "Inference tensors do not track version counter");
}

TEST_P(InferenceRules, FunctionalOpInsideGivesInferenceTensorWithoutGrad) {
  Tensor x = normal(GetParam());
  InferenceMode guard;
  Tensor y = x * 2 + 1;
  EXPECT_TRUE(y.is_inference());
  EXPECT_FALSE(y.requires_grad());
  EXPECT_TRUE(y.is_leaf());
}

TEST_P(InferenceRules, InplaceOnNormalTensorInsideBumpsVersionAndStaysNormal) {
  Tensor x = normal(GetParam());  // A leaf: grad mode is off inside, so it may be updated.
  {
    InferenceMode guard;
    x.add_(1);
  }
  EXPECT_EQ(x._version(), 1);
  EXPECT_FALSE(x.is_inference());
  EXPECT_EQ(x.requires_grad(), GetParam());
  EXPECT_TRUE(x.allclose(tensor({2.0, 3.0, 4.0})));
}

TEST_P(InferenceRules, ViewOfNormalTensorInsideIsNormalLeafViewWithInferenceModeCreationMeta) {
  Tensor x = normal(GetParam());
  Tensor v;
  {
    InferenceMode guard;
    v = x.view({3, 1});
  }
  EXPECT_FALSE(v.is_inference());
  EXPECT_TRUE(v.is_view());
  EXPECT_TRUE(v._base().is_same(x));
  EXPECT_TRUE(v.is_leaf());
  EXPECT_EQ(v.requires_grad(), GetParam());
  EXPECT_EQ(creation_meta(v), CreationMeta::INFERENCE_MODE);
}

TEST_P(InferenceRules, FunctionalOpOnInferenceTensorOutsideGivesNormalTensor) {
  Tensor i = inference_tensor();
  Tensor w = normal(GetParam());
  Tensor y = i + w;  // add saves nothing, so an inference input is fine.
  EXPECT_FALSE(y.is_inference());
  EXPECT_EQ(y.requires_grad(), GetParam());
  EXPECT_EQ(y._version(), 0);
  if (GetParam()) {
    y.sum().backward();
    EXPECT_TRUE(w.grad().allclose(ones({3}, kDouble)));
  }
}

TEST_P(InferenceRules, OneTensorOpOnInferenceTensorOutsideRecordsNoGraphEvenIfItRequiresGrad) {
  // An inference tensor carries no Autograd key, so an op whose only tensor
  // is one never reaches an autograd kernel, as in LibTorch.
  Tensor i;
  {
    InferenceMode guard;
    i = ones({3}, kDouble).set_requires_grad(GetParam());
  }
  for (const Tensor& y : {i.exp(), i.pow(2), i.neg(), i.sum(), i.relu()}) {
    EXPECT_FALSE(y.requires_grad());
    EXPECT_EQ(y.grad_fn(), nullptr);
  }
}

TEST_P(InferenceRules, ScalarArithmeticOnInferenceTensorOutsideRecordsAGraphWhenItRequiresGrad) {
  // LibTorch wraps the Scalar of add/sub/mul/div in a tensor made outside
  // InferenceMode, whose Autograd key makes the op recorded: a leaf
  // inference tensor that requires grad then gets a gradient.
  bool rg = GetParam();
  Tensor i;
  {
    InferenceMode guard;
    i = ones({3}, kDouble).set_requires_grad(rg);
  }
  Tensor y = (i * 2) + (i / 4) - (i - 1) + (1 - i) + (i + 3);
  EXPECT_FALSE(y.is_inference());
  EXPECT_EQ(y.requires_grad(), rg);
  if (rg) {
    y.sum().backward();
    // d/di of 2i + i/4 - (i - 1) + (1 - i) + (i + 3) = 2 + 0.25 - 1 - 1 + 1.
    EXPECT_TRUE(i.grad().allclose(full({3}, 1.25, kDouble)));
  }
  {
    InferenceMode guard;
    Tensor inside = i * 2;
    EXPECT_TRUE(inside.is_inference());
    EXPECT_FALSE(inside.requires_grad());
  }
}

TEST_P(InferenceRules, InplaceScalarArithmeticOnInferenceTensorOutsideGivesTheInferencePhrase) {
  // Not the leaf-requires-grad error: the in-place Scalar ops are refused in
  // ADInplaceOrView, before any autograd kernel.
  Tensor i;
  {
    InferenceMode guard;
    i = ones({3}, kDouble).set_requires_grad(GetParam());
  }
  EXPECT_THROW_MSG(i.add_(1), kInplaceOutside);
  EXPECT_THROW_MSG(i.mul_(2), kInplaceOutside);
  EXPECT_TRUE(i.allclose(ones({3}, kDouble)));
}

TEST_P(InferenceRules, ReductionsCatAndBmmOfInferenceTensorsOutsideGiveFreshTensors) {
  // No Autograd kernel runs above these CPU kernels, so the ops they run on
  // their own temporaries must not go through ADInplaceOrView: the result is
  // no tracked view of a temporary, and is at version 0.
  Tensor i;
  {
    InferenceMode guard;
    i = ones({2, 3}, kDouble).set_requires_grad(GetParam());
  }
  Tensor b = i.unsqueeze(0);
  for (const Tensor& y : {i.sum({0}), i.mean(), i.mean({1}), cat({i, i}), b.bmm(b.transpose(1, 2))}) {
    EXPECT_FALSE(y.is_inference());
    EXPECT_FALSE(y.is_view());
    EXPECT_EQ(y._version(), 0);
  }
}

TEST(OutArguments, AnOutOfAnotherDtypeIsBumpedOnce) {
  // The float result is copied into the double out inside the kernel; only
  // the out= op itself counts as a write.
  Tensor out = zeros({3}, kDouble);
  mul_out(out, ones({3}), ones({3}));
  EXPECT_EQ(out._version(), 1);
  EXPECT_TRUE(out.allclose(ones({3}, kDouble)));
}

TEST_P(InferenceRules, ViewOfInferenceTensorOutsideIsInferenceLeafNotView) {
  Tensor i = inference_tensor();
  Tensor v = i.view({3, 1});
  EXPECT_TRUE(v.is_inference());
  EXPECT_TRUE(v.is_leaf());
  EXPECT_FALSE(v.is_view());
}

TEST_P(InferenceRules, InplaceCopyAndOutIntoInferenceTensorOutsideThrowBeforeWriting) {
  Tensor i = inference_tensor();
  Tensor src = normal(GetParam());
  EXPECT_THROW_MSG(i.add_(1), kInplaceOutside);
  EXPECT_THROW_MSG(i.mul_(src), kInplaceOutside);
  EXPECT_THROW_MSG(i.relu_(), kInplaceOutside);
  EXPECT_THROW_MSG(i.copy_(src), kInplaceOutside);
  EXPECT_THROW_MSG(i.zero_(), kInplaceOutside);
  if (GetParam()) {
    // As in LibTorch, out= with an input that requires grad is refused first by autograd.
    EXPECT_THROW_MSG(add_out(i, src, src), "functions with out=... arguments don't support automatic differentiation");
  } else {
    EXPECT_THROW_MSG(add_out(i, src, src), kInplaceOutside);
  }
  EXPECT_TRUE(i.equal(ones({3}, kDouble))) << "a refused in-place op must not write";
}

TEST_P(InferenceRules, InplaceErrorNamesOpAndCreatorAndFix) {
  Tensor i = inference_tensor();
  EXPECT_THROW_MSG(i.mul_(2), "mul_.Scalar");
  EXPECT_THROW_MSG(i.mul_(2), "created by ones inside InferenceMode");
  EXPECT_THROW_MSG(i.mul_(2), "clone() it outside InferenceMode to get a normal tensor");
  Tensor c = i.clone();
  c.mul_(2);
  EXPECT_FALSE(c.is_inference());
  EXPECT_EQ(c._version(), 1);
}

TEST_P(InferenceRules, InplaceIntoInferenceTensorInsideIsAllowedAndUntracked) {
  Tensor i = inference_tensor();
  InferenceMode guard;
  i.add_(1);
  EXPECT_TRUE(i.equal(full({3}, 2.0, kDouble)));
}

TEST_P(InferenceRules, SavingInferenceTensorForBackwardThrows) {
  Tensor i = inference_tensor();
  Tensor w = normal(GetParam());
  if (GetParam()) {
    EXPECT_THROW_MSG(i * w, "Inference tensors cannot be saved for backward. To work around you can make a clone to "
                            "get a normal tensor and use it in autograd.");
    EXPECT_THROW_MSG(i * w, "mul needs this tensor of sizes [3] for its gradient, but it was created by ones");
    Tensor y = i.clone() * w;  // The fix.
    y.sum().backward();
    EXPECT_TRUE(w.grad().allclose(ones({3}, kDouble)));
  } else {
    Tensor y = i * w;  // Nothing needs saving without grad.
    EXPECT_FALSE(y.requires_grad());
  }
}

TEST_P(InferenceRules, SetRequiresGradOnInferenceTensorOutsideThrows) {
  Tensor i = inference_tensor();
  if (GetParam()) {
    EXPECT_THROW_MSG(i.set_requires_grad(true),
                     "Setting requires_grad=True on inference tensor outside InferenceMode is not allowed.");
  } else {
    i.set_requires_grad(false);
    EXPECT_FALSE(i.requires_grad());
  }
}

TEST_P(InferenceRules, ReadingVersionOfInferenceTensorThrows) {
  Tensor i = inference_tensor();
  EXPECT_THROW_MSG(i._version(), "Inference tensors do not track version counter");
  EXPECT_THROW_MSG(i._version(), "created by ones inside InferenceMode");
}

TEST_P(InferenceRules, InplaceOnInferenceModeViewThatNeedsGradThrowsBeforeWriting) {
  Tensor base = normal_nonleaf(GetParam());
  Tensor v;
  {
    InferenceMode guard;
    v = base.view({3});
  }
  if (GetParam()) {
    EXPECT_THROW_MSG(v.add_(1), "A view was created in inference mode and is being modified inplace in normal mode.");
    EXPECT_THROW_MSG(v.add_(1), "CreationMeta::INFERENCE_MODE");
    EXPECT_TRUE(base.equal(tensor({1.0, 2.0, 3.0}).to(kDouble)));
    EXPECT_EQ(base._version(), 0);
  } else {
    v.add_(1);  // No grad needed: allowed, as in LibTorch.
    EXPECT_TRUE(base.equal(tensor({2.0, 3.0, 4.0}).to(kDouble)));
  }
}

TEST_P(InferenceRules, GradFnOfInferenceModeViewAfterBaseChangedThrows) {
  Tensor base = normal_nonleaf(GetParam());
  Tensor v, v3;
  {
    InferenceMode guard;
    v = base.view({3});
    v3 = base.view({3, 1, 1});
  }
  base.mul_(2);
  if (GetParam()) {
    EXPECT_THROW_MSG(v.grad_fn(), "A view was created in inference mode and its base or another view of its base "
                                  "has been modified inplace in normal mode.");
    EXPECT_THROW_MSG(v.sum().backward(), "A view was created in inference mode and its base");
    // Before any check of the op's own arguments (t() of a 3-D tensor), as
    // in LibTorch: its Autograd layer asks for the input's grad_fn first.
    EXPECT_THROW_MSG(v3.t(), "A view was created in inference mode and its base");
    // is_leaf() reads the field, as LibTorch's, and does not throw.
    EXPECT_TRUE(v.is_leaf());
  } else {
    EXPECT_EQ(v.grad_fn(), nullptr);
  }
}

// The legacy hazard: an in-place update of a tensor an existing graph saved.
enum class Guard { Inference, NonVariableType, BelowAutograd, BelowADInplaceOrView };
struct Hazard {
  Tensor w, x, y;
};
Hazard make_hazard() {
  Hazard h;
  h.w = tensor({1.0, 1.0, 1.0}).to(kDouble).set_requires_grad(true);
  h.x = full({3}, 2.0, kDouble);
  h.y = (h.w * h.x).sum();  // saves x
  return h;
}
void update_under(Guard g, const Tensor& x) {
  switch (g) {
    case Guard::Inference: {
      InferenceMode guard;
      x.mul_(3);
      break;
    }
    case Guard::NonVariableType: {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
      AutoNonVariableTypeMode guard;
#pragma GCC diagnostic pop
      x.mul_(3);
      break;
    }
    case Guard::BelowAutograd: {
      AutoDispatchBelowAutograd guard;
      x.mul_(3);
      break;
    }
    case Guard::BelowADInplaceOrView: {
      AutoDispatchBelowADInplaceOrView guard;
      x.mul_(3);
      break;
    }
  }
}

TEST(LegacyHazard, InplaceUnderInferenceModeBumpsVersionAndBackwardThrows) {
  Hazard h = make_hazard();
  update_under(Guard::Inference, h.x);
  EXPECT_EQ(h.x._version(), 1);
  EXPECT_THROW_MSG(h.y.backward(), "one of the variables needed for gradient computation has been modified by an "
                                   "inplace operation: [CPUDoubleType [3]] is at version 1; expected version 0 instead.");
}

TEST(LegacyHazard, InplaceUnderAutoNonVariableTypeModeBumpsVersionAndBackwardThrows) {
  Hazard h = make_hazard();
  update_under(Guard::NonVariableType, h.x);
  EXPECT_EQ(h.x._version(), 1);
  EXPECT_THROW_MSG(h.y.backward(), "modified by an inplace operation");
}

TEST(LegacyHazard, InplaceUnderAutoDispatchBelowAutogradBumpsVersionAndBackwardThrows) {
  Hazard h = make_hazard();
  update_under(Guard::BelowAutograd, h.x);
  EXPECT_EQ(h.x._version(), 1);
  EXPECT_THROW_MSG(h.y.backward(), "modified by an inplace operation");
}

TEST(LegacyHazard, InplaceUnderAutoDispatchBelowADInplaceOrViewSilentlyGivesWrongGradient) {
  Hazard h = make_hazard();
  update_under(Guard::BelowADInplaceOrView, h.x);
  EXPECT_EQ(h.x._version(), 0);  // No bump: the graph cannot notice.
  h.y.backward();                // No error...
  // ...and the gradient uses the new x (6), not the x the forward saw (2).
  EXPECT_TRUE(h.w.grad().allclose(full({3}, 6.0, kDouble)));
  EXPECT_FALSE(h.w.grad().allclose(full({3}, 2.0, kDouble)));
}

TEST(InferenceModeNesting, DisabledInsideEnabledRestoresNormalTensorsAndGraph) {
  InferenceMode outer;
  Tensor inner_t, inner_y;
  {
    InferenceMode inner(false);
    inner_t = ones({2}, kDouble).set_requires_grad(true);
    inner_y = inner_t * 2;
  }
  EXPECT_FALSE(inner_t.is_inference());
  EXPECT_TRUE(inner_y.requires_grad());
  EXPECT_EQ(inner_y.grad_fn()->name(), "MulBackward1");  // mul.Scalar, as in LibTorch
  Tensor z = inner_y * 2;  // Back in the mode: no graph, inference tensor.
  EXPECT_TRUE(z.is_inference());
  EXPECT_FALSE(z.requires_grad());
}

TEST(InferenceModeThreads, ModeIsPerThread) {
  InferenceMode guard;
  Tensor from_other_thread;
  std::thread th([&] { from_other_thread = ones({2}, kDouble).set_requires_grad(true) * 2; });
  th.join();
  EXPECT_FALSE(from_other_thread.is_inference());
  EXPECT_TRUE(from_other_thread.requires_grad());
  EXPECT_TRUE(ones({2}).is_inference());
}

TEST(InferenceModeThreads, InferenceTensorsMadeOnManyThreads) {
  std::vector<std::thread> threads;
  std::vector<int> ok(4, 0);  // Not vector<bool>: its elements share bytes.
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([i, &ok] {
      Tensor w = ones({4}, kDouble).set_requires_grad(true);
      Tensor y;
      {
        InferenceMode guard;
        y = (w * 2).relu().sum();
      }
      (w * 2).sum().backward();
      ok[i] = y.is_inference() && !y.requires_grad() && w.grad().allclose(full({4}, 2.0, kDouble));
    });
  }
  for (auto& th : threads) th.join();
  for (int b : ok) EXPECT_TRUE(b);
}

TEST(NoGradViews, InplaceOnNoGradViewThatNeedsGradThrows) {
  Tensor base = normal_nonleaf(true);
  Tensor v;
  {
    NoGradGuard guard;
    v = base.view({3});
  }
  EXPECT_EQ(creation_meta(v), CreationMeta::NO_GRAD_MODE);
  EXPECT_THROW_MSG(v.add_(1), "A view was created in no_grad mode and is being modified inplace with grad mode enabled.");
  EXPECT_EQ(base._version(), 0);
}

TEST(NoGradViews, AViewOfAnInferenceModeViewStaysInferenceModeUnderNoGrad) {
  // INFERENCE_MODE is the most restricted CreationMeta: a later view made
  // under NoGradGuard keeps it (and its error), as PyTorch's
  // propagate_creation_meta does. A view made with grad enabled keeps it too.
  Tensor base = normal(true);
  Tensor made_inside;
  {
    InferenceMode guard;
    made_inside = base.view({3});
  }
  Tensor under_no_grad;
  {
    NoGradGuard guard;
    under_no_grad = made_inside.view({3});
  }
  EXPECT_EQ(creation_meta(under_no_grad), CreationMeta::INFERENCE_MODE);
  EXPECT_THROW_MSG(under_no_grad.add_(1), "A view was created in inference mode and is being modified inplace in "
                                          "normal mode.");
  EXPECT_EQ(creation_meta(made_inside.view({3})), CreationMeta::INFERENCE_MODE);
  EXPECT_DOUBLE_EQ(base.sum().item<double>(), 6.0);
}

TEST(NoGradViews, AViewOfALeafMadeInAModeGetsNoGradientNorDoesItsBase) {
  // It says requires_grad() (from its base) and is a leaf, but it has no
  // grad accumulator of its own, as in LibTorch: backward through it
  // reaches nothing, and an op pairing it with an inference tensor saves
  // nothing, so it is not refused.
  for (bool inference : {true, false}) {
    Tensor base = normal(true);
    Tensor v;
    {
      std::optional<InferenceMode> im;
      std::optional<NoGradGuard> no_grad;
      if (inference) im.emplace(); else no_grad.emplace();
      v = base.view({3});
    }
    EXPECT_TRUE(v.requires_grad());
    EXPECT_TRUE(v.is_leaf());
    (v * 2).sum().backward();
    EXPECT_FALSE(v.grad().defined());
    EXPECT_FALSE(base.grad().defined());
    Tensor product = inference_tensor() * v;
    EXPECT_TRUE(product.requires_grad());
  }
}

TEST(NoGradViews, AViewMadeUnderNoGradOfANoGradViewStaysNoGrad) {
  Tensor base = normal_nonleaf(true);
  Tensor v;
  {
    NoGradGuard guard;
    v = base.view({3}).view({3});
  }
  EXPECT_EQ(creation_meta(v), CreationMeta::NO_GRAD_MODE);
  EXPECT_EQ(creation_meta(v.view({3})), CreationMeta::NO_GRAD_MODE);
}

TEST(LeafInplace, LeafThatRequiresGradRefusesInplaceBeforeWriting) {
  Tensor w = normal(true);
  EXPECT_THROW_MSG(w.add_(1), "a leaf Variable that requires grad is being used in an in-place operation.");
  EXPECT_THROW_MSG(w.view({3}).add_(1), "a view of a leaf Variable that requires grad is being used in an in-place "
                                        "operation.");
  EXPECT_TRUE(w.equal(tensor({1.0, 2.0, 3.0}).to(kDouble)));
  EXPECT_EQ(w._version(), 0);
  {
    NoGradGuard guard;
    w.add_(1);  // The fix for initialisation and optimiser steps.
  }
  EXPECT_EQ(w._version(), 1);
}

// Outputs of unbind and split (one node, several views): LibTorch 1.13's
// CreationMeta in each mode and its messages (probed).
constexpr const char* kMultiOutput =
    "This view is the output of a function that returns multiple views. Such functions do not allow the output "
    "views to be modified inplace. You should replace the inplace operation by an out-of-place one.";

TEST(MultiOutputViews, CreationMetaIsMultiOutputNodeInGradModeAndTheModeOtherwise) {
  Tensor base = normal_nonleaf(true);
  EXPECT_EQ(creation_meta(base.unbind()[0]), CreationMeta::MULTI_OUTPUT_NODE);
  EXPECT_EQ(creation_meta(base.split(2)[1]), CreationMeta::MULTI_OUTPUT_NODE);
  EXPECT_EQ(creation_meta(base.split_with_sizes({1, 2})[1]), CreationMeta::MULTI_OUTPUT_NODE);
  EXPECT_EQ(creation_meta(base.chunk(3)[2]), CreationMeta::MULTI_OUTPUT_NODE);
  {
    NoGradGuard guard;
    EXPECT_EQ(creation_meta(base.unbind()[0]), CreationMeta::NO_GRAD_MODE);
  }
  {
    InferenceMode guard;
    EXPECT_EQ(creation_meta(base.split(1)[0]), CreationMeta::INFERENCE_MODE);
  }
}

TEST(MultiOutputViews, AreViewsOfTheInputWithItsNodeAndTheirOutputNumbers) {
  Tensor base = normal_nonleaf(true);
  std::vector<Tensor> parts = base.unbind();
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_TRUE(parts[2].is_view());
  EXPECT_TRUE(parts[2]._base().is_same(base));
  EXPECT_EQ(parts[2].output_nr(), 2u);
  EXPECT_EQ(parts[0].grad_fn(), parts[2].grad_fn());
  EXPECT_EQ(parts[0].grad_fn()->name(), "UnbindBackward0");
  EXPECT_EQ(base.split(2)[0].grad_fn()->name(), "SplitBackward0");
  EXPECT_EQ(base.split_with_sizes({1, 2})[0].grad_fn()->name(), "SplitWithSizesBackward0");
  EXPECT_EQ(base.chunk(2)[0].grad_fn()->name(), "SplitBackward0");
}

TEST(MultiOutputViews, PiecesOfAnInferenceTensorAreNotViews) {
  for (const Tensor& piece : inference_tensor().split(2)) {
    EXPECT_TRUE(piece.is_inference());
    EXPECT_FALSE(piece.is_view());
  }
}

TEST(MultiOutputViews, InplaceOnOneThatNeedsGradThrowsBeforeWriting) {
  Tensor base = normal_nonleaf(true);
  std::vector<Tensor> parts = base.unbind();
  EXPECT_THROW_MSG(parts[0].mul_(2), std::string("Output 0 of UnbindBackward0 is a view and is being modified "
                                                 "inplace. ") + kMultiOutput);
  EXPECT_THROW_MSG(parts[0].mul_(2), "(Ember: mul_.Scalar of sizes [] made with CreationMeta::MULTI_OUTPUT_NODE; its "
                                     "base requires grad. Fix: clone() the view, or use the out-of-place op.)");
  EXPECT_DOUBLE_EQ(base.sum().item<double>(), 6.0);
}

// LibTorch 1.13 words it as a no_grad view: the piece has no grad_fn.
TEST(MultiOutputViews, InplaceOnAPieceOfATensorWithoutGradByOneWithGradThrows) {
  std::vector<Tensor> parts = normal(false).split(1);
  Tensor w = normal(true).sum();
  EXPECT_THROW_MSG(parts[0].mul_(w), std::string("A view was created in no_grad mode and is being modified inplace "
                                                 "with grad mode enabled. ") + kMultiOutput);
  EXPECT_THROW_MSG(parts[0].mul_(w), "an operand of the in-place op requires grad");
}

TEST(MultiOutputViews, InplaceOnTheBaseMakesTheirGradFnThrow) {
  Tensor base = normal_nonleaf(true);
  std::vector<Tensor> parts = base.unbind();
  base.add_(1);
  EXPECT_THROW_MSG(parts[0].grad_fn(), std::string("Output 0 of UnbindBackward0 is a view and its base or another "
                                                   "view of its base has been modified inplace. ") + kMultiOutput);
}

// LibTorch reads the recorded history here, as is_leaf() does: the
// leaf-only message, not the piece's view error (probed).
TEST(MultiOutputViews, RequiresGradFalseOnAPieceAfterItsBaseChangedGivesTheLeafOnlyMessage) {
  Tensor base = normal_nonleaf(true);
  std::vector<Tensor> parts = base.unbind();
  base.add_(1);
  EXPECT_FALSE(parts[0].is_leaf());
  EXPECT_THROW_MSG(parts[0].requires_grad_(false), "you can only change requires_grad flags of leaf variables. If you "
                                                   "want to use a computed variable in a subgraph that doesn't require "
                                                   "differentiation use var_no_grad = var.detach(). (Ember: this "
                                                   "tensor was computed by UnbindBackward0.)");
}

TEST(MultiOutputViews, InplaceInTheModeTheyWereMadeInIsAllowed) {
  Tensor base = normal_nonleaf(true);
  {
    NoGradGuard guard;
    base.unbind()[0].mul_(2);
  }
  {
    InferenceMode guard;
    base.split(1)[1].mul_(2);
  }
  EXPECT_DOUBLE_EQ(base.sum().item<double>(), 2.0 + 4.0 + 3.0);
}

// PyTorch's InferenceModeTest.TestCreationMetaPropagationInput: pieces made in
// InferenceMode, of a leaf or of a view made there, refuse in-place ops
// outside it.
TEST(MultiOutputViews, PiecesMadeInInferenceModeRefuseInplaceOutsideIt) {
  Tensor s = ones({2, 3}, kDouble).set_requires_grad(true);
  std::vector<Tensor> b, c;
  {
    InferenceMode guard;
    b = s.split_with_sizes({1, 1});
    Tensor v = s.view_as(s);
    c = v.split_with_sizes({1, 1});
  }
  for (const std::vector<Tensor>* pieces : {&b, &c}) {
    for (const Tensor& piece : *pieces) {
      EXPECT_EQ(creation_meta(piece), CreationMeta::INFERENCE_MODE);
      EXPECT_THROW_MSG(piece.add_(1), "A view was created in inference mode and is being modified inplace in normal "
                                      "mode.");
    }
  }
}

TEST(MultiOutputViews, AViewOfAPieceKeepsMultiOutputNode) {
  Tensor base = normal_nonleaf(true);
  Tensor v = base.split(2)[0].view({2});
  EXPECT_EQ(creation_meta(v), CreationMeta::MULTI_OUTPUT_NODE);
  EXPECT_THROW_MSG(v.add_(1), std::string("Output 0 of ViewBackward0 is a view and is being modified inplace. ") +
                                  kMultiOutput);
}

TEST(SavedVariable, OutputModifiedInplaceNamesItsNode) {
  Tensor w = normal(true);
  Tensor y = w.sigmoid();
  Tensor z = y.sum();
  y.add_(1);
  EXPECT_THROW_MSG(z.backward(), "[CPUDoubleType [3]], which is output 0 of SigmoidBackward0, is at version 1; "
                                 "expected version 0 instead. Hint:");
}

}  // namespace
}  // namespace autograd
}  // namespace ember
