#include "migrate/flags.h"

#include "gtest/gtest.h"

namespace migrate {
namespace {

TEST(DropUnknownFlags, DropsGccOnlyFlagsAndNamesThem) {
  std::vector<std::string> dropped;
  std::vector<std::string> kept = DropUnknownFlags(
      {"g++", "-std=c++17", "-fconcepts-diagnostics-depth=2", "-Iinclude", "-DX=1",
       "-fno-keep-inline-dllexport", "-c", "a.cpp"},
      &dropped);
  EXPECT_EQ(kept, (std::vector<std::string>{"g++", "-std=c++17", "-Iinclude", "-DX=1", "-c", "a.cpp"}));
  EXPECT_EQ(dropped, (std::vector<std::string>{"-fconcepts-diagnostics-depth=2", "-fno-keep-inline-dllexport"}));
}

TEST(DropUnknownFlags, KeepsFlagsWithSeparateValues) {
  std::vector<std::string> dropped;
  std::vector<std::string> command = {"c++", "-isystem", "/opt/x", "-o", "a.o", "-x", "c++", "a.cpp"};
  EXPECT_EQ(DropUnknownFlags(command, &dropped), command);
  EXPECT_TRUE(dropped.empty());
}

TEST(DropUnknownFlags, LeavesAnEmptyCommandAlone) {
  EXPECT_EQ(DropUnknownFlags({"c++"}, nullptr), std::vector<std::string>{"c++"});
}

}  // namespace
}  // namespace migrate
