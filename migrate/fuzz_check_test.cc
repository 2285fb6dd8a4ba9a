// The fuzz target's check, in every CI config: over the seed corpus (which
// must reach every stage, or the fuzzer starts blind), and on hand-made
// plans that break the rule (or the check would accept anything).
#include "migrate/fuzz_check.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "clang/Tooling/Core/Replacement.h"
#include "gtest/gtest.h"
#include "llvm/Support/Error.h"

namespace migrate {
namespace {

constexpr char kCorpus[] = "migrate/fuzz_corpus";

std::vector<std::string> CorpusFiles() {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(kCorpus))
    if (entry.is_regular_file()) files.push_back(entry.path().string());
  std::sort(files.begin(), files.end());
  return files;
}

std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

class SeedTest : public testing::TestWithParam<std::string> {};

TEST_P(SeedTest, EveryEditStaysInsideAGuardDeclarationOrAddsAnInclude) {
  const std::string bytes = Read(GetParam());
  ASSERT_FALSE(bytes.empty()) << GetParam();
  EXPECT_EQ(CheckOneInput(bytes), "");
}

INSTANTIATE_TEST_SUITE_P(FuzzCorpus, SeedTest, testing::ValuesIn(CorpusFiles()),
                         [](const testing::TestParamInfo<std::string>& info) {
                           std::string name = std::filesystem::path(info.param).stem().string();
                           std::replace_if(name.begin(), name.end(), [](char c) { return !std::isalnum(c); }, '_');
                           return name;
                         });

TEST(FuzzCorpus, ReachesTheAstTierTheTokenTierAndEveryKindOfEdit) {
  int ast_sites = 0, token_sites = 0, renamed = 0, dropped_args = 0, removed = 0, includes = 0;
  DecideOptions remove;
  remove.remove_redundant_kernel_guard = true;
  for (const std::string& file : CorpusFiles()) {
    const Found found = FindInMemory(FuzzTu(Read(file)));
    for (const Site& site : found.sites) {
      // Every use the token tier makes says so first.
      const bool from_tokens = !site.uses.empty() && site.uses[0].reason.rfind("from tokens: ", 0) == 0;
      ++(from_tokens ? token_sites : ast_sites);
    }
    for (const DecideOptions& options : {DecideOptions{}, remove}) {
      const Outcome outcome = DecideInMemory(found, options);
      for (const auto& [path, edit] : outcome.plan.files)
        for (const clang::tooling::Replacement& replacement : edit.replacements) {
          const std::string text = replacement.getReplacementText().str();
          if (replacement.getLength() == 0) ++includes;
          else if (text.find("InferenceMode") != std::string::npos ||
                   text.find("AutoDispatchBelowADInplaceOrView") != std::string::npos)
            ++renamed;
          else if (edit.original.compare(replacement.getOffset(), 1, "(") == 0 ||
                   edit.original.compare(replacement.getOffset(), 4, "true") == 0)
            ++dropped_args;
          else
            ++removed;
        }
    }
  }
  EXPECT_GT(ast_sites, 0);
  EXPECT_GT(token_sites, 0);
  EXPECT_GT(renamed, 0);
  EXPECT_GT(dropped_args, 0);
  EXPECT_GT(removed, 0);
  EXPECT_GT(includes, 0);
}

// A plan for `text` made of the given replacements, as PlanEdits would return it.
Outcome PlanOf(const Found& found, std::vector<Site> sites,
               const std::vector<clang::tooling::Replacement>& replacements) {
  Outcome outcome;
  outcome.sites = std::move(sites);
  FileEdit edit;
  edit.path = found.path;
  edit.original = found.text;
  for (const clang::tooling::Replacement& replacement : replacements)
    llvm::cantFail(edit.replacements.add(replacement));
  edit.updated = llvm::cantFail(clang::tooling::applyAllReplacements(edit.original, edit.replacements));
  outcome.plan.files[found.path] = edit;
  outcome.occurrences = ScanOccurrences(found.path, found.path, found.text);
  return outcome;
}

Found FoundOf(const std::string& text) {
  Found found;
  found.path = "/ember-fuzz/input.cc";
  found.text = text;
  return found;
}

Site Decided(const std::string& path, unsigned offset, unsigned length, Decision decision,
             const std::string& replacement) {
  Site site;
  site.span = Span{path, offset, length};
  site.decision = decision;
  site.replacement = replacement;
  return site;
}

constexpr char kText[] = "void f() {\n  at::AutoNonVariableTypeMode g(true);\n  int keep = 1;\n}\n";
// Offsets in kText.
constexpr unsigned kSpelling = 13, kSpellingLength = 27, kArg = 42, kStmt = 11, kKeep = 56, kEquals = 61;

TEST(CheckEdits, AcceptsTheDecidedRenameAndTheDroppedArgument) {
  const Found found = FoundOf(kText);
  Site site = Decided(found.path, kSpelling, kSpellingLength, Decision::kKernel, "at::AutoDispatchBelowADInplaceOrView");
  Use use;
  use.arg = Arg::kTrue;
  use.arg_span = Span{found.path, kArg, 6};
  site.uses.push_back(use);
  EXPECT_EQ(CheckEdits(found, PlanOf(found, {site},
                                     {{found.path, kSpelling, kSpellingLength, site.replacement},
                                      {found.path, kArg, 6, ""},
                                      {found.path, 0, 0, "#include <ATen/core/LegacyTypeDispatch.h>\n"}})),
            "");
}

TEST(CheckEdits, RejectsAnEditOutsideEveryGuardDeclaration) {
  const Found found = FoundOf(kText);
  const Site site = Decided(found.path, kSpelling, kSpellingLength, Decision::kInference, "c10::InferenceMode");
  const std::string problems = CheckEdits(found, PlanOf(found, {site}, {{found.path, kKeep, 4, "long"}}));
  EXPECT_NE(problems.find("offset 56+4: an edit of `keep` to `long`: not inside any legacy-guard declaration"),
            std::string::npos)
      << problems;
}

TEST(CheckEdits, RejectsASpellingReplacedByAnotherNameThanDecided) {
  const Found found = FoundOf(kText);
  const Site site = Decided(found.path, kSpelling, kSpellingLength, Decision::kInference, "c10::InferenceMode");
  const std::string problems =
      CheckEdits(found, PlanOf(found, {site}, {{found.path, kSpelling, kSpellingLength, "at::Other"}}));
  EXPECT_NE(problems.find("not its decided replacement `c10::InferenceMode`"), std::string::npos) << problems;
}

TEST(CheckEdits, RejectsASiteSpanThatDoesNotSpellTheLegacyGuard) {
  const Found found = FoundOf(kText);
  // A span one token too long: `at::AutoNonVariableTypeMode g`.
  const Site site = Decided(found.path, kSpelling, kSpellingLength + 2, Decision::kInference, "c10::InferenceMode");
  const std::string problems =
      CheckEdits(found, PlanOf(found, {site}, {{found.path, kSpelling, kSpellingLength + 2, "c10::InferenceMode"}}));
  EXPECT_NE(problems.find("which does not spell the legacy guard"), std::string::npos) << problems;
}

TEST(CheckEdits, RejectsARemovedStatementThatIsNotOneDeclaration) {
  const Found found = FoundOf(kText);
  Site site = Decided(found.path, kSpelling, kSpellingLength, Decision::kRemove, "");
  Use use;
  use.stmt_span = Span{found.path, kStmt, kEquals - kStmt};  // the guard's line and half the next
  site.uses.push_back(use);
  const std::string problems = CheckEdits(found, PlanOf(found, {site}, {{found.path, kStmt, kEquals - kStmt, ""}}));
  EXPECT_NE(problems.find("which is not one declaration statement"), std::string::npos) << problems;
}

TEST(CheckEdits, RejectsAnInsertionThatIsNotAnIncludeOfAReplacementHeader) {
  const Found found = FoundOf(kText);
  const std::string problems = CheckEdits(found, PlanOf(found, {}, {{found.path, 0, 0, "#include <vector>\n"}}));
  EXPECT_NE(problems.find("not an #include of a replacement guard's header: `#include <vector>\\n`"),
            std::string::npos)
      << problems;
}

TEST(CheckEdits, RejectsAReplacementHeaderIncludedWithTheOtherProfilesBrackets) {
  const Found found = FoundOf(kText);
  const std::string problems = CheckEdits(
      found, PlanOf(found, {}, {{found.path, 0, 0, "#include <c10/core/InferenceMode.h>\n#include <modes/kernel_guards.h>\n"}}));
  EXPECT_NE(problems.find("`#include <modes/kernel_guards.h>` includes a replacement guard's header with the other "
                          "profile's brackets"),
            std::string::npos)
      << problems;
}

TEST(CheckEdits, AcceptsAnIncludeAfterTheIndentationOfTheFirstLineOfCode) {
  // Clang skips NUL bytes like blanks: `#` after them still starts a directive.
  const Found found = FoundOf(std::string("// comment\n \t\0int x;\n", 21));
  EXPECT_EQ(CheckEdits(found, PlanOf(found, {}, {{found.path, 14, 0, "#include <c10/core/InferenceMode.h>\n"}})), "");
}

TEST(CheckEdits, AcceptsAnIncludeAfterALoneCarriageReturn) {
  // HeaderIncludes, like Clang's lexer, ends the comment line at a lone `\r`
  // (found by the fuzzer).
  const Found found = FoundOf("// comment\rint x;\n");
  EXPECT_EQ(CheckEdits(found, PlanOf(found, {}, {{found.path, 11, 0, "#include <c10/core/InferenceMode.h>\n"}})), "");
}

TEST(CheckEdits, AcceptsBothReplacementHeadersAtOnePlaceWithAnEmptyLineBetweenTheirCategories) {
  // HeaderIncludes' text when a file without a final newline needs both
  // headers after its last #include (found by the fuzzer).
  const Found found = FoundOf("#include \"x.h\"");
  EXPECT_EQ(CheckEdits(found, PlanOf(found, {},
                                     {{found.path, 14, 0,
                                       "\n#include <ATen/core/LegacyTypeDispatch.h>\n\n#include <c10/core/InferenceMode.h>\n"}})),
            "");
}

TEST(CheckEdits, RejectsAnInsertionOfEmptyLinesOnly) {
  const Found found = FoundOf(kText);
  const std::string problems = CheckEdits(found, PlanOf(found, {}, {{found.path, 0, 0, "\n\n"}}));
  EXPECT_NE(problems.find("an insertion of empty lines only"), std::string::npos) << problems;
}

TEST(CheckEdits, RejectsAnIncludeInsertedInTheMiddleOfALine) {
  const Found found = FoundOf(kText);
  const std::string problems =
      CheckEdits(found, PlanOf(found, {}, {{found.path, 4, 0, "#include <c10/core/InferenceMode.h>\n"}}));
  EXPECT_NE(problems.find("an insertion in the middle of a line at offset 4"), std::string::npos) << problems;
}

TEST(CheckEdits, RejectsTheSameIncludeAddedTwice) {
  const Found found = FoundOf(kText);
  const std::string problems = CheckEdits(
      found, PlanOf(found, {}, {{found.path, 0, 0, "#include <c10/core/InferenceMode.h>\n"},
                                {found.path, 11, 0, "#include <c10/core/InferenceMode.h>\n"}}));
  EXPECT_NE(problems.find("adds #include <c10/core/InferenceMode.h> 2 times"), std::string::npos) << problems;
}

TEST(CheckEdits, RejectsAnEditOfAnotherFile) {
  const Found found = FoundOf(kText);
  Outcome outcome;
  FileEdit edit;
  edit.path = "/elsewhere.h";
  outcome.plan.files[edit.path] = edit;
  EXPECT_EQ(CheckEdits(found, outcome), "edits a file other than the input: /elsewhere.h\n");
}

TEST(CheckEdits, RejectsAnUpdatedTextThatIsNotTheReplacementsApplied) {
  const Found found = FoundOf(kText);
  Outcome outcome = PlanOf(found, {}, {});
  outcome.plan.files.begin()->second.updated += "// extra\n";
  EXPECT_EQ(CheckEdits(found, outcome), "the updated text is not the replacements applied to the input\n");
}

}  // namespace
}  // namespace migrate
