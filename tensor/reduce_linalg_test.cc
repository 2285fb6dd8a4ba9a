// Reductions (sum, mean), mm/bmm/matmul, cat and stack: values checked by
// hand, and errors.
#include "gtest/gtest.h"
#include "tensor/tensor.h"
#include "tensor/testing.h"

namespace ember {
namespace {

using testing::values;
using F = std::vector<float>;
using L = std::vector<int64_t>;

Tensor m23() { return arange(6, kFloat).view({2, 3}); }  // [[0 1 2] [3 4 5]]

TEST(SumTest, SumsAllElementsIntoAZeroDimTensor) {
  Tensor s = m23().sum();
  EXPECT_EQ(s.dim(), 0);
  EXPECT_EQ(s.item<float>(), 15);
  EXPECT_EQ(arange(5).sum().dtype(), kLong);
  EXPECT_EQ(tensor({true, true, false}).sum().item<int64_t>(), 2);
}

TEST(SumTest, SumsOverDims) {
  EXPECT_EQ(values<float>(m23().sum(0)), (F{3, 5, 7}));
  EXPECT_EQ(values<float>(m23().sum(1)), (F{3, 12}));
  EXPECT_EQ(values<float>(m23().sum(-1)), (F{3, 12}));
  EXPECT_EQ(m23().sum({0, 1}).item<float>(), 15);
}

TEST(SumTest, KeepdimKeepsSizeOneDims) {
  Tensor s = m23().sum(1, true);
  EXPECT_EQ(s.sizes(), IntArrayRef({2, 1}));
  EXPECT_EQ(values<float>(s), (F{3, 12}));
}

TEST(SumTest, SumsStridedViews) {
  EXPECT_EQ(values<float>(m23().t().sum(1)), (F{3, 5, 7}));
  Tensor e = ones({3}).expand({4, 3});
  EXPECT_EQ(values<float>(e.sum(0)), (F{4, 4, 4}));
}

TEST(SumTest, DimOutOfRangeThrows) {
  EXPECT_EMBER_ERROR(m23().sum(2), HAS("Dimension out of range (expected to be in range of [-2, 1], but got 2)"),
                     HAS("sum"));
}

TEST(SumTest, RepeatedDimThrows) { EXPECT_EMBER_ERROR(m23().sum({1, 1}), HAS("dim 1 appears multiple times")); }

TEST(SumTest, Int64SumsWrapAroundAsLibTorch) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max(), kMin = std::numeric_limits<int64_t>::min();
  Tensor a = tensor({kMax, int64_t{1}, kMax, int64_t{2}}).view({2, 2});
  EXPECT_EQ(a.sum().item<int64_t>(), 1);
  EXPECT_EQ(values<int64_t>(a.sum(0)), (L{-2, 3}));
  EXPECT_EQ(values<int64_t>(a.sum(1)), (L{kMin, kMin + 1}));
  EXPECT_EQ(values<int64_t>(a.t().sum(0)), (L{kMin, kMin + 1}));
}

TEST(MmTest, Int64ProductsWrapAround) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  EXPECT_EQ(values<int64_t>(mm(tensor({kMax, int64_t{1}}).view({1, 2}), tensor({int64_t{2}, int64_t{3}}).view({2, 1}))),
            (L{1}));
}

TEST(MeanTest, AveragesAllOrOverDims) {
  EXPECT_EQ(m23().mean().item<float>(), 2.5);
  EXPECT_EQ(values<float>(m23().mean(0)), (F{1.5, 2.5, 3.5}));
  EXPECT_EQ(values<float>(m23().mean(1, true)), (F{1, 4}));
}

TEST(MeanTest, IntegerInputThrows) {
  EXPECT_EMBER_ERROR(arange(3).mean(), HAS("mean(): could not infer output dtype. Input dtype must be either a "
                                           "floating point or complex dtype. Got: Long"));
}

TEST(MmTest, MultipliesMatrices) {
  // [[0 1 2] [3 4 5]] x [[1 0] [0 1] [1 1]] = [[2 3] [8 9]]
  Tensor b = tensor({1.f, 0.f, 0.f, 1.f, 1.f, 1.f}).view({3, 2});
  EXPECT_EQ(values<float>(m23().mm(b)), (F{2, 3, 8, 9}));
  EXPECT_EQ(values<double>(mm(m23().to(kDouble), b.to(kDouble))), (std::vector<double>{2, 3, 8, 9}));
  EXPECT_EQ(values<int64_t>(mm(m23().to(kLong), b.to(kLong))), (L{2, 3, 8, 9}));
}

TEST(MmTest, AcceptsTransposedAndStridedOperands) {
  Tensor a = m23();
  EXPECT_EQ(values<float>(a.mm(a.t())), (F{5, 14, 14, 50}));
  EXPECT_EQ(values<float>(a.t().mm(a)), (F{9, 12, 15, 12, 17, 22, 15, 22, 29}));
  Tensor s = arange(12, kFloat).view({3, 4}).slice(1, 0, 4, 2);  // [[0 2] [4 6] [8 10]], strides [4, 2]
  EXPECT_EQ(values<float>(a.mm(s)), (F{20, 26, 56, 80}));
}

TEST(MmTest, MismatchedShapesThrow) {
  EXPECT_EMBER_ERROR(mm(ones({2, 3}), ones({2, 3})), HAS("mat1 and mat2 shapes cannot be multiplied (2x3 and 2x3)"));
  EXPECT_EMBER_ERROR(mm(ones({2, 3}), ones({3})), HAS("mat2 must be a matrix"));
  EXPECT_EMBER_ERROR(mm(ones({2, 3}), ones({3, 2}, kDouble)),
                     HAS("expected scalar type Float but found Double"));
}

TEST(BmmTest, MultipliesEachBatch) {
  Tensor a = stack({m23(), m23() * 2});
  Tensor b = ones({2, 3, 1});
  EXPECT_EQ(values<float>(bmm(a, b)), (F{3, 12, 6, 24}));
  EXPECT_EMBER_ERROR(bmm(a, ones({3, 3, 1})),
                     HAS("Expected size for first two dimensions of batch2 tensor to be: [2, 3] but got: [3, 3]."));
  EXPECT_EMBER_ERROR(bmm(ones({2, 3}), b), HAS("batch1 must be a 3D tensor"));
  EXPECT_EMBER_ERROR(bmm(a, ones({3, 1})), HAS("batch2 must be a 3D tensor"));
}

TEST(MatmulTest, HandlesVectorsMatricesAndBroadcastBatches) {
  Tensor v = tensor({1.f, 1.f, 1.f});
  EXPECT_EQ(matmul(v, v).item<float>(), 3);
  EXPECT_EQ(values<float>(matmul(m23(), v)), (F{3, 12}));
  EXPECT_EQ(values<float>(matmul(tensor({1.f, 1.f}), m23())), (F{3, 5, 7}));
  Tensor batch = stack({m23(), m23()});          // [2, 2, 3]
  Tensor r = matmul(batch, m23().t());            // [2, 2, 2], the matrix broadcast
  EXPECT_EQ(r.sizes(), IntArrayRef({2, 2, 2}));
  EXPECT_EQ(values<float>(r), (F{5, 14, 14, 50, 5, 14, 14, 50}));
}

// Each case fails where LibTorch 1.13's matmul fails, in its words: dot, mv,
// mm, the folded mm/mv of a batch, the transposed fold, bmm, broadcasting.
TEST(MatmulTest, MismatchedShapesFailAsInLibTorchForEachCase) {
  EXPECT_EMBER_ERROR(matmul(ones({3}), ones({4})),
                     HAS("inconsistent tensor size, expected tensor [3] and src [4] to have the same number of "
                         "elements, but got 3 and 4 elements respectively"));
  EXPECT_EMBER_ERROR(matmul(ones({4, 3}), ones({4})), HAS("size mismatch, got 4, 4x3,4"));
  EXPECT_EMBER_ERROR(matmul(ones({3}), ones({4, 5})), HAS("mat1 and mat2 shapes cannot be multiplied (1x3 and 4x5)"));
  EXPECT_EMBER_ERROR(matmul(ones({2, 3}), ones({4, 2})), HAS("mat1 and mat2 shapes cannot be multiplied (2x3 and 4x2)"));
  EXPECT_EMBER_ERROR(matmul(ones({2, 4, 3}), ones({4})), HAS("size mismatch, got 8, 8x3,4"));
  EXPECT_EMBER_ERROR(matmul(ones({2, 4, 3}), ones({4, 5})), HAS("mat1 and mat2 shapes cannot be multiplied (8x3 and 4x5)"));
  EXPECT_EMBER_ERROR(matmul(ones({3}), ones({2, 4, 5})), HAS("size mismatch, got 10, 10x4,3"));
  EXPECT_EMBER_ERROR(matmul(ones({4, 3}), ones({2, 4, 5})),
                     HAS("mat1 and mat2 shapes cannot be multiplied (10x4 and 3x4)"));
  EXPECT_EMBER_ERROR(matmul(ones({2, 4, 3}), ones({2, 4, 5})),
                     HAS("Expected size for first two dimensions of batch2 tensor to be: [2, 3] but got: [2, 4]."));
  EXPECT_EMBER_ERROR(matmul(ones({2, 4, 3}), ones({3, 4, 5})),
                     HAS("The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 0"));
  // A batch of transposed matrices is not folded (that would copy it): bmm.
  EXPECT_EMBER_ERROR(matmul(ones({4, 3}), ones({2, 3, 4}).transpose(1, 2)),
                     HAS("Expected size for first two dimensions of batch2 tensor to be: [2, 3] but got: [2, 4]."));
  EXPECT_EMBER_ERROR(matmul(ones({}), ones({3})),
                     HAS("both arguments to matmul need to be at least 1D, but they are 0D and 1D"));
}

TEST(DotTest, SumsTheProductsOfTwoVectors) {
  EXPECT_EQ(ones({3}).mul(2).dot(arange(3).to(kFloat)).item<float>(), 6.f);
  EXPECT_EQ(dot(arange(4), arange(4)).item<int64_t>(), 14);
  EXPECT_EQ(dot(ones({0}), ones({0})).item<float>(), 0.f);
  EXPECT_EQ(ones({3}).dot(ones({3})).dim(), 0);
}

TEST(DotTest, RefusesWithLibTorchsMessages) {
  EXPECT_EMBER_ERROR(ones({2, 3}).dot(ones({3})), HAS("1D tensors expected, but got 2D and 1D tensors"));
  EXPECT_EMBER_ERROR(ones({3}).dot(ones({3}).to(kDouble)),
                     HAS("dot : expected both vectors to have same dtype, but found Float and Double"));
}

TEST(MvTest, MultipliesAMatrixOfAnyLayoutByAVector) {
  Tensor m = arange(6).to(kDouble).view({2, 3});
  Tensor v = arange(3).to(kDouble);
  const std::vector<double> expected{5, 14};
  EXPECT_EQ(values<double>(m.mv(v)), expected);
  EXPECT_EQ(values<double>(m.t().contiguous().t().mv(v)), expected);           // column-major
  EXPECT_EQ(values<double>(arange(12).to(kDouble).view({2, 6}).slice(1, 0, 6, 2).mv(v)),
            (std::vector<double>{0 * 0 + 2 * 1 + 4 * 2, 6 * 0 + 8 * 1 + 10 * 2}));  // neither
  EXPECT_EQ(values<double>(m.mv(ones({1}, kDouble).expand({3}))), (std::vector<double>{3, 12}));  // stride 0
  EXPECT_EQ(values<int64_t>(arange(6).view({2, 3}).mv(arange(3))), (L{5, 14}));
}

// LibTorch dispatches on the first operand's dtype, then compares the second's.
TEST(MatmulTest, ABoolFirstOperandIsNotImplementedWhateverTheSecondIs) {
  Tensor b = ones({3, 3}, kBool), d = ones({3, 3}, kDouble);
  EXPECT_EMBER_ERROR(b.mm(d), HAS("\"addmm_impl_cpu_\" not implemented for 'Bool'"));
  EXPECT_EMBER_ERROR(d.mm(b), HAS("expected scalar type Double but found Bool"));
  EXPECT_EMBER_ERROR(b.unsqueeze(0).bmm(d.unsqueeze(0)), HAS("\"bmm\" not implemented for 'Bool'"));
  EXPECT_EMBER_ERROR(b.mv(ones({3}, kDouble)), HAS("\"addmv_impl_cpu\" not implemented for 'Bool'"));
  EXPECT_EMBER_ERROR(d.mv(ones({3}, kBool)), HAS("expected scalar type Double but found Bool"));
  EXPECT_EMBER_ERROR(ones({3}, kBool).dot(ones({3}, kBool)), HAS("\"dot\" not implemented for 'Bool'"));
}

// As LibTorch: nothing to compute, no dtype looked at.
TEST(MatmulTest, EmptyProductsReturnBeforeCheckingDtypes) {
  Tensor empty_rows = ones({0, 3}, kDouble).mm(ones({3, 4}, kBool));
  EXPECT_EQ(empty_rows.sizes(), IntArrayRef({0, 4}));
  EXPECT_EQ(empty_rows.dtype(), kDouble);
  Tensor no_inner = ones({2, 0}, kBool).mm(ones({0, 3}, kDouble));
  EXPECT_EQ(no_inner.dtype(), kBool);
  EXPECT_EQ(values<bool>(no_inner), std::vector<bool>(6, false));
  Tensor batch = ones({2, 2, 0}).bmm(ones({2, 0, 3}, kDouble));
  EXPECT_EQ(batch.dtype(), kDouble);  // batch2's, as LibTorch's
  EXPECT_EQ(values<double>(batch), std::vector<double>(12, 0));
  Tensor mv = ones({3, 0}, kDouble).mv(ones({0}, kLong));
  EXPECT_EQ(mv.dtype(), kLong);
  EXPECT_EQ(values<int64_t>(mv), (L{0, 0, 0}));
}

// A one-column matrix may have any stride between columns; BLAS refuses a
// leading dimension below the rows (and then writes nothing).
TEST(MvTest, AOneColumnMatrixWithASmallColumnStride) {
  Tensor column = arange(4).to(kDouble).view({4, 1, 1}).squeeze(2);  // sizes (4, 1), strides (1, 1)
  ASSERT_EQ(column.strides(), IntArrayRef({1, 1}));
  Tensor m = column.t().contiguous().t();
  EXPECT_EQ(values<double>(column.mv(full({1}, 2.0, kDouble))), (std::vector<double>{0, 2, 4, 6}));
  EXPECT_EQ(values<double>(m.mv(full({1}, 2.0, kDouble))), (std::vector<double>{0, 2, 4, 6}));
  EXPECT_EQ(values<double>(column.t().mv(ones({4}, kDouble))), (std::vector<double>{6}));
}

TEST(MvTest, RefusesWithLibTorchsMessages) {
  EXPECT_EMBER_ERROR(ones({4, 3}).mv(ones({4})), HAS("size mismatch, got 4, 4x3,4"));
  EXPECT_EMBER_ERROR(ones({4, 3}).mv(ones({3}).to(kDouble)), HAS("expected scalar type Float but found Double"));
  EXPECT_EMBER_ERROR(ones({3}).mv(ones({3})), HAS("vector + matrix @ vector expected, got 1, 1, 1"));
}

TEST(CatTest, ConcatenatesAlongADim) {
  Tensor a = m23();
  EXPECT_EQ(values<float>(cat({a, a}, 0)), (F{0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5}));
  Tensor c = cat({a, a.slice(1, 0, 1)}, 1);
  EXPECT_EQ(c.sizes(), IntArrayRef({2, 4}));
  EXPECT_EQ(values<float>(c), (F{0, 1, 2, 0, 3, 4, 5, 3}));
}

TEST(CatTest, MismatchedShapesThrow) {
  EXPECT_EMBER_ERROR(cat({ones({2, 3}), ones({4})}), HAS("Tensors must have same number of dimensions: got 2 and 1"));
  EXPECT_EMBER_ERROR(cat({ones({2, 3}), ones({2, 4})}, 0),
                     HAS("Sizes of tensors must match except in dimension 0. Expected size 3 but got size 4 for "
                         "tensor number 1 in the list."));
}

TEST(StackTest, AddsANewDim) {
  Tensor s = stack({tensor({1, 2}), tensor({3, 4})}, 1);
  EXPECT_EQ(s.sizes(), IntArrayRef({2, 2}));
  EXPECT_EQ(values<int64_t>(s), (L{1, 3, 2, 4}));
  EXPECT_EMBER_ERROR(stack({ones({2, 3}), ones({4})}),
                     HAS("stack expects each tensor to be equal size, but got [2, 3] at entry 0 and [4] at entry 1"));
}

TEST(IssueExampleTest, RunsAndGivesTheExpectedShapes) {
  manual_seed(1);
  Tensor x = randn({50, 1000});
  Tensor w = ones({1000, 10}, kFloat);
  Tensor y = x.mm(w).relu().sum(1);
  EXPECT_EQ(y.sizes(), IntArrayRef({50}));
  // Every column of x.mm(w) is the row sum of x.
  Tensor expected = x.sum(1).relu() * 10;
  EXPECT_TRUE(y.allclose(expected, 1e-4, 1e-3));
  auto v = x.view({100, 500}).transpose(0, 1);
  EXPECT_EQ(v.sizes(), IntArrayRef({500, 100}));
  Tensor before = x.clone();
  x.add_(1).mul_(0.5);
  EXPECT_TRUE(x.allclose((before + 1) * 0.5));
}

}  // namespace
}  // namespace ember
