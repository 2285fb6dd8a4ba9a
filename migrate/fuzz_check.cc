#include "migrate/fuzz_check.h"

#include <map>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "clang/Lex/Token.h"
#include "clang/Tooling/Core/Replacement.h"
#include "llvm/Support/Error.h"
#include "migrate/raw_lexer.h"
#include "migrate/report.h"

namespace migrate {
namespace {

constexpr char kMain[] = "/ember-fuzz/input.cc";
constexpr char kInclude[] = "/ember-fuzz/include";
constexpr char kPrelude[] = "/ember-fuzz/include/ember_fuzz_prelude.h";

// Stand-ins with the qualified names the tiers look for; the replacement
// guards are only declared by their own headers, so that an input which does
// not include them gets an #include added.
constexpr char kPreludeText[] = R"(#pragma once
namespace std {
template <class T> struct unique_ptr { T* operator->() const; };
template <class T, class... A> unique_ptr<T> make_unique(A&&... args);
template <class T> struct optional { template <class... A> T& emplace(A&&... args); };
}
namespace c10 {
enum class DispatchKey { CPU, CUDA, AutogradCPU, AutogradCUDA, AutogradOther, Autograd };
template <class T> using optional = std::optional<T>;
}
namespace at {
struct AutoNonVariableTypeMode { AutoNonVariableTypeMode(bool enabled = true); };
struct Tensor {};
}
namespace torch {
using namespace at;
namespace autograd {
struct AutogradContext {};
template <class T> struct Function {};
at::Tensor make_variable(at::Tensor data, bool requires_grad = false);
}
struct Library { template <class F> Library& impl(const char* name, F&& f); };
struct RegisterOperators {
  struct Options { template <class F> Options&& kernel(c10::DispatchKey key, F* f) &&; };
  static Options options();
};
}
#define TORCH_LIBRARY_IMPL(ns, k, m)                                  \
  static void TORCH_LIBRARY_IMPL_init_##ns##_##k##_0(torch::Library&); \
  void TORCH_LIBRARY_IMPL_init_##ns##_##k##_0(torch::Library& m)
namespace ember {
struct AutoNonVariableTypeMode { AutoNonVariableTypeMode(bool enabled = true); };
namespace autograd {
struct AutogradContext {};
template <class T> struct Function {};
}
}
)";

const std::map<std::string, std::string>& Headers() {
  static const auto* headers = new std::map<std::string, std::string>{
      {std::string(kPrelude), kPreludeText},
      {std::string(kInclude) + "/c10/core/InferenceMode.h",
       "#pragma once\nnamespace c10 { struct InferenceMode { InferenceMode(bool enabled = true); }; }\n"},
      {std::string(kInclude) + "/ATen/core/LegacyTypeDispatch.h",
       "#pragma once\nnamespace at { struct AutoDispatchBelowADInplaceOrView { "
       "AutoDispatchBelowADInplaceOrView(); }; }\n"},
      {std::string(kInclude) + "/modes/inference_mode.h",
       "#pragma once\nnamespace ember { struct InferenceMode { InferenceMode(bool enabled = true); }; }\n"},
      {std::string(kInclude) + "/modes/kernel_guards.h",
       "#pragma once\nnamespace ember { struct AutoDispatchBelowADInplaceOrView { "
       "AutoDispatchBelowADInplaceOrView(); }; }\n"},
      {std::string(kInclude) + "/torch/torch.h",
       "#pragma once\n#include <c10/core/InferenceMode.h>\n#include <ATen/core/LegacyTypeDispatch.h>\n"},
  };
  return *headers;
}

struct Lexed {
  clang::tok::TokenKind kind;
  std::string spelling;  // line splices removed
};

// The tokens of a piece of the input, comments dropped, by Clang's raw lexer.
std::vector<Lexed> Tokens(const std::string& text) {
  RawSource source("snippet.cc", text);
  clang::Lexer& lexer = source.lexer();
  std::vector<Lexed> tokens;
  clang::Token token;
  while (true) {
    lexer.LexFromRawLexer(token);
    if (token.is(clang::tok::eof)) break;
    tokens.push_back({token.getKind(), clang::Lexer::getSpelling(token, source.sm(), source.lang())});
  }
  return tokens;
}

constexpr char kLegacy[] = "AutoNonVariableTypeMode";

// `(::)? (name ::)* AutoNonVariableTypeMode`, the way both tiers spell a site.
bool IsLegacySpelling(const std::vector<Lexed>& tokens) {
  if (tokens.empty() || tokens.back().spelling != kLegacy) return false;
  size_t i = 0;
  if (tokens[i].kind == clang::tok::coloncolon) ++i;
  while (i + 1 < tokens.size()) {
    if (tokens[i].kind != clang::tok::raw_identifier || tokens[i + 1].kind != clang::tok::coloncolon) return false;
    i += 2;
  }
  return i + 1 == tokens.size() && tokens[i].kind == clang::tok::raw_identifier;
}

// Brackets balance and no `;` is outside them (beyond a final one when
// `final_semi`): the text is one expression or one statement.
bool Balanced(const std::vector<Lexed>& tokens, bool final_semi) {
  std::vector<clang::tok::TokenKind> open;
  for (size_t i = 0; i < tokens.size(); ++i) {
    switch (tokens[i].kind) {
      case clang::tok::l_paren: open.push_back(clang::tok::r_paren); break;
      case clang::tok::l_brace: open.push_back(clang::tok::r_brace); break;
      case clang::tok::l_square: open.push_back(clang::tok::r_square); break;
      case clang::tok::r_paren:
      case clang::tok::r_brace:
      case clang::tok::r_square:
        if (open.empty() || open.back() != tokens[i].kind) return false;
        open.pop_back();
        break;
      case clang::tok::semi:
        if (open.empty() && !(final_semi && i + 1 == tokens.size())) return false;
        break;
      default: break;
    }
  }
  return open.empty();
}

bool IsEdited(Decision decision) {
  return decision == Decision::kKernel || decision == Decision::kInference || decision == Decision::kRemove;
}

std::string Quoted(const std::string& text) {
  std::string out = "`";
  for (char c : text) {
    if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else out += c;
  }
  return out + "`";
}

// Why one insertion is not the addition of #include lines of replacement
// headers; records the headers it adds in `added`.
std::string CheckInsertion(const std::string& original, unsigned offset, const std::string& text,
                           std::multiset<std::string>& added) {
  // Only what Clang's lexer skips as whitespace (blanks, and NUL bytes) may
  // precede it on its line: HeaderIncludes puts it after the blanks that
  // begin the first line of code, and a directive's `#` may be indented.
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\f' || c == '\v' || c == '\0'; };
  size_t line_start = offset;
  while (line_start > 0 && blank(original[line_start - 1])) --line_start;
  // A lone `\r` ends a line for Clang (and GCC) just as `\n` does.
  if (offset != original.size() && line_start != 0 && original[line_start - 1] != '\n' &&
      original[line_start - 1] != '\r')
    return "an insertion in the middle of a line at offset " + std::to_string(offset) + ": " + Quoted(text);
  std::set<std::string> allowed, misbracketed;
  for (Profile profile : {Profile::kTorch, Profile::kEmber}) {
    const ProfileNames& names = NamesFor(profile);
    for (const char* header : {names.inference_header, names.kernel_header}) {
      const std::string angled = "#include <" + std::string(header) + ">";
      const std::string quoted = "#include \"" + std::string(header) + "\"";
      allowed.insert(names.angled ? angled : quoted);
      misbracketed.insert(names.angled ? quoted : angled);
    }
  }
  std::string rest = text;
  // A file without a final newline gets one before the added line.
  if (offset == original.size() && !original.empty() && original.back() != '\n' && !rest.empty() &&
      rest[0] == '\n')
    rest.erase(0, 1);
  if (rest.empty()) return "an empty insertion at offset " + std::to_string(offset);
  size_t begin = 0;
  bool included = false;
  while (begin < rest.size()) {
    size_t end = rest.find('\n', begin);
    if (end == std::string::npos) return "an inserted line without its newline: " + Quoted(text);
    std::string line = rest.substr(begin, end - begin);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    // HeaderIncludes separates include categories with an empty line (both
    // headers at one place: `<ATen/...>`, then `<c10/...>`).
    if (line.empty()) {
      begin = end + 1;
      continue;
    }
    if (misbracketed.count(line))
      return "`" + line + "` includes a replacement guard's header with the other profile's brackets: " + Quoted(text);
    if (!allowed.count(line)) return "an insertion that is not an #include of a replacement guard's header: " + Quoted(text);
    added.insert(line);
    included = true;
    begin = end + 1;
  }
  if (!included) return "an insertion of empty lines only: " + Quoted(text);
  return "";
}

}  // namespace

InMemoryTu FuzzTu(std::string_view bytes) {
  InMemoryTu tu;
  tu.path = kMain;
  tu.text = std::string(bytes);
  tu.files = Headers();
  tu.args = {"-std=c++17", "-nostdinc", "-isystem", kInclude, "-include", kPrelude,
             // Bounded work per input: garbage stops early, and neither
             // templates nor constexpr evaluation can recurse for long.
             "-ferror-limit=8", "-fno-spell-checking", "-ftemplate-depth=32", "-fconstexpr-depth=32",
             "-fconstexpr-steps=100000", "-fbracket-depth=64", "-w"};
  return tu;
}

std::string CheckEdits(const Found& found, const Outcome& outcome) {
  std::string problems;
  auto problem = [&](const std::string& message) { problems += message + "\n"; };
  for (const auto& [path, edit] : outcome.plan.files) {
    if (path != found.path) {
      problem("edits a file other than the input: " + path);
      continue;
    }
    if (edit.original != found.text) problem("the edit's original text is not the input");
    llvm::Expected<std::string> applied = clang::tooling::applyAllReplacements(edit.original, edit.replacements);
    if (!applied) problem("the replacements do not apply: " + llvm::toString(applied.takeError()));
    else if (*applied != edit.updated) problem("the updated text is not the replacements applied to the input");

    std::multiset<std::string> added;
    for (const clang::tooling::Replacement& replacement : edit.replacements) {
      const unsigned offset = replacement.getOffset(), length = replacement.getLength();
      const std::string text = replacement.getReplacementText().str();
      const std::string where = "offset " + std::to_string(offset) + "+" + std::to_string(length);
      if (replacement.getFilePath() != path) {
        problem(where + ": a replacement for another file: " + replacement.getFilePath().str());
        continue;
      }
      if (offset > edit.original.size() || length > edit.original.size() - offset) {
        problem(where + ": a replacement beyond the end of the input");
        continue;
      }
      if (length == 0) {
        const std::string why = CheckInsertion(edit.original, offset, text, added);
        if (!why.empty()) problem(where + ": " + why);
        continue;
      }
      const std::string old = edit.original.substr(offset, length);
      const std::vector<Lexed> tokens = Tokens(old);
      auto is = [&](const std::optional<Span>& span) {
        return span && span->file == found.path && span->offset == offset && span->length == length;
      };
      // Code occurrences of the legacy name a deletion would swallow.
      auto swallowed = [&](bool allow_removed_sites) {
        for (const Occurrence& occurrence : outcome.occurrences) {
          if (occurrence.cls == OccurrenceClass::kNotCode || occurrence.offset < offset ||
              occurrence.offset >= offset + length)
            continue;
          bool removed = false;
          for (const Site& site : outcome.sites)
            removed = removed || (site.decision == Decision::kRemove && site.span.file == found.path &&
                                  site.span.offset <= occurrence.offset &&
                                  occurrence.offset < site.span.offset + site.span.length);
          if (!(allow_removed_sites && removed)) return true;
        }
        return false;
      };
      std::string verdict = "not inside any legacy-guard declaration the tiers found";
      for (const Site& site : outcome.sites) {
        if (!IsEdited(site.decision)) continue;
        if (site.decision != Decision::kRemove && is(site.span)) {
          if (text != site.replacement) verdict = "replaces a guard spelling with " + Quoted(text) +
                                                  ", not its decided replacement " + Quoted(site.replacement);
          else if (!IsLegacySpelling(tokens)) verdict = "replaces " + Quoted(old) + ", which does not spell the legacy guard";
          else verdict.clear();
          break;
        }
        bool matched = false;
        for (const Use& use : site.uses) {
          if (site.decision == Decision::kKernel && is(use.arg_span)) {
            matched = true;
            if (!text.empty()) verdict = "rewrites a guard's argument instead of dropping it";
            else if (tokens.empty() || !Balanced(tokens, false)) verdict = "drops " + Quoted(old) + ", which is not one argument";
            else if (swallowed(false)) verdict = "drops an argument " + Quoted(old) + " holding another use of the legacy guard";
            else verdict.clear();
            break;
          }
          if (site.decision == Decision::kRemove && is(use.stmt_span)) {
            matched = true;
            if (!text.empty()) verdict = "rewrites a guard's declaration instead of removing it";
            else if (tokens.empty() || tokens.back().kind != clang::tok::semi || !Balanced(tokens, true))
              verdict = "removes " + Quoted(old) + ", which is not one declaration statement";
            else if (swallowed(true)) verdict = "removes a declaration " + Quoted(old) + " holding a use of the legacy guard that is not removed";
            else verdict.clear();
            break;
          }
        }
        if (matched) break;
      }
      if (!verdict.empty()) problem(where + ": an edit of " + Quoted(old) + " to " + Quoted(text) + ": " + verdict);
    }
    for (const std::string& line : added)
      if (added.count(line) > 1) {
        problem("adds " + line + " " + std::to_string(added.count(line)) + " times");
        break;
      }
  }
  return problems;
}

std::string CheckOneInput(std::string_view bytes) {
  const Found found = FindInMemory(FuzzTu(bytes));
  std::string problems;
  for (std::optional<Context> assume : {std::optional<Context>(), std::optional<Context>(Context::kKernel),
                                        std::optional<Context>(Context::kInference)}) {
    for (bool remove : {false, true}) {
      DecideOptions options;
      options.assume = assume;
      options.remove_redundant_kernel_guard = remove;
      const Outcome outcome = DecideInMemory(found, options);
      const std::string why = CheckEdits(found, outcome);
      if (!why.empty())
        problems += std::string("with --assume=") +
                    (!assume ? "(none)" : *assume == Context::kKernel ? "kernel" : "inference") +
                    " --kernel-guard=" + (remove ? "remove" : "replace") + ":\n" + why;
      // The outputs a user reads are produced too, so that the fuzzer
      // reaches their code; what they say is the golden tests' business.
      for (const Site& site : outcome.sites) SummaryLine(site);
      for (const Occurrence& occurrence : outcome.occurrences) OccurrenceLine(occurrence);
      ReportWithAccounting(ReportJson(outcome.sites), outcome.occurrences);
      ExportFixesYaml(found.path, outcome.plan);
      for (const auto& [path, edit] : outcome.plan.files) UnifiedDiff(edit);
    }
  }
  return problems;
}

}  // namespace migrate
