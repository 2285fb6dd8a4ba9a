#include "migrate/pipeline.h"

#include <algorithm>
#include <memory>
#include <utility>

#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/FileManager.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "migrate/sites.h"
#include "migrate/token_tier.h"

namespace migrate {

Found FindInMemory(const InMemoryTu& tu) {
  Found found;
  found.path = tu.path;
  found.text = tu.text;

  // Only these files exist for the compiler: an input that includes
  // /dev/zero or a real header sees nothing.
  auto memory = llvm::makeIntrusiveRefCnt<llvm::vfs::InMemoryFileSystem>();
  memory->setCurrentWorkingDirectory("/");
  memory->addFile(tu.path, 0, llvm::MemoryBuffer::getMemBufferCopy(tu.text, tu.path));
  for (const auto& [path, content] : tu.files)
    memory->addFile(path, 0, llvm::MemoryBuffer::getMemBufferCopy(content, path));
  auto files = llvm::makeIntrusiveRefCnt<clang::FileManager>(clang::FileSystemOptions(), memory);

  std::vector<std::string> command = {"clang++"};
  command.insert(command.end(), tu.args.begin(), tu.args.end());
  command.push_back("-fsyntax-only");
  command.push_back(tu.path);

  FindOptions options;
  const std::string main_path = tu.path;
  options.editable = [main_path](const std::string& path) { return path == main_path; };
  std::vector<TuResult> results;
  std::unique_ptr<clang::tooling::FrontendActionFactory> factory = NewFindSitesFactory(options, &results);
  clang::tooling::ToolInvocation invocation(command, factory->create(), files.get(),
                                            std::make_shared<clang::PCHContainerOperations>());
  // Errors are expected (most inputs are not C++); the finder itself skips a
  // translation unit that had any.
  clang::IgnoringDiagConsumer quiet;
  invocation.setDiagnosticConsumer(&quiet);
  found.parsed = invocation.run() && !results.empty();

  std::vector<Site> ast_sites;
  for (TuResult& result : results) {
    for (Site& site : result.sites) ast_sites.push_back(std::move(site));
    found.contents.insert(result.contents.begin(), result.contents.end());
  }
  found.sites = MergeSites(std::move(ast_sites));

  // The token tier decides the code occurrences no AST site covers.
  std::vector<unsigned> uncovered;
  for (const Occurrence& occurrence : ScanOccurrences(tu.path, tu.path, tu.text)) {
    if (occurrence.cls == OccurrenceClass::kNotCode) continue;
    if (std::none_of(found.sites.begin(), found.sites.end(), [&](const Site& site) {
          return site.span.file == tu.path && site.span.offset <= occurrence.offset &&
                 occurrence.offset < site.span.offset + site.span.length;
        }))
      uncovered.push_back(occurrence.offset);
  }
  if (!uncovered.empty()) {
    found.contents.emplace(tu.path, tu.text);
    for (Site& site : TokenSites(tu.path, tu.path, tu.text, uncovered)) found.sites.push_back(std::move(site));
  }
  return found;
}

Outcome DecideInMemory(const Found& found, const DecideOptions& options) {
  Outcome outcome;
  outcome.sites = found.sites;
  Decide(options, outcome.sites);
  outcome.plan = PlanEdits(outcome.sites, found.contents);
  outcome.occurrences = ScanOccurrences(found.path, found.path, found.text);
  std::map<std::string, std::string> unparsed;
  if (!found.parsed) unparsed[found.path] = "the file failed to parse";
  Classify(outcome.occurrences, outcome.sites, outcome.plan, unparsed);
  return outcome;
}

}  // namespace migrate
