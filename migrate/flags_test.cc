#include "migrate/flags.h"

#include <cstdlib>
#include <fstream>
#include <string>

#include "gtest/gtest.h"
#include "llvm/Support/FileSystem.h"

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

// A scratch directory holding pch.hxx and, per test, what sits next to it.
class BypassForeignPchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::string(std::getenv("TEST_TMPDIR")) + "/" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    llvm::sys::fs::remove_directories(dir_);
    llvm::sys::fs::create_directories(dir_);
    Write("pch.hxx", "#pragma once\n");
  }
  void Write(const std::string& name, const std::string& text) { std::ofstream(dir_ + "/" + name) << text; }
  std::string dir_;
};

TEST_F(BypassForeignPchTest, PassesEveryForcedIncludeToTheFrontendWhenGccWroteAPchNextToOne) {
  Write("pch.hxx.gch", "gpch013 GCC's own format");
  std::vector<std::string> noted;
  EXPECT_EQ(BypassForeignPch({"c++", "-include", "first.h", "-Winvalid-pch", "-include", dir_ + "/pch.hxx",
                              "--include=last.h", "-c", "a.cpp"},
                             "/elsewhere", &noted),
            (std::vector<std::string>{"c++", "-Winvalid-pch", "-c", "a.cpp", "-Xclang", "-include", "-Xclang",
                                      "first.h", "-Xclang", "-include", "-Xclang", dir_ + "/pch.hxx", "-Xclang",
                                      "-include", "-Xclang", "last.h"}));
  EXPECT_EQ(noted, (std::vector<std::string>{"first.h", dir_ + "/pch.hxx", "last.h"}));
}

TEST_F(BypassForeignPchTest, ResolvesARelativeIncludeAgainstTheCommandsDirectory) {
  llvm::sys::fs::create_directories(dir_ + "/pch.hxx.gch");  // GCC also accepts a directory of PCHs
  std::vector<std::string> noted;
  EXPECT_EQ(BypassForeignPch({"c++", "-includepch.hxx", "a.cpp"}, dir_, &noted),
            (std::vector<std::string>{"c++", "a.cpp", "-Xclang", "-include", "-Xclang", "pch.hxx"}));
  EXPECT_EQ(noted, std::vector<std::string>{"pch.hxx"});
}

TEST_F(BypassForeignPchTest, KeepsTheCommandWhenTheNeighbourIsClangsOwnPch) {
  Write("pch.hxx.pch", "CPCH and the rest of an AST file");
  std::vector<std::string> command = {"c++", "-include", dir_ + "/pch.hxx", "a.cpp"};
  std::vector<std::string> noted;
  EXPECT_EQ(BypassForeignPch(command, dir_, &noted), command);
  EXPECT_TRUE(noted.empty());
}

TEST_F(BypassForeignPchTest, KeepsTheCommandWithoutAPchNextToTheInclude) {
  std::vector<std::string> command = {"c++", "-include", dir_ + "/pch.hxx", "-include-pch", "x.pch", "a.cpp"};
  EXPECT_EQ(BypassForeignPch(command, dir_, nullptr), command);
}

}  // namespace
}  // namespace migrate
