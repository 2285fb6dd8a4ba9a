// Test helpers: the message of the ember::Error a statement throws.
#ifndef EMBER_AUTOGRAD_TEST_UTIL_H_
#define EMBER_AUTOGRAD_TEST_UTIL_H_

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "modes/error.h"

#define EXPECT_THROW_MSG(stmt, substr)                                        \
  do {                                                                        \
    std::string what_;                                                        \
    try {                                                                     \
      stmt;                                                                   \
    } catch (const ::ember::Error& e) {                                       \
      what_ = e.what();                                                       \
    }                                                                         \
    EXPECT_THAT(what_, ::testing::HasSubstr(substr)) << "from: " #stmt;       \
  } while (0)

#endif  // EMBER_AUTOGRAD_TEST_UTIL_H_
