#include "migrate/occurrences.h"

#include <algorithm>
#include <tuple>

#include "clang/Basic/LangOptions.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "clang/Lex/Token.h"
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

clang::LangOptions RawLangOptions() {
  clang::LangOptions lang;
  lang.CPlusPlus = lang.CPlusPlus11 = lang.CPlusPlus14 = lang.CPlusPlus17 = 1;
  lang.LineComment = 1;
  lang.Bool = 1;
  return lang;
}

// One #if group seen by the raw lexer: whether its condition is the literal
// 0 or 1 (so that a branch is known to be dead) and how far it got.
struct Conditional {
  enum Kind { kZero, kOne, kOther, kTaken } kind = kOther;
  bool in_else = false;
  bool Disabled() const {
    return (kind == kZero && !in_else) || (kind == kOne && in_else) || kind == kTaken;
  }
};

}  // namespace

std::vector<Occurrence> ScanOccurrences(const std::string& path, const std::string& display,
                                        const std::string& text) {
  static const re2::RE2 kName(R"(\bAutoNonVariableTypeMode\b)");
  std::vector<Occurrence> found;
  {
    re2::StringPiece input(text);
    re2::StringPiece match;
    size_t start = 0;
    while (start <= text.size() &&
           kName.Match(input, start, text.size(), re2::RE2::UNANCHORED, &match, 1)) {
      Occurrence occurrence;
      occurrence.file = path;
      occurrence.display = display;
      occurrence.offset = static_cast<unsigned>(match.data() - text.data());
      const size_t line_start = occurrence.offset == 0 ? std::string::npos : text.rfind('\n', occurrence.offset - 1);
      occurrence.line = 1 + std::count(text.begin(), text.begin() + occurrence.offset, '\n');
      occurrence.column = occurrence.offset - (line_start == std::string::npos ? 0 : line_start + 1) + 1;
      found.push_back(occurrence);
      start = occurrence.offset + match.size();
    }
  }
  if (found.empty()) return found;

  // Which token holds each occurrence, from Clang's raw lexer.
  clang::SourceManagerForFile files(path, text);
  clang::SourceManager& sm = files.get();
  const clang::FileID fid = sm.getMainFileID();
  const clang::LangOptions lang = RawLangOptions();
  clang::Lexer lexer(fid, sm.getBufferOrFake(fid), sm, lang);
  lexer.SetCommentRetentionState(true);
  std::vector<Conditional> conditionals;
  auto disabled = [&] {
    return std::any_of(conditionals.begin(), conditionals.end(),
                       [](const Conditional& c) { return c.Disabled(); });
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
            clang::Token condition;
            lexer.LexFromRawLexer(condition);
            if (condition.is(clang::tok::numeric_constant) && !condition.isAtStartOfLine()) {
              const llvm::StringRef value(condition.getLiteralData(), condition.getLength());
              if (value == "0") group.kind = Conditional::kZero;
              if (value == "1") group.kind = Conditional::kOne;
            }
          }
          conditionals.push_back(group);
        } else if (name == "elif" && !conditionals.empty()) {
          Conditional& group = conditionals.back();
          group.kind = group.kind == Conditional::kOne || group.kind == Conditional::kTaken ? Conditional::kTaken
                                                                                            : Conditional::kOther;
        } else if (name == "else" && !conditionals.empty()) {
          conditionals.back().in_else = true;
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
        occurrence.reason = "disabled by `#if 0`";
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
