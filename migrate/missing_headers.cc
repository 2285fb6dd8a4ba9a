#include "migrate/missing_headers.h"

#include <algorithm>
#include <cstring>

#include "clang/Lex/Preprocessor.h"
#include "llvm/Support/MemoryBuffer.h"

#include "migrate/report.h"

namespace migrate {

const char* const kStandInDir = "/migrate-stand-ins";
namespace {
const char* const kStandInPath = "/migrate-stand-ins/stand_ins.h";
const char* const kMissingDir = "/migrate-stand-ins/missing";
}  // namespace

const std::string& StandInHeader() {
  // Each group is guarded by the header that really declares it, looked up
  // with the translation unit's own include paths, so a stand-in never meets
  // the real declaration: when that header exists, the file includes it
  // itself or, if only the umbrella that would have is missing, the missing
  // include is answered with it (RealHeadersText). Nothing here includes
  // anything, so a file that compiles pays a few header lookups. A system
  // header: never edited, never counted.
  static const std::string text = R"(// Stand-in declarations by //migrate (see migrate/missing_headers.h).
#pragma clang system_header

#if !__has_include(<c10/core/InferenceMode.h>)
namespace c10 {
struct InferenceMode {
  InferenceMode(bool enabled = true) {}
};
}  // namespace c10
#endif

#if !__has_include(<c10/core/DispatchKey.h>)
namespace c10 {
enum class DispatchKey : unsigned short {
  Undefined, CPU, CUDA, HIP, XLA, MPS, IPU, XPU, HPU, VE, Lazy, Meta, MTIA, ORT,
  PrivateUse1, PrivateUse2, PrivateUse3, QuantizedCPU, QuantizedCUDA,
  SparseCPU, SparseCUDA, MkldnnCPU, NestedTensor, BackendSelect, Python,
  Functionalize, Named, Conjugate, Negative, ZeroTensor, ADInplaceOrView,
  AutogradOther, AutogradFunctionality, AutogradNestedTensor, AutogradCPU,
  AutogradCUDA, AutogradHIP, AutogradXLA, AutogradLazy, AutogradMPS,
  AutogradIPU, AutogradXPU, AutogradHPU, AutogradMeta, AutogradPrivateUse1,
  AutogradPrivateUse2, AutogradPrivateUse3, Tracer, AutocastCPU, AutocastCUDA,
  FuncTorchBatched, Batched, VmapMode, Autograd, CompositeImplicitAutograd,
  CompositeExplicitAutograd, CatchAll
};
}  // namespace c10
#endif

#if !__has_include(<ATen/core/LegacyTypeDispatch.h>)
namespace c10 {}
namespace at {
using namespace c10;
struct AutoNonVariableTypeMode {
  AutoNonVariableTypeMode(bool enabled = true) {}
};
struct AutoDispatchBelowADInplaceOrView {
  AutoDispatchBelowADInplaceOrView() {}
};
}  // namespace at
namespace torch {
using namespace at;
}  // namespace torch
#endif

#if !__has_include(<torch/csrc/autograd/function.h>)
namespace torch {
namespace autograd {
struct EdgeList {};
template <class... Variables>
EdgeList collect_next_edges(const Variables&...) { return {}; }
struct Node {
  virtual ~Node() {}
  void set_next_edges(EdgeList) {}
  template <class... Args>
  unsigned add_input_metadata(const Args&...) { return 0; }
};
}  // namespace autograd
}  // namespace torch
#endif

#if !__has_include(<torch/csrc/autograd/functions/utils.h>)
namespace torch {
namespace autograd {
template <class Variables, class NodePointer>
void set_history(Variables&&, const NodePointer&) {}
}  // namespace autograd
}  // namespace torch
#endif

#if !__has_include(<torch/csrc/autograd/custom_function.h>)
namespace torch {
namespace autograd {
struct AutogradContext {};
template <class T>
struct Function {
  template <class... Args>
  static auto apply(Args&&... args)
      -> decltype(T::forward(static_cast<AutogradContext*>(nullptr), static_cast<Args&&>(args)...));
};
}  // namespace autograd
}  // namespace torch
#endif

#if !__has_include(<torch/library.h>)
namespace torch {
class Library {
 public:
  template <class... Args>
  Library& def(Args&&...) & { return *this; }
  template <class... Args>
  Library& impl(Args&&...) & { return *this; }
  template <class... Args>
  Library& fallback(Args&&...) & { return *this; }
};
}  // namespace torch
#define MIGRATE_STAND_IN_CONCAT_(a, b) a##b
#define MIGRATE_STAND_IN_CONCAT(a, b) MIGRATE_STAND_IN_CONCAT_(a, b)
#define TORCH_LIBRARY(ns, m) static void TORCH_LIBRARY_init_##ns(torch::Library& m)
#define TORCH_LIBRARY_FRAGMENT(ns, m) \
  static void MIGRATE_STAND_IN_CONCAT(TORCH_LIBRARY_FRAGMENT_init_##ns##_, __COUNTER__)(torch::Library& m)
#define TORCH_LIBRARY_IMPL(ns, k, m) \
  static void MIGRATE_STAND_IN_CONCAT(TORCH_LIBRARY_IMPL_init_##ns##_##k##_, __COUNTER__)(torch::Library& m)
#define TORCH_FN(f) (f)
#endif

#if !__has_include("modes/legacy_guards.h")
namespace ember {
struct AutoNonVariableTypeMode {
  explicit AutoNonVariableTypeMode(bool enabled = true) {}
};
}  // namespace ember
#endif

#if !__has_include("modes/inference_mode.h")
namespace ember {
struct InferenceMode {
  explicit InferenceMode(bool enabled = true) {}
};
}  // namespace ember
#endif

#if !__has_include("modes/kernel_guards.h")
namespace ember {
struct AutoDispatchBelowADInplaceOrView {
  AutoDispatchBelowADInplaceOrView() {}
};
}  // namespace ember
#endif
)";
  return text;
}

const std::string& RealHeadersText() {
  static const std::string text = R"(// Answers a missing include for //migrate (see migrate/missing_headers.h).
#pragma clang system_header
#ifndef MIGRATE_REAL_HEADERS_
#define MIGRATE_REAL_HEADERS_
#if __has_include(<c10/core/InferenceMode.h>)
#include <c10/core/InferenceMode.h>
#endif
#if __has_include(<ATen/core/LegacyTypeDispatch.h>)
#include <ATen/core/LegacyTypeDispatch.h>
#endif
#if __has_include(<torch/csrc/autograd/custom_function.h>)
#include <torch/csrc/autograd/custom_function.h>
#endif
#if __has_include(<torch/csrc/autograd/functions/utils.h>)
#include <torch/csrc/autograd/functions/utils.h>
#endif
#if __has_include(<torch/library.h>)
#include <torch/library.h>
#endif
#if __has_include("modes/legacy_guards.h")
#include "modes/legacy_guards.h"
#endif
#if __has_include("modes/inference_mode.h")
#include "modes/inference_mode.h"
#endif
#if __has_include("modes/kernel_guards.h")
#include "modes/kernel_guards.h"
#endif
#endif
)";
  return text;
}

namespace {

void MapVirtualFile(clang::FileManager& files, clang::SourceManager& sources, const std::string& path,
                    const std::string& text) {
  const clang::FileEntry* entry = files.getVirtualFile(path, static_cast<off_t>(text.size()), 0);
  sources.overrideFileContents(entry, llvm::MemoryBuffer::getMemBuffer(text, path, /*RequiresNullTerminator=*/false));
}

}  // namespace

bool MissingHeaderRecorder::FileNotFound(llvm::StringRef file_name, llvm::SmallVectorImpl<char>& recovery_path) {
  if (!recover_ || file_name.empty() || file_name.startswith("/") || file_name.contains("..")) return false;
  const std::string path = std::string(kMissingDir) + "/" + file_name.str();
  if (!files_.getOptionalFileRef(path)) MapVirtualFile(files_, sources_, path, RealHeadersText());
  recovery_path.assign(kMissingDir, kMissingDir + std::strlen(kMissingDir));
  return true;
}

void MissingHeaderRecorder::InclusionDirective(clang::SourceLocation, const clang::Token&,
                                               llvm::StringRef file_name, bool angled, clang::CharSourceRange,
                                               const clang::FileEntry* file, llvm::StringRef, llvm::StringRef,
                                               const clang::Module*, clang::SrcMgr::CharacteristicKind) {
  if (file && !file->getName().startswith(kMissingDir)) return;
  const std::string spelled = angled ? "<" + file_name.str() + ">" : "\"" + file_name.str() + "\"";
  if (std::find(missing_->begin(), missing_->end(), spelled) == missing_->end()) missing_->push_back(spelled);
}

void ErrorRecorder::HandleDiagnostic(clang::DiagnosticsEngine::Level level, const clang::Diagnostic& info) {
  clang::DiagnosticConsumer::HandleDiagnostic(level, info);
  if (level >= clang::DiagnosticsEngine::Error && info.getLocation().isValid())
    errors_->push_back(info.getLocation());
  target_.HandleDiagnostic(level, info);
}

void InstallStandIns(clang::CompilerInstance& ci, bool tolerate, std::shared_ptr<std::vector<std::string>> missing,
                     std::shared_ptr<std::vector<clang::SourceLocation>> errors) {
  clang::Preprocessor& pp = ci.getPreprocessor();
  pp.addPPCallbacks(
      std::make_unique<MissingHeaderRecorder>(ci.getFileManager(), ci.getSourceManager(), tolerate, missing));
  if (!tolerate) return;
  pp.SetSuppressIncludeNotFoundError(true);  // when even recovery fails (an absolute path)
  MapVirtualFile(ci.getFileManager(), ci.getSourceManager(), kStandInPath, StandInHeader());
  // Predefines are entered with the main file, after this: the stand-ins
  // come after the command line's own -include files.
  pp.setPredefines(pp.getPredefines() + "#include \"" + kStandInPath + "\"\n");
  clang::DiagnosticsEngine& diagnostics = ci.getDiagnostics();
  // Every error must be reported: past the limit Clang goes quiet, and the
  // code after it would look as if it had parsed.
  diagnostics.setErrorLimit(0);
  clang::DiagnosticConsumer& target = *diagnostics.getClient();
  std::unique_ptr<clang::DiagnosticConsumer> owned = diagnostics.takeClient();
  diagnostics.setClient(new ErrorRecorder(target, std::move(owned), std::move(errors)), /*ShouldOwnClient=*/true);
}

bool ReachedThroughStandIn(const clang::SourceManager& sources, clang::SourceLocation loc) {
  loc = sources.getExpansionLoc(loc);
  for (int depth = 0; depth < 256 && loc.isValid(); ++depth) {
    const clang::FileID fid = sources.getFileID(loc);
    const clang::FileEntry* entry = sources.getFileEntryForID(fid);
    if (entry && entry->getName().startswith(kStandInDir)) return true;
    loc = sources.getIncludeLoc(fid);
  }
  return false;
}

std::string JoinHeaders(const std::vector<std::string>& headers) {
  std::string out;
  for (const std::string& header : headers) out += (out.empty() ? "" : ", ") + header;
  return out;
}

std::string WithMissingHeaders(std::string report,
                               const std::map<std::string, std::vector<std::string>>& missing_by_file) {
  if (missing_by_file.empty()) return report;
  const size_t close = report.rfind('}');
  if (close == std::string::npos) return report;
  std::string field = ",\n\"missing_headers\": {";
  bool first = true;
  for (const auto& [file, headers] : missing_by_file) {
    field += std::string(first ? "\n" : ",\n") + "  \"" + JsonEscape(file) + "\": [";
    first = false;
    for (size_t i = 0; i < headers.size(); ++i)
      field += (i ? ", \"" : "\"") + JsonEscape(headers[i]) + "\"";
    field += "]";
  }
  field += "\n}";
  report.insert(close, field);
  return report;
}

}  // namespace migrate
