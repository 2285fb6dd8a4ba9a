#include "migrate/driver.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

#include "clang/Basic/Diagnostic.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendActions.h"
#include "clang/Lex/HeaderSearch.h"
#include "clang/Lex/PPCallbacks.h"
#include "clang/Lex/Preprocessor.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Signals.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/thread.h"
#include "migrate/flags.h"
#include "migrate/prescan.h"
#include "migrate/token_tier.h"

namespace migrate {

namespace {

// Collects the first error of a translation unit; warnings are not ours to report.
class FirstError : public clang::DiagnosticConsumer {
 public:
  void HandleDiagnostic(clang::DiagnosticsEngine::Level level, const clang::Diagnostic& info) override {
    clang::DiagnosticConsumer::HandleDiagnostic(level, info);
    if (level < clang::DiagnosticsEngine::Error || !first.empty()) return;
    llvm::SmallString<256> message;
    info.FormatDiagnostic(message);
    if (info.hasSourceManager() && info.getLocation().isValid()) {
      const clang::SourceManager& sm = info.getSourceManager();
      clang::PresumedLoc presumed = sm.getPresumedLoc(sm.getExpansionLoc(info.getLocation()));
      if (presumed.isValid())
        first = std::string(presumed.getFilename()) + ":" + std::to_string(presumed.getLine()) + ": ";
    }
    first += std::string(message.str());
  }
  std::string first;
};

// The commands looked up beforehand: the database is only read on the
// calling thread, whatever kind it is.
class KnownCommands : public clang::tooling::CompilationDatabase {
 public:
  explicit KnownCommands(std::vector<clang::tooling::CompileCommand> commands) : commands_(std::move(commands)) {}
  std::vector<clang::tooling::CompileCommand> getCompileCommands(llvm::StringRef) const override {
    return commands_;
  }

 private:
  std::vector<clang::tooling::CompileCommand> commands_;
};

// --- Shared precompiled headers ---
//
// Parsing the LibTorch headers is most of the cost of every translation unit.
// Translation units built with the same flags that start with the same
// `#include <...>` lines get one precompiled header (PCH) of those lines,
// built once and loaded with -include-pch: the main file's own includes of
// them are then free (every one is #pragma once or include-guarded, which is
// checked), and the AST, hence every decision, is the one a plain parse
// gives. Only installed headers may be in it: the files the tool may edit
// are always parsed from their text.

// Builds the PCH and checks what it holds: every file installed, every
// header named by the shared lines guarded against a second inclusion.
class SharedPchAction : public clang::GeneratePCHAction {
 public:
  explicit SharedPchAction(bool* usable) : usable_(usable) {}

  bool BeginSourceFileAction(clang::CompilerInstance& ci) override {
    ci.getPreprocessor().addPPCallbacks(std::make_unique<Recorder>(ci.getSourceManager(), this));
    return clang::GeneratePCHAction::BeginSourceFileAction(ci);
  }
  void EndSourceFileAction() override {
    clang::HeaderSearch& search = getCompilerInstance().getPreprocessor().getHeaderSearchInfo();
    for (const clang::FileEntry* file : direct_)
      if (!file || !search.isFileMultipleIncludeGuarded(file)) *usable_ = false;
    clang::GeneratePCHAction::EndSourceFileAction();
  }

 private:
  class Recorder : public clang::PPCallbacks {
   public:
    Recorder(const clang::SourceManager& sm, SharedPchAction* action) : sm_(sm), action_(action) {}
    void InclusionDirective(clang::SourceLocation hash, const clang::Token&, llvm::StringRef, bool,
                            clang::CharSourceRange, const clang::FileEntry* file, llvm::StringRef,
                            llvm::StringRef, const clang::Module*, clang::SrcMgr::CharacteristicKind) override {
      if (sm_.isInMainFile(hash)) action_->direct_.push_back(file);
    }
    void FileChanged(clang::SourceLocation loc, FileChangeReason reason, clang::SrcMgr::CharacteristicKind,
                     clang::FileID) override {
      if (reason != EnterFile) return;
      const clang::FileID fid = sm_.getFileID(loc);
      if (fid == sm_.getMainFileID()) return;
      const clang::FileEntry* entry = sm_.getFileEntryForID(fid);
      if (!entry) return;  // <built-in>, <command line>
      llvm::SmallString<256> real;
      if (llvm::sys::fs::real_path(entry->tryGetRealPathName().empty() ? entry->getName() : entry->tryGetRealPathName(),
                                   real) ||
          !IsInstalled(std::string(real.str())))
        *action_->usable_ = false;
    }

   private:
    const clang::SourceManager& sm_;
    SharedPchAction* action_;
  };

  bool* usable_;
  std::vector<const clang::FileEntry*> direct_;
};

bool IsCxxSource(llvm::StringRef path) {
  const llvm::StringRef ext = llvm::sys::path::extension(path);
  return ext == ".cc" || ext == ".cpp" || ext == ".cxx" || ext == ".c++" || ext == ".C";
}

// Whether `arg` names the main file (databases often give it relative to
// the command's directory).
bool IsMainFile(const clang::tooling::CompileCommand& command, const std::string& arg) {
  if (arg == command.Filename) return true;
  auto normal = [&](const std::string& path) {
    llvm::SmallString<256> out(path);
    if (!llvm::sys::path::is_absolute(out)) {
      out = command.Directory;
      llvm::sys::path::append(out, path);
    }
    llvm::sys::path::remove_dots(out, /*remove_dot_dot=*/true);
    return std::string(out.str());
  };
  return normal(arg) == normal(command.Filename);
}

// The command without its main file (the part translation units may share),
// or nothing when the command does things a shared PCH would change: its own
// PCH or forced includes (they would come after the shared lines), a
// language chosen with -x, modules.
std::optional<std::vector<std::string>> SharableFlags(const clang::tooling::CompileCommand& command) {
  if (!IsCxxSource(command.Filename)) return std::nullopt;
  std::vector<std::string> flags;
  const std::vector<std::string>& line = command.CommandLine;
  for (size_t i = 0; i < line.size(); ++i) {
    const llvm::StringRef a(line[i]);
    if (a.startswith("-include") || a.startswith("--include") || a.startswith("-imacros") || a.startswith("-x") ||
        a.startswith("-fmodules") || a.startswith("-fmodule-file") || a.startswith("-working-directory"))
      return std::nullopt;
    if (i > 0 && IsMainFile(command, line[i])) continue;
    // What to produce and where differs per unit and is not parsing.
    if (a == "-c" || a == "-S" || a == "-E" || a == "-fsyntax-only" || a == "-M" || a == "-MM" || a == "-MD" ||
        a == "-MMD" || a == "-MG" || a == "-MP")
      continue;
    if (a == "-o" || a == "-MF" || a == "-MT" || a == "-MQ") {
      ++i;
      continue;
    }
    if (a.startswith("-o") || a.startswith("-MF") || a.startswith("-MT") || a.startswith("-MQ")) continue;
    flags.push_back(line[i]);
  }
  return flags;
}

// One precompiled header shared by a group of translation units.
struct SharedPch {
  enum State { kPending, kReady, kFailed };
  std::vector<std::string> flags;
  std::string directory;
  std::vector<std::string> headers;  // the leading `#include <...>` lines they share
  std::string header_path, pch_path;
  std::atomic<int> state{kPending};
  std::mutex mutex;
  std::condition_variable built;  // notified when `state` leaves kPending

  void Finish(bool ok) {
    {
      std::lock_guard<std::mutex> lock(mutex);
      state.store(ok ? kReady : kFailed, std::memory_order_release);
    }
    built.notify_all();
  }
  int Wait() {
    std::unique_lock<std::mutex> lock(mutex);
    built.wait(lock, [&] { return state.load(std::memory_order_acquire) != kPending; });
    return state.load(std::memory_order_acquire);
  }
};

// Writes `pch` from `includes` with `flags` (a command without main file);
// false if it fails or holds anything but guarded installed headers.
bool BuildSharedPch(const std::vector<std::string>& flags, const std::string& directory,
                    const std::vector<std::string>& includes, const std::string& header, const std::string& pch) {
  {
    std::error_code ec;
    llvm::raw_fd_ostream out(header, ec);
    if (ec) return false;
    for (const std::string& include : includes) out << "#include <" << include << ">\n";
  }
  std::vector<std::string> args = flags;
  args.push_back("-working-directory=" + directory);
  args.insert(args.end(), {"-x", "c++-header", header, "-o", pch});
  bool usable = true;
  llvm::IntrusiveRefCntPtr<clang::FileManager> files(
      new clang::FileManager(clang::FileSystemOptions(), llvm::vfs::createPhysicalFileSystem().release()));
  clang::tooling::ToolInvocation invocation(args, std::make_unique<SharedPchAction>(&usable), files.get(),
                                            std::make_shared<clang::PCHContainerOperations>());
  clang::IgnoringDiagConsumer quiet;
  invocation.setDiagnosticConsumer(&quiet);
  return invocation.run() && usable && llvm::sys::fs::is_regular_file(pch);
}

// Clang needs more stack than a thread's default on deep templates.
constexpr unsigned kWorkerStack = 8 << 20;

}  // namespace

clang::tooling::CommandLineArguments AdjustCommand(const clang::tooling::CommandLineArguments& args,
                                                   const std::string& directory, const std::string& resource_dir,
                                                   CommandChanges* changes) {
  clang::tooling::CommandLineArguments out =
      migrate::BypassForeignPch(migrate::DropUnknownFlags(args, &changes->dropped_flags), directory,
                                &changes->gcc_pch_includes);
  // Warnings are not ours to report, and -Werror must not turn the
  // deprecated guard's uses into parse errors.
  out.push_back("-w");
  out.push_back("-fno-caret-diagnostics");  // and no "N errors generated."
  out.push_back("-Wno-error");
  if (!resource_dir.empty() &&
      std::none_of(out.begin(), out.end(), [](const std::string& a) { return a.rfind("-resource-dir", 0) == 0; }))
    out.push_back("-resource-dir=" + resource_dir);
  return out;
}

TuOutcome RunTranslationUnit(const TuInput& input, const DriverOptions& options) {
  TuOutcome outcome;
  outcome.file = input.file;
  if (input.commands.empty()) {
    outcome.status = TuOutcome::kNoCommand;
    return outcome;
  }
  std::vector<clang::tooling::CompileCommand> commands = input.commands;
  for (clang::tooling::CompileCommand& command : commands) {
    // Relative paths resolve against the command's directory in the parse's
    // own file system (below), never through the process's working directory,
    // which workers share; file names Clang reports are then absolute.
    if (std::none_of(command.CommandLine.begin(), command.CommandLine.end(),
                     [](const std::string& a) { return a.rfind("-working-directory", 0) == 0; }))
      command.CommandLine.push_back("-working-directory=" + command.Directory);
    // Extra arguments for this translation unit go here.
  }
  KnownCommands database(std::move(commands));
  clang::tooling::ClangTool tool(database, {input.file}, std::make_shared<clang::PCHContainerOperations>(),
                                 llvm::vfs::createPhysicalFileSystem().release());
  for (const auto& [path, content] : input.virtual_files) tool.mapVirtualFile(path, content);
  FirstError diagnostics;
  tool.setDiagnosticConsumer(&diagnostics);
  tool.setPrintErrorMessage(false);  // the caller prints one line
  const int rc = tool.run(NewFindSitesFactory(options.find, &outcome.results).get());
  for (const TuResult& result : outcome.results)
    for (const std::string& header : result.missing_headers)
      if (std::find(outcome.missing_headers.begin(), outcome.missing_headers.end(), header) ==
          outcome.missing_headers.end())
        outcome.missing_headers.push_back(header);
  // With headers missing, errors are expected; the finder has kept only the
  // sites whose own code parsed, and the token tier decides the rest.
  const bool tolerated = !outcome.missing_headers.empty() && options.find.tolerate_missing_headers &&
                         !outcome.results.empty() &&
                         std::none_of(outcome.results.begin(), outcome.results.end(),
                                      [](const TuResult& result) { return result.failed; });
  if (!tolerated && (rc != 0 || diagnostics.getNumErrors() > 0)) {
    outcome.results.clear();
    outcome.status = TuOutcome::kFailed;
    outcome.error = diagnostics.first.empty() ? "the compiler failed" : diagnostics.first;
  }
  return outcome;
}

std::vector<TuOutcome> RunTranslationUnits(const std::vector<std::string>& files,
                                           const clang::tooling::CompilationDatabase& database,
                                           const DriverOptions& options) {
  std::vector<TuOutcome> outcomes(files.size());
  std::vector<TuInput> inputs(files.size());
  std::vector<size_t> to_parse;
  Prescanner prescanner;
  for (size_t i = 0; i < files.size(); ++i) {
    inputs[i].file = outcomes[i].file = files[i];
    if (std::string why = TokenTierOnly(files[i]); !why.empty()) {
      outcomes[i].status = TuOutcome::kTokensOnly;
      outcomes[i].error = std::move(why);
      continue;
    }
    for (clang::tooling::CompileCommand command : database.getCompileCommands(files[i])) {
      command.CommandLine =
          AdjustCommand(command.CommandLine, command.Directory, options.resource_dir, &outcomes[i].command_changes);
      inputs[i].commands.push_back(std::move(command));
    }
    if (inputs[i].commands.empty()) {
      outcomes[i].status = TuOutcome::kNoCommand;
      continue;
    }
    if (options.prescan &&
        std::none_of(inputs[i].commands.begin(), inputs[i].commands.end(),
                     [&](const clang::tooling::CompileCommand& c) { return prescanner.MayReachGuard(c); })) {
      outcomes[i].status = TuOutcome::kSkipped;
      continue;
    }
    to_parse.push_back(i);
  }

  // Shared PCHs: translation units with the same flags and the same first
  // include share the longest run of leading includes they all start with.
  llvm::SmallString<256> pch_dir;
  std::vector<std::unique_ptr<SharedPch>> pchs;
  std::vector<int> pch_of(files.size(), -1);  // index into pchs
  if (options.shared_preamble && to_parse.size() >= 2 &&
      !llvm::sys::fs::createUniqueDirectory("migrate-preamble", pch_dir)) {
    std::map<std::string, std::vector<size_t>> groups;  // flags + first include -> inputs
    std::map<size_t, std::vector<std::string>> leading, sharable;
    for (size_t i : to_parse) {
      if (inputs[i].commands.size() != 1) continue;
      const clang::tooling::CompileCommand& command = inputs[i].commands.front();
      std::optional<std::vector<std::string>> flags = SharableFlags(command);
      auto text = llvm::MemoryBuffer::getFile(inputs[i].file);
      if (!flags || !text) continue;
      std::vector<std::string> includes = LeadingAngledIncludes((*text)->getBuffer().str());
      if (includes.empty()) continue;
      std::string key = command.Directory;
      for (const std::string& flag : *flags) key += '\0' + flag;
      key += '\n' + includes.front();
      groups[key].push_back(i);
      leading[i] = std::move(includes);
      sharable[i] = std::move(*flags);
    }
    for (const auto& [key, members] : groups) {
      if (members.size() < 2) continue;
      std::vector<std::string> shared = leading[members.front()];
      for (size_t i : members) {
        const std::vector<std::string>& own = leading[i];
        size_t n = 0;
        while (n < shared.size() && n < own.size() && shared[n] == own[n]) ++n;
        shared.resize(n);
      }
      auto pch = std::make_unique<SharedPch>();
      const std::string stem = std::string(pch_dir.str()) + "/shared" + std::to_string(pchs.size());
      pch->flags = sharable[members.front()];
      pch->directory = inputs[members.front()].commands.front().Directory;
      pch->headers = std::move(shared);
      pch->header_path = stem + ".h";
      pch->pch_path = stem + ".pch";
      for (size_t i : members) pch_of[i] = static_cast<int>(pchs.size());
      pchs.push_back(std::move(pch));
    }
  }

  auto build = [&](size_t g) {
    SharedPch& pch = *pchs[g];
    pch.Finish(BuildSharedPch(pch.flags, pch.directory, pch.headers, pch.header_path, pch.pch_path));
  };
  // `parsed_alone[g]`: this worker has already parsed a unit of group g
  // without its header, because another worker was still building it.
  auto parse = [&](size_t i, std::vector<bool>& parsed_alone) {
    CommandChanges changes = std::move(outcomes[i].command_changes);
    const int g = pch_of[i];
    int state = g >= 0 ? pchs[g]->state.load(std::memory_order_acquire) : SharedPch::kFailed;
    // Building a header costs about what parsing one unit alone costs (both
    // parse the shared headers once), so a worker that finds the header
    // still being built parses one unit alone meanwhile, and then waits for
    // the header instead of parsing a second unit at full cost.
    if (state == SharedPch::kPending) {
      if (parsed_alone[g]) {
        state = pchs[g]->Wait();
      } else {
        parsed_alone[g] = true;
      }
    }
    const bool with_pch = state == SharedPch::kReady;
    if (with_pch) {
      TuInput shared = inputs[i];
      shared.commands.front().CommandLine.insert(shared.commands.front().CommandLine.end(),
                                                 {"-include-pch", pchs[g]->pch_path});
      outcomes[i] = RunTranslationUnit(shared, options);
    }
    // Without a ready shared header (still being built by another worker, or
    // failed), and after a failure with it, so that a failure is reported as
    // a plain parse reports it: the unit alone. The output is the same.
    if (!with_pch || outcomes[i].status == TuOutcome::kFailed) outcomes[i] = RunTranslationUnit(inputs[i], options);
    outcomes[i].command_changes = std::move(changes);
  };
  // The shared headers are built first, as tasks of the same workers: with
  // one worker every unit of a group uses its header; with more, the others
  // parse units alone meanwhile (see `parse`).
  const size_t tasks = pchs.size() + to_parse.size();
  auto run = [&](size_t k, std::vector<bool>& parsed_alone) {
    if (k < pchs.size()) build(k);
    else parse(to_parse[k - pchs.size()], parsed_alone);
  };
  const size_t workers = std::min<size_t>(std::max(1u, options.jobs), tasks);
  if (workers > 1) {
    // LLVM installs its signal handlers, with an alternate signal stack for
    // the thread that installs them, the first time a file is registered for
    // removal on a signal (writing a PCH does). Installed by a worker, that
    // stack would outlive the thread (AddressSanitizer then fails to unmap
    // its own); install them once here, on the calling thread.
    static const bool installed = [] {
      llvm::sys::AddSignalHandler([](void*) {}, nullptr);
      return true;
    }();
    (void)installed;
  }
  if (workers <= 1) {
    std::vector<bool> parsed_alone(pchs.size());
    for (size_t k = 0; k < tasks; ++k) run(k, parsed_alone);
  } else {
    // Each worker takes the next task; each writes only its own outcome, so
    // the order of the results is the input order. A worker waits only for a
    // header that another worker took before it (builds are the first
    // tasks), so waiting cannot deadlock.
    std::atomic<size_t> next{0};
    auto work = [&] {
      std::vector<bool> parsed_alone(pchs.size());
      for (size_t k = next++; k < tasks; k = next++) run(k, parsed_alone);
    };
    std::vector<std::unique_ptr<llvm::thread>> threads;
    for (size_t w = 0; w < workers; ++w)
      threads.push_back(std::make_unique<llvm::thread>(llvm::Optional<unsigned>(kWorkerStack), work));
    for (auto& thread : threads) thread->join();
  }
  if (!pch_dir.empty()) {
    // The shared headers are the tool's, not the project's.
    const std::string prefix = std::string(pch_dir.str()) + "/";
    for (TuOutcome& outcome : outcomes)
      for (TuResult& result : outcome.results) {
        for (auto it = result.touched.begin(); it != result.touched.end();)
          it = it->rfind(prefix, 0) == 0 ? result.touched.erase(it) : std::next(it);
        for (auto it = result.contents.begin(); it != result.contents.end();)
          it = it->first.rfind(prefix, 0) == 0 ? result.contents.erase(it) : std::next(it);
      }
    llvm::sys::fs::remove_directories(pch_dir);
  }
  return outcomes;
}

}  // namespace migrate

#if defined(__SANITIZE_THREAD__)
// ThreadSanitizer sees Debian's uninstrumented LLVM and Clang only through
// the calls it intercepts (memcmp, malloc, mutexes), not through their
// atomics: what they publish lazily with one (ManagedStatic, statistics)
// looks like a race between two parses. Our own code stays checked.
extern "C" const char* __tsan_default_suppressions() {
  return "called_from_lib:libLLVM-14.so.1\ncalled_from_lib:libclang-cpp.so.14\n";
}
#endif
