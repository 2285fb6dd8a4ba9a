#include "autograd/engine.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <thread>
#include <vector>

#include "autograd/test_util.h"
#include "modes/grad_mode.h"
#include "modes/inference_mode.h"
#include "tensor/tensor.h"

namespace ember {
namespace autograd {
namespace {

Tensor t(std::initializer_list<double> v) { return tensor(v).to(kDouble); }

TEST(Engine, IssueExampleFillsGradOfWeight) {
  manual_seed(0);
  Tensor x = randn({2, 3});
  Tensor w = randn({3, 3}).set_requires_grad(true);
  Tensor loss = (x.mm(w).relu() * 2).sum();
  loss.backward();
  // d/dw sum(2 relu(x w)) = x^T (2 * [x w > 0]).
  Tensor mask = x.mm(w).relu().eq(0).to(kFloat);
  Tensor expected = x.t().mm((1 - mask) * 2);
  ASSERT_TRUE(w.grad().defined());
  EXPECT_TRUE(w.grad().allclose(expected));
}

TEST(Engine, DetachInPlaceMakesALeafThatNoLongerRequiresGrad) {
  Tensor w = ones({3}, kDouble).set_requires_grad(true);
  Tensor y = w * 2;
  Tensor s = (y * 3).sum();
  EXPECT_EQ(&y.detach_(), &y);
  EXPECT_TRUE(y.is_leaf());
  EXPECT_FALSE(y.requires_grad());
  EXPECT_EQ(y.grad_fn(), nullptr);
  s.backward();  // the graph made before still reaches w through y's old node
  EXPECT_TRUE(w.grad().allclose(full({3}, 6.0, kDouble)));
}

TEST(Engine, ALeafDetachedInPlaceNoLongerAccumulates) {
  Tensor w = ones({3}, kDouble).set_requires_grad(true);
  Tensor s = (w * 3).sum();
  w.detach_();
  s.backward();
  EXPECT_FALSE(w.grad().defined());
}

TEST(Engine, AccumulatesGradientOfTensorUsedTwice) {
  Tensor a = t({1, 2, 3}).set_requires_grad(true);
  Tensor y = (a * a + a).sum();  // dy/da = 2a + 1
  y.backward();
  EXPECT_TRUE(a.grad().allclose(t({3, 5, 7})));
}

TEST(Engine, DiamondRunsSharedNodeOnce) {
  Tensor a = t({1, 2}).set_requires_grad(true);
  Tensor b = a.exp();
  Tensor y = (b * 2 + b * 3).sum();  // 5 e^a
  y.backward();
  EXPECT_TRUE(a.grad().allclose(a.exp() * 5));
}

TEST(Engine, BackwardAccumulatesIntoGradAcrossCalls) {
  Tensor a = t({1, 2}).set_requires_grad(true);
  (a * 3).sum().backward();
  (a * 3).sum().backward();
  EXPECT_TRUE(a.grad().allclose(t({6, 6})));
}

// LibTorch's MeanBackward1 (mean over dims) saves its input; MeanBackward0
// (mean of all) keeps only the sizes.
TEST(Engine, MeanOverDimsChecksItsInputsVersionAndMeanOfAllDoesNot) {
  Tensor x = t({1, 2, 3, 4}).view({2, 2}).set_requires_grad(true);
  Tensor y = x * 1;
  Tensor over_dims = y.mean({0});
  Tensor all = y.mean();
  y.mul_(2);
  EXPECT_NO_THROW(all.backward());
  EXPECT_THROW_MSG(over_dims.sum().backward(),
                   "one of the variables needed for gradient computation has been modified by an inplace operation: "
                   "[CPUDoubleType [2, 2]], which is output 0 of MulBackward1, is at version 1; expected version 0 "
                   "instead.");
}

// LibTorch's PowBackward1 saves its result for the exponent's gradient,
// whichever input requires grad.
TEST(Engine, PowOfTwoTensorsChecksItsResultsVersion) {
  Tensor base = t({0.5, 2}).set_requires_grad(true);
  Tensor y = base.pow(t({2, 3}));
  y.add_(1);
  EXPECT_THROW_MSG(y.sum().backward(),
                   "[CPUDoubleType [2]], which is output 0 of PowBackward1, is at version 1; expected version 0 "
                   "instead.");
}

TEST(Engine, InPlacePowOfTwoTensorsChecksItsResultsVersion) {
  Tensor exponent = t({2, 3}).set_requires_grad(true);
  Tensor y = t({0.5, 2}) * 1;
  y.pow_(exponent);
  y.mul_(2);
  EXPECT_THROW_MSG(y.sum().backward(), "which is output 0 of PowBackward1, is at version 2; expected version 1 instead.");
}

TEST(Engine, PowOfTwoTensorsGivesTheExponentsGradientFromTheResult) {
  Tensor base = t({0.5, 2, 0}), exponent = t({2, 3, 1}).set_requires_grad(true);
  base.pow(exponent).sum().backward();
  // d/de b^e = b^e log b, and 0 where the base is 0 and the exponent >= 0.
  EXPECT_TRUE(exponent.grad().allclose(t({0.25 * std::log(0.5), 8 * std::log(2.0), 0})));
}

// LibTorch's pow_backward_self masks with where(exponent == 0, 0, ...), so
// the base's gradient is laid out by the exponent first (probed: a
// contiguous gradient times transposed inputs would be row-major in dim 1).
TEST(Engine, PowOfTwoTensorsLaysTheBasesGradientOutByTheExponent) {
  Tensor x = (arange(12).to(kDouble).view({2, 1, 6}) * 0.1 + 0.3).transpose(0, 2);
  Tensor base = (x * x + 1).detach().set_requires_grad(true);
  Tensor exponent = x.detach();
  variable_list g = grad({(base.pow(exponent) * 1.25).sum()}, {base});
  EXPECT_EQ(g[0].strides(), IntArrayRef({1, 6, 6}));
}

TEST(Engine, PowOfTwoTensorsGivesTheBaseNoGradientWhereTheExponentIsZero) {
  Tensor base = t({0, 2, 0}).set_requires_grad(true);
  base.pow(t({0, 0, 2})).sum().backward();
  EXPECT_TRUE(base.grad().allclose(t({0, 0, 0})));
}

// LibTorch's zeros_like(self, LEGACY_CONTIGUOUS_MEMORY_FORMAT).
TEST(Engine, GradientOfPowZeroIsRowMajor) {
  Tensor x = t({1, 2, 3, 4, 5, 6}).view({2, 3}).set_requires_grad(true);
  variable_list g = grad({x.t().pow(0).sum()}, {x});
  EXPECT_EQ(g[0].strides(), (std::vector<int64_t>{1, 2}));  // row-major for x.t(), then transposed back
}

// LibTorch's CopyBackwards gives self zeros_like(grad, LEGACY_CONTIGUOUS_MEMORY_FORMAT).
TEST(Engine, CopysGradientForTheOverwrittenTensorIsRowMajorZeros) {
  Tensor x = t({1, 2, 3, 4, 5, 6}).view({2, 3}).set_requires_grad(true);
  Tensor w = t({1, 2, 3, 4, 5, 6}).view({2, 3});
  Tensor a = x.t() * 1;
  a.copy_(ones({3, 2}, kDouble));
  variable_list g = grad({(a * w.t()).sum()}, {x});  // the incoming gradient is laid out like w.t()
  EXPECT_TRUE(g[0].allclose(zeros({2, 3}, kDouble)));
  EXPECT_EQ(g[0].strides(), (std::vector<int64_t>{1, 2}));  // row-major for a, then transposed back
}

// LibTorch's mm_mat1_backward and mm_mat2_backward: an input that was
// column-major gets a column-major gradient.
TEST(Engine, MmGivesAColumnMajorInputAColumnMajorGradient) {
  Tensor a = t({1, 2, 3, 4, 5, 6}).view({2, 3}).t().detach().set_requires_grad(true);  // (3, 2), column-major
  Tensor b = t({1, 2, 3, 4}).view({2, 2}).t().detach().set_requires_grad(true);
  variable_list g = grad({a.mm(b).sum()}, {a, b});
  EXPECT_EQ(g[0].strides(), (std::vector<int64_t>{1, 3}));
  EXPECT_EQ(g[1].strides(), (std::vector<int64_t>{1, 2}));
  Tensor r = t({1, 2, 3, 4, 5, 6}).view({3, 2}).set_requires_grad(true);  // row-major
  EXPECT_EQ(grad({r.mm(b).sum()}, {r})[0].strides(), (std::vector<int64_t>{2, 1}));
}

// LibTorch's CopySlices hands the in-place op's backward a row-major copy of
// the view's gradient, so the other input's gradient is row-major too.
TEST(Engine, AnInPlaceOpOnATransposedViewGivesItsOtherInputARowMajorGradient) {
  Tensor x = t({1, 2, 3, 4, 5, 6}).view({2, 3}).set_requires_grad(true);
  Tensor w = t({1, 2, 3, 4, 5, 6}).view({3, 2}).set_requires_grad(true);
  Tensor base = x * 1;
  base.t().mul_(w);
  variable_list g = grad({(base * base).sum()}, {w});
  EXPECT_EQ(g[0].strides(), (std::vector<int64_t>{2, 1}));
}

TEST(Engine, AnIntegerTensorThatCopiesATensorThatRequiresGradDoesNot) {
  Tensor x = t({1, 2}).set_requires_grad(true);
  Tensor flags = zeros({2}, kBool);
  flags.copy_(x * 1);
  EXPECT_FALSE(flags.requires_grad());
  EXPECT_FALSE(flags.grad_fn());
  Tensor counts = zeros({2}, kLong);
  counts.copy_(x);
  EXPECT_FALSE(counts.requires_grad());
}

// cat skips a legacy empty tensor (1-D, size 0) beside tensors of any rank;
// its gradient is an empty tensor of its own shape, as in LibTorch.
TEST(Engine, CatGivesALegacyEmptyInputAnEmptyGradient) {
  Tensor empty = zeros({0}, kDouble).set_requires_grad(true);
  Tensor m = ones({2, 3}, kDouble).set_requires_grad(true);
  cat({empty, m}, 1).sum().backward();
  EXPECT_EQ(empty.grad().sizes(), IntArrayRef({0}));
  EXPECT_TRUE(m.grad().equal(ones({2, 3}, kDouble)));
}

// LibTorch 1.13 fails an internal assert here; later PyTorch refuses it
// with this sentence, and so does Ember.
TEST(Engine, ASavedInputDetachedInPlaceIsRefusedInBackward) {
  Tensor x = t({1, 2}).set_requires_grad(true);
  Tensor y = x * 1;
  Tensor z = y.pow(2);  // saves y
  y.detach_();
  EXPECT_THROW_MSG(z.sum().backward(), "Trying to use a saved tensor that has been detached in-place, i.e. with "
                                       ".detach_().This is not supported, please use out-of-place `.detach()` instead");
}

// A view that got its history from an in-place op on it (its base did not
// require grad) still requires grad once the base is detached in place, as
// in LibTorch, whose requires_grad() sees the view's grad_fn (found by
// random programs).
TEST(Engine, AViewGivenAHistoryInPlaceStillRequiresGradAfterItsBaseIsDetachedInPlace) {
  Tensor x = t({1, 2, 3}).set_requires_grad(true);
  Tensor base = x.detach();
  Tensor view = base.view({3});
  view.add_(x * 2);
  base.detach_();
  EXPECT_FALSE(base.requires_grad());
  EXPECT_TRUE(view.requires_grad());
  ASSERT_NE(view.grad_fn(), nullptr);
  EXPECT_EQ(view.grad_fn()->name(), "AsStridedBackward0");
}

// LibTorch's check_inplace asks whether the view requires grad and its base
// is a leaf: a base that detach_() made a leaf counts.
TEST(Engine, AViewOfABaseDetachedInPlaceIsAViewOfALeaf) {
  Tensor x = t({1, 2, 3}).set_requires_grad(true);
  Tensor base = x * 1;
  Tensor view = base.view({3});
  base.detach_();
  EXPECT_THROW_MSG(view.add_(1), "a view of a leaf Variable that requires grad is being used in an in-place operation.");
}

// A view's regenerated history stays after its base is detached in place,
// as LibTorch's: a node that saved the view still finds it with history.
TEST(Engine, AViewKeepsItsRegeneratedHistoryAfterItsBaseIsDetachedInPlace) {
  Tensor x = t({1, 2, 3}).set_requires_grad(true);
  Tensor base = zeros({3}, kDouble);
  Tensor view = base.view({3});  // made without history: its base required no grad then
  base.add_(x);                  // the view's history is now AsStridedBackward0
  ASSERT_EQ(view.grad_fn()->name(), "AsStridedBackward0");
  Tensor y = view.pow(2);        // saves the view
  base.detach_();
  ASSERT_TRUE(view.grad_fn() != nullptr);
  y.sum().backward();
  EXPECT_TRUE(x.grad().equal(t({2, 4, 6})));
}

// When both saved inputs are unusable, the one reported is self, as in
// LibTorch, whose generated MulBackward0 unpacks self first.
TEST(Engine, ABinaryNodeUnpacksSelfFirst) {
  Tensor x = t({1, 2, 3}).set_requires_grad(true);
  Tensor a = x * 1, b = x * 2;
  Tensor c = a * b;
  b.detach_();
  {
    NoGradGuard no_grad;
    a.mul_(2);
  }
  EXPECT_THROW_MSG(c.sum().backward(), "one of the variables needed for gradient computation has been modified");
}

// dot and mv unpack their second input first, as LibTorch's DotBackward0
// and MvBackward0 do (probed: of a modified self and a detached other,
// LibTorch reports the detached one).
TEST(Engine, DotAndMvUnpackTheirSecondInputFirst) {
  for (bool mv : {false, true}) {
    Tensor x = t({1, 2, 3, 4}).set_requires_grad(true), y = t({1, 2}).set_requires_grad(true);
    Tensor a = mv ? x.view({2, 2}) * 1 : x.narrow(0, 0, 2) * 1, b = y * 2;
    Tensor c = mv ? a.mv(b).sum() : a.dot(b);
    b.detach_();
    {
      NoGradGuard no_grad;
      a.mul_(2);
    }
    SCOPED_TRACE(mv ? "mv" : "dot");
    EXPECT_THROW_MSG(c.backward(), "Trying to use a saved tensor that has been detached in-place");
  }
}

// The saved result of an in-place op on a view that no longer exists gets
// its history from the op's node directly, which CopySlices also holds; the
// second backward reaches that node both ways, so CopySlices must let go of
// it without freeing what it saved, as LibTorch's does (found by random
// programs; the value is LibTorch's, probed).
TEST(Engine, DoubleBackwardThroughAnInplaceOpOnAViewThatIsGone) {
  Tensor x = (arange(12).to(kDouble).view({2, 3, 2}) * 0.1 + 0.3).set_requires_grad(true);
  Tensor b = x * 1;
  {
    Tensor v = b.narrow(1, 2, 1);
    v.sigmoid_();
  }
  Tensor first = grad({(b * 0.5).sum() + (b.tanh() * 0.75).sum()}, {x}, {}, -1, /*create_graph=*/true)[0];
  Tensor second = grad({(first * first * 0.5 + first.sigmoid()).sum()}, {x})[0];
  EXPECT_NEAR(second.sum().item<double>(), -4.6134103488760951, 1e-12);
}

TEST(Engine, CopySlicesRefusesASecondBackwardWithoutRetainGraph) {
  Tensor x = t({1, 2, 3}).set_requires_grad(true);
  Tensor b = x * 1;
  b.narrow(0, 0, 2).mul_(2);
  Tensor loss = b.sum();
  loss.backward(Tensor(), /*retain_graph=*/false);
  EXPECT_THROW_MSG(loss.backward(), "Trying to backward through the graph a second time (or directly access saved "
                                    "tensors after they have already been freed)");
  EXPECT_THROW_MSG(loss.backward(), "(Ember: CopySlices, for an in-place op on a view, already ran");
}

TEST(Engine, SecondBackwardThroughFreedGraphThrows) {
  Tensor w = t({1, 2, 3}).set_requires_grad(true);
  Tensor y = (w * w).sum();
  y.backward();
  EXPECT_THROW_MSG(y.backward(), "Trying to backward through the graph a second time");
}

TEST(Engine, RetainGraphAllowsSecondBackward) {
  Tensor w = t({1, 2, 3}).set_requires_grad(true);
  Tensor y = (w * w).sum();
  y.backward(Tensor(), /*retain_graph=*/true);
  y.backward();
  EXPECT_TRUE(w.grad().allclose(t({4, 8, 12})));
}

TEST(Engine, NonScalarOutputNeedsGradient) {
  Tensor w = t({1, 2}).set_requires_grad(true);
  EXPECT_THROW_MSG((w * w).backward(), "grad can be implicitly created only for scalar outputs");
  Tensor y = w * w;
  y.backward(t({1, 10}));
  EXPECT_TRUE(w.grad().allclose(t({2, 40})));
}

TEST(Engine, GradientOfWrongShapeThrows) {
  Tensor y = t({1, 2}).set_requires_grad(true) * 2;
  EXPECT_THROW_MSG(y.backward(t({1, 2, 3})), "invalid gradient at index 0 - got [3] but expected shape compatible with [2]");
}

TEST(Engine, BackwardOfTensorWithoutHistoryThrows) {
  EXPECT_THROW_MSG(t({1, 2}).sum().backward(), "element 0 of tensors does not require grad and does not have a grad_fn");
}

TEST(Engine, GradReturnsGradientsWithoutTouchingDotGrad) {
  Tensor a = t({1, 2}).set_requires_grad(true);
  Tensor b = t({3, 4}).set_requires_grad(true);
  Tensor y = (a * b).sum();
  variable_list g = grad({y}, {a, b});
  EXPECT_TRUE(g[0].allclose(b));
  EXPECT_TRUE(g[1].allclose(a));
  EXPECT_FALSE(a.grad().defined());
}

TEST(Engine, GradOfIntermediateTensor) {
  Tensor a = t({1, 2}).set_requires_grad(true);
  Tensor b = a * 2;
  Tensor y = (b * b).sum();
  variable_list g = grad({y}, {b});
  EXPECT_TRUE(g[0].allclose(b * 2));
}

TEST(Engine, GradErrorsForInputsThatDoNotRequireGradOrAreUnused) {
  Tensor w = t({1, 2, 3}).set_requires_grad(true);
  Tensor y = (w * 2).sum();
  EXPECT_THROW_MSG(grad({y}, {t({1, 2})}), "One of the differentiated Tensors does not require grad");
  Tensor z = t({1, 2}).set_requires_grad(true);
  EXPECT_THROW_MSG(grad({y}, {z}, {}, 1), "One of the differentiated Tensors appears to not have been used in the graph");
  variable_list g = grad({y}, {z}, {}, -1, false, /*allow_unused=*/true);
  EXPECT_FALSE(g[0].defined());
}

TEST(Engine, RetainGradKeepsGradOfNonLeaf) {
  Tensor a = t({1, 1}).set_requires_grad(true);
  Tensor b = a * 2;
  b.retain_grad();
  EXPECT_TRUE(b.retains_grad());
  (b * b).sum().backward();
  EXPECT_TRUE(b.grad().allclose(t({4, 4})));
  Tensor c = a * 3;
  EXPECT_FALSE(c.grad().defined());
}

TEST(Engine, RetainGradOnTensorThatDoesNotRequireGradThrows) {
  EXPECT_THROW_MSG(t({1}).retain_grad(), "can't retain_grad on Tensor that has requires_grad=False");
}

TEST(Engine, LeafAndRequiresGradAfterOps) {
  Tensor w = t({1, 2}).set_requires_grad(true);
  Tensor x = t({1, 2});
  EXPECT_TRUE(w.is_leaf());
  EXPECT_TRUE(x.is_leaf());
  Tensor y = w * x;
  EXPECT_FALSE(y.is_leaf());
  EXPECT_TRUE(y.requires_grad());
  EXPECT_EQ(y.grad_fn()->name(), "MulBackward0");
  Tensor z = x * x;
  EXPECT_FALSE(z.requires_grad());
  EXPECT_TRUE(z.is_leaf());
  EXPECT_EQ(z.grad_fn(), nullptr);
}

TEST(Engine, ComparisonsAreNotDifferentiable) {
  Tensor w = t({1, 2}).set_requires_grad(true);
  for (const Tensor& r : {w.eq(1), w.ne(1), w.lt(w), w.le(1), w.gt(w * 0), w.ge(1)}) {
    EXPECT_FALSE(r.requires_grad());
    EXPECT_EQ(r.dtype(), kBool);
  }
}

TEST(Engine, NoGradGuardRecordsNothing) {
  Tensor w = t({1, 2}).set_requires_grad(true);
  Tensor y;
  {
    NoGradGuard guard;
    y = w * 2;
  }
  EXPECT_FALSE(y.requires_grad());
  EXPECT_TRUE(y.is_leaf());
}

TEST(Engine, DetachCutsHistoryAndSharesVersion) {
  Tensor w = t({1, 2}).set_requires_grad(true);
  Tensor y = w * 2;
  Tensor d = y.detach();
  EXPECT_FALSE(d.requires_grad());
  EXPECT_TRUE(d.is_leaf());
  d.add_(1);
  EXPECT_EQ(y._version(), 1);
  EXPECT_TRUE(y.allclose(t({3, 5})));
}

TEST(Engine, ReshapeThatMustCopyGivesATensorThatIsNotAView) {
  // LibTorch's reshape returns _unsafe_view(clone): a fresh tensor, with no
  // base, whose in-place updates need no rebase.
  Tensor w = t({1, 2, 3, 4, 5, 6}).view({2, 3}).set_requires_grad(true);
  Tensor r = w.t().reshape({6});
  EXPECT_FALSE(r.is_view());
  EXPECT_THROW_MSG(r._base(), "Can't get base of non-view Tensor");
  ASSERT_NE(r.grad_fn(), nullptr);
  EXPECT_EQ(r.grad_fn()->name(), "UnsafeViewBackward0");
  r.mul_(2);
  EXPECT_EQ(r.grad_fn()->name(), "MulBackward1");
  r.sum().backward();
  EXPECT_TRUE(w.grad().allclose(full({2, 3}, 2.0, kDouble)));
  EXPECT_TRUE(w.view({6}).reshape({3, 2}).is_view());  // a reshape that can view does
}

TEST(Engine, ARootGradientTheOutputBroadcastsToIsSummedBack) {
  // LibTorch's validate_outputs: a [2, 3] gradient for a [3] output is
  // summed over the new dim; one the output cannot broadcast to is refused.
  Tensor w = t({1, 2, 3}).set_requires_grad(true);
  (w * 2).backward(ones({2, 3}, kDouble));
  EXPECT_TRUE(w.grad().allclose(full({3}, 4.0, kDouble)));
  Tensor v = t({1, 2, 3}).set_requires_grad(true);
  v.sum().backward(full({1}, 3.0, kDouble));
  EXPECT_TRUE(v.grad().allclose(full({3}, 3.0, kDouble)));
  EXPECT_THROW_MSG((v * 2).backward(ones({2}, kDouble)),
                   "invalid gradient at index 0 - got [2] but expected shape compatible with [3]");
}

TEST(Engine, NodesHaveLibTorchsNames) {
  Tensor w = t({1, 2, 3, 4}).view({2, 2}).set_requires_grad(true);
  EXPECT_EQ(w.t().grad_fn()->name(), "TBackward0");
  EXPECT_EQ(w.transpose(0, 1).grad_fn()->name(), "TransposeBackward0");
  EXPECT_EQ(w.reshape({4}).grad_fn()->name(), "ReshapeAliasBackward0");
  EXPECT_EQ(w.view({4}).grad_fn()->name(), "ViewBackward0");
  Tensor h = w * 1;
  h.fill_(2);
  EXPECT_EQ(h.grad_fn()->name(), "FillBackward2");
  EXPECT_EQ(stack({w, w}).grad_fn()->name(), "StackBackward0");
  EXPECT_EQ(cat({w, w}).grad_fn()->name(), "CatBackward0");
}

// matmul is LibTorch 1.13's composite, case by case: the nodes it leaves
// are LibTorch's (but for vector @ matrix, where LibTorch's in-place
// squeeze_ leaves SqueezeBackward3 and Ember an UnsafeViewBackward0), and no
// result is a view.
TEST(Engine, MatmulLeavesLibTorchsNodesForEachCase) {
  auto in = [](std::initializer_list<int64_t> sizes) { return ones(sizes, kDouble).set_requires_grad(true); };
  struct Case {
    Tensor a, b;
    std::string top, next;
  };
  const std::vector<Case> cases = {
      {in({3}), in({3}), "DotBackward0", ""},
      {in({4, 3}), in({3}), "MvBackward0", ""},
      {in({3}), in({3, 5}), "UnsafeViewBackward0", "MmBackward0"},
      {in({4, 3}), in({3, 5}), "MmBackward0", ""},
      {in({2, 4, 3}), in({3}), "UnsafeViewBackward0", "MvBackward0"},
      {in({2, 4, 3}), in({3, 5}), "UnsafeViewBackward0", "MmBackward0"},
      {in({3}), in({2, 3, 5}), "UnsafeViewBackward0", "MvBackward0"},
      {in({4, 3}), in({2, 3, 5}), "CloneBackward0", "TransposeBackward0"},
      {in({2, 4, 3}), in({2, 3, 5}), "UnsafeViewBackward0", "BmmBackward0"},
      // A batch of transposed matrices goes to bmm, not to a folding copy.
      {ones({2, 3, 4}, kDouble).transpose(1, 2).set_requires_grad(true), in({3, 5}), "UnsafeViewBackward0",
       "BmmBackward0"},
  };
  for (const Case& c : cases) {
    Tensor r = c.a.matmul(c.b);
    SCOPED_TRACE(::testing::Message() << c.a.sizes() << " @ " << c.b.sizes());
    EXPECT_FALSE(r.is_view());
    ASSERT_TRUE(r.grad_fn());
    EXPECT_EQ(r.grad_fn()->name(), c.top);
    if (!c.next.empty()) {
      EXPECT_EQ(r.grad_fn()->next_edges()[0].function->name(), c.next);
    }
  }
}

TEST(Engine, TransposeOfAVectorIsItselfAndPassesGradientsThrough) {
  Tensor w = t({1, 2, 3}).set_requires_grad(true);
  Tensor v = w.t();
  EXPECT_TRUE(v.is_view());
  EXPECT_EQ(v.sizes(), IntArrayRef({3}));
  (v * t({1, 2, 3})).sum().backward();
  EXPECT_TRUE(w.grad().allclose(t({1, 2, 3})));
}

TEST(Engine, WhereRoutesTheGradientToTheChosenInputAndSumsABroadcastOne) {
  Tensor a = t({1, 2, 3, 4, 5, 6}).view({2, 3}).set_requires_grad(true);
  Tensor b = t({10, 20, 30}).set_requires_grad(true);
  Tensor y = where(a > 2.5, a, b);
  ASSERT_EQ(y.grad_fn()->name(), "WhereBackward0");
  EXPECT_EQ(y.grad_fn()->next_edges().size(), 2u);  // the condition has none
  (y * 2).sum().backward();
  EXPECT_TRUE(a.grad().allclose(t({0, 0, 2, 2, 2, 2}).view({2, 3})));
  EXPECT_TRUE(b.grad().allclose(t({2, 2, 0})));
}

TEST(Engine, WhereOfTwoDtypesGivesEachInputAGradientOfItsOwn) {
  Tensor d = t({1, 2}).set_requires_grad(true);
  Tensor f = tensor({3.f, 4.f}).set_requires_grad(true);
  Tensor y = where(tensor({true, false}), d, f);
  EXPECT_EQ(y.dtype(), kDouble);
  EXPECT_EQ(y.grad_fn()->next_edges()[1].function->name(), "AccumulateGrad");  // no conversion node
  y.sum().backward();
  EXPECT_EQ(f.grad().dtype(), kFloat);
  EXPECT_TRUE(f.grad().allclose(tensor({0.f, 1.f})));
}

TEST(Engine, WhereSavesTheConditionSoAnInferenceConditionIsRefused) {
  Tensor condition;
  {
    InferenceMode guard;
    condition = tensor({true, false});
  }
  Tensor a = t({1, 2}).set_requires_grad(true);
  EXPECT_THROW_MSG(where(condition, a, a), "Inference tensors cannot be saved for backward.");
  NoGradGuard no_grad;
  EXPECT_TRUE(where(condition, a, a * 0).allclose(t({1, 0})));
}

// LibTorch's sum_to_size: only leading dims make a view; a tensor with
// nothing to sum comes back as it is, so detach_() on it is allowed.
TEST(Engine, SumToSizeIsAViewOnlyWithLeadingDims) {
  Tensor w = ones({2, 3}).set_requires_grad(true);
  Tensor h = w * 2;
  EXPECT_TRUE(h.sum_to_size({3}).is_view());
  EXPECT_FALSE(h.sum_to_size({1, 3}).is_view());
  EXPECT_EQ(h.sum_to_size({1, 3}).grad_fn()->name(), "SumBackward1");
  Tensor same = h.sum_to_size({2, 3});
  EXPECT_TRUE(same.is_same(h));
  same.detach_();
  EXPECT_FALSE(h.requires_grad());
  EXPECT_EQ(w.sum().sum_to_size({}).grad_fn()->name(), "SumBackward0");
}

TEST(Engine, AnIntegerCopyOfATensorThatRequiresGradDoesNot) {
  Tensor w = t({1.5, 2.5}).set_requires_grad(true);
  Tensor i = (w * 2).to(kLong);
  EXPECT_FALSE(i.requires_grad());
  EXPECT_EQ(i.grad_fn(), nullptr);
  EXPECT_TRUE((w * 2).to(kFloat).requires_grad());
}

TEST(Engine, PowGradientsAreZeroWhereLibTorchMasksThem) {
  // d/dbase at exponent 0 is 0 (not 0 * 0^-1); d/dexponent at base 0 with
  // exponent >= 0 is 0 (not 0 * log 0).
  Tensor base = t({0, 0, 2, -1}).set_requires_grad(true);
  Tensor exponent = t({0, 2, 3, 2}).set_requires_grad(true);
  base.pow(exponent).sum().backward();
  EXPECT_TRUE(base.grad().allclose(t({0, 0, 12, -2})));
  Tensor ge = exponent.grad();
  EXPECT_DOUBLE_EQ(ge.select(0, 0).item<double>(), 0.0);
  EXPECT_DOUBLE_EQ(ge.select(0, 1).item<double>(), 0.0);
  EXPECT_NEAR(ge.select(0, 2).item<double>(), 8 * std::log(2.0), 1e-12);
  EXPECT_TRUE(std::isnan(ge.select(0, 3).item<double>()));  // 1 * log(-1), as in LibTorch
}

// LibTorch's gradient layout contract: a dense leaf's .grad has the leaf's
// strides, whatever layout backward computed it in; any other leaf's is
// contiguous.
TEST(Engine, ADenseLeafsGradHasTheLeafsStrides) {
  Tensor leaf = ones({3, 4}).t().clone().set_requires_grad(true);  // strides (1, 4)
  (leaf * ones({4, 3})).sum().backward();
  EXPECT_EQ(leaf.grad().strides(), IntArrayRef({1, 4}));
  Tensor row_major = ones({3, 4}).set_requires_grad(true);
  (row_major.t() * ones({3, 4}).t()).sum().backward();
  EXPECT_EQ(row_major.grad().strides(), IntArrayRef({4, 1}));
}

TEST(Engine, ALeafThatIsNotDenseGetsAContiguousGrad) {
  Tensor leaf = ones({4, 6}).narrow(1, 0, 3).set_requires_grad(true);  // strides (6, 1)
  (leaf * ones({3, 4}).t()).sum().backward();
  EXPECT_TRUE(leaf.grad().is_contiguous());
  EXPECT_EQ(leaf.grad().strides(), IntArrayRef({3, 1}));
}

// The C++ operators with a Scalar on the left are LibTorch's composites:
// empty_like(b).fill_(a).sub_(b), so the node is the in-place op's.
TEST(Engine, AScalarMinusATensorRecordsSubBackward) {
  Tensor x = t({1, 2}).set_requires_grad(true);
  Tensor y = 1 - x;
  EXPECT_EQ(y.grad_fn()->name(), "SubBackward0");
  EXPECT_EQ(y._version(), 2);
  y.sum().backward();
  EXPECT_TRUE(x.grad().equal(t({-1, -1})));
  Tensor z = 2 / x;
  EXPECT_EQ(z.grad_fn()->name(), "DivBackward0");
}

TEST(Engine, RequiresGradFalseOnNonLeafThrows) {
  Tensor y = t({1, 2}).set_requires_grad(true) * 2;
  EXPECT_THROW_MSG(y.requires_grad_(false),
                   "you can only change requires_grad flags of leaf variables. If you want to use a computed variable "
                   "in a subgraph that doesn't require differentiation use var_no_grad = var.detach(). (Ember: this "
                   "tensor was computed by MulBackward1.)");
}

// LibTorch's C++ set_requires_grad() does not check: the flag is stored, and
// the history still makes the tensor require grad.
TEST(Engine, SetRequiresGradFalseOnNonLeafChangesNothing) {
  Tensor x = t({1, 2}).set_requires_grad(true);
  Tensor y = x * 2;
  y.set_requires_grad(false);
  EXPECT_TRUE(y.requires_grad());
  y.sum().backward();
  EXPECT_TRUE(x.grad().equal(t({2, 2})));
}

TEST(Engine, IntegerTensorCannotRequireGrad) {
  EXPECT_THROW_MSG(arange(3).set_requires_grad(true),
                   "Only Tensors of floating point and complex dtype can require gradients");
}

TEST(Engine, BroadcastGradientIsSummedToInputShape) {
  Tensor a = t({1, 2, 3}).view({3, 1}).set_requires_grad(true);
  Tensor b = t({1, 2}).set_requires_grad(true);
  (a * b).sum().backward();  // (3,2)
  EXPECT_TRUE(a.grad().allclose(t({3, 3, 3}).view({3, 1})));
  EXPECT_TRUE(b.grad().allclose(t({6, 6})));
}

TEST(Engine, MixedDtypeGradientHasInputDtype) {
  Tensor a = tensor({1.0f, 2.0f}).set_requires_grad(true);
  Tensor b = t({3, 4}).set_requires_grad(true);
  (a * b).sum().backward();
  EXPECT_EQ(a.grad().dtype(), kFloat);
  EXPECT_EQ(b.grad().dtype(), kDouble);
  EXPECT_TRUE(a.grad().allclose(tensor({3.0f, 4.0f})));
}

TEST(Engine, CreateGraphGivesSecondDerivative) {
  Tensor x = t({2}).set_requires_grad(true);
  Tensor y = (x * x * x).sum();
  variable_list g = grad({y}, {x}, {}, -1, /*create_graph=*/true);
  EXPECT_TRUE(g[0].allclose(t({12})));
  EXPECT_TRUE(g[0].requires_grad());
  variable_list gg = grad({g[0].sum()}, {x});
  EXPECT_TRUE(gg[0].allclose(t({12})));  // 6x
}

// relu's gradient is LibTorch's threshold_backward of the result: computed
// with create_graph, it depends on x, so a second derivative through a
// piecewise-linear function is zeros, not "appears to not have been used".
TEST(Engine, CreateGraphThroughReluGivesAGradientThatRequiresGrad) {
  Tensor x = tensor({-1.0, 0.5, 2.0}).to(kDouble).set_requires_grad(true);
  variable_list g = grad({(x.relu() * 3).sum()}, {x}, {}, -1, /*create_graph=*/true);
  EXPECT_TRUE(g[0].allclose(tensor({0.0, 3.0, 3.0}).to(kDouble)));
  ASSERT_TRUE(g[0].requires_grad());
  EXPECT_EQ(g[0].grad_fn()->name(), "ThresholdBackwardBackward0");
  variable_list gg = grad({g[0].sum()}, {x});
  EXPECT_TRUE(gg[0].allclose(zeros({3}, kDouble)));
}

// The gradients of select, slice and narrow are LibTorch's select_backward
// and slice_backward ops: computed with create_graph, they carry
// SelectBackwardBackward0 / SliceBackwardBackward0 (LibTorch 1.13's graph,
// probed), not an in-place copy's CopySlices.
void collect_names(const std::shared_ptr<Node>& node, std::vector<std::string>* names) {
  if (!node) return;
  names->push_back(node->name());
  for (const Edge& e : node->next_edges()) collect_names(e.function, names);
}

TEST(Engine, CreateGraphThroughSelectAndSliceRecordsTheirBackwardOps) {
  Tensor x = arange(12).to(kDouble).view({3, 4}).set_requires_grad(true);
  Tensor y = (x.select(1, -1) * x.select(1, 0)).sum() + x.slice(0, 1, 3, 1).pow(2).sum() +
             x.narrow(1, 1, 2).t().pow(3).sum();
  variable_list g = grad({y}, {x}, {}, -1, /*create_graph=*/true);
  std::vector<std::string> names;
  collect_names(g[0].grad_fn(), &names);
  EXPECT_EQ(std::count(names.begin(), names.end(), "SelectBackwardBackward0"), 2);
  EXPECT_EQ(std::count(names.begin(), names.end(), "SliceBackwardBackward0"), 2);
  EXPECT_EQ(std::count(names.begin(), names.end(), "CopySlices"), 0);
  // LibTorch 1.13's values of the second derivative of sum(g * g).
  variable_list gg = grad({(g[0] * g[0]).sum()}, {x});
  Tensor expected = tensor({0.0, 36.0, 288.0, 6.0, 96.0, 5440.0, 9120.0, 102.0, 168.0, 29232.0, 39680.0, 174.0}).to(kDouble).view({3, 4});
  EXPECT_TRUE(gg[0].equal(expected));
}

// LibTorch 1.13's gradients (probed): pieces no gradient reaches count as zeros.
TEST(Engine, PiecesWithoutAGradientGetZerosInUnbindAndSplitBackward) {
  Tensor z = arange(6).to(kDouble).view({2, 3}).set_requires_grad(true);
  (z.split(2, 1)[0] * 3).sum().backward();
  EXPECT_TRUE(z.grad().equal(tensor({3.0, 3.0, 0.0, 3.0, 3.0, 0.0}).to(kDouble).view({2, 3})));
  z.mutable_grad() = Tensor();
  (z.unbind(0)[1] * 2).sum().backward();
  EXPECT_TRUE(z.grad().equal(tensor({0.0, 0.0, 0.0, 2.0, 2.0, 2.0}).to(kDouble).view({2, 3})));
}

TEST(Engine, PiecesUsedTogetherSumTheirGradientsIntoTheInput) {
  Tensor a = arange(4).to(kDouble).set_requires_grad(true);
  std::vector<Tensor> p = a.split_with_sizes({1, 3});
  (p[0] * p[1]).sum().backward();  // p[0] broadcast against p[1]
  EXPECT_TRUE(a.grad().equal(tensor({6.0, 0.0, 0.0, 0.0}).to(kDouble)));
}

// LibTorch 1.13: the gradient through unbind is a stack, through split a cat,
// and both differentiate again (values probed).
TEST(Engine, CreateGraphThroughUnbindAndSplitRecordsStackAndCat) {
  Tensor a = arange(4).to(kDouble).set_requires_grad(true);
  std::vector<Tensor> u = a.unbind();
  variable_list g = grad({u[0] * u[0] + u[1] * u[2]}, {a}, {}, -1, /*create_graph=*/true);
  EXPECT_EQ(g[0].grad_fn()->name(), "StackBackward0");
  EXPECT_TRUE(g[0].equal(tensor({0.0, 2.0, 1.0, 0.0}).to(kDouble)));
  EXPECT_TRUE(grad({g[0].sum()}, {a})[0].equal(tensor({2.0, 1.0, 1.0, 0.0}).to(kDouble)));
  std::vector<Tensor> s = a.split(3);
  variable_list h = grad({(s[0] * s[0]).sum()}, {a}, {}, -1, /*create_graph=*/true);
  EXPECT_EQ(h[0].grad_fn()->name(), "CatBackward0");
  EXPECT_TRUE(h[0].equal(tensor({0.0, 2.0, 4.0, 0.0}).to(kDouble)));
}

// LibTorch 1.13's values (probed).
TEST(Engine, AsStridedWindowsSumTheirGradientsIntoSharedElements) {
  Tensor m = tensor({1.0, 2.0, 3.0, 4.0}).to(kDouble).set_requires_grad(true);
  (m.as_strided({3, 2}, {1, 1}, 0) * tensor({1.0, 10.0}).to(kDouble)).sum().backward();
  EXPECT_TRUE(m.grad().equal(tensor({1.0, 11.0, 11.0, 10.0}).to(kDouble)));
  Tensor x = tensor({1.0, 2.0}).to(kDouble).set_requires_grad(true);
  Tensor y = x.expand({3, 2}).as_strided({2, 2}, {0, 1}, 0);
  (y * tensor({1.0, 2.0, 3.0, 4.0}).to(kDouble).view({2, 2})).sum().backward();
  EXPECT_TRUE(x.grad().equal(tensor({4.0, 6.0}).to(kDouble)));
  Tensor z = arange(6).to(kDouble).set_requires_grad(true);
  Tensor w = z.as_strided({2, 3, 2}, {2, 1, 1}, 0);
  variable_list g = grad({(w * w).sum()}, {z}, {}, -1, /*create_graph=*/true);
  EXPECT_TRUE(g[0].equal(tensor({0.0, 4.0, 12.0, 18.0, 16.0, 10.0}).to(kDouble)));
  EXPECT_TRUE(grad({(g[0] * g[0]).sum()}, {z})[0].equal(tensor({0.0, 32.0, 144.0, 216.0, 128.0, 40.0}).to(kDouble)));
}

// LibTorch's as_strided_backward returns plain zeros for an empty output,
// whatever the input's layout; the layout shows in the sum of the input's
// gradients (probed: a random program's gradient strides).
TEST(Engine, AnEmptyViewWhoseBaseChangedGivesRowMajorZeros) {
  Tensor x = arange(12).to(kDouble).view({2, 3, 2}).set_requires_grad(true);
  Tensor base = x.transpose(0, 2) * 1;  // strides [1, 2, 6]
  Tensor empty = base.narrow(2, 0, 0);
  {
    NoGradGuard guard;
    empty.mul_(2);
  }
  ASSERT_EQ(empty.grad_fn()->name(), "AsStridedBackward0");
  variable_list g = grad({(empty * 2).sum()}, {base});
  EXPECT_EQ(g[0].strides(), IntArrayRef({6, 2, 1}));
  EXPECT_TRUE(g[0].equal(zeros({2, 3, 2}, kDouble)));
}

// LibTorch's CopySlices makes the base's gradient a fresh tensor with the
// base's strides and writes into its slice: gradients of gradients through
// it are laid out as LibTorch's (values and strides probed).
TEST(Engine, SecondDerivativeThroughAnInplaceOnAViewIsLaidOutAsLibTorchs) {
  Tensor x = (arange(12).to(kDouble).view({2, 1, 6}) * 0.1 + 0.3).set_requires_grad(true);
  Tensor xt = x.transpose(0, 2);
  Tensor base = xt.clone();
  base.slice(0, 3, 6, 1).mul_(2);
  variable_list first = grad({(base * xt).sum()}, {x}, {}, -1, /*create_graph=*/true);
  Tensor second = grad({(first[0] * first[0]).sum()}, {x})[0];
  EXPECT_EQ(second.strides(), IntArrayRef({6, 6, 1}));
  EXPECT_TRUE(second.allclose(
      tensor({2.4, 3.2, 4.0, 19.2, 22.4, 25.6, 7.2, 8.0, 8.8, 38.4, 41.6, 44.8}).to(kDouble).view({2, 1, 6})));
}

TEST(Engine, ReluMasksAnInfiniteGradientToZero) {
  Tensor x = tensor({-1.0, 2.0}).to(kDouble).set_requires_grad(true);
  x.relu().backward(tensor({INFINITY, INFINITY}).to(kDouble));
  EXPECT_EQ(x.grad().select(0, 0).item<double>(), 0);
  EXPECT_EQ(x.grad().select(0, 1).item<double>(), INFINITY);
}

// LibTorch's backward(inputs=...): only the given tensors' .grad is filled.
TEST(Engine, BackwardWithInputsAccumulatesOnlyIntoThem) {
  Tensor a = t({1, 2}).set_requires_grad(true), b = t({3, 4}).set_requires_grad(true);
  (a * b).sum().backward(Tensor(), false, false, {a});
  EXPECT_TRUE(a.grad().equal(t({3, 4})));
  EXPECT_FALSE(b.grad().defined());
}

TEST(Engine, BackwardWithANonLeafInputRetainsItsGradient) {
  Tensor a = t({1, 2}).set_requires_grad(true);
  Tensor h = a * 2;
  (h * h).sum().backward(Tensor(), false, false, {h});
  EXPECT_TRUE(h.retains_grad());
  EXPECT_TRUE(h.grad().equal(t({4, 8})));
  EXPECT_FALSE(a.grad().defined());
}

TEST(Engine, BackwardWithInputsRunsLeafHooks) {
  Tensor a = t({1, 2}).set_requires_grad(true);
  int calls = 0;
  a.register_hook([&calls](const Tensor& g) {
    ++calls;
    return g * 10;
  });
  (a * 3).sum().backward(Tensor(), false, false, {a});
  EXPECT_EQ(calls, 1);
  EXPECT_TRUE(a.grad().equal(t({30, 30})));
}

TEST(Engine, BackwardWithEmptyInputsThrows) {
  Tensor a = t({1, 2}).set_requires_grad(true);
  EXPECT_THROW_MSG((a * 3).sum().backward(Tensor(), false, false, TensorList()),
                   "'inputs' argument to backward cannot be empty");
}

TEST(Engine, BackwardWithAnInputThatDoesNotRequireGradThrows) {
  Tensor a = t({1, 2}).set_requires_grad(true), c = t({1, 1});
  EXPECT_THROW_MSG((a * c).sum().backward(Tensor(), false, false, {c}),
                   "One of the differentiated Tensors does not require grad");
}

// LibTorch's data() (variable_data): shared memory, no history, not a view,
// its own version counter; a leaf's data() may be written in place.
TEST(Engine, DataIsAnUntrackedAliasWithItsOwnVersionCounter) {
  Tensor x = t({1, 2}).set_requires_grad(true);
  Tensor y = x * 2;
  Tensor d = y.data();
  EXPECT_TRUE(d.is_leaf());
  EXPECT_FALSE(d.requires_grad());
  EXPECT_FALSE(d.is_view());
  EXPECT_EQ(d.data_ptr(), y.data_ptr());
  d.add_(1);
  EXPECT_EQ(d._version(), 1u);
  EXPECT_EQ(y._version(), 0u);
  EXPECT_TRUE(y.equal(t({3, 5})));
  x.data().zero_();  // no "leaf Variable that requires grad" refusal
  EXPECT_TRUE(x.equal(t({0, 0})));
  EXPECT_EQ(x._version(), 0u);
}

TEST(Engine, DataOfAnUndefinedTensorThrows) {
  EXPECT_THROW_MSG(Tensor().data(), "cannot call variable_data() on undefined tensor");
}

TEST(Engine, BackwardOnSeparateThreadsIsIndependent) {
  std::vector<std::thread> threads;
  std::vector<Tensor> grads(4);
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([i, &grads] {
      Tensor w = full({3}, static_cast<double>(i), kDouble).set_requires_grad(true);
      for (int k = 0; k < 20; ++k) (w * w).sum().backward();
      grads[i] = w.grad();
    });
  }
  for (auto& th : threads) th.join();
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(grads[i].allclose(full({3}, 40.0 * i, kDouble)));
}

TEST(Engine, SharedLeafAccumulatesFromThreads) {
  Tensor w = t({1, 1}).set_requires_grad(true);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&w] {
      for (int k = 0; k < 10; ++k) (w * 2).sum().backward();
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_TRUE(w.grad().allclose(t({80, 80})));
}

}  // namespace
}  // namespace autograd
}  // namespace ember

namespace ember {
namespace autograd {
namespace {

TEST(Engine, LongChainOfInplaceOpsIsFreedWithoutRecursion) {
  Tensor w = tensor({1.0}).to(kDouble).set_requires_grad(true);
  Tensor a = w * 1;
  for (int i = 0; i < 200000; ++i) a.add_(1);
  EXPECT_EQ(a._version(), 200000);
  a = Tensor();  // Drops a 200000-node chain.
  SUCCEED();
}

}  // namespace
}  // namespace autograd
}  // namespace ember

namespace ember {
namespace autograd {
namespace {

TEST(Engine, ThreadsShareAViewWhoseGradFnIsRegenerated) {
  Tensor w = tensor({1.0, 2.0}).to(kDouble).set_requires_grad(true);
  Tensor base = w * 1;
  Tensor v = base.view({2});
  base.mul_(3);  // v's grad_fn is now stale: the first reader regenerates it.
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&v] { (v * 2).sum().backward(Tensor(), /*retain_graph=*/true); });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(v.grad_fn()->name(), "AsStridedBackward0");
  EXPECT_TRUE(w.grad().allclose(full({2}, 24.0, kDouble)));  // 4 threads x 2 x 3
}

}  // namespace
}  // namespace autograd
}  // namespace ember
