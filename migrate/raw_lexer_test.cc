#include "migrate/raw_lexer.h"

#include <string>
#include <vector>

#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "gtest/gtest.h"

namespace migrate {
namespace {

std::vector<std::string> Spellings(const std::string& text) {
  clang::SourceManagerForFile files("t.cc", text);
  clang::SourceManager& sm = files.get();
  const clang::FileID fid = sm.getMainFileID();
  const clang::LangOptions lang = RawCppLangOptions();
  clang::Lexer lexer(fid, sm.getBufferOrFake(fid), sm, lang);
  std::vector<std::string> out;
  clang::Token token;
  for (lexer.LexFromRawLexer(token); !token.is(clang::tok::eof); lexer.LexFromRawLexer(token))
    out.push_back(clang::Lexer::getSpelling(token, sm, lang));
  return out;
}

TEST(RawCppLangOptions, LexesARawStringAsOneToken) {
  EXPECT_EQ(Spellings("R\"x(a \" b)x\" c"), (std::vector<std::string>{"R\"x(a \" b)x\"", "c"}));
}

TEST(RawCppLangOptions, LexesDigitSeparatorsInOneNumber) {
  EXPECT_EQ(Spellings("1'000'000 x"), (std::vector<std::string>{"1'000'000", "x"}));
}

TEST(RawCppLangOptions, DropsLineComments) {
  EXPECT_EQ(Spellings("a // b\nc"), (std::vector<std::string>{"a", "c"}));
}

}  // namespace
}  // namespace migrate
