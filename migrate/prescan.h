// Pre-scan: decide, without parsing, whether a translation unit can reach a
// spelling of the legacy guard. Parsing is the whole cost of the tool, and on
// a real codebase almost no file mentions the guard, so a translation unit
// that cannot reach one is skipped.
//
// A skip must never change the result: a skipped translation unit yields no
// site and no occurrence. Every spelling the tool acts on is written in a
// file the translation unit reaches: in an editable file (a site, an
// occurrence), or in a macro body of a non-editable project file expanded in
// an editable one (a MANUAL site). An alias or macro naming the guard holds
// the spelling itself. So the pre-scan reads the main file, the command line
// (-D) and every project file reachable through #include, editable or not
// (only installed files are never followed: their spellings are not edited,
// and LibTorch defines no alias of the guard), and keeps the translation
// unit as soon as one of them holds `AutoNonVariableTypeMode` or when it
// cannot tell what is included: a computed `#include MACRO`, an include it
// cannot resolve (Clang might not either: a parse error to report), modules,
// a sysroot, a VFS overlay or a PCH. Conditional includes are all followed.
//
// Not covered (documented): a guard spelling assembled by token pasting, and
// an alias or macro of the guard defined in an installed header.
#ifndef EMBER_MIGRATE_PRESCAN_H_
#define EMBER_MIGRATE_PRESCAN_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "clang/Tooling/CompilationDatabase.h"

namespace migrate {

// Installed files (under /usr/include, /usr/lib, /usr/local/include, by real
// path): never edited and never followed by the pre-scan.
bool IsInstalled(const std::string& real_path);

// What the scanner found in one file's text. Exposed for tests.
struct FileScan {
  struct Include {
    std::string name;
    bool angled = false;
  };
  bool mentions = false;    // the legacy spelling occurs (code or not)
  bool computed = false;    // an #include whose target is a macro
  std::vector<Include> includes;
};
FileScan ScanText(const std::string& text);

// The `#include <...>` lines a main file starts with, in order (blank lines
// and `//` comments between them allowed): what translation units built with
// the same flags may share as one precompiled header. Stops at anything
// else (a quoted include, a macro, a block comment, code).
std::vector<std::string> LeadingAngledIncludes(const std::string& text);

// Caches every file it reads across translation units; not thread-safe (one
// instance, used before the parallel parse).
class Prescanner {
 public:
  // Whether the translation unit of `command` (as it will be parsed: argv[0]
  // the compiler, the main file in it) may reach a legacy spelling. On
  // doubt, true.
  bool MayReachGuard(const clang::tooling::CompileCommand& command);

  // The files read so far (each once).
  size_t FilesRead() const { return scans_.size(); }

 private:
  const FileScan* Scan(const std::string& real_path);
  std::optional<std::string> Exists(const std::string& path);  // real path if a regular file

  std::map<std::string, std::unique_ptr<FileScan>> scans_;       // real path -> scan (null: unreadable)
  std::map<std::string, std::optional<std::string>> exists_;      // path -> real path
};

}  // namespace migrate

#endif  // EMBER_MIGRATE_PRESCAN_H_
