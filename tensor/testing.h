// Test helpers for //tensor's tests: element access and error-message checks.
//
//   EXPECT_EMBER_ERROR(x.view({4}), "shape '[4]' is invalid for input of size 6");
//   EXPECT_EQ(values<float>(x), (std::vector<float>{1, 2, 3}));
#ifndef EMBER_TENSOR_TESTING_H_
#define EMBER_TENSOR_TESTING_H_

#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "modes/error.h"
#include "tensor/tensor.h"

namespace ember {
namespace testing {

// The elements in row-major order, whatever the strides.
template <class T>
std::vector<T> values(const Tensor& t) {
  Tensor c = t.contiguous();
  const T* p = c.data_ptr<T>();
  return std::vector<T>(p, p + c.numel());
}

}  // namespace testing
}  // namespace ember

// Expects `stmt` to throw ember::Error whose message contains each of the given substrings.
#define EXPECT_EMBER_ERROR(stmt, ...)                                                         \
  EXPECT_THAT([&] { (void)(stmt); },                                                          \
              ::testing::ThrowsMessage<::ember::Error>(::testing::AllOf(__VA_ARGS__)))

#define HAS(s) ::testing::HasSubstr(s)

#endif  // EMBER_TENSOR_TESTING_H_
