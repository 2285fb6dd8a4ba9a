#include "tensor/memory_layout.h"

#include <sstream>
#include <vector>

#include "gtest/gtest.h"
#include "tensor/testing.h"

namespace ember {
namespace detail {
namespace {

// Every expected value below is what LibTorch 1.13 gives for the same
// geometry (the probe is in the comment).

using V = std::vector<int64_t>;
#define EXPECT_LAYOUT(actual, expected) EXPECT_EQ(IntArrayRef(actual), IntArrayRef(expected))

TEST(MemoryLayout, ContiguousIgnoresSizeOneDimsAndEmptyTensors) {
  EXPECT_TRUE(is_contiguous({3, 4}, {4, 1}));
  EXPECT_TRUE(is_contiguous({1, 3}, {1, 1}));
  EXPECT_TRUE(is_contiguous({2, 0, 3}, {1, 3, 3}));
  EXPECT_FALSE(is_contiguous({4, 3}, {1, 4}));
}

TEST(MemoryLayout, NonOverlappingAndDenseAcceptsAnyDimOrder) {
  EXPECT_TRUE(is_non_overlapping_and_dense({4, 3}, {1, 4}));
  EXPECT_TRUE(is_non_overlapping_and_dense({4, 1, 3}, {1, 7, 4}));
  EXPECT_FALSE(is_non_overlapping_and_dense({4, 3}, {1, 8}));   // a narrowed transpose
  EXPECT_FALSE(is_non_overlapping_and_dense({4, 3}, {1, 0}));   // expanded
  EXPECT_FALSE(is_non_overlapping_and_dense({2, 2}, {1, 1}));   // overlapping
}

TEST(MemoryLayout, ChannelsLastContiguousIsNhwcDenseOfRankFour) {
  EXPECT_TRUE(is_channels_last_contiguous({2, 3, 4, 5}, {60, 1, 15, 3}));
  EXPECT_FALSE(is_channels_last_contiguous({2, 3, 4, 5}, {60, 20, 5, 1}));
  EXPECT_FALSE(is_channels_last_contiguous({3, 4, 5}, {1, 15, 3}));
  EXPECT_TRUE(is_channels_last_3d_contiguous({2, 3, 4, 5, 6}, {360, 1, 90, 18, 3}));
}

TEST(MemoryLayout, StridesForEachFormat) {
  EXPECT_LAYOUT(strides_for({2, 3, 4, 5}, MemoryFormat::Contiguous), V({60, 20, 5, 1}));
  EXPECT_LAYOUT(strides_for({2, 0, 3}, MemoryFormat::Contiguous), V({3, 3, 1}));
  // x.clone(at::MemoryFormat::ChannelsLast)
  EXPECT_LAYOUT(strides_for({2, 3, 4, 5}, MemoryFormat::ChannelsLast), V({60, 1, 15, 3}));
  EXPECT_LAYOUT(strides_for({2, 3, 4, 5, 6}, MemoryFormat::ChannelsLast3d), V({360, 1, 90, 18, 3}));
}

TEST(MemoryLayout, ChannelsLastOfTheWrongRankIsRefusedWithLibTorchsMessage) {
  EXPECT_EMBER_ERROR(strides_for({2, 3}, MemoryFormat::ChannelsLast),
                     HAS("required rank 4 tensor to use channels_last format (Ember: the tensor has 2 dims"));
  EXPECT_EMBER_ERROR(strides_for({2, 3}, MemoryFormat::ChannelsLast3d),
                     HAS("required rank 5 tensor to use channels_last_3d format"));
}

TEST(MemoryLayout, SuggestsChannelsLastForNhwcOrderedStrides) {
  // cl.narrow(3, 0, 2) of a channels-last (2, 3, 4, 5): not dense, still NHWC.
  EXPECT_EQ(suggest_memory_format({2, 3, 4, 2}, {60, 1, 15, 3}), MemoryFormat::ChannelsLast);
  EXPECT_EQ(suggest_memory_format({2, 3, 4, 5}, {60, 20, 5, 1}), MemoryFormat::Contiguous);
  // N111: ambiguous, so NCHW.
  EXPECT_EQ(suggest_memory_format({2, 1, 1, 1}, {1, 1, 1, 1}), MemoryFormat::Contiguous);
  EXPECT_EQ(suggest_memory_format({4, 3}, {1, 4}), MemoryFormat::Contiguous);
}

TEST(MemoryLayout, InferDenseStridesKeepsTheDimOrder) {
  EXPECT_LAYOUT(infer_dense_strides({4, 3}, {1, 8}), V({1, 4}));           // s.clone()
  EXPECT_LAYOUT(infer_dense_strides({1, 4, 3}, {3, 21, 1}), V({3, 3, 1}));  // y.clone()
  EXPECT_LAYOUT(infer_dense_strides({4, 3}, {1, 0}), V({3, 1}));           // expanded: stays row-major
  EXPECT_LAYOUT(infer_dense_strides({2, 3, 4, 2}, {60, 1, 15, 3}), V({24, 1, 6, 3}));
  EXPECT_LAYOUT(infer_dense_strides({}, {}), V());
}

TEST(MemoryLayout, PreservedStridesAreTheSameWhenDense) {
  EXPECT_LAYOUT(preserved_strides({1, 3}, {1, 1}), V({1, 1}));  // r.clone() keeps a size-1 dim's stride
  EXPECT_LAYOUT(preserved_strides({3, 2, 0}, {1, 3, 3}), V({1, 3, 3}));
  EXPECT_LAYOUT(preserved_strides({4, 3}, {1, 8}), V({1, 4}));
}

TEST(MemoryLayout, ElementwiseOfContiguousInputsIsRowMajor) {
  EXPECT_LAYOUT(elementwise_output_strides({4, 3}, {{{4, 3}, {3, 1}}, {{4, 3}, {3, 1}}}), V({3, 1}));
  // -r and r + r for r of sizes (1, 3), strides (1, 1): contiguous, so row-major.
  EXPECT_LAYOUT(elementwise_output_strides({1, 3}, {{{1, 3}, {1, 1}}}), V({3, 1}));
  // zz + zz, zz empty: contiguous.
  EXPECT_LAYOUT(elementwise_output_strides({3, 2, 0}, {{{3, 2, 0}, {1, 3, 3}}, {{3, 2, 0}, {1, 3, 3}}}), V({2, 1, 1}));
}

TEST(MemoryLayout, ElementwiseOfEqualDenseInputsCopiesTheirStrides) {
  EXPECT_LAYOUT(elementwise_output_strides({4, 3}, {{{4, 3}, {1, 4}}}), V({1, 4}));  // x.t().exp()
  EXPECT_LAYOUT(elementwise_output_strides({4, 1, 3}, {{{4, 1, 3}, {1, 7, 4}}, {{4, 1, 3}, {1, 7, 4}}}),
            V({1, 7, 4}));
  // cl + cl, channels-last: NHWC strides.
  EXPECT_LAYOUT(elementwise_output_strides({2, 3, 5, 1}, {{{2, 3, 5, 1}, {15, 1, 3, 3}}}), V({15, 1, 3, 3}));
}

TEST(MemoryLayout, ElementwiseWithAScalarOrdersDimsByStride) {
  EXPECT_LAYOUT(elementwise_output_strides({4, 3}, {{{4, 3}, {1, 4}}}, true), V({1, 4}));          // x.t() * 2
  EXPECT_LAYOUT(elementwise_output_strides({1, 4, 3}, {{{1, 4, 3}, {3, 21, 1}}}, true), V({3, 3, 1}));
  EXPECT_LAYOUT(elementwise_output_strides({1, 3}, {{{1, 3}, {1, 1}}}, true), V({1, 1}));          // r * 2
  EXPECT_LAYOUT(elementwise_output_strides({0, 1}, {{{0, 1}, {1, 1}}}, true), V({1, 0}));          // e0 * 2
  EXPECT_LAYOUT(elementwise_output_strides({3, 2, 0}, {{{3, 2, 0}, {1, 3, 3}}}, true), V({1, 0, 3}));
  EXPECT_LAYOUT(elementwise_output_strides({4, 3}, {{{4, 3}, {1, 0}}}, true), V({3, 1}));          // expanded * 2
  EXPECT_LAYOUT(elementwise_output_strides({2, 4, 5, 3}, {{{2, 4, 5, 3}, {60, 5, 1, 20}}}, true), V({60, 5, 1, 20}));
}

TEST(MemoryLayout, ElementwiseFirstInputWithAnOrderDecides) {
  EXPECT_LAYOUT(elementwise_output_strides({4, 3}, {{{4, 3}, {1, 4}}, {{4, 3}, {3, 1}}}), V({1, 4}));  // x.t() + c
  EXPECT_LAYOUT(elementwise_output_strides({4, 3}, {{{4, 3}, {3, 1}}, {{4, 3}, {1, 4}}}), V({3, 1}));  // c + x.t()
  // A broadcast input has no opinion on its broadcast dims.
  EXPECT_LAYOUT(elementwise_output_strides({4, 3}, {{{4, 3}, {1, 0}}, {{4, 3}, {1, 4}}}), V({1, 4}));  // e + x.t()
  EXPECT_LAYOUT(elementwise_output_strides({4, 3}, {{{4, 3}, {1, 4}}, {{3}, {1}}}), V({1, 4}));         // x.t() + row
  EXPECT_LAYOUT(elementwise_output_strides({2, 4, 3}, {{{2, 4, 3}, {0, 1, 4}}}, true), V({12, 1, 4}));
  // x + cl: the first input is row-major, so the result is.
  EXPECT_LAYOUT(elementwise_output_strides({2, 3, 4, 5}, {{{2, 3, 4, 5}, {60, 20, 5, 1}}, {{2, 3, 4, 5}, {60, 1, 15, 3}}}),
            V({60, 20, 5, 1}));
  EXPECT_LAYOUT(elementwise_output_strides({2, 3, 4, 5}, {{{2, 3, 4, 5}, {60, 1, 15, 3}}, {{2, 3, 4, 5}, {60, 20, 5, 1}}}),
            V({60, 1, 15, 3}));
}

TEST(MemoryLayout, FormatsPrintTheirNames) {
  std::ostringstream out;
  out << MemoryFormat::ChannelsLast << " " << MemoryFormat::Preserve;
  EXPECT_EQ(out.str(), "ChannelsLast Preserve");
}

}  // namespace
}  // namespace detail
}  // namespace ember
