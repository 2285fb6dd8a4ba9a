// Warnings Ember gives without failing (deprecations, suspicious use).
//
// By default a warning is one line on stderr. A program or test that wants
// them elsewhere installs its own handler; the handler is process-wide and
// may be called from any thread, so it must be thread-safe.
//
//   class Collect : public ember::WarningHandler {
//     void process(const std::string& message) override { ... }
//   } collect;
//   ember::WarningHandlerGuard guard(&collect);
//   ember::warn("...");   // reaches `collect`, not stderr
#ifndef EMBER_MODES_WARNING_H_
#define EMBER_MODES_WARNING_H_

#include <string>

namespace ember {

class WarningHandler {
 public:
  virtual ~WarningHandler() = default;
  virtual void process(const std::string& message) = 0;
};

// The handler that writes "Warning: <message>" to stderr.
WarningHandler* default_warning_handler();

// Installs `handler` (nullptr means the default) and returns the previous one.
WarningHandler* set_warning_handler(WarningHandler* handler);
WarningHandler* get_warning_handler();

// Sends `message` to the current handler.
void warn(const std::string& message);

// Installs a handler for the guard's lifetime, then restores the previous one.
class WarningHandlerGuard final {
 public:
  [[nodiscard]] explicit WarningHandlerGuard(WarningHandler* handler)
      : previous_(set_warning_handler(handler)) {}
  ~WarningHandlerGuard() { set_warning_handler(previous_); }
  WarningHandlerGuard(const WarningHandlerGuard&) = delete;
  WarningHandlerGuard& operator=(const WarningHandlerGuard&) = delete;

 private:
  WarningHandler* previous_;
};

}  // namespace ember

#endif  // EMBER_MODES_WARNING_H_
