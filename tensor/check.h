// EMBER_CHECK: throw ember::Error with a message built from its arguments.
//
// The message is only formatted when the condition fails, so a check on the
// hot path costs one branch. Arguments are streamed, so shapes (IntArrayRef),
// dtypes and keys print as LibTorch prints them.
//
//   EMBER_CHECK(dim >= 0, "view(): negative dimension ", dim, " in ", sizes);
#ifndef EMBER_TENSOR_CHECK_H_
#define EMBER_TENSOR_CHECK_H_

#include <sstream>
#include <string>

#include "modes/error.h"
#include "tensor/array_ref.h"

namespace ember {
namespace detail {

template <class... Args>
std::string str(const Args&... args) {
  std::ostringstream out;
  (void)(out << ... << args);
  return out.str();
}

template <class... Args>
[[noreturn]] __attribute__((noinline, cold)) void fail(const Args&... args) {
  throw Error(str(args...));
}

}  // namespace detail
}  // namespace ember

#define EMBER_CHECK(cond, ...)                                  \
  do {                                                          \
    if (__builtin_expect(!(cond), 0)) ::ember::detail::fail(__VA_ARGS__); \
  } while (false)

#endif  // EMBER_TENSOR_CHECK_H_
