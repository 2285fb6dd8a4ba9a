#include "migrate/raw_lexer.h"

#include <string>
#include <vector>

#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "gtest/gtest.h"

namespace migrate {
namespace {

std::vector<std::string> Spellings(const std::string& text) {
  RawSource source("t.cc", text);
  clang::Lexer& lexer = source.lexer();
  std::vector<std::string> out;
  clang::Token token;
  for (lexer.LexFromRawLexer(token); !token.is(clang::tok::eof); lexer.LexFromRawLexer(token))
    out.push_back(clang::Lexer::getSpelling(token, source.sm(), source.lang()));
  return out;
}

TEST(RawCppLangOptions, LexesARawStringAsOneToken) {
  EXPECT_EQ(Spellings("R\"x(a \" b)x\" c"), (std::vector<std::string>{"R\"x(a \" b)x\"", "c"}));
}

TEST(RawCppLangOptions, LexesDigitSeparatorsInOneNumber) {
  EXPECT_EQ(Spellings("1'000'000 x"), (std::vector<std::string>{"1'000'000", "x"}));
}

TEST(RawCppLangOptions, LexesDigraphsAsTheirTokens) {
  EXPECT_EQ(Spellings("<% %> <: :>"), (std::vector<std::string>{"<%", "%>", "<:", ":>"}));
  EXPECT_EQ(Spellings("std::vector<::x>"), (std::vector<std::string>{"std", "::", "vector", "<", "::", "x", ">"}));
}

TEST(RawCppLangOptions, DropsLineComments) {
  EXPECT_EQ(Spellings("a // b\nc"), (std::vector<std::string>{"a", "c"}));
}

TEST(RawSource, ReadsTextWithAnUnsupportedByteOrderMarkAsEmpty) {
  // Clang reports "UTF-16 (BE) byte order mark detected" and reads nothing;
  // without a diagnostic client that report used to crash.
  EXPECT_TRUE(Spellings(std::string("\xFE\xFF\0a\0b", 6)).empty());
  EXPECT_TRUE(Spellings(std::string("\xFF\xFE\0\0x", 5)).empty());
}

TEST(RawSource, KeepsAUtf8ByteOrderMarkOutOfTheTokens) {
  EXPECT_EQ(Spellings("\xEF\xBB\xBFint x;"), (std::vector<std::string>{"int", "x", ";"}));
}

TEST(HoldsDirective, FindsADirectiveLineBetweenTokens) {
  EXPECT_TRUE(HoldsDirective("at\n#include <vector>\n::AutoNonVariableTypeMode"));
  EXPECT_TRUE(HoldsDirective("c10::\n  #  define X 1\nAutoNonVariableTypeMode"));
  EXPECT_TRUE(HoldsDirective("(\n#if 1\ntrue\n#endif\n)"));
  EXPECT_TRUE(HoldsDirective("at\n%:include <vector>\n::AutoNonVariableTypeMode"));  // a digraph
}

TEST(HoldsDirective, IgnoresAHashThatStartsNoDirective) {
  EXPECT_FALSE(HoldsDirective("at::AutoNonVariableTypeMode"));
  EXPECT_FALSE(HoldsDirective("#x"));                         // the piece's own first token
  EXPECT_FALSE(HoldsDirective("a \\\n# b"));                  // a spliced line is one line
  EXPECT_FALSE(HoldsDirective("a /* \n#include <x>\n */ b"));  // inside a comment
  EXPECT_FALSE(HoldsDirective("f(R\"(\n#x\n)\")"));            // inside a raw string
}

}  // namespace
}  // namespace migrate
