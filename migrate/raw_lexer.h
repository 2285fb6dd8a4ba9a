#pragma once

// What Clang's raw lexer needs to tokenize C++ source as the compiler does
// (line comments, raw strings, digit separators, digraphs) without a compile command:
// the token tier, the occurrence scan and the fuzz check lex the same way.

#include <optional>
#include <string>

#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/LangOptions.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "clang/Lex/Token.h"

namespace migrate {

inline clang::LangOptions RawCppLangOptions() {
  clang::LangOptions lang;
  lang.CPlusPlus = lang.CPlusPlus11 = lang.CPlusPlus14 = lang.CPlusPlus17 = 1;
  lang.LineComment = 1;
  lang.Bool = 1;
  lang.Digraphs = 1;  // as in every C++ mode: `%:include` is a directive, `<%` a brace
  return lang;
}

// A text as the main file of its own SourceManager, and a raw lexer at its
// start: token locations map to file offsets and lines. Text Clang cannot
// read as a source file (a UTF-16 or UTF-32 byte-order mark) lexes as empty;
// the diagnostic Clang reports for it goes nowhere (SourceManagerForFile's
// engine has no client, and reporting to none crashes).
class RawSource {
 public:
  RawSource(const std::string& path, const std::string& text) : files_(path, text) {
    files_.get().getDiagnostics().setClient(&quiet_, /*ShouldOwnClient=*/false);
    lexer_.emplace(fid(), buffer(), sm(), lang_);
  }
  RawSource(const RawSource&) = delete;
  RawSource& operator=(const RawSource&) = delete;

  clang::SourceManager& sm() { return files_.get(); }
  clang::FileID fid() { return files_.get().getMainFileID(); }
  const clang::LangOptions& lang() const { return lang_; }
  clang::Lexer& lexer() { return *lexer_; }

 private:
  // The text, or an empty buffer for text Clang cannot read (not Clang's
  // "<<<INVALID BUFFER>>>" stand-in, whose tokens are not in the text).
  llvm::MemoryBufferRef buffer() {
    if (llvm::Optional<llvm::MemoryBufferRef> text = files_.get().getBufferOrNone(fid())) return *text;
    return llvm::MemoryBufferRef("", "unreadable");
  }

  clang::IgnoringDiagConsumer quiet_;  // declared first: outlives files_
  clang::SourceManagerForFile files_;
  const clang::LangOptions lang_ = RawCppLangOptions();
  std::optional<clang::Lexer> lexer_;  // made once diagnostics go to quiet_
};

// Whether a preprocessor directive line (`#include`, `#define`, ...) starts
// inside `text`, a piece of source that begins at a token. Such a piece is
// never one edit: replacing or deleting it would delete the directive too
// (`at` / `#include <x>` / `::AutoNonVariableTypeMode` names the guard).
// Lexed from the bytes alone: no locations are needed.
inline bool HoldsDirective(const std::string& text) {
  const clang::LangOptions lang = RawCppLangOptions();
  clang::Lexer lexer(clang::SourceLocation(), lang, text.data(), text.data(), text.data() + text.size());
  clang::Token token;
  bool first = true;
  for (lexer.LexFromRawLexer(token); !token.is(clang::tok::eof); lexer.LexFromRawLexer(token), first = false)
    if (!first && token.is(clang::tok::hash) && token.isAtStartOfLine()) return true;
  return false;
}

}  // namespace migrate
