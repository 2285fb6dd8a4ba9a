#include "migrate/occurrences.h"

#include <algorithm>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "clang/Lex/Token.h"
#include "migrate/raw_lexer.h"
#include "migrate/report.h"
#include "re2/re2.h"

namespace migrate {

const char* OccurrenceClassName(OccurrenceClass value) {
  switch (value) {
    case OccurrenceClass::kRewrittenAst: return "rewritten-from-ast";
    case OccurrenceClass::kRewrittenTokens: return "rewritten-from-tokens";
    case OccurrenceClass::kManual: return "manual";
    case OccurrenceClass::kAccepted: return "accepted";
    case OccurrenceClass::kNotCode: return "not-code";
  }
  return "manual";
}

namespace {

// What an #if condition is known to be without knowing any macro.
enum class Static { kFalse, kTrue, kUnknown };

// Evaluates an #if/#elif condition from its raw tokens, conservatively:
// integer literals, `true`/`false`, `!`, `&&`, `||` and parentheses are
// understood; any other operand (a macro, `defined(X)`, a call) is unknown;
// any other operator (a comparison, arithmetic) makes the whole condition
// unknown. So `0 // off`, `false`, `(0)`, `!1`, `0 && defined(X)` are false,
// and `#ifdef NEVER_DEFINED` or `X == 0` never are.
class Condition {
 public:
  explicit Condition(std::vector<clang::Token> tokens) : t_(std::move(tokens)) {}
  Static Evaluate() {
    if (t_.empty()) return Static::kUnknown;
    const Static value = Or();
    return ok_ && next_ == t_.size() ? value : Static::kUnknown;
  }

 private:
  bool Is(clang::tok::TokenKind kind) const { return next_ < t_.size() && t_[next_].is(kind); }
  Static Or() {
    Static value = And();
    while (ok_ && Is(clang::tok::pipepipe)) {
      ++next_;
      const Static right = And();
      value = value == Static::kTrue || right == Static::kTrue     ? Static::kTrue
              : value == Static::kFalse && right == Static::kFalse ? Static::kFalse
                                                                   : Static::kUnknown;
    }
    return value;
  }
  Static And() {
    Static value = Unary();
    while (ok_ && Is(clang::tok::ampamp)) {
      ++next_;
      const Static right = Unary();
      value = value == Static::kFalse || right == Static::kFalse ? Static::kFalse
              : value == Static::kTrue && right == Static::kTrue ? Static::kTrue
                                                                 : Static::kUnknown;
    }
    return value;
  }
  Static Unary() {
    if (Is(clang::tok::exclaim)) {
      ++next_;
      const Static value = Unary();
      return value == Static::kUnknown ? value : value == Static::kTrue ? Static::kFalse : Static::kTrue;
    }
    return Primary();
  }
  Static Primary() {
    if (next_ >= t_.size()) {
      ok_ = false;
      return Static::kUnknown;
    }
    const clang::Token& token = t_[next_++];
    if (token.is(clang::tok::l_paren)) {
      const Static value = Or();
      if (!Is(clang::tok::r_paren)) ok_ = false;
      ++next_;
      return value;
    }
    if (token.is(clang::tok::numeric_constant)) {
      llvm::StringRef digits(token.getLiteralData(), token.getLength());
      digits = digits.rtrim("uUlL");
      unsigned long long value = 0;
      if (digits.getAsInteger(0, value)) return Static::kUnknown;
      return value == 0 ? Static::kFalse : Static::kTrue;
    }
    if (token.is(clang::tok::raw_identifier)) {
      const llvm::StringRef name = token.getRawIdentifier();
      if (name == "false") return Static::kFalse;
      if (name == "true") return Static::kTrue;
      // A macro, possibly function-like, or defined(X): unknown, skipped whole.
      if (Is(clang::tok::l_paren)) {
        int depth = 0;
        do {
          if (Is(clang::tok::l_paren)) ++depth;
          if (Is(clang::tok::r_paren)) --depth;
          ++next_;
        } while (next_ < t_.size() && depth > 0);
      } else if (name == "defined" && next_ < t_.size() && t_[next_].is(clang::tok::raw_identifier)) {
        ++next_;
      }
      return Static::kUnknown;
    }
    ok_ = false;
    return Static::kUnknown;
  }

  std::vector<clang::Token> t_;
  size_t next_ = 0;
  bool ok_ = true;
};

// One #if group seen by the raw lexer: what is statically known of its
// branches so far, so that a branch known to be dead is not code.
struct Conditional {
  Static current = Static::kUnknown;  // the condition of the branch being read
  bool taken_before = false;          // an earlier branch was statically true
  bool all_false = true;              // every earlier condition was statically false
  std::string why;                    // the directive that makes the branch dead
  bool Disabled() const { return taken_before || current == Static::kFalse; }
  void Next(Static condition, const std::string& directive) {
    taken_before = taken_before || current == Static::kTrue;
    all_false = all_false && current == Static::kFalse;
    current = condition;
    why = directive;
  }
};

}  // namespace

std::vector<Occurrence> ScanOccurrences(const std::string& path, const std::string& display,
                                        const std::string& text) {
  // The name as a whole identifier, as Clang lexes one: `$` and any byte of a
  // UTF-8 sequence continue an identifier (so `AutoNonVariableTypeMode$x` is
  // another name). Latin-1 makes the classes match bytes.
  static const re2::RE2 kName(R"((?:^|[^A-Za-z0-9_$\x80-\xff])(AutoNonVariableTypeMode)(?:[^A-Za-z0-9_$\x80-\xff]|$))",
                              re2::RE2::Latin1);
  std::vector<Occurrence> found;
  {
    re2::StringPiece input(text);
    re2::StringPiece match[2];
    size_t start = 0;
    while (start <= text.size() &&
           kName.Match(input, start, text.size(), re2::RE2::UNANCHORED, match, 2)) {
      Occurrence occurrence;
      occurrence.file = path;
      occurrence.display = display;
      occurrence.offset = static_cast<unsigned>(match[1].data() - text.data());
      const size_t line_start = occurrence.offset == 0 ? std::string::npos : text.rfind('\n', occurrence.offset - 1);
      occurrence.line = 1 + std::count(text.begin(), text.begin() + occurrence.offset, '\n');
      occurrence.column = occurrence.offset - (line_start == std::string::npos ? 0 : line_start + 1) + 1;
      found.push_back(occurrence);
      start = occurrence.offset + match[1].size();
    }
  }
  if (found.empty()) return found;

  // Which token holds each occurrence, from Clang's raw lexer.
  RawSource source(path, text);
  clang::SourceManager& sm = source.sm();
  const clang::FileID fid = source.fid();
  const clang::LangOptions& lang = source.lang();
  clang::Lexer& lexer = source.lexer();
  lexer.SetCommentRetentionState(true);
  std::vector<Conditional> conditionals;
  auto disabled = [&] {
    return std::any_of(conditionals.begin(), conditionals.end(),
                       [](const Conditional& c) { return c.Disabled(); });
  };
  // The rest of a directive's line (continuations included, comments
  // dropped): what it is statically, and its tokens as written, for reasons.
  auto ConditionAfter = [&](const clang::Token& directive) {
    const unsigned from = sm.getFileOffset(directive.getLocation()) + directive.getLength();
    size_t to = from;
    while (to < text.size() && text[to] != '\n') {
      if (text[to] == '\\' && to + 1 < text.size() && (text[to + 1] == '\n' || text[to + 1] == '\r')) ++to;
      ++to;
    }
    // The raw lexer stops at a NUL: lex a copy of just this line.
    const std::string condition = text.substr(from, to - from);
    const clang::SourceLocation start = sm.getLocForStartOfFile(fid);
    clang::Lexer line(start, lang, condition.c_str(), condition.c_str(), condition.c_str() + condition.size());
    std::vector<clang::Token> tokens;
    std::string spelled;
    clang::Token token;
    for (line.LexFromRawLexer(token); !token.is(clang::tok::eof); line.LexFromRawLexer(token)) {
      tokens.push_back(token);
      const unsigned offset = token.getLocation().getRawEncoding() - start.getRawEncoding();
      spelled += (spelled.empty() ? "" : " ") + condition.substr(offset, token.getLength());
    }
    return std::make_pair(Condition(std::move(tokens)).Evaluate(), spelled);
  };
  size_t next = 0;
  clang::Token token;
  while (next < found.size()) {
    lexer.LexFromRawLexer(token);
    if (token.is(clang::tok::eof)) break;
    const unsigned begin = sm.getFileOffset(token.getLocation());
    const unsigned end = begin + token.getLength();
    if (token.is(clang::tok::hash) && token.isAtStartOfLine()) {
      clang::Token directive;
      lexer.LexFromRawLexer(directive);
      if (directive.is(clang::tok::raw_identifier) && !directive.isAtStartOfLine()) {
        const llvm::StringRef name = directive.getRawIdentifier();
        if (name == "if" || name == "ifdef" || name == "ifndef") {
          Conditional group;
          if (name == "if") {
            const auto [condition, spelled] = ConditionAfter(directive);
            group.current = condition;
            group.why = "`#if " + spelled + "`";
          }
          conditionals.push_back(group);
        } else if (name == "elif" && !conditionals.empty()) {
          const auto [condition, spelled] = ConditionAfter(directive);
          Conditional& group = conditionals.back();
          const std::string before = group.why;
          group.Next(condition, "`#elif " + spelled + "`");
          if (group.taken_before) group.why = "an `#elif` after " + before;
        } else if (name == "else" && !conditionals.empty()) {
          Conditional& group = conditionals.back();
          const std::string before = group.why;
          group.Next(group.all_false && group.current == Static::kFalse ? Static::kTrue : Static::kUnknown, "");
          group.why = "the `#else` of " + before;
        } else if (name == "endif" && !conditionals.empty()) {
          conditionals.pop_back();
        }
      }
      continue;
    }
    while (next < found.size() && found[next].offset < begin) ++next;  // between tokens: code
    while (next < found.size() && found[next].offset < end) {
      Occurrence& occurrence = found[next++];
      if (token.is(clang::tok::comment)) {
        occurrence.cls = OccurrenceClass::kNotCode;
        occurrence.reason = "in a comment";
      } else if (clang::tok::isStringLiteral(token.getKind()) || token.is(clang::tok::char_constant)) {
        occurrence.cls = OccurrenceClass::kNotCode;
        occurrence.reason = "in a string literal";
      } else if (disabled()) {
        occurrence.cls = OccurrenceClass::kNotCode;
        for (const Conditional& group : conditionals)
          if (group.Disabled()) {
            occurrence.reason = "disabled by " + group.why;
            break;
          }
      }
    }
  }
  return found;
}

void Classify(std::vector<Occurrence>& occurrences, const std::vector<Site>& sites, const EditPlan& plan,
              const std::map<std::string, std::string>& unparsed) {
  for (Occurrence& occurrence : occurrences) {
    if (occurrence.cls == OccurrenceClass::kNotCode) continue;
    const Site* covering = nullptr;
    for (const Site& site : sites)
      if (site.span.file == occurrence.file && site.span.offset <= occurrence.offset &&
          occurrence.offset < site.span.offset + site.span.length)
        covering = &site;
    if (!covering) {
      occurrence.cls = OccurrenceClass::kManual;
      auto failed = unparsed.find(occurrence.file);
      occurrence.reason =
          failed != unparsed.end()
              ? "not seen by the AST: " + failed->second
              : "not seen by the AST: in a preprocessor branch that is inactive here, or in code the "
                "parser dropped";
      continue;
    }
    occurrence.has_site = true;
    occurrence.reason = covering->reason;
    switch (covering->decision) {
      case Decision::kKernel:
      case Decision::kInference:
      case Decision::kRemove:
        if (plan.files.count(covering->span.file)) {
          occurrence.cls = llvm::StringRef(covering->reason).startswith("from tokens: ")
                               ? OccurrenceClass::kRewrittenTokens
                               : OccurrenceClass::kRewrittenAst;
        } else {
          occurrence.cls = OccurrenceClass::kManual;
          occurrence.reason = "decided but not edited: " + covering->reason;
        }
        break;
      case Decision::kSuppressed: occurrence.cls = OccurrenceClass::kAccepted; break;
      case Decision::kManual: occurrence.cls = OccurrenceClass::kManual; break;
    }
  }
}

std::map<OccurrenceClass, int> CountOccurrences(const std::vector<Occurrence>& occurrences) {
  std::map<OccurrenceClass, int> counts;
  for (const Occurrence& occurrence : occurrences) ++counts[occurrence.cls];
  return counts;
}

std::string OccurrenceLine(const Occurrence& occurrence) {
  return occurrence.display + ":" + std::to_string(occurrence.line) + ":" + std::to_string(occurrence.column) +
         ": " + (occurrence.cls == OccurrenceClass::kManual ? "MANUAL" : OccurrenceClassName(occurrence.cls)) +
         " AutoNonVariableTypeMode: " + occurrence.reason;
}

std::string OccurrenceCounts(const std::vector<Occurrence>& occurrences) {
  std::map<OccurrenceClass, int> counts = CountOccurrences(occurrences);
  return std::to_string(occurrences.size()) + " occurrence(s): " +
         std::to_string(counts[OccurrenceClass::kRewrittenAst]) + " rewritten from the AST, " +
         std::to_string(counts[OccurrenceClass::kRewrittenTokens]) + " rewritten from tokens, " +
         std::to_string(counts[OccurrenceClass::kManual]) + " manual, " +
         std::to_string(counts[OccurrenceClass::kAccepted]) + " accepted, " +
         std::to_string(counts[OccurrenceClass::kNotCode]) + " not code";
}

std::string ReportWithAccounting(const std::string& sites_json, const std::vector<Occurrence>& occurrences) {
  std::vector<const Occurrence*> sorted;
  for (const Occurrence& occurrence : occurrences) sorted.push_back(&occurrence);
  std::stable_sort(sorted.begin(), sorted.end(), [](const Occurrence* a, const Occurrence* b) {
    return std::tie(a->display, a->line, a->column) < std::tie(b->display, b->line, b->column);
  });
  std::string sites = sites_json;
  while (!sites.empty() && sites.back() == '\n') sites.pop_back();
  std::string out = "{\"sites\": " + sites + ",\n\"occurrences\": [";
  bool first = true;
  for (const Occurrence* occurrence : sorted) {
    out += first ? "\n" : ",\n";
    first = false;
    out += "  {\"file\": \"" + JsonEscape(occurrence->display) + "\", \"line\": " +
           std::to_string(occurrence->line) + ", \"column\": " + std::to_string(occurrence->column) +
           ", \"class\": \"" + OccurrenceClassName(occurrence->cls) + "\", \"reason\": \"" +
           JsonEscape(occurrence->reason) + "\"}";
  }
  out += first ? "],\n" : "\n],\n";
  std::map<OccurrenceClass, int> counts = CountOccurrences(occurrences);
  out += "\"counts\": {\"occurrences\": " + std::to_string(occurrences.size());
  for (OccurrenceClass value : {OccurrenceClass::kRewrittenAst, OccurrenceClass::kRewrittenTokens,
                                OccurrenceClass::kManual, OccurrenceClass::kAccepted, OccurrenceClass::kNotCode})
    out += std::string(", \"") + OccurrenceClassName(value) + "\": " + std::to_string(counts[value]);
  out += "}}\n";
  return out;
}

}  // namespace migrate
