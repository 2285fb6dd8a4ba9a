#include "migrate/prescan.h"

#include <set>

#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/DiagnosticOptions.h"
#include "clang/Frontend/CompilerInvocation.h"
#include "clang/Frontend/Utils.h"
#include "clang/Lex/HeaderSearchOptions.h"
#include "clang/Lex/PreprocessorOptions.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "re2/re2.h"

namespace migrate {

namespace {

constexpr const char kSpelling[] = "AutoNonVariableTypeMode";

std::string Absolute(const std::string& directory, const std::string& path) {
  llvm::SmallString<256> out(path);
  if (!llvm::sys::path::is_absolute(out)) {
    out = directory;
    llvm::sys::path::append(out, path);
  }
  // `..` stays: a directory before it may be a symlink (/lib -> usr/lib).
  llvm::sys::path::remove_dots(out, /*remove_dot_dot=*/false);
  return std::string(out.str());
}

std::string Parent(const std::string& path) { return std::string(llvm::sys::path::parent_path(path)); }

}  // namespace

bool IsInstalled(const std::string& real_path) {
  for (const char* installed : {"/usr/include/", "/usr/lib/", "/usr/local/include/"})
    if (real_path.rfind(installed, 0) == 0) return true;
  return false;
}

FileScan ScanText(const std::string& raw) {
  // One pass finds both the spelling and the include directives. A directive
  // may follow a block comment on its line (`/* x */ #include`, or the end
  // `*/` of a longer one); a line splice is undone first, since Clang joins
  // `AutoNonVariable\<newline>TypeMode` into one identifier.
  static const re2::RE2 kCombined(
      R"((?m)(?:^|\*/)[ \t]*#[ \t]*(?:include_next|include|import)\b[ \t]*([^\n]*)|(AutoNonVariableTypeMode))");
  static const re2::RE2 kSplice(R"(\\[ \t]*\r?\n)");
  std::string text = raw;
  if (text.find('\\') != std::string::npos) re2::RE2::GlobalReplace(&text, kSplice, "");
  FileScan scan;
  re2::StringPiece input(text);
  std::string argument, spelling;
  while (re2::RE2::FindAndConsume(&input, kCombined, &argument, &spelling)) {
    if (!spelling.empty()) {
      scan.mentions = true;
      return scan;  // whoever reaches this file is parsed; its includes do not matter
    }
    const llvm::StringRef arg = llvm::StringRef(argument).trim();
    const char close = arg.startswith("\"") ? '"' : arg.startswith("<") ? '>' : 0;
    const size_t end = close ? arg.find(close, 1) : llvm::StringRef::npos;
    if (end == llvm::StringRef::npos || end == 1) {
      scan.computed = true;  // `#include MACRO`, or text the scanner does not understand
      continue;
    }
    scan.includes.push_back({arg.substr(1, end - 1).str(), close == '>'});
  }
  return scan;
}

std::vector<std::string> LeadingAngledIncludes(const std::string& text) {
  static const re2::RE2 kInclude(R"([ \t]*#[ \t]*include[ \t]*<([^>\n]+)>[ \t]*(?://.*)?)");
  std::vector<std::string> includes;
  for (llvm::StringRef line : llvm::split(text, '\n')) {
    line = line.rtrim("\r");
    const llvm::StringRef trimmed = line.trim();
    if (trimmed.empty() || (trimmed.startswith("//") && !trimmed.endswith("\\"))) continue;
    std::string name;
    if (line.contains("/*") || line.endswith("\\") ||
        !re2::RE2::FullMatch(re2::StringPiece(line.data(), line.size()), kInclude, &name))
      break;
    includes.push_back(name);
  }
  return includes;
}

std::optional<std::string> Prescanner::Exists(const std::string& path) {
  auto [it, inserted] = exists_.emplace(path, std::nullopt);
  if (inserted && llvm::sys::fs::is_regular_file(path)) {
    llvm::SmallString<256> real;
    it->second = llvm::sys::fs::real_path(path, real) ? path : std::string(real.str());
  }
  return it->second;
}

const FileScan* Prescanner::Scan(const std::string& real_path) {
  auto [it, inserted] = scans_.emplace(real_path, nullptr);
  if (inserted) {
    if (auto buffer = llvm::MemoryBuffer::getFile(real_path, /*IsText=*/false, /*RequiresNullTerminator=*/false))
      it->second = std::make_unique<FileScan>(ScanText((*buffer)->getBuffer().str()));
  }
  return it->second.get();
}

bool Prescanner::MayReachGuard(const clang::tooling::CompileCommand& command) {
  // A macro defined on the command line may name the guard.
  for (const std::string& arg : command.CommandLine)
    if (arg.find(kSpelling) != std::string::npos) return true;

  // The include search path as Clang's driver builds it for this command
  // (user, system and the toolchain's built-in directories).
  std::vector<const char*> argv;
  for (const std::string& arg : command.CommandLine) argv.push_back(arg.c_str());
  clang::IgnoringDiagConsumer ignore;
  llvm::IntrusiveRefCntPtr<clang::DiagnosticsEngine> diagnostics(new clang::DiagnosticsEngine(
      new clang::DiagnosticIDs(), new clang::DiagnosticOptions(), &ignore, /*ShouldOwnClient=*/false));
  std::unique_ptr<clang::CompilerInvocation> invocation =
      clang::createInvocationFromCommandLine(argv, diagnostics);
  if (!invocation) return true;
  const clang::HeaderSearchOptions& search = invocation->getHeaderSearchOpts();
  const clang::PreprocessorOptions& preprocessor = invocation->getPreprocessorOpts();
  if ((!search.Sysroot.empty() && search.Sysroot != "/") || !search.VFSOverlayFiles.empty() ||
      invocation->getLangOpts()->Modules || !preprocessor.ImplicitPCHInclude.empty() ||
      invocation->getFrontendOpts().Inputs.size() != 1)
    return true;
  for (const auto& [macro, undef] : preprocessor.Macros)
    if (macro.find(kSpelling) != std::string::npos) return true;
  std::vector<std::string> dirs;
  for (const clang::HeaderSearchOptions::Entry& entry : search.UserEntries)
    if (!entry.IsFramework) dirs.push_back(Absolute(command.Directory, entry.Path));

  const std::string main_file = Absolute(command.Directory, command.Filename);
  // Files by the path they were reached through: a quoted include looks next
  // to that path (and, to be safe, next to the real path too).
  std::vector<std::string> pending;
  std::set<std::string> seen;
  // Every existing candidate is followed, not only the one Clang would pick:
  // a superset of what Clang reads is always safe. False when none exists.
  auto resolve = [&](const std::string& name, bool angled, const std::vector<std::string>& near) {
    std::vector<std::string> candidates;
    if (llvm::sys::path::is_absolute(name)) {
      candidates.push_back(name);
    } else {
      if (!angled)
        for (const std::string& dir : near) candidates.push_back(Absolute(dir, name));
      for (const std::string& dir : dirs) candidates.push_back(Absolute(dir, name));
    }
    bool found = false;
    for (const std::string& candidate : candidates) {
      std::optional<std::string> real = Exists(candidate);
      if (!real) continue;
      found = true;
      if (!IsInstalled(*real) && seen.insert(candidate).second) pending.push_back(candidate);
    }
    return found;
  };
  if (!Exists(main_file)) return true;
  seen.insert(main_file);
  pending.push_back(main_file);
  for (const std::string& forced : preprocessor.Includes)
    if (!resolve(forced, false, {command.Directory, Parent(main_file)})) return true;
  for (const std::string& forced : preprocessor.MacroIncludes)
    if (!resolve(forced, false, {command.Directory, Parent(main_file)})) return true;
  while (!pending.empty()) {
    const std::string path = pending.back();
    pending.pop_back();
    const std::string real = *Exists(path);
    const FileScan* scan = Scan(real);
    if (!scan || scan->mentions || scan->computed) return true;
    for (const FileScan::Include& include : scan->includes)
      if (!resolve(include.name, include.angled, {Parent(path), Parent(real)})) return true;
  }
  return false;
}

}  // namespace migrate
