#include "migrate/prescan.h"

#include <fstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

namespace migrate {
namespace {

TEST(ScanText, FindsTheSpellingAnywhere) {
  EXPECT_TRUE(ScanText("void f() { at::AutoNonVariableTypeMode g; }").mentions);
  EXPECT_TRUE(ScanText("// AutoNonVariableTypeMode in a comment still costs a parse\n").mentions);
  EXPECT_FALSE(ScanText("void f() { c10::InferenceMode g; }").mentions);
}

TEST(ScanText, JoinsLineSplicesAsClangDoes) {
  EXPECT_TRUE(ScanText("at::AutoNonVariable\\\nTypeMode g;").mentions);
  EXPECT_TRUE(ScanText("at::AutoNonVariable\\\r\nTypeMode g;").mentions);
}

TEST(ScanText, ListsQuotedAndAngledIncludes) {
  const FileScan scan = ScanText(
      "#include \"a.h\"  // why\n"
      "  #  include <b/c.h>\n"
      "#include_next <d.h>\n"
      "#import \"e.h\"\n"
      "/* licence */ #include \"f.h\"\n"
      "int x; // not #include \"g.h\" at the start of a line\n");
  std::vector<std::string> names;
  for (const FileScan::Include& include : scan.includes)
    names.push_back(include.name + (include.angled ? " <>" : " \"\""));
  EXPECT_EQ(names, (std::vector<std::string>{"a.h \"\"", "b/c.h <>", "d.h <>", "e.h \"\"", "f.h \"\""}));
  EXPECT_FALSE(scan.computed);
}

TEST(ScanText, FlagsAComputedInclude) {
  EXPECT_TRUE(ScanText("#define H \"a.h\"\n#include H\n").computed);
}

TEST(LeadingAngledIncludes, StopsAtTheFirstLineThatIsNotOne) {
  EXPECT_EQ(LeadingAngledIncludes("// licence\n\n#include <a/b.h>\r\n  #  include <c.h>  // why\n"
                                  "#include \"mine.h\"\n#include <d.h>\n"),
            (std::vector<std::string>{"a/b.h", "c.h"}));
  EXPECT_EQ(LeadingAngledIncludes("#define X 1\n#include <a.h>\n"), std::vector<std::string>{});
  EXPECT_EQ(LeadingAngledIncludes("#include <a.h>\n/* block */\n#include <b.h>\n"),
            std::vector<std::string>{"a.h"});
}

class PrescannerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    llvm::SmallString<256> dir;
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("prescan", dir));
    root_ = std::string(dir.str());
  }
  void TearDown() override { llvm::sys::fs::remove_directories(root_); }

  std::string Write(const std::string& relative, const std::string& text) {
    llvm::SmallString<256> path(root_);
    llvm::sys::path::append(path, relative);
    llvm::sys::fs::create_directories(llvm::sys::path::parent_path(path));
    std::ofstream(std::string(path.str())) << text;
    return std::string(path.str());
  }

  bool Reach(const std::string& main, std::vector<std::string> flags = {}) {
    clang::tooling::CompileCommand command;
    command.Directory = root_;
    command.Filename = main;
    command.CommandLine = {"clang++", "-fsyntax-only", "-std=c++17"};
    command.CommandLine.insert(command.CommandLine.end(), flags.begin(), flags.end());
    command.CommandLine.push_back(main);
    return scanner_.MayReachGuard(command);
  }

  std::string root_;
  Prescanner scanner_;
};

TEST_F(PrescannerTest, SkipsAFileThatIncludesOnlyInstalledHeaders) {
  Write("a.cpp", "#include <vector>\n#include <c10/core/InferenceMode.h>\nint main() {}\n");
  EXPECT_FALSE(Reach("a.cpp"));
}

TEST_F(PrescannerTest, KeepsAMainFileThatSpellsTheGuard) {
  Write("a.cpp", "#include <vector>\nvoid f() { at::AutoNonVariableTypeMode g; }\n");
  EXPECT_TRUE(Reach("a.cpp"));
}

TEST_F(PrescannerTest, KeepsAFileReachingAnAliasThroughNestedProjectHeaders) {
  Write("inc/guard.h", "#pragma once\nusing Guard = at::AutoNonVariableTypeMode;\n");
  Write("inc/util.h", "#pragma once\n#include <guard.h>\n");
  Write("src/a.cpp", "#include \"../inc/util.h\"\nvoid f() { Guard g; }\n");
  EXPECT_TRUE(Reach("src/a.cpp", {"-Iinc"}));
}

TEST_F(PrescannerTest, FollowsQuotedIncludesNextToTheIncluder) {
  Write("src/macro.h", "#define NO_GRAD at::AutoNonVariableTypeMode g\n");
  Write("src/a.cpp", "#include \"macro.h\"\nvoid f() { NO_GRAD; }\n");
  EXPECT_TRUE(Reach("src/a.cpp"));
}

TEST_F(PrescannerTest, FollowsTheSystemSearchPathOfTheCommand) {
  // A project directory given with -isystem is still read: its macros expand
  // in editable files.
  Write("third_party/lib.h", "#define LIB_GUARD at::AutoNonVariableTypeMode g\n");
  Write("a.cpp", "#include <lib.h>\nvoid f() { LIB_GUARD; }\n");
  EXPECT_TRUE(Reach("a.cpp", {"-isystem", "third_party"}));
}

TEST_F(PrescannerTest, KeepsAFileWithAnIncludeItCannotResolve) {
  Write("a.cpp", "#include \"generated/config.h\"\nint main() {}\n");
  EXPECT_TRUE(Reach("a.cpp"));
}

TEST_F(PrescannerTest, KeepsAFileWithAComputedInclude) {
  Write("h.h", "int x;\n");
  Write("a.cpp", "#define HEADER \"h.h\"\n#include HEADER\nint main() {}\n");
  EXPECT_TRUE(Reach("a.cpp"));
}

TEST_F(PrescannerTest, KeepsAFileWhoseCommandDefinesAMacroNamingTheGuard) {
  Write("a.cpp", "void f() { GUARD g; }\n");
  EXPECT_TRUE(Reach("a.cpp", {"-DGUARD=at::AutoNonVariableTypeMode"}));
  EXPECT_FALSE(Reach("a.cpp", {"-DGUARD=c10::InferenceMode"}));
}

TEST_F(PrescannerTest, FollowsForcedIncludes) {
  Write("force.h", "using Guard = at::AutoNonVariableTypeMode;\n");
  Write("a.cpp", "void f() { Guard g; }\n");
  EXPECT_TRUE(Reach("a.cpp", {"-include", "force.h"}));
}

TEST_F(PrescannerTest, SkipsAProjectHeaderChainWithoutTheSpelling) {
  Write("inc/a.h", "#pragma once\n#include \"b.h\"\n#include <vector>\n");
  Write("inc/b.h", "#pragma once\n#include \"a.h\"\n");  // a cycle ends
  Write("a.cpp", "#include <a.h>\nint main() {}\n");
  EXPECT_FALSE(Reach("a.cpp", {"-Iinc"}));
}

TEST_F(PrescannerTest, ReadsEachProjectFileOnceAcrossTranslationUnits) {
  Write("inc/common.h", "#pragma once\nint common();\n");
  Write("a.cpp", "#include \"inc/common.h\"\n");
  Write("b.cpp", "#include \"inc/common.h\"\n");
  EXPECT_FALSE(Reach("a.cpp"));
  EXPECT_FALSE(Reach("b.cpp"));
  EXPECT_EQ(scanner_.FilesRead(), 3u);
}

TEST(IsInstalled, NamesTheInstalledPrefixes) {
  EXPECT_TRUE(IsInstalled("/usr/include/ATen/core/LegacyTypeDispatch.h"));
  EXPECT_TRUE(IsInstalled("/usr/lib/llvm-14/lib/clang/14.0.6/include/stddef.h"));
  EXPECT_TRUE(IsInstalled("/usr/local/include/x.h"));
  EXPECT_FALSE(IsInstalled("/home/me/src/usr/include/x.h"));
}

}  // namespace
}  // namespace migrate
