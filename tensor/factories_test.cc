// Factories: values, dtypes, and size errors.
#include <cmath>
#include <cstdlib>
#include <limits>

#include "gtest/gtest.h"
#include "tensor/tensor.h"
#include "tensor/testing.h"

namespace ember {
namespace {

using testing::values;

TEST(FactoryTest, ZerosOnesFullEmpty) {
  EXPECT_EQ(values<float>(zeros({2})), (std::vector<float>{0, 0}));
  EXPECT_EQ(values<int64_t>(ones({2}, kLong)), (std::vector<int64_t>{1, 1}));
  EXPECT_EQ(values<double>(full({2}, 2.5, kDouble)), (std::vector<double>{2.5, 2.5}));
  EXPECT_EQ(full({1}, 3).dtype(), kLong);
  EXPECT_EQ(full({1}, 3.0).dtype(), kFloat);
  EXPECT_EQ(full({1}, true).dtype(), kBool);
  EXPECT_EQ(empty({3, 0}).numel(), 0);
}

TEST(FactoryTest, NegativeSizeThrows) {
  EXPECT_EMBER_ERROR(empty({-1}), HAS("Trying to create tensor with negative dimension -1: [-1]"));
  EXPECT_EMBER_ERROR(zeros({2, -3}), HAS("negative dimension -3: [2, -3]"), HAS("zeros"));
}

TEST(FactoryTest, NumelOverflowThrows) {
  EXPECT_EMBER_ERROR(empty({int64_t{1} << 40, int64_t{1} << 40}),
                     HAS("Storage size calculation overflowed with sizes=[1099511627776, 1099511627776]"));
}

TEST(FactoryTest, ATensorNoMemoryCanHoldThrowsLibTorchsMessage) {
  EXPECT_EMBER_ERROR(empty({int64_t{1} << 60}),
                     HAS("DefaultCPUAllocator: can't allocate memory: you tried to allocate 4611686018427387904 "
                         "bytes. Error code 12 (Cannot allocate memory)"));
}

TEST(ArangeTest, IntegerAndFloatRanges) {
  EXPECT_EQ(values<int64_t>(arange(4)), (std::vector<int64_t>{0, 1, 2, 3}));
  EXPECT_EQ(values<int64_t>(arange(5, 0, -2)), (std::vector<int64_t>{5, 3, 1}));
  Tensor f = arange(0, 1, 0.25);
  EXPECT_EQ(f.dtype(), kFloat);
  EXPECT_EQ(values<float>(f), (std::vector<float>{0, 0.25, 0.5, 0.75}));
  EXPECT_EQ(arange(3, kDouble).dtype(), kDouble);
}

TEST(ArangeTest, ZeroStepThrows) { EXPECT_EMBER_ERROR(arange(0, 5, 0), HAS("step must be nonzero")); }

TEST(ArangeTest, AStepAwayFromTheEndThrowsLibTorchsMessage) {
  EXPECT_EMBER_ERROR(arange(5, 0, 1), HAS("arange(5, 0, 1): upper bound and larger bound inconsistent with step sign. "
                                         "Use a step whose sign points from start to end."));
}

TEST(ArangeTest, ANonFiniteBoundThrowsUnsupportedRangeBeforeTheSignCheck) {
  EXPECT_EMBER_ERROR(arange(0, std::nan(""), 1), HAS("arange(): unsupported range: 0 -> nan. Pass finite bounds."));
  EXPECT_EMBER_ERROR(arange(0, HUGE_VAL, 1), HAS("unsupported range: 0 -> inf"));
}

TEST(ArangeTest, ALengthBeyondInt64ThrowsInvalidSize) {
  EXPECT_EMBER_ERROR(arange(0, 1e20, 1), HAS("invalid size, possible overflow? (1e+20 elements; a size is an int64."));
  EXPECT_EMBER_ERROR(arange(std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max(), 1),
                     HAS("invalid size, possible overflow?"));
}

TEST(ArangeTest, IntegerBoundsAtTheEdgesOfInt64AreExact) {
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min(), kMax = std::numeric_limits<int64_t>::max();
  // LibTorch 1.13 returns an empty tensor here (its end - start wraps around).
  EXPECT_EQ(values<int64_t>(arange(kMin, kMax, kMax)), (std::vector<int64_t>{kMin, -1, kMax - 1}));
  EXPECT_EQ(values<int64_t>(arange(kMax - 2, kMax, 1)), (std::vector<int64_t>{kMax - 2, kMax - 1}));
  EXPECT_EQ(values<int64_t>(arange(kMax, kMin, kMin)), (std::vector<int64_t>{kMax, -1}));
  EXPECT_EQ(values<int64_t>(arange(3, 3, -1)).size(), 0u);
  EXPECT_EQ(values<int64_t>(arange(-3, 4, 2)), (std::vector<int64_t>{-3, -1, 1, 3}));
}

TEST(RandomTest, SeededGeneratorRepeats) {
  manual_seed(42);
  Tensor a = randn({8});
  manual_seed(42);
  Tensor b = randn({8});
  EXPECT_TRUE(equal(a, b));
}

TEST(RandomTest, RandIsInUnitIntervalAndRandnLooksNormal) {
  manual_seed(0);
  Tensor u = rand({10000});
  const float* p = u.data_ptr<float>();
  for (int64_t i = 0; i < u.numel(); ++i) ASSERT_TRUE(p[i] >= 0 && p[i] < 1);
  EXPECT_NEAR(u.mean().item<double>(), 0.5, 0.02);
  Tensor n = randn({10000}, kDouble);
  EXPECT_NEAR(n.mean().item<double>(), 0.0, 0.05);
  EXPECT_NEAR((n * n).mean().item<double>(), 1.0, 0.05);
  EXPECT_EMBER_ERROR(rand({2}, kLong), HAS("\"check_uniform_bounds\" not implemented for 'Long'"), HAS("rand()"));
  EXPECT_EMBER_ERROR(randn({2}, kLong), HAS("\"normal_kernel_cpu\" not implemented for 'Long'"), HAS("randn()"));
  EXPECT_EMBER_ERROR(rand_like(arange(3)), HAS("\"check_uniform_bounds\" not implemented for 'Long'"));
  EXPECT_EMBER_ERROR(randn_like(arange(3)), HAS("\"normal_kernel_cpu\" not implemented for 'Long'"));
}

TEST(EmptyStridedTest, TakesItsStridesAndStorageForTheElementsTheyReach) {
  Tensor t = empty_strided({3, 4}, {1, 3}, kDouble);
  EXPECT_EQ(t.sizes(), IntArrayRef({3, 4}));
  EXPECT_EQ(t.strides(), IntArrayRef({1, 3}));
  EXPECT_EQ(t.storage().nbytes(), 12 * sizeof(double));
  EXPECT_EQ(empty_strided({2, 2}, {0, 1}).storage().nbytes(), 2 * sizeof(float));  // an expanded row
  EXPECT_EQ(empty_strided({2, 0}, {5, 1}).storage().nbytes(), 0u);
}

TEST(EmptyStridedTest, RefusesANegativeStrideOrOneStridePerDimMissing) {
  EXPECT_EMBER_ERROR(empty_strided({2, 2}, {2, -1}), HAS("Storage size calculation overflowed with sizes=[2, 2] and "
                                                         "strides=[2, -1]"));
  EXPECT_EMBER_ERROR(empty_strided({2, 2}, {1}), HAS("mismatch in length of strides and shape"));
}

TEST(FromBlobTest, WrapsUserMemoryWithoutCopying) {
  float data[6] = {0, 1, 2, 3, 4, 5};
  Tensor t = from_blob(data, {2, 3});
  EXPECT_EQ(t.data_ptr(), data);
  t.mul_(2);
  EXPECT_EQ(data[5], 10);
  Tensor s = from_blob(data, {3}, {2}, kFloat);
  EXPECT_EQ(values<float>(s), (std::vector<float>{0, 4, 8}));
}

int freed = 0;
void free_and_count(void* p) {
  std::free(p);
  ++freed;
}

TEST(FromBlobTest, RunsTheDeleterWhenTheLastViewGoes) {
  freed = 0;
  void* mem = std::malloc(4 * sizeof(double));
  {
    Tensor t = from_blob(mem, {4}, &free_and_count, kDouble);
    Tensor v = t.view({2, 2});
    t = Tensor();
    EXPECT_EQ(freed, 0);
  }
  EXPECT_EQ(freed, 1);
}

TEST(TensorFromValuesTest, PicksLibTorchsDefaultDtypes) {
  EXPECT_EQ(tensor({1.5, 2.0}).dtype(), kFloat);
  EXPECT_EQ(tensor({1, 2}).dtype(), kLong);
  EXPECT_EQ(tensor({true}).dtype(), kBool);
  EXPECT_EQ(values<double>(tensor(std::vector<double>{0.1, 0.2}, kDouble)), (std::vector<double>{0.1, 0.2}));
  EXPECT_EQ(scalar_tensor(3).dim(), 0);
  // LibTorch's default dtype whatever the value's kind; a dtype overrides it.
  EXPECT_EQ(scalar_tensor(3).dtype(), kFloat);
  EXPECT_EQ(scalar_tensor(true).dtype(), kFloat);
  EXPECT_EQ(scalar_tensor(3, kLong).dtype(), kLong);
}

TEST(LikeTest, CopiesSizesAndDtype) {
  Tensor a = ones({2, 3}, kDouble).t();
  EXPECT_EQ(zeros_like(a).sizes(), IntArrayRef({3, 2}));
  EXPECT_EQ(ones_like(a).dtype(), kDouble);
  EXPECT_EQ(full_like(a, 7).sum().item<double>(), 42);
  EXPECT_EQ(empty_like(a, kLong).dtype(), kLong);
  EXPECT_EQ(rand_like(a).sizes(), IntArrayRef({3, 2}));
  EXPECT_EQ(randn_like(a).dtype(), kDouble);
}

TEST(MemoryStatsTest, TensorsCountTheirBytesUntilTheyGo) {
  int64_t before = memory_stats().current_bytes;
  {
    Tensor t = empty({1000});
    EXPECT_EQ(memory_stats().current_bytes, before + 4000);
    Tensor v = t.view({10, 100});  // A view allocates no data.
    EXPECT_EQ(memory_stats().current_bytes, before + 4000);
  }
  EXPECT_EQ(memory_stats().current_bytes, before);
}

}  // namespace
}  // namespace ember
