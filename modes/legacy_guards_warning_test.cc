// The deprecation warning is given once per process, so this behaviour has a
// test binary of its own.
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "modes/legacy_guards.h"
#include "modes/warning.h"

#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

namespace ember {
namespace {

class CollectingHandler final : public WarningHandler {
 public:
  void process(const std::string& message) override { messages.push_back(message); }
  std::vector<std::string> messages;
};

TEST(LegacyGuardsWarningTest, WarnsOnceForTheWholeProcessAcrossThreads) {
  CollectingHandler handler;
  WarningHandlerGuard guard(&handler);
  { AutoNonVariableTypeMode first; }
  { AutoNonVariableTypeMode second(true); }
  std::thread([] { AutoNonVariableTypeMode on_another_thread; }).join();
  ASSERT_EQ(handler.messages.size(), 1u);
  EXPECT_EQ(handler.messages[0], kAutoNonVariableTypeModeWarning);
  EXPECT_THAT(handler.messages[0], testing::HasSubstr("InferenceMode"));
  EXPECT_THAT(handler.messages[0], testing::HasSubstr("AutoDispatchBelowADInplaceOrView"));
}

}  // namespace
}  // namespace ember
