#include "autograd/inline_vector.h"

#include <memory>
#include <stdexcept>
#include <string>

#include "gtest/gtest.h"

namespace ember {
namespace autograd {
namespace {

TEST(InlineVector, KeepsElementsInsideUpToItsInlineCapacity) {
  InlineVector<std::string, 2> v;
  const void* object_begin = &v;
  const void* object_end = &v + 1;
  v.push_back("a");
  v.push_back("b");
  EXPECT_GE(static_cast<const void*>(v.data()), object_begin);
  EXPECT_LT(static_cast<const void*>(v.data()), object_end);
}

TEST(InlineVector, GrowsOntoTheHeapKeepingOrderAndValues) {
  InlineVector<std::string, 2> v;
  for (int i = 0; i < 9; ++i) v.push_back(std::string(40, static_cast<char>('a' + i)));
  ASSERT_EQ(v.size(), 9u);
  for (int i = 0; i < 9; ++i) EXPECT_EQ(v[i], std::string(40, static_cast<char>('a' + i)));
  EXPECT_EQ(v.back(), std::string(40, 'i'));
}

TEST(InlineVector, PushingBackItsOwnElementWhileGrowingCopiesTheValue) {
  InlineVector<std::string, 1> v;
  v.push_back(std::string(40, 'x'));
  v.push_back(v[0]);  // Grows: v[0] moves while the copy is made.
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[1], std::string(40, 'x'));
}

TEST(InlineVector, DestroysEveryElementInlineOrOnTheHeap) {
  auto counted = std::make_shared<int>(0);
  {
    InlineVector<std::shared_ptr<int>, 2> inline_only;
    inline_only.push_back(counted);
    InlineVector<std::shared_ptr<int>, 2> on_heap;
    for (int i = 0; i < 5; ++i) on_heap.push_back(counted);
    EXPECT_EQ(counted.use_count(), 7);
  }
  EXPECT_EQ(counted.use_count(), 1);
}

TEST(InlineVector, ClearDestroysTheElementsAndAllowsReuse) {
  auto counted = std::make_shared<int>(0);
  InlineVector<std::shared_ptr<int>, 2> v;
  for (int i = 0; i < 3; ++i) v.push_back(counted);
  v.clear();
  EXPECT_TRUE(v.empty());
  EXPECT_EQ(counted.use_count(), 1);
  v.emplace_back(counted);
  EXPECT_EQ(v.size(), 1u);
  EXPECT_EQ(counted.use_count(), 2);
}

TEST(InlineVector, ReserveMovesToTheHeapOnlyBeyondTheInlineCapacity) {
  InlineVector<std::string, 2> v;
  v.push_back("kept");
  const std::string* before = v.data();
  v.reserve(2);
  EXPECT_EQ(v.data(), before);
  v.reserve(10);
  EXPECT_NE(v.data(), before);
  EXPECT_EQ(v[0], "kept");
}

struct ThrowsOnOdd {
  explicit ThrowsOnOdd(int v) : value(std::make_shared<int>(v)) {
    if (v % 2 != 0) throw std::runtime_error("odd");
  }
  std::shared_ptr<int> value;
};

TEST(InlineVector, AConstructorThatThrowsAddsNoElementInlineOrWhileGrowing) {
  InlineVector<ThrowsOnOdd, 2> v;
  v.emplace_back(0);
  EXPECT_THROW(v.emplace_back(1), std::runtime_error);
  ASSERT_EQ(v.size(), 1u);
  v.emplace_back(2);
  EXPECT_THROW(v.emplace_back(3), std::runtime_error);  // Full: this one would have grown it.
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(*v[0].value, 0);
  EXPECT_EQ(*v[1].value, 2);
}

}  // namespace
}  // namespace autograd
}  // namespace ember
