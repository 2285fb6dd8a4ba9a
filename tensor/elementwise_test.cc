// Elementwise ops: values, broadcasting, dtype promotion, in-place and out=
// forms, and their errors (messages as LibTorch 1.13's, plus Ember's context).
#include <cmath>
#include <limits>

#include "gtest/gtest.h"
#include "modes/warning.h"
#include "tensor/ops.h"
#include "tensor/tensor.h"
#include "tensor/testing.h"

namespace ember {
namespace {

using testing::values;
using F = std::vector<float>;
using L = std::vector<int64_t>;

TEST(AddTest, AddsElementwise) { EXPECT_EQ(values<float>(tensor({1.f, 2.f}) + tensor({10.f, 20.f})), (F{11, 22})); }

TEST(AddTest, ScalesOtherByAlpha) {
  EXPECT_EQ(values<float>(tensor({1.f, 2.f}).add(tensor({10.f, 20.f}), 2)), (F{21, 42}));
  EXPECT_EQ(values<float>(tensor({1.f, 2.f}).sub(tensor({10.f, 20.f}), 0.5)), (F{-4, -8}));
}

TEST(AddTest, BroadcastsRowAndColumn) {
  Tensor col = tensor({1.f, 2.f}).view({2, 1});
  Tensor row = tensor({10.f, 20.f, 30.f});
  Tensor s = col + row;
  EXPECT_EQ(s.sizes(), IntArrayRef({2, 3}));
  EXPECT_EQ(values<float>(s), (F{11, 21, 31, 12, 22, 32}));
}

TEST(AddTest, BroadcastsAZeroDimTensor) {
  EXPECT_EQ(values<float>(tensor({1.f, 2.f}) + scalar_tensor(3.0)), (F{4, 5}));
}

TEST(AddTest, WorksOnStridedViews) {
  Tensor a = arange(6, kFloat).view({2, 3});
  EXPECT_EQ(values<float>(a.t() + a.t()), (F{0, 6, 2, 8, 4, 10}));
  EXPECT_EQ(values<float>(a.slice(1, 0, 3, 2) * 10), (F{0, 20, 30, 50}));
}

TEST(AddTest, MismatchedShapesThrowWithBothShapes) {
  EXPECT_EMBER_ERROR(ones({2, 3}) + ones({4}),
                     HAS("The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1"),
                     HAS("[2, 3]"), HAS("[4]"), HAS("add"));
}

TEST(PromotionTest, LongPlusFloatIsFloat) {
  Tensor r = arange(3) + ones({3});
  EXPECT_EQ(r.dtype(), kFloat);
  EXPECT_EQ(values<float>(r), (F{1, 2, 3}));
}

TEST(PromotionTest, FloatScalarPromotesLongTensorToFloat) {
  Tensor r = arange(3) * 0.5;
  EXPECT_EQ(r.dtype(), kFloat);
  EXPECT_EQ(values<float>(r), (F{0, 0.5, 1}));
}

TEST(PromotionTest, ScalarsAndZeroDimTensorsDoNotPromoteWithinACategory) {
  EXPECT_EQ((ones({2}) + 1.5).dtype(), kFloat);
  EXPECT_EQ((ones({2}) + scalar_tensor(1.5, kDouble)).dtype(), kFloat);
  EXPECT_EQ((ones({2}) + ones({2}, kDouble)).dtype(), kDouble);
  EXPECT_EQ((arange(2) + 3).dtype(), kLong);
  EXPECT_EQ((ones({2}, kBool) + 1).dtype(), kLong);
}

TEST(DivTest, IntegerDivisionIsTrueDivision) {
  Tensor r = arange(4) / 2;
  EXPECT_EQ(r.dtype(), kFloat);
  EXPECT_EQ(values<float>(r), (F{0, 0.5, 1, 1.5}));
  EXPECT_EQ(values<float>(2 / tensor({4.f, 8.f})), (F{0.5, 0.25}));
}

TEST(PowTest, FloatAndIntegerPowers) {
  EXPECT_EQ(values<float>(tensor({2.f, 3.f}).pow(2)), (F{4, 9}));
  EXPECT_EQ(values<float>(tensor({4.f, 9.f}).pow(0.5)), (F{2, 3}));
  EXPECT_EQ(values<int64_t>(tensor({2, 3, -1, 5}).pow(tensor({3, 2, -3, -1}))), (L{8, 9, -1, 0}));
}

TEST(PowTest, SmallIntegerPowersAreProductsAsInLibTorch) {
  // LibTorch computes x^3 as x * x * x (two roundings), not pow(x, 3); for
  // 0.17 the two differ in the last bit. (volatile: no constant folding.)
  volatile double v = 0.17;
  const double x = v;
  ASSERT_NE(x * x * x, std::pow(x, 3.0));
  Tensor t = full({1}, x, kDouble);
  EXPECT_EQ(t.pow(3).item<double>(), x * x * x);
  EXPECT_EQ(t.clone().pow_(3).item<double>(), x * x * x);
  EXPECT_EQ(t.pow(-2).item<double>(), 1 / (x * x));
  EXPECT_EQ(t.pow(0.5).item<double>(), std::sqrt(x));
  EXPECT_EQ(t.pow(-0.5).item<double>(), 1 / std::sqrt(x));
  EXPECT_EQ(t.pow(-1).item<double>(), 1 / x);
  EXPECT_EQ(t.pow(2.5).item<double>(), std::pow(x, 2.5));
}

// LibTorch's C++ `a - b` and `a / b` for a Scalar a: b's dtype and layout.
TEST(ScalarOnTheLeftTest, KeepsTheTensorsDtypeAsLibTorchsOperatorsDo) {
  Tensor i = tensor({1, 2, 3});
  Tensor d = 2.5 - i;
  EXPECT_EQ(d.dtype(), kLong);
  EXPECT_EQ(values<int64_t>(d), (L{1, 0, -1}));
  EXPECT_EMBER_ERROR(2.5 / i, HAS("result type Float can't be cast to the desired output type Long"));
  EXPECT_EQ(values<float>(2 / tensor({4.f, 8.f})), (F{0.5, 0.25}));
  EXPECT_EQ((1 - ones({3, 4}).t()).strides(), IntArrayRef({1, 4}));
  EXPECT_EMBER_ERROR(1 - Tensor(), HAS("Expected a proper Tensor but got None"));
}

TEST(InPlaceTest, ReturnsSelfAndChains) {
  Tensor x = ones({3});
  const Tensor& r = x.add_(1).mul_(0.5);
  EXPECT_TRUE(r.is_same(x));
  EXPECT_EQ(values<float>(x), (F{1, 1, 1}));
  x.sub_(ones({3}), 2).div_(tensor({1.f, 2.f, 4.f}));
  EXPECT_EQ(values<float>(x), (F{-1, -0.5, -0.25}));
}

TEST(InPlaceTest, WritesThroughAView) {
  Tensor base = zeros({2, 3});
  base.select(1, 1).add_(7);
  EXPECT_EQ(values<float>(base), (F{0, 7, 0, 0, 7, 0}));
}

TEST(InPlaceTest, CannotGrowItsTensor) {
  EXPECT_EMBER_ERROR(ones({2, 3}).add_(ones({4, 2, 3})),
                     HAS("output with shape [2, 3] doesn't match the broadcast shape [4, 2, 3]"));
}

TEST(InPlaceTest, CannotCastAFloatResultIntoALongTensor) {
  EXPECT_EMBER_ERROR(ones({2}, kLong).add_(1.5), HAS("result type Float can't be cast to the desired output type Long"));
  EXPECT_EMBER_ERROR(ones({2}, kLong).div_(2), HAS("result type Float can't be cast to the desired output type Long"));
  EXPECT_EMBER_ERROR(ones({2}, kLong).exp_(), HAS("result type Float can't be cast to the desired output type Long"));
}

TEST(InPlaceTest, RefusesToWriteIntoAnExpandedTensor) {
  EXPECT_EMBER_ERROR(ones({1}).expand({3}).add_(1),
                     HAS("unsupported operation: more than one element of the written-to tensor refers to a single "
                         "memory location. Please clone() the tensor before performing the operation."));
}

TEST(InPlaceTest, AcceptsALowerDtypeOperand) {
  Tensor x = ones({2});
  x.add_(arange(2));
  EXPECT_EQ(values<float>(x), (F{1, 2}));
}

TEST(OutTest, WritesIntoOut) {
  Tensor out = empty({2, 2});
  const Tensor& r = add_out(out, ones({2, 2}), tensor({1.f, 2.f}));
  EXPECT_TRUE(r.is_same(out));
  EXPECT_EQ(values<float>(out), (F{2, 3, 2, 3}));
  mul_out(out, tensor({2.f, 3.f}), tensor({4.f, 5.f}).view({2, 1}));
  EXPECT_EQ(values<float>(out), (F{8, 12, 10, 15}));
}

TEST(OutTest, CastsIntoAWiderOut) {
  Tensor out = empty({2}, kDouble);
  add_out(out, arange(2), arange(2));
  EXPECT_EQ(values<double>(out), (std::vector<double>{0, 2}));
}

TEST(OutTest, ResizesAnEmptyOutSilently) {
  Tensor out = empty({0});
  add_out(out, ones({2}), ones({2}));
  EXPECT_EQ(out.sizes(), IntArrayRef({2}));
  EXPECT_EQ(values<float>(out), (F{2, 2}));
}

class CollectWarnings : public WarningHandler {
 public:
  void process(const std::string& message) override { messages.push_back(message); }
  std::vector<std::string> messages;
};

TEST(OutTest, ResizesANonEmptyOutWithLibTorchsWarning) {
  CollectWarnings collect;
  WarningHandlerGuard guard(&collect);
  Tensor out = empty({3});
  add_out(out, ones({2}), ones({2}));
  EXPECT_EQ(out.sizes(), IntArrayRef({2}));
  ASSERT_EQ(collect.messages.size(), 1u);
  EXPECT_THAT(collect.messages[0], HAS("An output with one or more elements was resized since it had shape [3], "
                                       "which does not match the required output shape [2]."));
}

TEST(OutTest, MismatchedInputsThrow) {
  Tensor out = empty({3});
  EXPECT_EMBER_ERROR(add_out(out, ones({2, 3}), ones({4})),
                     HAS("The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1"));
}

TEST(OutTest, NarrowerDtypeThrows) {
  Tensor out = empty({2}, kLong);
  EXPECT_EMBER_ERROR(mul_out(out, ones({2}), ones({2})),
                     HAS("result type Float can't be cast to the desired output type Long"));
}

TEST(OverlapTest, InPlaceWithAnOverlappingViewThrowsBeforeWriting) {
  Tensor x = arange(4, kFloat).view({2, 2});
  const char* phrase =
      "unsupported operation: some elements of the input tensor and the written-to tensor refer to a single memory "
      "location. Please clone() the tensor before performing the operation.";
  EXPECT_EMBER_ERROR(x.add_(x.t()), HAS(phrase));
  Tensor y = arange(6, kFloat);
  EXPECT_EMBER_ERROR(y.slice(0, 1, 6).add_(y.slice(0, 0, 5)), HAS(phrase));
  EXPECT_EMBER_ERROR(y.slice(0, 1, 6).copy_(y.slice(0, 0, 5)), HAS(phrase));
  EXPECT_EQ(values<float>(x), (F{0, 1, 2, 3}));
}

// LibTorch's element loop reads a broadcast input for every element, so an
// in-place op that broadcasts a column of its own output sees the column's
// new value after passing it.
TEST(OverlapTest, AnInPlaceOpReadsABroadcastViewOfItselfAsItGoes) {
  Tensor x = arange(8).to(kDouble).view({2, 4});
  x.sub_(x.slice(1, 1, 2));
  EXPECT_EQ(values<double>(x), (std::vector<double>{-1, 0, 2, 3, -1, 0, 6, 7}));
}

// An empty tensor has no elements to overlap, whatever its strides.
TEST(OverlapTest, AnEmptyExpandedTensorIsNoOverlap) {
  Tensor empty = ones({0, 1}).expand({0, 3});
  EXPECT_EMBER_ERROR(empty.add_(ones({3, 4})), HAS("The size of tensor a (3) must match the size of tensor b (4)"));
  EXPECT_TRUE(empty.add_(1).sizes() == IntArrayRef({0, 3}));
}

// LibTorch's full overlap: the same span with the same strides, whatever the
// sizes. (1, 3) and (3, 1) views of three elements then fail on their shapes.
TEST(OverlapTest, TheSameSpanWithTheSameStridesIsAFullOverlap) {
  Tensor column = ones({3, 1});
  Tensor row = column.t().contiguous();  // the same tensor's memory, as (1, 3) with strides (1, 1)
  ASSERT_TRUE(row.storage().is_alias_of(column.storage()));
  EXPECT_EMBER_ERROR(row.add_(column), HAS("output with shape [1, 3] doesn't match the broadcast shape [3, 3]"));
}

TEST(OverlapTest, SameElementsOrDisjointViewsAreFine) {
  Tensor x = arange(4, kFloat);
  x.add_(x);
  EXPECT_EQ(values<float>(x), (F{0, 2, 4, 6}));
  x.slice(0, 0, 2).add_(x.slice(0, 2, 4));
  EXPECT_EQ(values<float>(x), (F{4, 8, 4, 6}));
  Tensor m = arange(4, kFloat).view({2, 2});
  m.select(1, 0).add_(m.select(1, 1));  // Interleaved, not overlapping.
  EXPECT_EQ(values<float>(m), (F{1, 1, 5, 3}));
}

TEST(UndefinedTest, UndefinedOperandThrowsLibTorchsMessage) {
  EXPECT_EMBER_ERROR(ones({2}) + Tensor(),
                     HAS("Expected a proper Tensor but got None (or an undefined Tensor in C++) for argument #1 "
                         "'other'"));
}

TEST(BoolTest, ArithmeticRules) {
  Tensor t = tensor({true, false});
  EXPECT_EQ(values<bool>(t * t), (std::vector<bool>{true, false}));
  EXPECT_EMBER_ERROR(t - t, HAS("Subtraction, the `-` operator, with two bool tensors is not supported."));
  EXPECT_EMBER_ERROR(-t, HAS("Negation, the `-` operator, on a bool tensor is not supported."));
}

TEST(AlphaTest, FloatAlphaWithIntegersThrows) {
  EXPECT_EMBER_ERROR(arange(2).add(arange(2), 0.5),
                     HAS("For integral input tensors, argument alpha must not be a floating point number"));
}

TEST(UnaryTest, ComputesEachFunction) {
  Tensor x = tensor({-1.0, 0.0, 2.0});
  EXPECT_EQ(values<float>(x.neg()), (F{1, -0.f, -2}));
  EXPECT_EQ(values<float>(x.relu()), (F{0, 0, 2}));
  EXPECT_TRUE(x.exp().allclose(tensor({std::exp(-1.0), 1.0, std::exp(2.0)})));
  EXPECT_TRUE(x.sigmoid().allclose(tensor({1 / (1 + std::exp(1.0)), 0.5, 1 / (1 + std::exp(-2.0))})));
  EXPECT_TRUE(x.tanh().allclose(tensor({std::tanh(-1.0), 0.0, std::tanh(2.0)})));
  EXPECT_TRUE(tensor({1.0, std::exp(1.0)}).log().allclose(tensor({0.0, 1.0})));
}

TEST(UnaryTest, IntegerInputsOfFloatFunctionsGiveFloat) {
  EXPECT_EQ(arange(3).exp().dtype(), kFloat);
  EXPECT_EQ(arange(3).relu().dtype(), kLong);
}

TEST(UnaryTest, ReluKeepsNaN) {
  float nan = std::numeric_limits<float>::quiet_NaN();
  EXPECT_TRUE(std::isnan(tensor({nan}).relu().item<float>()));
}

TEST(ThresholdBackwardTest, PassesTheGradientWhereSelfIsAboveTheThreshold) {
  Tensor grad = tensor({10.0, 20.0, 30.0, 40.0});
  Tensor self = tensor({-1.0, 0.0, 0.5, 2.0});
  EXPECT_EQ(values<float>(ops::threshold_backward.call(grad, self, 0)), (F{0, 0, 30, 40}));
  EXPECT_EQ(values<float>(ops::threshold_backward.call(grad, self, 1)), (F{0, 0, 0, 40}));
}

// LibTorch's `self <= threshold ? 0 : grad`: a NaN self passes the gradient,
// and a masked infinite or NaN gradient becomes 0 (not inf * 0).
TEST(ThresholdBackwardTest, MasksNonFiniteGradientsAndPassesThemAtANaNSelf) {
  const float inf = std::numeric_limits<float>::infinity(), nan = std::numeric_limits<float>::quiet_NaN();
  std::vector<float> out = values<float>(ops::threshold_backward.call(tensor({inf, nan, inf}), tensor({-1.f, 0.f, nan}), 0));
  EXPECT_EQ(out[0], 0);
  EXPECT_EQ(out[1], 0);
  EXPECT_EQ(out[2], inf);
}

TEST(ThresholdBackwardTest, PromotesDtypesAndBroadcasts) {
  Tensor out = ops::threshold_backward.call(ones({3, 1}), tensor({-1.0, 2.0}).to(kDouble), 0);
  EXPECT_EQ(out.dtype(), kDouble);
  EXPECT_EQ(out.sizes(), (L{3, 2}));
  EXPECT_EQ(values<double>(out), (std::vector<double>{0, 1, 0, 1, 0, 1}));
  EXPECT_EQ(ops::threshold_backward.call(tensor({3, 4}), tensor({-1, 2}), 0).dtype(), kLong);
}

// TensorIterator's operand order is self, then the gradient: self's dim
// order decides the result's layout, as LibTorch's.
TEST(ThresholdBackwardTest, LaysTheResultOutLikeSelf) {
  Tensor self = arange(6).to(kDouble).view({2, 3}).t();
  Tensor grad = ones({3, 2}, kDouble);
  EXPECT_EQ(ops::threshold_backward.call(grad, self, 0).strides(), (L{1, 3}));
}

TEST(ActivationBackwardTest, ComputeLibTorchsFormulas) {
  Tensor g = tensor({2.0, -1.0}).to(kDouble), y = tensor({0.25, 0.5}).to(kDouble);
  EXPECT_EQ(values<double>(ops::sigmoid_backward.call(g, y, 1)), (std::vector<double>{2 * 0.75 * 0.25, -0.25}));
  EXPECT_EQ(values<double>(ops::tanh_backward.call(g, y, 1)), (std::vector<double>{2 * (1 - 0.0625), -0.75}));
}

// LibTorch's add kernel rounds a + alpha * b once (a fused multiply-add):
// in float, 1 + 3 * (1/28) is 1.10714281 so, and 1.10714293 rounded twice.
TEST(AlphaTest, AddAndSubRoundAPlusAlphaTimesBOnce) {
  Tensor a = tensor({1.0f}), b = tensor({1.0f / 28});
  EXPECT_EQ(a.add(b, 3).item<float>(), 1.10714281f);
  EXPECT_EQ(a.sub(b, -3).item<float>(), 1.10714281f);
  EXPECT_EQ(values<int64_t>(arange(3).add(arange(3), 2)), (L{0, 3, 6}));  // integers: exact either way
}

TEST(PowTest, BoolBaseAndExponentThrow) {
  Tensor b = ones({2}, kBool);
  EXPECT_EMBER_ERROR(b.pow(b), HAS("\"pow\" not implemented for 'Bool'"));
  EXPECT_EMBER_ERROR(b.pow(true), HAS("\"pow\" not implemented for 'Bool'"));
  EXPECT_EMBER_ERROR(b.pow_(b), HAS("\"pow\" not implemented for 'Bool'"));
  EXPECT_EQ(b.pow(2).dtype(), kLong);  // an integer exponent promotes first
}

TEST(ActivationBackwardTest, UndefinedInputsThrow) {
  Tensor t = ones({2});
  EXPECT_EMBER_ERROR(ops::tanh_backward.call(Tensor(), t, 1),
                     HAS("Expected a proper Tensor but got None (or an undefined Tensor in C++) for argument #0 "
                         "'grad_output' (in tanh_backward)"));
  EXPECT_EMBER_ERROR(ops::sigmoid_backward.call(t, Tensor(), 1), HAS("argument #1 'output' (in sigmoid_backward)"));
  EXPECT_EMBER_ERROR(ops::threshold_backward.call(t, Tensor(), 0), HAS("argument #1 'self' (in threshold_backward)"));
}

TEST(ActivationBackwardTest, IntegerInputsThrow) {
  EXPECT_EMBER_ERROR(ops::tanh_backward.call(arange(2), arange(2), 1),
                     HAS("\"tanh_backward_out\" not implemented for 'Long'"));
  EXPECT_EMBER_ERROR(ops::sigmoid_backward.call(ones({2}, kBool), ones({2}, kBool), 1),
                     HAS("\"sigmoid_backward_out\" not implemented for 'Bool'"));
}

TEST(ThresholdBackwardTest, BoolInputsThrow) {
  Tensor b = ones({2}, kBool);
  EXPECT_EMBER_ERROR(ops::threshold_backward.call(b, b, 0), HAS("\"threshold_cpu\" not implemented for 'Bool'"));
}

TEST(UnaryTest, InPlaceFormsWriteIntoSelf) {
  Tensor x = tensor({-1.0, 2.0});
  x.relu_();
  EXPECT_EQ(values<float>(x), (F{0, 2}));
  x.neg_().exp_();
  EXPECT_TRUE(x.allclose(tensor({1.0, std::exp(-2.0)})));
}

TEST(CopyTest, BroadcastsAndConverts) {
  Tensor dst = zeros({2, 2}, kDouble);
  dst.copy_(tensor({1, 2}));
  EXPECT_EQ(values<double>(dst), (std::vector<double>{1, 2, 1, 2}));
}

TEST(CopyTest, ATensorCopiedIntoItselfIsLeftAsItIsEvenWhenExpanded) {
  Tensor expanded = ones({3, 1}).expand({3, 4});
  EXPECT_TRUE(expanded.copy_(expanded).is_same(expanded));
  EXPECT_EMBER_ERROR(expanded.copy_(ones({3, 4})), HAS("more than one element of the written-to tensor"));
}

TEST(CopyTest, ShapeMismatchThrows) {
  EXPECT_EMBER_ERROR(ones({2, 3}).copy_(ones({3, 2})),
                     HAS("The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 1"));
}

TEST(FillTest, FillsAndZeroesThroughViews) {
  Tensor x = ones({2, 3});
  x.t().select(0, 0).fill_(4);
  EXPECT_EQ(values<float>(x), (F{4, 1, 1, 4, 1, 1}));
  x.zero_();
  EXPECT_EQ(values<float>(x), F(6, 0));
}

// Filling is idempotent, so LibTorch fills an expanded tensor (every element
// of it is the one it writes); other in-place ops refuse one.
TEST(FillTest, FillsAnExpandedTensor) {
  Tensor base = ones({3, 1});
  Tensor expanded = base.expand({3, 4});
  expanded.fill_(2);
  EXPECT_EQ(values<float>(base), (F{2, 2, 2}));
  expanded.zero_();
  EXPECT_EQ(values<float>(base), (F{0, 0, 0}));
  EXPECT_EMBER_ERROR(expanded.add_(1), HAS("more than one element of the written-to tensor refers to a single"));
}

TEST(CloneTest, CopiesIntoNewStorageKeepingTheStridesOfADenseTensor) {
  Tensor a = arange(6).view({2, 3}).t();
  Tensor c = a.clone();
  EXPECT_FALSE(c.storage().is_alias_of(a.storage()));
  EXPECT_EQ(c.strides(), IntArrayRef({1, 3}));
  EXPECT_EQ(values<int64_t>(c), (L{0, 3, 1, 4, 2, 5}));
}

TEST(CloneTest, GivesANonDenseTensorDenseStridesInItsDimOrder) {
  Tensor a = arange(24).view({4, 6}).t().narrow(0, 0, 4).narrow(1, 0, 3);  // strides (1, 6)
  Tensor c = a.clone();
  EXPECT_EQ(c.strides(), IntArrayRef({1, 4}));
  EXPECT_EQ(values<int64_t>(c), values<int64_t>(a));
  Tensor e = arange(4).view({4, 1}).expand({4, 3}).clone();
  EXPECT_EQ(e.strides(), IntArrayRef({3, 1}));
}

TEST(CloneTest, CopiesInTheFormatAsked) {
  Tensor a = arange(6).view({2, 3}).t();
  Tensor c = a.clone(MemoryFormat::Contiguous);
  EXPECT_TRUE(c.is_contiguous());
  EXPECT_EQ(values<int64_t>(c), (L{0, 3, 1, 4, 2, 5}));
  Tensor x = arange(120).view({2, 3, 4, 5});
  Tensor cl = x.clone(MemoryFormat::ChannelsLast);
  EXPECT_EQ(cl.strides(), IntArrayRef({60, 1, 15, 3}));
  EXPECT_TRUE(cl.is_contiguous(MemoryFormat::ChannelsLast));
  EXPECT_FALSE(cl.is_contiguous());
  EXPECT_EQ(cl.suggest_memory_format(), MemoryFormat::ChannelsLast);
  EXPECT_EQ(values<int64_t>(cl), values<int64_t>(x));
}

TEST(CloneTest, RefusesChannelsLastOfTheWrongRank) {
  EXPECT_EMBER_ERROR(ones({2, 3}).clone(MemoryFormat::ChannelsLast),
                     HAS("required rank 4 tensor to use channels_last format"));
}

// LibTorch's TensorIterator keeps its inputs' dim order in the result.
TEST(ElementwiseLayoutTest, ResultsKeepTheDimOrderOfTheirInputs) {
  Tensor x = arange(12).view({3, 4}).t().to(kFloat);  // (4, 3), strides (1, 4)
  Tensor c = ones({4, 3});
  EXPECT_EQ((x * 2).strides(), IntArrayRef({1, 4}));
  EXPECT_EQ((x + x).strides(), IntArrayRef({1, 4}));
  EXPECT_EQ(x.exp().strides(), IntArrayRef({1, 4}));
  EXPECT_EQ((x > 0).strides(), IntArrayRef({1, 4}));
  EXPECT_EQ((x + c).strides(), IntArrayRef({1, 4}));
  EXPECT_EQ((c + x).strides(), IntArrayRef({3, 1}));
  EXPECT_EQ(values<float>(x + c), values<float>(c + x));
}

TEST(ElementwiseLayoutTest, ViewOfATransposedResultFailsAsInLibTorch) {
  Tensor x = ones({3, 4}).t();
  EXPECT_EMBER_ERROR((x * 2).view({12}), HAS("view size is not compatible with input tensor's size and stride"));
  EXPECT_EQ((x * 2).reshape({12}).sizes(), IntArrayRef({12}));
  EXPECT_TRUE((x * 2).contiguous().view({12}).defined());
}

TEST(ElementwiseLayoutTest, LikeFactoriesAndToKeepTheLayout) {
  Tensor x = ones({3, 4}).t();
  EXPECT_EQ(zeros_like(x).strides(), IntArrayRef({1, 4}));
  EXPECT_EQ(ones_like(x).strides(), IntArrayRef({1, 4}));
  EXPECT_EQ(empty_like(x, kDouble).strides(), IntArrayRef({1, 4}));
  EXPECT_EQ(rand_like(x).strides(), IntArrayRef({1, 4}));
  EXPECT_EQ(full_like(x, 3).strides(), IntArrayRef({1, 4}));
  EXPECT_EQ(x.to(kDouble).strides(), IntArrayRef({1, 4}));
  EXPECT_EQ(values<double>(x.to(kDouble)), std::vector<double>(12, 1.0));
}

TEST(ElementwiseLayoutTest, AResizedOutTensorGetsTheResultsLayout) {
  Tensor x = ones({3, 4}).t();
  Tensor out = empty({0});
  add_out(out, x, x);
  EXPECT_EQ(out.strides(), IntArrayRef({1, 4}));
  Tensor same = empty({4, 3});
  add_out(same, x, x);
  EXPECT_TRUE(same.is_contiguous());
}

TEST(ElementwiseLayoutTest, CatKeepsChannelsLastWhenEveryInputIsChannelsLast) {
  Tensor cl = ones({2, 3, 4, 5}).clone(MemoryFormat::ChannelsLast);
  EXPECT_EQ(cat({cl, cl}).strides(), IntArrayRef({60, 1, 15, 3}));
  EXPECT_TRUE(cat({cl, ones({2, 3, 4, 5})}).is_contiguous());
  EXPECT_TRUE(cat({ones({3, 4}).t(), ones({3, 4}).t()}).is_contiguous());
}

TEST(ContiguousTest, ReturnsSelfWhenAlreadyContiguous) {
  Tensor a = ones({2, 3});
  EXPECT_TRUE(a.contiguous().is_same(a));
  EXPECT_FALSE(a.t().contiguous().is_same(a));
}

TEST(ToTest, ConvertsDtypesAndReturnsSelfForTheSameDtype) {
  Tensor a = tensor({1.7, -2.5});
  EXPECT_TRUE(a.to(kFloat).is_same(a));
  EXPECT_EQ(values<int64_t>(a.to(kLong)), (L{1, -2}));
  EXPECT_EQ(values<bool>(tensor({0.0, 3.0}).to(kBool)), (std::vector<bool>{false, true}));
}

// Out-of-range floats and NaN have no int64; LibTorch 1.13 gives INT64_MIN for
// them on x86-64, and so does Ember, on every path (flat, broadcast, strided).
TEST(ToTest, NaNInfinityAndOutOfRangeFloatsBecomeInt64Min) {
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  const float inf = std::numeric_limits<float>::infinity(), nan = std::numeric_limits<float>::quiet_NaN();
  Tensor f = tensor({nan, inf, -inf, 1e19f, -1e19f, 9.2e18f, 2.5f, -2.5f, -0.9f});
  L expected{kMin, kMin, kMin, kMin, kMin, 9200000267938955264, 2, -2, 0};
  EXPECT_EQ(values<int64_t>(f.to(kLong)), expected);
  EXPECT_EQ(values<int64_t>(f.to(kDouble).to(kLong)), expected);
  EXPECT_EQ(values<int64_t>(f.view({3, 3}).t().to(kLong)),
            (L{kMin, kMin, 2, kMin, kMin, -2, kMin, 9200000267938955264, 0}));
  Tensor out = zeros({2}, kLong);
  out.copy_(tensor({nan}));
  EXPECT_EQ(values<int64_t>(out), (L{kMin, kMin}));
}

TEST(Int64Test, AddSubMulWrapAroundAsLibTorch) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max(), kMin = std::numeric_limits<int64_t>::min();
  Tensor a = tensor({kMax, kMin, kMax}), b = tensor({int64_t{1}, int64_t{-1}, kMax});
  EXPECT_EQ(values<int64_t>(a + b), (L{kMin, kMax, -2}));
  EXPECT_EQ(values<int64_t>(a - b), (L{kMax - 1, kMin + 1, 0}));
  EXPECT_EQ(values<int64_t>(a * b), (L{kMax, kMin, 1}));
  EXPECT_EQ(values<int64_t>(a.add(b, 3)), (L{kMin + 2, kMax - 2, -4}));
  EXPECT_EQ(values<int64_t>(a + kMax), (L{-2, -1, -2}));
  EXPECT_EQ(values<int64_t>(a.view({3, 1}) + b.view({1, 3})).front(), kMin);
  Tensor c = a.clone();
  c.add_(b).mul_(2);
  EXPECT_EQ(values<int64_t>(c), (L{0, -2, -4}));
}

TEST(Int64Test, NegAndPowWrapAroundAsLibTorch) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max(), kMin = std::numeric_limits<int64_t>::min();
  EXPECT_EQ(values<int64_t>(-tensor({kMin, kMax})), (L{kMin, kMin + 1}));
  // 3037000500^2 mod 2^64, read as signed.
  EXPECT_EQ(values<int64_t>(tensor({kMax, kMin, int64_t{3037000500}}).pow(2)), (L{1, 0, -9223372036709301616}));
}

TEST(FillTest, NonRepresentableValueForAFloatTensorThrowsLibTorchsMessage) {
  EXPECT_EMBER_ERROR(full({2}, 1e40, kFloat), HAS("value cannot be converted to type float without overflow"),
                     HAS("full of a Float tensor with 1e+40"));
  EXPECT_EMBER_ERROR(zeros({2}).fill_(-1e40), HAS("value cannot be converted to type float without overflow"),
                     HAS("fill_ of a Float tensor with -1e+40"));
}

TEST(FillTest, NonRepresentableValueForALongTensorThrowsLibTorchsMessage) {
  EXPECT_EMBER_ERROR(full({2}, std::nan(""), kLong), HAS("value cannot be converted to type int64_t without overflow"),
                     HAS("full"));
  EXPECT_EMBER_ERROR(zeros({2}, kLong).fill_(1e30), HAS("value cannot be converted to type int64_t without overflow"),
                     HAS("fill_"), HAS("1e+30"));
  EXPECT_EQ(values<int64_t>(full({1}, -2.5, kLong)), (L{-2}));
}

TEST(EqTest, ComparesElementwiseIntoBool) {
  Tensor r = tensor({1, 2, 3}) == tensor({1, 0, 3});
  EXPECT_EQ(r.dtype(), kBool);
  EXPECT_EQ(values<bool>(r), (std::vector<bool>{true, false, true}));
  EXPECT_EQ(values<bool>(tensor({1, 2}).eq(2)), (std::vector<bool>{false, true}));
}

TEST(CompareTest, OrderingComparisonsGiveBool) {
  Tensor a = tensor({1, 2, 3});
  Tensor b = tensor({2.0, 2.0, 2.0});
  EXPECT_EQ(values<bool>(a < b), (std::vector<bool>{true, false, false}));
  EXPECT_EQ(values<bool>(a <= b), (std::vector<bool>{true, true, false}));
  EXPECT_EQ(values<bool>(a > 2), (std::vector<bool>{false, false, true}));
  EXPECT_EQ(values<bool>(a >= 2), (std::vector<bool>{false, true, true}));
  EXPECT_EQ(values<bool>(a != b), (std::vector<bool>{true, false, true}));
  EXPECT_EQ(values<bool>(a.gt(b.view({3, 1}))), (std::vector<bool>{false, false, true, false, false, true, false,
                                                                     false, true}));
}

TEST(SumToSizeTest, ReversesABroadcast) {
  Tensor g = ones({4, 2, 3});
  EXPECT_EQ(values<float>(g.sum_to_size({2, 1})), (F{12, 12}));
  EXPECT_EQ(values<float>(g.sum_to_size({3})), (F{8, 8, 8}));
  EXPECT_EQ(g.sum_to_size({4, 2, 3}).sizes(), IntArrayRef({4, 2, 3}));
  EXPECT_EMBER_ERROR(g.sum_to_size({5}), HAS("size {[5]} is not expandable to size {[4, 2, 3]}"));
}

// LibTorch's sum_to: with nothing to sum and no leading dims, the tensor
// itself, strides and all (a view of it would restride its size-1 dims).
TEST(SumToSizeTest, ToItsOwnSizeIsTheTensorItself) {
  Tensor t = ones({1, 3, 1, 4}).transpose(0, 3);
  Tensor same = t.sum_to_size(t.sizes());
  EXPECT_TRUE(same.is_same(t));
  EXPECT_EQ(same.strides(), IntArrayRef({1, 4, 4, 12}));
}

TEST(SumToSizeTest, ToNoDimsIsAFullSumEvenOfAScalar) {
  Tensor scalar = scalar_tensor(2.0);
  Tensor summed = scalar.sum_to_size({});
  EXPECT_FALSE(summed.is_same(scalar));
  EXPECT_EQ(summed.item<double>(), 2.0);
  EXPECT_EQ(ones({2, 3}).sum_to_size({}).item<float>(), 6.0f);
}

TEST(WhereTest, ChoosesSelfWhereTheConditionHoldsElseOther) {
  Tensor c = tensor({true, false, true});
  EXPECT_EQ(values<float>(where(c, tensor({1.f, 2.f, 3.f}), tensor({10.f, 20.f, 30.f}))), (F{1, 20, 3}));
  EXPECT_EQ(values<float>(tensor({1.f, 2.f, 3.f}).where(c, tensor({10.f, 20.f, 30.f}))), (F{1, 20, 3}));
}

TEST(WhereTest, BroadcastsTheThreeTogether) {
  Tensor c = tensor({true, false}).view({2, 1});
  Tensor r = where(c, tensor({1.f, 2.f, 3.f}), tensor({-1.f}));
  EXPECT_EQ(r.sizes(), IntArrayRef({2, 3}));
  EXPECT_EQ(values<float>(r), (F{1, 2, 3, -1, -1, -1}));
}

TEST(WhereTest, PromotesSelfAndOtherAsABinaryOpDoes) {
  Tensor c = tensor({true, false});
  EXPECT_EQ(where(c, tensor({1.f, 2.f}), tensor({int64_t{7}, int64_t{8}})).dtype(), kFloat);
  EXPECT_EQ(values<float>(where(c, tensor({1.f, 2.f}), tensor({int64_t{7}, int64_t{8}}))), (F{1, 8}));
  EXPECT_EQ(where(c, tensor({int64_t{7}, int64_t{8}}), 2.5).dtype(), kFloat);
  EXPECT_EQ(where(c, 2.5, tensor({int64_t{7}, int64_t{8}})).dtype(), kFloat);
  EXPECT_EQ(where(c, tensor({int64_t{7}, int64_t{8}}), true).dtype(), kLong);
  EXPECT_EQ(where(c, c, c).dtype(), kBool);
}

TEST(WhereTest, TwoScalarsGiveTheirCategorysDefaultDtype) {
  Tensor c = tensor({true, false});
  EXPECT_EQ(where(c, 1, 2).dtype(), kLong);
  EXPECT_EQ(values<int64_t>(where(c, 1, 2)), (L{1, 2}));
  EXPECT_EQ(where(c, 1.5, 2).dtype(), kFloat);
  EXPECT_EQ(where(c, true, false).dtype(), kBool);
}

// LibTorch's TensorIterator lays the result out by condition, self, other.
TEST(WhereTest, TheResultIsLaidOutByTheConditionFirst) {
  Tensor x = arange(12).to(kDouble).view({3, 4}).t();
  EXPECT_EQ(where(x > 5, x, zeros({4, 3}, kDouble)).strides(), IntArrayRef({1, 4}));
  EXPECT_EQ(where(x.contiguous() > 5, x, x).strides(), IntArrayRef({3, 1}));
}

TEST(WhereTest, ANonBoolConditionThrows) {
  EXPECT_EMBER_ERROR(where(arange(2), ones({2}), ones({2})),
                     HAS("where expected condition to be a boolean tensor, but got a tensor with dtype Long"));
  EXPECT_EMBER_ERROR(where(ones({2}), ones({2}), ones({2})),
                     HAS("where expected condition to be a boolean tensor, but got a tensor with dtype Float"));
}

TEST(WhereTest, ShapesThatDoNotBroadcastThrow) {
  EXPECT_EMBER_ERROR(where(tensor({true, false, true}), ones({3}), ones({2})),
                     HAS("The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 0"));
}

TEST(WhereTest, AnUndefinedArgumentThrowsNamingIt) {
  EXPECT_EMBER_ERROR(where(Tensor(), ones({2}), ones({2})),
                     HAS("Expected a proper Tensor but got None (or an undefined Tensor in C++) for argument #0 "
                         "'condition'"));
  EXPECT_EMBER_ERROR(where(tensor({true}), Tensor(), ones({2})), HAS("for argument #1 'self'"));
  EXPECT_EMBER_ERROR(where(tensor({true}), ones({2}), Tensor()), HAS("for argument #2 'other'"));
  EXPECT_EMBER_ERROR(where(tensor({true}), Tensor(), 0), HAS("for argument #1 'self'"));
  EXPECT_EMBER_ERROR(where(tensor({true}), 0, Tensor()), HAS("for argument #2 'other'"));
}

TEST(AllcloseTest, UsesRelativeAndAbsoluteTolerance) {
  EXPECT_TRUE(tensor({1.0, 2.0}).allclose(tensor({1.0 + 1e-6, 2.0})));
  EXPECT_FALSE(tensor({1.0, 2.0}).allclose(tensor({1.1, 2.0})));
  EXPECT_TRUE(tensor({1.0, 2.0}).allclose(tensor({1.1, 2.0}), 0.2));
  EXPECT_TRUE(equal(arange(3), arange(3)));
  EXPECT_FALSE(equal(arange(3), arange(4)));
}

}  // namespace
}  // namespace ember
