#include "tensor/scalar_type.h"

#include <cmath>
#include <cstdint>
#include <limits>

#include "gtest/gtest.h"
#include "tensor/testing.h"

namespace ember {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

TEST(ScalarTo, TruncatesAFloatingValueThatFitsTowardZero) {
  EXPECT_EQ(Scalar(2.9).to<int64_t>(), 2);
  EXPECT_EQ(Scalar(-2.9).to<int>(), -2);
}

TEST(ScalarTo, ThrowsForNaNAsAnInteger) {
  EXPECT_EMBER_ERROR(Scalar(kNaN).to<int64_t>(),
                     HAS("value cannot be converted to type int64_t without overflow (the value is nan)"));
}

TEST(ScalarTo, ThrowsForAFloatingValueOutsideTheIntegerRange) {
  EXPECT_EMBER_ERROR(Scalar(1e19).to<int64_t>(), HAS("value cannot be converted to type int64_t without overflow"));
  EXPECT_EMBER_ERROR(Scalar(-kInf).to<int64_t>(), HAS("value cannot be converted to type int64_t without overflow"));
  EXPECT_EMBER_ERROR(Scalar(3e9).to<int>(), HAS("value cannot be converted to type int without overflow (the value is 3e+09)"));
}

TEST(ScalarTo, ThrowsForAnIntegerOutsideASmallerIntegerType) {
  EXPECT_EMBER_ERROR(Scalar(int64_t{3000000000}).to<int>(),
                     HAS("value cannot be converted to type int without overflow (the value is 3000000000)"));
  EXPECT_EMBER_ERROR(Scalar(200).to<int8_t>(), HAS("value cannot be converted to type int8_t without overflow"));
}

TEST(ScalarTo, UnsignedTakesNegativeValuesDownToMinusItsMaximum) {
  EXPECT_EQ(Scalar(-1).to<uint8_t>(), 255);
  EXPECT_EQ(Scalar(-255).to<uint8_t>(), 1);
  EXPECT_EMBER_ERROR(Scalar(-256).to<uint8_t>(), HAS("value cannot be converted to type uint8_t without overflow"));
  EXPECT_EMBER_ERROR(Scalar(256).to<uint8_t>(), HAS("value cannot be converted to type uint8_t without overflow"));
  EXPECT_EMBER_ERROR(Scalar(INT64_MIN).to<uint8_t>(),
                     HAS("value cannot be converted to type uint8_t without overflow"));
}

TEST(ScalarTo, ThrowsForADoubleBeyondFloat) {
  EXPECT_EMBER_ERROR(Scalar(1e40).to<float>(), HAS("value cannot be converted to type float without overflow"));
}

TEST(ScalarTo, KeepsNaNAndInfinityAsAFloat) {
  EXPECT_TRUE(std::isnan(Scalar(kNaN).to<float>()));
  EXPECT_EQ(Scalar(-kInf).to<float>(), -std::numeric_limits<float>::infinity());
  EXPECT_EQ(Scalar(kInf).to<double>(), kInf);
}

TEST(ScalarTo, BoolIsWhetherTheValueIsNonZero) {
  EXPECT_TRUE(Scalar(kNaN).to<bool>());
  EXPECT_TRUE(Scalar(int64_t{-7}).to<bool>());
  EXPECT_FALSE(Scalar(0.0).to<bool>());
}

TEST(ScalarCast, ConvertsWithoutCheckingAsKernelsDo) {
  EXPECT_EQ(Scalar(1e40).cast<float>(), std::numeric_limits<float>::infinity());
  EXPECT_EQ(Scalar(kNaN).cast<int64_t>(), INT64_MIN);
}

}  // namespace
}  // namespace ember
