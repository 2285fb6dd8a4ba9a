#include "tensor/array_ref.h"

#include <vector>

#include "gtest/gtest.h"

namespace ember {
namespace {

TEST(ArrayRefTest, ViewsInitializerListsVectorsAndSingleValues) {
  std::vector<int64_t> v{1, 2, 3};
  IntArrayRef a(v);
  EXPECT_EQ(a.size(), 3u);
  EXPECT_EQ(a[2], 3);
  int64_t one = 7;
  IntArrayRef b(one);
  EXPECT_EQ(b.size(), 1u);
  EXPECT_EQ(toString(IntArrayRef({2, 3})), "[2, 3]");
  EXPECT_EQ(toString(IntArrayRef()), "[]");
}

TEST(ArrayRefTest, ComparesByValue) {
  std::vector<int64_t> v{1, 2};
  DimVector d{1, 2};
  EXPECT_TRUE(IntArrayRef(v) == d);
  EXPECT_TRUE(IntArrayRef(v) != IntArrayRef({1, 3}));
}

TEST(SmallVectorTest, KeepsFiveElementsInlineAndSpillsBeyond) {
  DimVector d;
  for (int64_t i = 0; i < 12; ++i) d.push_back(i);
  EXPECT_EQ(d.size(), 12u);
  for (int64_t i = 0; i < 12; ++i) EXPECT_EQ(d[i], i);
  DimVector copy = d;
  DimVector moved = std::move(copy);
  EXPECT_EQ(moved.size(), 12u);
  EXPECT_EQ(moved[11], 11);
}

TEST(SmallVectorTest, InsertsAndErases) {
  DimVector d{1, 2, 3};
  d.insert(1, 9);
  EXPECT_EQ(d.ref(), IntArrayRef({1, 9, 2, 3}));
  d.erase(0);
  EXPECT_EQ(d.ref(), IntArrayRef({9, 2, 3}));
  d.insert(3, 4);
  EXPECT_EQ(d.ref(), IntArrayRef({9, 2, 3, 4}));
}

}  // namespace
}  // namespace ember
