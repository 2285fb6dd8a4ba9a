#include "migrate/driver.h"

#include <algorithm>
#include <atomic>
#include <memory>

#include "clang/Basic/Diagnostic.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/thread.h"
#include "migrate/flags.h"
#include "migrate/prescan.h"

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

// Clang needs more stack than a thread's default on deep templates.
constexpr unsigned kWorkerStack = 8 << 20;

}  // namespace

clang::tooling::CommandLineArguments AdjustCommand(const clang::tooling::CommandLineArguments& args,
                                                   const std::string& resource_dir,
                                                   std::vector<std::string>* dropped) {
  clang::tooling::CommandLineArguments out = migrate::DropUnknownFlags(args, dropped);
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
  if (rc != 0 || diagnostics.getNumErrors() > 0) {
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
    for (clang::tooling::CompileCommand command : database.getCompileCommands(files[i])) {
      command.CommandLine = AdjustCommand(command.CommandLine, options.resource_dir, &outcomes[i].dropped_flags);
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

  auto parse = [&](size_t i) {
    std::vector<std::string> dropped = std::move(outcomes[i].dropped_flags);
    outcomes[i] = RunTranslationUnit(inputs[i], options);
    outcomes[i].dropped_flags = std::move(dropped);
  };
  const size_t workers = std::min<size_t>(std::max(1u, options.jobs), to_parse.size());
  if (workers <= 1) {
    for (size_t i : to_parse) parse(i);
    return outcomes;
  }
  // Each worker takes the next translation unit; each writes only its own
  // outcome, so the order of the results is the input order.
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t k = next++; k < to_parse.size(); k = next++) parse(to_parse[k]);
  };
  std::vector<std::unique_ptr<llvm::thread>> threads;
  for (size_t w = 0; w < workers; ++w) threads.push_back(std::make_unique<llvm::thread>(llvm::Optional<unsigned>(kWorkerStack), work));
  for (auto& thread : threads) thread->join();
  return outcomes;
}

}  // namespace migrate
