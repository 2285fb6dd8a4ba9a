#pragma once

// What Clang's raw lexer needs to tokenize C++ source as the compiler does
// (line comments, raw strings, digit separators) without a compile command:
// the token tier, the occurrence scan and the fuzz check lex the same way.

#include "clang/Basic/LangOptions.h"

namespace migrate {

inline clang::LangOptions RawCppLangOptions() {
  clang::LangOptions lang;
  lang.CPlusPlus = lang.CPlusPlus11 = lang.CPlusPlus14 = lang.CPlusPlus17 = 1;
  lang.LineComment = 1;
  lang.Bool = 1;
  return lang;
}

}  // namespace migrate
