// View ops: sizes, strides and storage offsets (checked against LibTorch
// 1.13), storage sharing, and their error messages.
#include "gtest/gtest.h"
#include "modes/inference_mode.h"
#include "tensor/ops.h"
#include "tensor/tensor.h"
#include "tensor/testing.h"

namespace ember {
namespace {

using testing::values;

Tensor t234() { return arange(24).view({2, 3, 4}); }

void expect_geometry(const Tensor& t, IntArrayRef sizes, IntArrayRef strides, int64_t offset) {
  EXPECT_EQ(t.sizes(), sizes) << toString(t.sizes());
  EXPECT_EQ(t.strides(), strides) << toString(t.strides());
  EXPECT_EQ(t.storage_offset(), offset);
}

TEST(ViewTest, SharesStorageAndSeesWrites) {
  Tensor base = zeros({2, 3});
  Tensor v = base.view({3, 2});
  EXPECT_TRUE(v.storage().is_alias_of(base.storage()));
  v.fill_(5);
  EXPECT_EQ(values<float>(base), std::vector<float>(6, 5));
}

TEST(ViewTest, KeepsTheStorageAliveAfterTheBaseHandleGoes) {
  Tensor v;
  {
    Tensor base = ones({4});
    v = base.view({2, 2});
  }
  EXPECT_EQ(values<float>(v), std::vector<float>(4, 1));
  EXPECT_EQ(v.storage().use_count(), 1u);
}

TEST(ViewTest, ViewOfContiguousGetsContiguousStrides) { expect_geometry(t234().view({4, 6}), {4, 6}, {6, 1}, 0); }

// LibTorch's computeStride: an empty tensor viewed as its own shape keeps
// its strides (NumPy's rule); any other shape is laid out contiguously.
TEST(ViewTest, AnEmptyTensorKeepsItsStridesWhenItsShapeStays) {
  Tensor empty = ones({2, 5, 3}).narrow(1, 0, 0);  // sizes (2, 0, 3), strides (15, 3, 1)
  expect_geometry(empty.view({2, 0, 3}), {2, 0, 3}, {15, 3, 1}, 0);
  expect_geometry(empty.reshape({2, 0, 3}), {2, 0, 3}, {15, 3, 1}, 0);
  expect_geometry(empty.view({0, 3}), {0, 3}, {3, 1}, 0);
}

// LibTorch's computeStride gives a size-1 dim the stride of the chunk it
// falls in: x of sizes (3, 1) and strides (1, 3) is contiguous, and its view
// as (3, 1) keeps the 3.
TEST(ViewTest, ASizeOneDimTakesTheStrideOfItsChunk) {
  Tensor x = ones({1, 3}).t();
  ASSERT_TRUE(x.is_contiguous());
  expect_geometry(x.view({3, 1}), {3, 1}, {1, 3}, 0);
  expect_geometry(x.view({1, 3}), {1, 3}, {3, 1}, 0);
  expect_geometry(x.view({3}), {3}, {1}, 0);
}

TEST(ViewTest, InfersOneMinusOneDim) { expect_geometry(t234().view({-1, 4}), {6, 4}, {4, 1}, 0); }

TEST(ViewTest, ViewOfNonContiguousSplitsAContiguousChunk) {
  // permute keeps (3, 4) contiguous: viewing them as 12 is allowed.
  Tensor p = t234().permute({1, 2, 0});  // sizes [3, 4, 2], strides [4, 1, 12]
  expect_geometry(p.view({12, 2}), {12, 2}, {1, 12}, 0);
}

TEST(ViewTest, ViewAcrossNonContiguousDimsThrowsAndSuggestsReshape) {
  EXPECT_EMBER_ERROR(ones({2, 3}).t().view({6}),
                     HAS("view size is not compatible with input tensor's size and stride (at least one dimension "
                         "spans across two contiguous subspaces). Use .reshape(...) instead."),
                     HAS("[3, 2]"), HAS("[6]"));
}

TEST(ViewTest, WrongNumberOfElementsThrows) {
  EXPECT_EMBER_ERROR(ones({2, 3}).view({4}), HAS("shape '[4]' is invalid for input of size 6"), HAS("view"));
}

TEST(ViewTest, TwoInferredDimsThrow) {
  EXPECT_EMBER_ERROR(ones({2, 3}).view({-1, -1}), HAS("only one dimension can be inferred"));
}

TEST(ViewTest, NegativeSizeThrows) {
  EXPECT_EMBER_ERROR(ones({2, 3}).view({-2, -3}), HAS("invalid shape dimension -2"));
}

TEST(ReshapeTest, IsAViewWhenPossible) {
  Tensor a = t234();
  Tensor r = a.reshape({6, 4});
  EXPECT_TRUE(r.storage().is_alias_of(a.storage()));
}

TEST(ReshapeTest, CopiesWhenAViewIsImpossible) {
  Tensor a = arange(6).view({2, 3});
  Tensor r = a.t().reshape({6});
  EXPECT_FALSE(r.storage().is_alias_of(a.storage()));
  EXPECT_EQ(values<int64_t>(r), (std::vector<int64_t>{0, 3, 1, 4, 2, 5}));
}

TEST(ReshapeTest, WrongNumberOfElementsThrows) {
  EXPECT_EMBER_ERROR(ones({2, 3}).reshape({7}), HAS("shape '[7]' is invalid for input of size 6"), HAS("reshape"));
}

TEST(ViewAsTest, TakesTheOtherTensorsSizes) { expect_geometry(t234().view_as(ones({4, 6})), {4, 6}, {6, 1}, 0); }

TEST(TransposeTest, SwapsSizesAndStrides) {
  expect_geometry(t234().transpose(0, 2), {4, 3, 2}, {1, 4, 12}, 0);
  expect_geometry(t234().transpose(-1, 0), {4, 3, 2}, {1, 4, 12}, 0);
}

TEST(TransposeTest, DimOutOfRangeThrows) {
  EXPECT_EMBER_ERROR(t234().transpose(0, 3),
                     HAS("Dimension out of range (expected to be in range of [-3, 2], but got 3)"), HAS("transpose"));
}

TEST(TTest, TransposesMatricesAndKeepsVectors) {
  expect_geometry(ones({2, 3}).t(), {3, 2}, {1, 3}, 0);
  expect_geometry(ones({3}).t(), {3}, {1}, 0);
  EXPECT_EMBER_ERROR(t234().t(), HAS("t() expects a tensor with <= 2 dimensions, but self is 3D"));
}

TEST(PermuteTest, ReordersDims) { expect_geometry(t234().permute({2, 0, 1}), {4, 2, 3}, {1, 12, 4}, 0); }

TEST(PermuteTest, WrongLengthThrows) {
  EXPECT_EMBER_ERROR(ones({2, 3}).permute({0}),
                     HAS("number of dimensions in the tensor input does not match the length of the desired "
                         "ordering of dimensions i.e. input.dim() = 2 is not equal to len(dims) = 1"));
}

TEST(PermuteTest, DuplicateDimsThrow) {
  EXPECT_EMBER_ERROR(ones({2, 3}).permute({0, 0}), HAS("permute(): duplicate dims are not allowed."));
}

TEST(SelectTest, DropsTheDimAndMovesTheOffset) {
  expect_geometry(t234().select(1, 1), {2, 4}, {12, 1}, 4);
  expect_geometry(t234().select(0, -1), {3, 4}, {4, 1}, 12);
  EXPECT_EQ(t234().select(2, 3).select(1, 2).select(0, 0).item<int64_t>(), 11);
}

TEST(SelectTest, IndexOutOfRangeThrows) {
  EXPECT_EMBER_ERROR(ones({2, 3}).select(0, 5),
                     HAS("select(): index 5 out of range for tensor of size [2, 3] at dimension 0"));
}

TEST(SelectTest, DimOutOfRangeThrows) {
  EXPECT_EMBER_ERROR(ones({2, 2}).select(3, 0),
                     HAS("Dimension out of range (expected to be in range of [-2, 1], but got 3)"));
}

// select_backward / slice_backward: LibTorch 1.13's values and row-major
// strides (probed), whatever the gradient's layout.
TEST(SelectBackwardTest, WritesTheGradientAtTheIndexOfZeros) {
  Tensor r = ops::select_backward.call(ones({4}), {3, 4}, 0, -1);
  EXPECT_EQ(values<float>(r), std::vector<float>({0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1}));
  expect_geometry(r, {3, 4}, {4, 1}, 0);
  EXPECT_EQ(r.dtype(), kFloat);
}

TEST(SelectBackwardTest, KeepsTheGradientsDtype) {
  Tensor r = ops::select_backward.call(arange(3).to(kDouble), {3, 2}, 1, 1);
  EXPECT_EQ(r.dtype(), kDouble);
  EXPECT_EQ(values<double>(r), std::vector<double>({0, 0, 0, 1, 0, 2}));
}

TEST(SelectBackwardTest, AnIndexOutOfRangeThrowsSelectsMessage) {
  EXPECT_EMBER_ERROR(ops::select_backward.call(ones({4}), {3, 4}, 0, 3),
                     HAS("select(): index 3 out of range for tensor of size [3, 4] at dimension 0"));
}

// As LibTorch's: the result is made in the caller's mode, whatever the gradient is.
TEST(SelectBackwardTest, OfAnInferenceGradientIsAnInferenceTensorOnlyInsideInferenceMode) {
  Tensor g;
  {
    InferenceMode guard;
    g = ones({4});
    EXPECT_TRUE(ops::slice_backward.call(g, {3, 4}, 1, 0, 4, 1).is_inference());
  }
  Tensor r = ops::select_backward.call(g, {3, 4}, 0, 1);
  EXPECT_FALSE(r.is_inference());
  EXPECT_EQ(values<float>(r), std::vector<float>({0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0}));
}

// Probed: LibTorch 1.13's results of both start at version 0, as after
// backward (x.grad()._version() == 0).
TEST(SelectBackwardTest, ResultsOfBothStartAtVersionZero) {
  EXPECT_EQ(ops::select_backward.call(ones({4}), {3, 4}, 0, 1)._version(), 0);
  EXPECT_EQ(ops::slice_backward.call(ones({3, 2}), {3, 4}, 1, 1, 3, 1)._version(), 0);
}

TEST(SliceBackwardTest, WritesTheGradientIntoTheSliceOfZeros) {
  Tensor r = ops::slice_backward.call(ones({3, 2}), {3, 4}, 1, 1, 3, 1);
  EXPECT_EQ(values<float>(r), std::vector<float>({0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0}));
  expect_geometry(r, {3, 4}, {4, 1}, 0);
}

TEST(SliceBackwardTest, AStepAndATransposedGradientGiveARowMajorResult) {
  Tensor r = ops::slice_backward.call(ones({3, 2}).t(), {4, 3}, 0, 0, 4, 2);
  EXPECT_EQ(values<float>(r), std::vector<float>({1, 1, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0}));
  expect_geometry(r, {4, 3}, {3, 1}, 0);
}

TEST(SliceBackwardTest, ANonPositiveStepThrowsSlicesMessage) {
  EXPECT_EMBER_ERROR(ops::slice_backward.call(ones({3, 2}), {3, 4}, 1, 0, 4, 0), HAS("slice step must be positive"));
}

// unbind / split / split_with_sizes / chunk: LibTorch 1.13's pieces and
// messages (probed).
TEST(UnbindTest, GivesOneSelectPerIndex) {
  std::vector<Tensor> parts = t234().unbind(1);
  ASSERT_EQ(parts.size(), 3u);
  for (int64_t i = 0; i < 3; ++i) expect_geometry(parts[i], {2, 4}, {12, 1}, 4 * i);
  EXPECT_EQ(values<int64_t>(parts[2]), std::vector<int64_t>({8, 9, 10, 11, 20, 21, 22, 23}));
}

TEST(UnbindTest, OfAnEmptyDimGivesNoPieces) { EXPECT_TRUE(zeros({0, 2}).unbind().empty()); }

TEST(UnbindTest, OfA0DimTensorThrowsLibTorchsMessage) {
  EXPECT_EMBER_ERROR(tensor({1.0}).view({}).unbind(), HAS("Dimension specified as 0 but tensor has no dimensions"));
}

TEST(UnbindTest, ADimOutOfRangeThrows) {
  EXPECT_EMBER_ERROR(t234().unbind(3), HAS("Dimension out of range (expected to be in range of [-3, 2], but got 3)"));
}

TEST(SplitTest, GivesPiecesOfSplitSizeAndAShorterLastOne) {
  std::vector<Tensor> parts = t234().split(3, -1);
  ASSERT_EQ(parts.size(), 2u);
  expect_geometry(parts[0], {2, 3, 3}, {12, 4, 1}, 0);
  expect_geometry(parts[1], {2, 3, 1}, {12, 4, 1}, 3);
}

TEST(SplitTest, ASplitSizeLargerThanTheDimGivesOnePiece) {
  std::vector<Tensor> parts = t234().split(5, 0);
  ASSERT_EQ(parts.size(), 1u);
  expect_geometry(parts[0], {2, 3, 4}, {12, 4, 1}, 0);
}

TEST(SplitTest, SizeZeroOfAnEmptyDimGivesOneEmptyPiece) {
  std::vector<Tensor> parts = zeros({0}).split(0);
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].numel(), 0);
}

TEST(SplitTest, ANegativeSizeThrowsLibTorchsMessage) {
  EXPECT_EMBER_ERROR(t234().split(-1, 1), HAS("split expects split_size be non-negative, but got split_size=-1"));
}

TEST(SplitTest, SizeZeroOfANonEmptyDimThrowsLibTorchsMessage) {
  EXPECT_EMBER_ERROR(t234().split(0, 1),
                     HAS("split_size can only be 0 if dimension size is 0, but got dimension size of 3"));
}

TEST(SplitTest, OfA0DimTensorThrowsLibTorchsMessage) {
  EXPECT_EMBER_ERROR(tensor({1.0}).view({}).split(1), HAS("split expects at least a 1-dimensional tensor"));
  EXPECT_EMBER_ERROR(tensor({1.0}).view({}).split_with_sizes({1}), HAS("split expects at least a 1-dimensional tensor"));
}

TEST(SplitWithSizesTest, GivesPiecesOfTheGivenSizesEmptyOnesIncluded) {
  std::vector<Tensor> parts = t234().split_with_sizes({1, 0, 3}, 2);
  ASSERT_EQ(parts.size(), 3u);
  expect_geometry(parts[0], {2, 3, 1}, {12, 4, 1}, 0);
  expect_geometry(parts[1], {2, 3, 0}, {12, 4, 1}, 1);
  expect_geometry(parts[2], {2, 3, 3}, {12, 4, 1}, 1);
}

TEST(SplitTest, AHugeSplitSizeGivesOnePiece) {
  EXPECT_EQ(t234().split(INT64_MAX, 1).size(), 1u);
  EXPECT_EQ(t234().chunk(INT64_MAX, 1).size(), 3u);
}

TEST(SplitWithSizesTest, SizesWhoseSumOverflowsThrowTheSumMessage) {
  EXPECT_EMBER_ERROR(t234().split_with_sizes({INT64_MAX, INT64_MAX, 2}, 1),
                     HAS("split_with_sizes expects split_sizes to sum exactly to 3"));
}

TEST(SplitWithSizesTest, SizesThatDoNotAddUpThrowLibTorchsMessage) {
  EXPECT_EMBER_ERROR(t234().split_with_sizes({2, 2}, 1),
                     HAS("split_with_sizes expects split_sizes to sum exactly to 3 (input tensor's size at dimension "
                         "1), but got split_sizes=[2, 2]"));
}

// LibTorch checks every size's sign before the sum, so {4, -1} is refused for -1.
TEST(SplitWithSizesTest, ANegativeSizeThrowsLibTorchsMessageBeforeTheSumIsChecked) {
  EXPECT_EMBER_ERROR(t234().split_with_sizes({4, -1}, 1),
                     HAS("split_with_sizes expects split_sizes have only non-negative entries, but got "
                         "split_sizes=[4, -1]"));
}

TEST(ChunkTest, SplitsByTheRoundedUpChunkSize) {
  std::vector<Tensor> parts = arange(5).chunk(3);
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(values<int64_t>(parts[2]), std::vector<int64_t>({4}));
  EXPECT_EQ(t234().chunk(4, 1).size(), 3u);  // fewer chunks than asked: LibTorch's too
}

TEST(ChunkTest, FreeFunctionsAreTheMethods) {
  EXPECT_TRUE(chunk(t234(), 2, 2)[1].equal(t234().chunk(2, 2)[1]));
  EXPECT_TRUE(split(t234(), 2, 1)[1].equal(t234().split(2, 1)[1]));
  EXPECT_TRUE(split_with_sizes(t234(), {1, 2}, 1)[0].equal(t234().narrow(1, 0, 1)));
  EXPECT_TRUE(unbind(t234(), 2)[3].equal(t234().select(2, 3)));
}

TEST(ChunkTest, OfAnEmptyDimGivesTheChunksAskedFor) { EXPECT_EQ(zeros({0}).chunk(3).size(), 3u); }

TEST(ChunkTest, ANonPositiveCountThrowsLibTorchsMessage) {
  EXPECT_EMBER_ERROR(t234().chunk(0), HAS("chunk expects `chunks` to be greater than 0, got: 0"));
  EXPECT_EMBER_ERROR(t234().chunk(-1), HAS("chunk expects `chunks` to be greater than 0, got: -1"));
}

TEST(ChunkTest, OfA0DimTensorThrowsLibTorchsMessage) {
  EXPECT_EMBER_ERROR(tensor({1.0}).view({}).chunk(1), HAS("chunk expects at least a 1-dimensional tensor"));
}

// As LibTorch's: pieces of an inference tensor are inference tensors.
TEST(UnbindTest, PiecesOfAnInferenceTensorAreInferenceTensors) {
  Tensor t;
  {
    InferenceMode guard;
    t = ones({2, 2});
  }
  for (const Tensor& piece : t.unbind()) EXPECT_TRUE(piece.is_inference());
}

TEST(NarrowTest, ShrinksOneDimAndMovesTheOffset) {
  expect_geometry(t234().narrow(2, 1, 2), {2, 3, 2}, {12, 4, 1}, 1);
  expect_geometry(t234().narrow(1, -2, 2), {2, 2, 4}, {12, 4, 1}, 4);
}

TEST(NarrowTest, PastTheEndThrows) {
  EXPECT_EMBER_ERROR(ones({2, 3}).narrow(1, 2, 2), HAS("start (2) + length (2) exceeds dimension size (3)."));
}

TEST(SliceTest, StepsMultiplyTheStrideAndBoundsClamp) {
  expect_geometry(t234().slice(2, 1, 4, 2), {2, 3, 2}, {12, 4, 2}, 1);
  expect_geometry(t234().slice(1, -2), {2, 2, 4}, {12, 4, 1}, 4);
  expect_geometry(t234().slice(0, 5, 10), {0, 3, 4}, {12, 4, 1}, 24);
  EXPECT_EQ(values<int64_t>(arange(6).slice(0, 1, 6, 2)), (std::vector<int64_t>{1, 3, 5}));
}

TEST(SliceTest, NonPositiveStepThrows) {
  EXPECT_EMBER_ERROR(ones({4}).slice(0, 0, 4, 0), HAS("slice step must be positive"));
}

TEST(SqueezeTest, DropsSizeOneDims) {
  expect_geometry(ones({3, 1}).squeeze(), {3}, {1}, 0);
  expect_geometry(ones({1, 3, 1}).squeeze(0), {3, 1}, {1, 1}, 0);
  expect_geometry(ones({2, 3}).squeeze(1), {2, 3}, {3, 1}, 0);
}

TEST(SqueezeTest, DimOutOfRangeThrows) {
  EXPECT_EMBER_ERROR(ones({2, 3}).squeeze(3), HAS("Dimension out of range (expected to be in range of [-2, 1], but got 3)"));
}

TEST(UnsqueezeTest, InsertsASizeOneDim) {
  expect_geometry(t234().unsqueeze(1), {2, 1, 3, 4}, {12, 12, 4, 1}, 0);
  expect_geometry(t234().unsqueeze(3), {2, 3, 4, 1}, {12, 4, 1, 1}, 0);
  expect_geometry(t234().unsqueeze(-1), {2, 3, 4, 1}, {12, 4, 1, 1}, 0);
  expect_geometry(ones({1, 3}).unsqueeze(0), {1, 1, 3}, {3, 3, 1}, 0);
}

TEST(UnsqueezeTest, DimOutOfRangeThrows) {
  EXPECT_EMBER_ERROR(ones({2, 3}).unsqueeze(4), HAS("Dimension out of range (expected to be in range of [-3, 2], but got 4)"));
}

TEST(ExpandTest, BroadcastsWithZeroStrides) {
  expect_geometry(t234().expand({5, 2, 3, 4}), {5, 2, 3, 4}, {0, 12, 4, 1}, 0);
  expect_geometry(ones({3, 1}).expand({3, 4}), {3, 4}, {1, 0}, 0);
  expect_geometry(ones({3, 1}).expand({-1, 4}), {3, 4}, {1, 0}, 0);
  EXPECT_EQ(values<float>(ones({1}).expand({3})), std::vector<float>(3, 1));
}

TEST(ExpandTest, NonSingletonMismatchThrows) {
  EXPECT_EMBER_ERROR(ones({2, 3}).expand({3, 3}),
                     HAS("The expanded size of the tensor (3) must match the existing size (2) at non-singleton "
                         "dimension 0.  Target sizes: [3, 3].  Tensor sizes: [2, 3]"));
}

TEST(ExpandTest, TooFewSizesThrows) {
  EXPECT_EMBER_ERROR(ones({2, 3}).expand({3}), HAS("the number of sizes provided (1) must be greater or equal"));
}

TEST(AsStridedTest, OutOfBoundsThrows) {
  expect_geometry(arange(6).as_strided({2, 2}, {1, 2}, 1), {2, 2}, {1, 2}, 1);
  EXPECT_EMBER_ERROR(arange(6).as_strided({2, 4}, {4, 1}, 0), HAS("out of bounds for storage"));
}

TEST(DetachTest, SharesStorageAndVersion) {
  Tensor a = ones({2});
  Tensor d = a.detach();
  EXPECT_TRUE(d.storage().is_alias_of(a.storage()));
  d.unsafeGetTensorImpl()->bump_version();
  EXPECT_EQ(a._version(), 1);
}

}  // namespace
}  // namespace ember
