// migrate: rewrites every use of the deprecated AutoNonVariableTypeMode guard
// into InferenceMode (user inference code) or AutoDispatchBelowADInplaceOrView
// (custom autograd kernels), one explained decision per use. See README.md.
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "clang/Tooling/CompilationDatabase.h"
#include "clang/Tooling/JSONCompilationDatabase.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "migrate/decide.h"
#include "migrate/driver.h"
#include "migrate/edits.h"
#include "migrate/flags.h"
#include "migrate/prescan.h"
#include "migrate/missing_headers.h"
#include "migrate/occurrences.h"
#include "migrate/report.h"
#include "migrate/sites.h"
#include "migrate/token_tier.h"
#include "re2/re2.h"

namespace {

namespace cl = llvm::cl;

// Exit codes, documented in --help.
constexpr int kDone = 0;
constexpr int kManualRemains = 1;
constexpr int kUsageError = 2;
constexpr int kParseError = 3;

cl::OptionCategory category("migrate options");

cl::list<std::string> sources(cl::Positional, cl::desc("<source files>"), cl::cat(category));
cl::opt<std::string> build_path(
    "p", cl::desc("Build directory holding compile_commands.json (or the file itself).\n"
                  "  e.g. -p build/"),
    cl::value_desc("build dir"), cl::cat(category));
cl::opt<bool> in_place("in-place",
                       cl::desc("Write the edits into the files (atomically) instead of printing "
                                "a diff.\n  e.g. --in-place $(git ls-files '*.cpp')"),
                       cl::cat(category));
cl::opt<bool> check("check",
                    cl::desc("Write nothing; exit 1 if any file would change (for CI).\n"
                             "  e.g. migrate -p build --check src/*.cpp"),
                    cl::cat(category));
cl::opt<std::string> export_fixes(
    "export-fixes",
    cl::desc("Also write the edits as YAML for clang-apply-replacements.\n"
             "  e.g. --export-fixes=fixes.yaml; clang-apply-replacements-14 ."),
    cl::value_desc("file"), cl::cat(category));
cl::opt<std::string> report_path(
    "report",
    cl::desc("Also write a JSON report: file, line, column, old, new, decision, reason, "
             "redundant; sorted by file, line, column.\n  e.g. --report=report.json"),
    cl::value_desc("file"), cl::cat(category));
cl::opt<std::string> header_filter(
    "header-filter",
    cl::desc("re2 regex: headers whose real path matches may be edited (default: every "
             "non-system file reached).\n  e.g. --header-filter='/src/'"),
    cl::value_desc("regex"), cl::cat(category));
cl::opt<std::string> exclude(
    "exclude",
    cl::desc("re2 regex: files whose real path matches are never edited, main files "
             "included.\n  e.g. --exclude='third_party/'"),
    cl::value_desc("regex"), cl::cat(category));
cl::opt<std::string> assume(
    "assume",
    cl::desc("Rewrite MANUAL sites as if they were kernel or inference code.\n"
             "  e.g. --assume=inference"),
    cl::value_desc("inference|kernel"), cl::cat(category));
cl::opt<std::string> kernel_guard(
    "kernel-guard",
    cl::desc("In a custom Function's forward the guard is redundant: 'replace' (default) "
             "writes AutoDispatchBelowADInplaceOrView, 'remove' deletes the declaration.\n"
             "  e.g. --kernel-guard=remove"),
    cl::value_desc("replace|remove"), cl::init("replace"), cl::cat(category));
cl::opt<bool> no_prescan(
    "no-prescan",
    cl::desc("Parse every translation unit, even those whose files (main file, project headers, "
             "-D flags) cannot spell the guard.\n  e.g. --no-prescan"),
    cl::cat(category));
cl::opt<bool> no_shared_preamble(
    "no-shared-preamble",
    cl::desc("Parse each translation unit's headers itself (default: units with the same flags that "
             "start with the same #include <...> lines share one precompiled header of them; the "
             "output does not depend on it).\n  e.g. --no-shared-preamble"),
    cl::cat(category));
cl::opt<std::string> jobs(
    "j", cl::Prefix,
    cl::desc("Parse this many translation units in parallel (default: the number of cores); "
             "the output does not depend on it.\n  e.g. -j 4"),
    cl::value_desc("N"), cl::cat(category));
cl::opt<bool> strict("strict",
                     cl::desc("A file with an include that cannot be found fails to parse (its uses are "
                              "decided from tokens) instead of being parsed with stand-ins.\n"
                              "  e.g. --strict"),
                     cl::cat(category));

cl::extrahelp more_help(R"(
Usage: migrate [options] <files...> [-- <compile flags>]

Finds every use of at::AutoNonVariableTypeMode (and ember::AutoNonVariableTypeMode)
by type and decides, with a reason, per spelling:
  KERNEL     inside a custom autograd kernel -> at::AutoDispatchBelowADInplaceOrView
  INFERENCE  user code                       -> c10::InferenceMode (flag kept)
  MANUAL     `false`, a runtime flag in a kernel, an alias/macro/header used in
             both contexts: reported, not rewritten (see --assume)
A `// NOLINT(migrate)` comment on the line leaves a use alone.

Default: dry run; a unified diff on stdout, one line per site on stderr.

Examples:
  migrate -p build src/ops/roi_align.cpp src/app/predict.cpp
  migrate -p build --in-place $(git ls-files '*.cpp')
  migrate --export-fixes=fixes.yaml --report=report.json file.cc -- -std=c++17 -Iinclude

Exit codes:
  0  done (nothing left to review)
  1  MANUAL sites remain, or --check and something would change
  2  usage error or compile-database error
  3  a file failed to parse or could not be written (other files were still processed)
)");

std::string ResourceDir() {
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it("/usr/lib/llvm-14/lib/clang", ec), end; !ec && it != end;
       it.increment(ec))
    return it->path();
  return "";
}

std::string RealPath(const std::string& path) {
  llvm::SmallString<256> real;
  if (llvm::sys::fs::real_path(path, real)) return path;
  return std::string(real.str());
}

// One line on stderr, whatever the message the libraries produced.
int Fail(std::string message) {
  std::string line;
  for (llvm::StringRef part : llvm::split(llvm::StringRef(message).trim(), '\n')) {
    part = part.trim();
    part.consume_front("migrate: ");
    if (part.empty()) continue;
    line += (line.empty() ? "" : "; ") + part.str();
  }
  std::cerr << "migrate: error: " << line << "\n";
  return kUsageError;
}

std::unique_ptr<clang::tooling::CompilationDatabase> LoadDatabase(
    std::unique_ptr<clang::tooling::CompilationDatabase> fixed, const std::string& first_source,
    std::string& error) {
  if (fixed) return fixed;
  if (!build_path.empty()) {
    if (llvm::sys::fs::is_regular_file(build_path))
      return clang::tooling::JSONCompilationDatabase::loadFromFile(
          build_path, error, clang::tooling::JSONCommandLineSyntax::AutoDetect);
    return clang::tooling::CompilationDatabase::loadFromDirectory(build_path, error);
  }
  auto detected = clang::tooling::CompilationDatabase::autoDetectFromSource(first_source, error);
  if (!detected)
    error = "no compilation database: pass -p <build dir> or compile flags after `--` (" + error + ")";
  return detected;
}

}  // namespace

int main(int argc, const char** argv) {
  // Under `bazel run`, relative paths are the user's, not the runfiles'.
  if (const char* dir = std::getenv("BUILD_WORKING_DIRECTORY"); dir && *dir) {
    if (::chdir(dir) != 0) return Fail(std::string("cannot enter ") + dir);
  }
  cl::HideUnrelatedOptions(category);
  // Flags after `--` may have been written for GCC: drop what Clang does not
  // know before the driver sees them, and say so.
  std::vector<std::string> fixed_args;
  std::vector<const char*> args(argv, argv + argc);
  if (auto dashes = std::find_if(args.begin(), args.end(), [](const char* a) { return llvm::StringRef(a) == "--"; });
      dashes != args.end()) {
    std::vector<std::string> command = {"clang++"};
    command.insert(command.end(), dashes + 1, args.end());
    std::vector<std::string> dropped;
    fixed_args = migrate::DropUnknownFlags(command, &dropped);
    for (const std::string& flag : dropped)
      std::cerr << "migrate: note: dropped " << flag << " (Clang 14 does not know it) from the flags after --\n";
    args.erase(dashes + 1, args.end());
    for (size_t i = 1; i < fixed_args.size(); ++i) args.push_back(fixed_args[i].c_str());
  }
  argc = static_cast<int>(args.size());
  argv = args.data();
  std::string fixed_error;
  std::unique_ptr<clang::tooling::CompilationDatabase> fixed =
      clang::tooling::FixedCompilationDatabase::loadFromCommandLine(argc, argv, fixed_error);
  if (!fixed_error.empty()) return Fail(fixed_error);
  std::string parse_errors;
  llvm::raw_string_ostream parse_stream(parse_errors);
  if (!cl::ParseCommandLineOptions(argc, argv, "migrate: retire AutoNonVariableTypeMode\n",
                                   &parse_stream)) {
    return Fail(parse_stream.str() + "\n(see --help)");
  }
  if (sources.empty()) return Fail("no source files given (see --help)");
  migrate::DecideOptions decide_options;
  if (assume == "inference") decide_options.assume = migrate::Context::kInference;
  else if (assume == "kernel") decide_options.assume = migrate::Context::kKernel;
  else if (!assume.empty()) return Fail("--assume must be 'inference' or 'kernel', not '" + assume + "'");
  if (kernel_guard == "remove") decide_options.remove_redundant_kernel_guard = true;
  else if (kernel_guard != "replace")
    return Fail("--kernel-guard must be 'replace' or 'remove', not '" + kernel_guard + "'");
  if (in_place && check) return Fail("--in-place and --check exclude each other");
  unsigned job_count = std::max(1u, std::thread::hardware_concurrency());
  if (jobs.getNumOccurrences() > 0) {
    unsigned long long parsed = 0;
    if (llvm::StringRef(jobs).getAsInteger(10, parsed) || parsed == 0 || parsed > 1024)
      return Fail("-j must be a number of parallel jobs from 1 to 1024, not '" + jobs + "'");
    job_count = static_cast<unsigned>(parsed);
  }
  std::unique_ptr<re2::RE2> header_re, exclude_re;
  if (!header_filter.empty()) {
    header_re = std::make_unique<re2::RE2>(header_filter, re2::RE2::Quiet);
    if (!header_re->ok()) return Fail("--header-filter: " + header_re->error());
  }
  if (!exclude.empty()) {
    exclude_re = std::make_unique<re2::RE2>(exclude, re2::RE2::Quiet);
    if (!exclude_re->ok()) return Fail("--exclude: " + exclude_re->error());
  }

  std::vector<std::string> files;
  std::set<std::string> main_files;
  for (const std::string& source : sources) {
    llvm::SmallString<256> absolute(source);
    llvm::sys::fs::make_absolute(absolute);
    llvm::sys::path::remove_dots(absolute, /*remove_dot_dot=*/true);
    if (!llvm::sys::fs::is_regular_file(absolute)) return Fail("no such file: " + source);
    files.push_back(std::string(absolute.str()));
    main_files.insert(RealPath(files.back()));
  }
  std::string db_error;
  std::unique_ptr<clang::tooling::CompilationDatabase> database =
      LoadDatabase(std::move(fixed), files.front(), db_error);
  if (!database) return Fail("cannot load the compilation database: " + db_error);

  llvm::SmallString<256> cwd;
  llvm::sys::fs::current_path(cwd);
  const std::string cwd_real = RealPath(std::string(cwd.str())) + "/";
  migrate::FindOptions find_options;
  find_options.display = [cwd_real](const std::string& path) {
    return path.rfind(cwd_real, 0) == 0 ? path.substr(cwd_real.size()) : path;
  };
  find_options.tolerate_missing_headers = !strict;
  find_options.editable = [&](const std::string& path) {
    if (migrate::IsInstalled(path)) return false;
    if (exclude_re && re2::RE2::PartialMatch(path, *exclude_re)) return false;
    if (main_files.count(path)) return true;
    return !header_re || re2::RE2::PartialMatch(path, *header_re);
  };

  migrate::DriverOptions driver_options;
  driver_options.find = find_options;
  driver_options.resource_dir = ResourceDir();
  driver_options.prescan = !no_prescan;
  driver_options.jobs = job_count;
  driver_options.shared_preamble = !no_shared_preamble;
  std::vector<migrate::TuOutcome> outcomes = migrate::RunTranslationUnits(files, *database, driver_options);

  // Messages in input order, whatever the number of workers.
  std::vector<migrate::TuResult> results;
  std::map<std::string, std::string> unparsed;  // real path -> why the AST never saw it
  std::map<std::string, std::vector<std::string>> missing_by_file;  // display path -> missing includes
  std::set<std::string> noted;
  int status = kDone;
  size_t skipped = 0;
  for (migrate::TuOutcome& outcome : outcomes) {
    const std::string display = find_options.display(outcome.file);
    for (const std::string& flag : outcome.command_changes.dropped_flags)
      if (noted.insert(flag).second)
        std::cerr << "migrate: note: dropped " << flag << " (Clang 14 does not know it) from the command of "
                  << display << "\n";
    for (const std::string& header : outcome.command_changes.gcc_pch_includes)
      if (noted.insert("-include " + header).second)
        std::cerr << "migrate: note: " << display << ": -include " << header
                  << " is parsed from its text (a precompiled header next to it is GCC's, which Clang cannot read)\n";
    if (!outcome.missing_headers.empty())
      missing_by_file[find_options.display(RealPath(outcome.file))] = outcome.missing_headers;
    switch (outcome.status) {
      case migrate::TuOutcome::kParsed:
        if (!outcome.missing_headers.empty())
          std::cerr << "migrate: note: " << display << ": parsed without "
                    << migrate::JoinHeaders(outcome.missing_headers)
                    << " (not found here: stand-ins declared; what did not parse is decided from tokens)\n";
        for (migrate::TuResult& result : outcome.results) results.push_back(std::move(result));
        break;
      case migrate::TuOutcome::kSkipped:
        ++skipped;
        break;
      case migrate::TuOutcome::kTokensOnly:
        std::cerr << "migrate: note: " << display << ": " << outcome.error << "; decided from tokens\n";
        unparsed[RealPath(outcome.file)] = outcome.error;
        break;
      case migrate::TuOutcome::kNoCommand:
        std::cerr << "migrate: error: " << display << ": no compile command in the compilation database; skipped\n";
        unparsed[RealPath(outcome.file)] = "no compile command for the file";
        status = kParseError;
        break;
      case migrate::TuOutcome::kFailed:
        std::cerr << "migrate: error: " << display << " failed to parse (its occurrences are decided from tokens): "
                  << outcome.error << "\n";
        unparsed[RealPath(outcome.file)] = outcome.missing_headers.empty()
                                               ? "the file failed to parse"
                                               : "a header is missing: " + migrate::JoinHeaders(outcome.missing_headers);
        status = kParseError;
        break;
    }
  }
  if (!no_prescan)
    std::cerr << "migrate: pre-scan skipped " << skipped << " of " << files.size()
              << " translation unit(s) (no legacy guard spelling reachable)\n";

  std::vector<migrate::Site> all;
  std::map<std::string, std::string> contents;
  std::set<std::string> touched(main_files.begin(), main_files.end());
  for (migrate::TuResult& result : results) {
    touched.insert(result.touched.begin(), result.touched.end());
    for (migrate::Site& site : result.sites) all.push_back(std::move(site));
    contents.insert(result.contents.begin(), result.contents.end());
  }
  std::vector<migrate::Site> sites = migrate::MergeSites(std::move(all));

  // The accounting: every textual occurrence in every touched file, classified.
  std::vector<migrate::Occurrence> occurrences;
  std::vector<migrate::Site> token_sites;
  for (const std::string& path : touched) {
    if (!find_options.editable(path)) continue;
    std::string text;
    if (auto known = contents.find(path); known != contents.end()) {
      text = known->second;
    } else {
      std::ifstream in(path, std::ios::binary);
      text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    // The token tier decides the code occurrences no AST site covers.
    std::vector<unsigned> uncovered;
    for (const migrate::Occurrence& occurrence : migrate::ScanOccurrences(path, "", text)) {
      if (occurrence.cls == migrate::OccurrenceClass::kNotCode) continue;
      if (std::none_of(sites.begin(), sites.end(), [&](const migrate::Site& site) {
            return site.span.file == path && site.span.offset <= occurrence.offset &&
                   occurrence.offset < site.span.offset + site.span.length;
          }))
        uncovered.push_back(occurrence.offset);
    }
    if (!uncovered.empty()) {
      contents.emplace(path, text);
      for (migrate::Site& site : migrate::TokenSites(path, find_options.display(path), text, uncovered))
        token_sites.push_back(std::move(site));
    }
    for (migrate::Occurrence& occurrence : migrate::ScanOccurrences(path, find_options.display(path), text))
      occurrences.push_back(std::move(occurrence));
  }
  for (migrate::Site& site : token_sites) sites.push_back(std::move(site));
  migrate::Decide(decide_options, sites);
  migrate::EditPlan plan = migrate::PlanEdits(sites, contents);

  std::vector<const migrate::Site*> ordered;
  for (const migrate::Site& site : sites) ordered.push_back(&site);
  std::stable_sort(ordered.begin(), ordered.end(), [](const migrate::Site* a, const migrate::Site* b) {
    return std::tie(a->display, a->line, a->column) < std::tie(b->display, b->line, b->column);
  });
  std::map<migrate::Decision, int> counts;
  for (const migrate::Site* site : ordered) {
    std::cerr << migrate::SummaryLine(*site) << "\n";
    ++counts[site->decision];
  }

  migrate::Classify(occurrences, sites, plan, unparsed);
  for (const migrate::Occurrence& occurrence : occurrences)
    if (occurrence.cls == migrate::OccurrenceClass::kManual && !occurrence.has_site)
      std::cerr << migrate::OccurrenceLine(occurrence) << "\n";
  const int manual_occurrences = migrate::CountOccurrences(occurrences)[migrate::OccurrenceClass::kManual];

  std::vector<const migrate::FileEdit*> edits;
  for (const auto& [path, edit] : plan.files) edits.push_back(&edit);
  std::sort(edits.begin(), edits.end(),
            [](const migrate::FileEdit* a, const migrate::FileEdit* b) { return a->display < b->display; });
  if (!in_place && !check)
    for (const migrate::FileEdit* edit : edits) std::cout << migrate::UnifiedDiff(*edit);
  std::cout.flush();

  std::string edited;
  for (const migrate::FileEdit* edit : edits) {
    if (in_place) {
      const std::string error = migrate::WriteAtomically(edit->path, edit->original, edit->updated);
      if (!error.empty()) {
        std::cerr << "migrate: error: " << error << "\n";
        status = kParseError;
        continue;
      }
    }
    edited += (edited.empty() ? "" : ", ") + edit->display;
  }

  if (!export_fixes.empty()) {
    std::ofstream out(export_fixes, std::ios::binary);
    out << migrate::ExportFixesYaml(files.front(), plan);
    if (!out) return Fail("cannot write " + export_fixes);
  }
  if (!report_path.empty()) {
    std::ofstream out(report_path, std::ios::binary);
    out << migrate::WithMissingHeaders(migrate::ReportWithAccounting(migrate::ReportJson(sites), occurrences),
                                       missing_by_file);
    if (!out) return Fail("cannot write " + report_path);
  }

  std::cerr << "migrate: " << sites.size() << " site(s): " << counts[migrate::Decision::kKernel]
            << " kernel, " << counts[migrate::Decision::kInference] << " inference, "
            << counts[migrate::Decision::kRemove] << " removed, " << counts[migrate::Decision::kManual]
            << " manual, " << counts[migrate::Decision::kSuppressed] << " suppressed; "
            << (in_place ? "edited: " : "would edit: ") << (edited.empty() ? "nothing" : edited) << "\n";
  std::cerr << "migrate: " << migrate::OccurrenceCounts(occurrences) << "\n";
  if (status != kDone) return status;
  if (check && !edits.empty()) return kManualRemains;
  if (counts[migrate::Decision::kManual] > 0 || manual_occurrences > 0) return kManualRemains;
  return kDone;
}
