#include "modes/warning.h"

#include <atomic>
#include <iostream>

namespace ember {
namespace {

class StderrWarningHandler final : public WarningHandler {
 public:
  void process(const std::string& message) override {
    // One write, so concurrent warnings do not interleave mid-line.
    std::cerr << ("Warning: " + message + "\n") << std::flush;
  }
};

StderrWarningHandler stderr_handler;
std::atomic<WarningHandler*> current_handler{&stderr_handler};

}  // namespace

WarningHandler* default_warning_handler() { return &stderr_handler; }

WarningHandler* set_warning_handler(WarningHandler* handler) {
  return current_handler.exchange(handler != nullptr ? handler : &stderr_handler);
}

WarningHandler* get_warning_handler() { return current_handler.load(); }

void warn(const std::string& message) { current_handler.load()->process(message); }

}  // namespace ember
