// ember::Error: the one exception type Ember throws for bad input or misuse.
//
// Its message says what went wrong and what to do about it. Every layer of
// Ember (modes, tensor, autograd) throws this type, so a caller can catch one
// type and show `what()` to a user.
//
//   try {
//     ember::AutoNonVariableTypeMode guard(false);
//   } catch (const ember::Error& e) {
//     std::cerr << e.what() << "\n";
//   }
#ifndef EMBER_MODES_ERROR_H_
#define EMBER_MODES_ERROR_H_

#include <exception>
#include <string>

namespace ember {

class Error : public std::exception {
 public:
  explicit Error(std::string message) : message_(std::move(message)) {}
  const char* what() const noexcept override { return message_.c_str(); }
  const std::string& message() const noexcept { return message_; }

 private:
  std::string message_;
};

}  // namespace ember

#endif  // EMBER_MODES_ERROR_H_
