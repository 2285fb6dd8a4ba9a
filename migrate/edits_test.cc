#include "migrate/edits.h"

#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "gtest/gtest.h"
#include "migrate/decide.h"

namespace migrate {
namespace {

const char kFile[] = "/src/a.cpp";

Site Decided(unsigned offset, Decision decision, const std::string& replacement) {
  Site site;
  site.span = Span{kFile, offset, 27};  // at::AutoNonVariableTypeMode
  site.display = "a.cpp";
  site.spelling = "at::AutoNonVariableTypeMode";
  site.decision = decision;
  site.replacement = replacement;
  return site;
}

std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void Write(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

const std::string kCode =
    "#include <ATen/core/LegacyTypeDispatch.h>\n"  // 42 bytes
    "void f() { at::AutoNonVariableTypeMode g(true); }\n";
const unsigned kSite = 42 + 11;

TEST(PlanEdits, ReplacesOnlyTheSpelledTokens) {
  std::vector<Site> sites = {Decided(kSite, Decision::kInference, "c10::InferenceMode")};
  EditPlan plan = PlanEdits(sites, {{kFile, kCode}});
  ASSERT_EQ(plan.files.count(kFile), 1u);
  EXPECT_EQ(plan.files[kFile].updated,
            "#include <ATen/core/LegacyTypeDispatch.h>\n"
            "void f() { c10::InferenceMode g(true); }\n");
}

TEST(PlanEdits, DropsTheArgumentOfAKernelGuard) {
  Site site = Decided(kSite, Decision::kKernel, "at::AutoDispatchBelowADInplaceOrView");
  Use use;
  use.arg = Arg::kTrue;
  use.arg_span = Span{kFile, kSite + 29, 6};  // (true)
  site.uses = {use};
  std::vector<Site> sites = {site};
  EditPlan plan = PlanEdits(sites, {{kFile, kCode}});
  EXPECT_EQ(plan.files[kFile].updated,
            "#include <ATen/core/LegacyTypeDispatch.h>\n"
            "void f() { at::AutoDispatchBelowADInplaceOrView g; }\n");
}

TEST(PlanEdits, AddsTheDeclaringHeaderOnceInIncludeOrder) {
  Site first = Decided(kSite, Decision::kInference, "c10::InferenceMode");
  first.missing_inference_decl = true;
  std::vector<Site> sites = {first};
  EditPlan plan = PlanEdits(sites, {{kFile, kCode}});
  EXPECT_EQ(plan.files[kFile].updated,
            "#include <ATen/core/LegacyTypeDispatch.h>\n"
            "#include <c10/core/InferenceMode.h>\n"
            "void f() { c10::InferenceMode g(true); }\n");
}

// HeaderIncludes would lex from the token after the comment as a buffer of
// its own, which Clang refuses as UTF-16 and, reporting it with no
// diagnostic client, crashes on: the file is left alone instead.
TEST(PlanEdits, ABufferClangCannotReadAfterTheLeadingCommentLeavesTheFileAlone) {
  const std::string code = std::string("// a comment\n\xFE\xFF x;\n") + kCode;
  Site site = Decided(static_cast<unsigned>(code.size() - kCode.size()) + kSite, Decision::kInference,
                      "c10::InferenceMode");
  site.missing_inference_decl = true;
  std::vector<Site> sites = {site};
  EditPlan plan = PlanEdits(sites, {{kFile, code}});
  EXPECT_TRUE(plan.files.empty());
  EXPECT_NE(sites[0].reason.find("cannot insert #include of c10/core/InferenceMode.h: a token of the file starts "
                                 "with bytes Clang reads as the byte-order mark of an encoding it cannot read"),
            std::string::npos)
      << sites[0].reason;
}

TEST(PlanEdits, EachAddedIncludeKeepsItsOwnProfilesBrackets) {
  // A LibTorch guard and an Ember guard in one file: each header is spelled
  // the way its own library is included (<c10/...>, "modes/...").
  const std::string code =
      "void f() {\n  at::AutoNonVariableTypeMode a;\n  ember::AutoNonVariableTypeMode b;\n}\n";
  Site torch = Decided(13, Decision::kInference, "c10::InferenceMode");
  torch.missing_inference_decl = true;
  Site ember = Decided(46, Decision::kInference, "ember::InferenceMode");
  ember.span.length = 30;
  ember.profile = Profile::kEmber;
  ember.missing_inference_decl = true;
  std::vector<Site> sites = {torch, ember};
  EditPlan plan = PlanEdits(sites, {{kFile, code}});
  const std::string& updated = plan.files[kFile].updated;
  EXPECT_NE(updated.find("#include <c10/core/InferenceMode.h>\n"), std::string::npos) << updated;
  EXPECT_NE(updated.find("#include \"modes/inference_mode.h\"\n"), std::string::npos) << updated;
  EXPECT_NE(updated.find("  ember::InferenceMode b;\n"), std::string::npos) << updated;
}

TEST(PlanEdits, InsertedIncludeFollowsCrlf) {
  const std::string crlf =
      "#include <ATen/core/LegacyTypeDispatch.h>\r\n"
      "void f() { at::AutoNonVariableTypeMode g(true); }\r\n";
  Site site = Decided(kSite + 1, Decision::kInference, "c10::InferenceMode");
  site.missing_inference_decl = true;
  std::vector<Site> sites = {site};
  EditPlan plan = PlanEdits(sites, {{kFile, crlf}});
  EXPECT_EQ(plan.files[kFile].updated,
            "#include <ATen/core/LegacyTypeDispatch.h>\r\n"
            "#include <c10/core/InferenceMode.h>\r\n"
            "void f() { c10::InferenceMode g(true); }\r\n");
}

TEST(PlanEdits, TwoHeadersAtOneOffsetBecomeOneInsertion) {
  Site inference = Decided(kSite, Decision::kInference, "c10::InferenceMode");
  inference.missing_inference_decl = true;
  const std::string two = kCode + "void k() { at::AutoNonVariableTypeMode g; }\n";
  Site kernel = Decided(static_cast<unsigned>(kCode.size()) + 11, Decision::kKernel,
                        "at::AutoDispatchBelowADInplaceOrView");
  kernel.missing_kernel_decl = true;
  std::vector<Site> sites = {inference, kernel};
  EditPlan plan = PlanEdits(sites, {{kFile, two}});
  EXPECT_EQ(sites[0].decision, Decision::kInference);
  EXPECT_NE(plan.files[kFile].updated.find("#include <ATen/core/LegacyTypeDispatch.h>\n"
                                           "#include <c10/core/InferenceMode.h>\n"),
            std::string::npos)
      << plan.files[kFile].updated;
}

TEST(PlanEdits, OverlappingEditsLeaveTheFileAloneAndMakeItsSitesManual) {
  Site a = Decided(kSite, Decision::kInference, "c10::InferenceMode");
  Site b = Decided(kSite + 4, Decision::kInference, "c10::InferenceMode");
  std::vector<Site> sites = {a, b};
  EditPlan plan = PlanEdits(sites, {{kFile, kCode}});
  EXPECT_TRUE(plan.files.empty());
  for (const Site& site : sites) {
    EXPECT_EQ(site.decision, Decision::kManual);
    EXPECT_NE(site.reason.find("edits to this file conflict"), std::string::npos) << site.reason;
    EXPECT_EQ(site.reason.find('\n'), std::string::npos) << "a reason is one line";
  }
}

TEST(PlanEdits, ManualAndSuppressedSitesAreNotEdited) {
  std::vector<Site> sites = {Decided(kSite, Decision::kManual, ""),
                             Decided(kSite, Decision::kSuppressed, "")};
  EXPECT_TRUE(PlanEdits(sites, {{kFile, kCode}}).files.empty());
}

TEST(UnifiedDiff, ShowsHunksWithContextAndPrefixes) {
  FileEdit edit;
  edit.display = "src/a.cpp";
  edit.original = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n";
  edit.updated = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n10\n";
  EXPECT_EQ(UnifiedDiff(edit),
            "--- a/src/a.cpp\n+++ b/src/a.cpp\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n");
}

TEST(UnifiedDiff, SeparatesDistantChangesAndJoinsNearOnes) {
  FileEdit edit;
  edit.display = "a";
  for (int i = 1; i <= 30; ++i) edit.original += std::to_string(i) + "\n";
  edit.updated = edit.original;
  edit.updated.replace(edit.updated.find("\n2\n") + 1, 1, "two");
  edit.updated.replace(edit.updated.find("\n25\n") + 1, 2, "x");
  const std::string diff = UnifiedDiff(edit);
  EXPECT_NE(diff.find("@@ -1,5 +1,5 @@\n"), std::string::npos) << diff;
  EXPECT_NE(diff.find("@@ -22,7 +22,7 @@\n"), std::string::npos) << diff;
}

TEST(UnifiedDiff, MarksAMissingFinalNewline) {
  FileEdit edit;
  edit.display = "a";
  edit.original = "x";
  edit.updated = "y";
  EXPECT_EQ(UnifiedDiff(edit),
            "--- a/a\n+++ b/a\n@@ -1,1 +1,1 @@\n-x\n\\ No newline at end of file\n+y\n"
            "\\ No newline at end of file\n");
}

TEST(WriteAtomically, ReplacesContentAndKeepsPermissions) {
  const std::string path = std::string(::testing::TempDir()) + "/keep_mode.cpp";
  Write(path, "old\r\n");
  ASSERT_EQ(::chmod(path.c_str(), 0640), 0);
  EXPECT_EQ(WriteAtomically(path, "old\r\n", "new\r\n"), "");
  EXPECT_EQ(Read(path), "new\r\n");
  struct stat info;
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0640u);
}

TEST(WriteAtomically, RefusesAFileThatChangedSinceItWasParsed) {
  const std::string path = std::string(::testing::TempDir()) + "/changed.cpp";
  Write(path, "edited by someone else\n");
  const std::string error = WriteAtomically(path, "as parsed\n", "ours\n");
  EXPECT_NE(error.find("changed since it was parsed; not written"), std::string::npos) << error;
  EXPECT_EQ(Read(path), "edited by someone else\n");
}

TEST(WriteAtomically, ReportsAMissingFile) {
  const std::string error = WriteAtomically("/nonexistent/dir/x.cpp", "", "y");
  EXPECT_NE(error.find("cannot read /nonexistent/dir/x.cpp"), std::string::npos) << error;
}

}  // namespace
}  // namespace migrate
