// Missing headers: most real files do not compile on the machine that runs
// the migration (CUDA, ROCm, Python.h, generated headers, SDKs). Rather than
// give such a file up to the token tier, the AST tier parses it with missing
// includes suppressed and with small stand-in declarations of what the
// decisions need (the guards, Function<T>, AutogradContext, Node, the
// registration macros), each stand-in declared only when the header that
// really declares it cannot be found. What was missing is recorded per
// translation unit; `--strict` turns all of this off.
#ifndef EMBER_MIGRATE_MISSING_HEADERS_H_
#define EMBER_MIGRATE_MISSING_HEADERS_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/SourceLocation.h"
#include "clang/Basic/FileManager.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Lex/PPCallbacks.h"

namespace migrate {

// The stand-ins live in virtual files under this directory (never on disk).
extern const char* const kStandInDir;

// Declarations of what the decisions need, each only where the header that
// really declares it cannot be found; force-included first.
const std::string& StandInHeader();

// What a missing `#include` is replaced with: the real LibTorch (or Ember)
// headers that declare the guards, Function<T>, Node and the registration
// macros, when they exist here (a missing umbrella header would have
// brought them in).
const std::string& RealHeadersText();

// Records each `#include` that found no file, as spelled (`<cuda_runtime.h>`,
// `"gen/ops.h"`), in order, once each; when `recover`, the include is
// answered with RealHeadersText() instead of an error.
class MissingHeaderRecorder : public clang::PPCallbacks {
 public:
  MissingHeaderRecorder(clang::FileManager& files, clang::SourceManager& sources, bool recover,
                        std::shared_ptr<std::vector<std::string>> missing)
      : files_(files), sources_(sources), recover_(recover), missing_(std::move(missing)) {}
  bool FileNotFound(llvm::StringRef file_name, llvm::SmallVectorImpl<char>& recovery_path) override;
  void InclusionDirective(clang::SourceLocation hash, const clang::Token& include_token,
                          llvm::StringRef file_name, bool angled, clang::CharSourceRange file_name_range,
                          const clang::FileEntry* file, llvm::StringRef search_path,
                          llvm::StringRef relative_path, const clang::Module* imported,
                          clang::SrcMgr::CharacteristicKind file_type) override;

 private:
  clang::FileManager& files_;
  clang::SourceManager& sources_;
  const bool recover_;
  std::shared_ptr<std::vector<std::string>> missing_;
};

// Passes every diagnostic on to the tool's consumer and keeps the location
// of each error, so that a site can be judged by whether the code it depends
// on parsed.
class ErrorRecorder : public clang::DiagnosticConsumer {
 public:
  // `owned`: the target, when the engine owned it (then so does this).
  ErrorRecorder(clang::DiagnosticConsumer& target, std::unique_ptr<clang::DiagnosticConsumer> owned,
                std::shared_ptr<std::vector<clang::SourceLocation>> errors)
      : target_(target), owned_(std::move(owned)), errors_(std::move(errors)) {}
  void BeginSourceFile(const clang::LangOptions& lang, const clang::Preprocessor* pp) override {
    target_.BeginSourceFile(lang, pp);
  }
  void EndSourceFile() override { target_.EndSourceFile(); }
  void finish() override { target_.finish(); }
  bool IncludeInDiagnosticCounts() const override { return target_.IncludeInDiagnosticCounts(); }
  void HandleDiagnostic(clang::DiagnosticsEngine::Level level, const clang::Diagnostic& info) override;

 private:
  clang::DiagnosticConsumer& target_;
  std::unique_ptr<clang::DiagnosticConsumer> owned_;
  std::shared_ptr<std::vector<clang::SourceLocation>> errors_;
};

// Sets up one translation unit: records missing headers into `missing`;
// when `tolerate`, also force-includes the stand-ins, answers missing
// includes with RealHeadersText(), lifts the error limit and records every
// error's location into `errors`. Call from BeginSourceFileAction.
void InstallStandIns(clang::CompilerInstance& ci, bool tolerate, std::shared_ptr<std::vector<std::string>> missing,
                     std::shared_ptr<std::vector<clang::SourceLocation>> errors);

// Whether a location lies in a stand-in file (or a header only it included).
bool ReachedThroughStandIn(const clang::SourceManager& sources, clang::SourceLocation loc);

// "<a.h>, \"b.h\"".
std::string JoinHeaders(const std::vector<std::string>& headers);

// Adds "missing_headers": {file: [header, ...]} to a report object (the
// text ReportWithAccounting returns); unchanged when nothing was missing.
std::string WithMissingHeaders(std::string report,
                               const std::map<std::string, std::vector<std::string>>& missing_by_file);

}  // namespace migrate

#endif  // EMBER_MIGRATE_MISSING_HEADERS_H_
