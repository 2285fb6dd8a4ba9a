#include "modes/warning.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace ember {
namespace {

class CollectingHandler final : public WarningHandler {
 public:
  void process(const std::string& message) override { messages.push_back(message); }
  std::vector<std::string> messages;
};

TEST(WarningTest, DefaultHandlerIsInstalled) { EXPECT_EQ(get_warning_handler(), default_warning_handler()); }

TEST(WarningTest, DefaultHandlerWritesOneLineToStderr) {
  testing::internal::CaptureStderr();
  warn("something odd");
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "Warning: something odd\n");
}

TEST(WarningTest, GuardRoutesWarningsToItsHandlerAndRestoresThePrevious) {
  CollectingHandler handler;
  {
    WarningHandlerGuard guard(&handler);
    warn("first");
    warn("second");
  }
  EXPECT_EQ(handler.messages, (std::vector<std::string>{"first", "second"}));
  EXPECT_EQ(get_warning_handler(), default_warning_handler());
}

TEST(WarningTest, SettingNullRestoresTheDefault) {
  CollectingHandler handler;
  WarningHandler* previous = set_warning_handler(&handler);
  EXPECT_EQ(set_warning_handler(nullptr), &handler);
  EXPECT_EQ(get_warning_handler(), default_warning_handler());
  set_warning_handler(previous);
}

}  // namespace
}  // namespace ember
