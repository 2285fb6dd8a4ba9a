#include "tensor/sizes_and_strides.h"

#include <utility>
#include <vector>

#include "gtest/gtest.h"

namespace ember {
namespace {

using Dims = std::vector<int64_t>;

Dims vec(IntArrayRef values) { return values.vec(); }

TEST(SizesAndStrides, StartsZeroDim) {
  SizesAndStrides g;
  EXPECT_EQ(g.dim(), 0u);
  EXPECT_TRUE(g.sizes().empty());
  EXPECT_TRUE(g.strides().empty());
}

TEST(SizesAndStrides, SetContiguousGivesRowMajorStridesAndTheElementCount) {
  SizesAndStrides g;
  EXPECT_EQ(g.set_contiguous({2, 3, 4}), 24);
  EXPECT_EQ(vec(g.sizes()), (Dims{2, 3, 4}));
  EXPECT_EQ(vec(g.strides()), (Dims{12, 4, 1}));
}

TEST(SizesAndStrides, SetContiguousGivesSizeOneAndSizeZeroDimsPyTorchsStrides) {
  // PyTorch: a dim of size 0 or 1 does not scale the strides of the dims before it.
  SizesAndStrides g;
  EXPECT_EQ(g.set_contiguous({2, 0, 3}), 0);
  EXPECT_EQ(vec(g.strides()), (Dims{3, 3, 1}));
  EXPECT_EQ(g.set_contiguous({4, 1, 5}), 20);
  EXPECT_EQ(vec(g.strides()), (Dims{5, 5, 1}));
}

TEST(SizesAndStrides, ZeroDimHasOneElement) {
  SizesAndStrides g;
  g.set_contiguous({2, 3});
  EXPECT_EQ(g.set_contiguous({}), 1);
  EXPECT_EQ(g.dim(), 0u);
}

TEST(SizesAndStrides, HoldsMoreDimsThanInlineOnTheHeap) {
  SizesAndStrides g;
  Dims sizes{2, 1, 3, 1, 2, 2, 5};
  EXPECT_EQ(g.set_contiguous(sizes), 120);
  EXPECT_EQ(vec(g.sizes()), sizes);
  EXPECT_EQ(vec(g.strides()), (Dims{60, 60, 20, 20, 10, 5, 1}));
}

TEST(SizesAndStrides, GoesFromHeapToInlineAndBack) {
  SizesAndStrides g;
  g.set({1, 2, 3, 4, 5, 6}, {6, 5, 4, 3, 2, 1});
  g.set({7, 8}, {8, 1});
  EXPECT_EQ(vec(g.sizes()), (Dims{7, 8}));
  EXPECT_EQ(vec(g.strides()), (Dims{8, 1}));
  g.set({1, 2, 3, 4, 5, 6, 7}, {7, 6, 5, 4, 3, 2, 1});
  EXPECT_EQ(vec(g.sizes()), (Dims{1, 2, 3, 4, 5, 6, 7}));
  EXPECT_EQ(vec(g.strides()), (Dims{7, 6, 5, 4, 3, 2, 1}));
}

TEST(SizesAndStrides, CopiesAreIndependentInlineAndOnTheHeap) {
  for (Dims sizes : {Dims{2, 3}, Dims{1, 2, 3, 4, 5, 6}}) {
    SizesAndStrides a;
    a.set_contiguous(sizes);
    SizesAndStrides b(a);
    SizesAndStrides c;
    c = a;
    a.size_data()[0] = 99;
    a.stride_data()[0] = 98;
    EXPECT_EQ(vec(b.sizes()), sizes);
    EXPECT_EQ(vec(c.sizes()), sizes);
    EXPECT_EQ(vec(b.strides()), vec(c.strides()));
    EXPECT_NE(b.stride_data()[0], 98);
  }
}

TEST(SizesAndStrides, SetAcceptsItsOwnValues) {
  // squeeze-like: the new sizes are a part of the current ones, inline and on the heap.
  for (Dims sizes : {Dims{1, 2, 3}, Dims{1, 2, 3, 4, 5, 6, 7}}) {
    SizesAndStrides g;
    g.set_contiguous(sizes);
    Dims expected_strides(g.strides().begin() + 1, g.strides().end());
    g.set(IntArrayRef(g.size_data() + 1, g.dim() - 1), IntArrayRef(g.stride_data() + 1, g.dim() - 1));
    EXPECT_EQ(vec(g.sizes()), Dims(sizes.begin() + 1, sizes.end()));
    EXPECT_EQ(vec(g.strides()), expected_strides);
  }
}

TEST(SizesAndStrides, SetContiguousAcceptsItsOwnSizes) {
  SizesAndStrides g;
  g.set({1, 2, 3, 4, 5, 6}, {0, 0, 0, 0, 0, 0});
  EXPECT_EQ(g.set_contiguous(IntArrayRef(g.size_data() + 3, 3)), 120);
  EXPECT_EQ(vec(g.sizes()), (Dims{4, 5, 6}));
  EXPECT_EQ(vec(g.strides()), (Dims{30, 6, 1}));
}

TEST(SizesAndStrides, SwapExchangesInlineAndHeapContents) {
  SizesAndStrides small, large;
  small.set_contiguous({2, 3});
  large.set_contiguous({1, 2, 3, 4, 5, 6});
  small.swap(large);
  EXPECT_EQ(vec(small.sizes()), (Dims{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(vec(large.sizes()), (Dims{2, 3}));
  EXPECT_EQ(vec(large.strides()), (Dims{3, 1}));
}

}  // namespace
}  // namespace ember
