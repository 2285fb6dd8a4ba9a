#include "migrate/token_tier.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "clang/Lex/Token.h"
#include "migrate/raw_lexer.h"

namespace migrate {
namespace {

struct Tok {
  clang::tok::TokenKind kind;
  std::string text;
  unsigned offset = 0;
  // Of the raw text: more than the spelling when the token holds a line
  // splice (`\` newline) or is a digraph. A token after a splice starts at
  // the backslash.
  unsigned length = 0;
  unsigned line = 0;
  std::string macro;  // the #define whose body holds the token
  bool line_start = false;
  bool Is(const char* s) const { return text == s; }
  bool Ident() const { return kind == clang::tok::raw_identifier; }
};

enum class ScopeKind { kNamespace, kClass, kFunction, kLambda, kOther };

struct Scope {
  ScopeKind kind = ScopeKind::kOther;
  std::string name;     // qualified as written for functions
  std::string bases;    // base clause text of a class
  size_t params_begin = 0, params_end = 0;  // tokens of a function's ( ... )
  size_t open = 0, close = 0;               // token indexes of { and }
};

std::vector<Tok> Lex(const std::string& path, const std::string& text) {
  RawSource source(path, text);
  clang::SourceManager& sm = source.sm();
  clang::Lexer& lexer = source.lexer();
  std::vector<Tok> tokens;
  // Directive lines are not code, except a #define's body (continued
  // with `\`, which the raw lexer treats as whitespace).
  enum { kCode, kSkipLine, kDefineName, kDefineParams, kDefineBody } state = kCode;
  clang::Token token;
  std::string macro;
  while (true) {
    lexer.LexFromRawLexer(token);
    if (token.is(clang::tok::eof)) break;
    if (token.isAtStartOfLine()) {
      macro.clear();
      if (token.is(clang::tok::hash)) {
        clang::Token directive;
        lexer.LexFromRawLexer(directive);
        const bool define = directive.is(clang::tok::raw_identifier) && directive.getRawIdentifier() == "define" &&
                            !directive.isAtStartOfLine();
        state = define ? kDefineName : kSkipLine;
        continue;
      }
      state = kCode;
    }
    if (state == kSkipLine) continue;
    if (state == kDefineName) {
      state = kDefineBody;
      macro = text.substr(sm.getFileOffset(token.getLocation()), token.getLength());
      clang::Token peek;
      lexer.LexFromRawLexer(peek);
      // A function-like macro's `(` follows the name without a space.
      if (peek.is(clang::tok::l_paren) && !peek.hasLeadingSpace() && !peek.isAtStartOfLine()) {
        state = kDefineParams;
        continue;
      }
      token = peek;
      if (token.is(clang::tok::eof)) break;
      if (token.isAtStartOfLine()) {
        // An empty #define; a directive right after it is skipped whole.
        state = token.is(clang::tok::hash) ? kSkipLine : kCode;
        if (state == kSkipLine) continue;
      }
    }
    if (state == kDefineParams) {
      if (token.is(clang::tok::r_paren)) state = kDefineBody;
      continue;
    }
    Tok tok;
    tok.kind = token.getKind();
    tok.offset = sm.getFileOffset(token.getLocation());
    tok.length = token.getLength();
    // A punctuator by its kind's spelling: the digraph `<%` is a `{`.
    const char* punctuator = clang::tok::getPunctuatorSpelling(tok.kind);
    tok.text = punctuator ? punctuator : text.substr(tok.offset, token.getLength());
    tok.line = sm.getSpellingLineNumber(token.getLocation());
    tok.macro = macro;
    tok.line_start = token.isAtStartOfLine();
    tokens.push_back(tok);
  }
  return tokens;
}

bool IsControl(const std::string& s) {
  return s == "if" || s == "for" || s == "while" || s == "switch" || s == "catch" || s == "return";
}

// What the `{` at index i opens, from the tokens before it.
Scope Classify(const std::vector<Tok>& t, size_t i) {
  Scope scope;
  scope.open = i;
  size_t j = i;
  // Skip back to the statement start, noting class/struct/namespace.
  size_t start = i;
  while (start > 0) {
    const Tok& p = t[start - 1];
    if (p.Is(";") || p.Is("{") || p.Is("}")) break;
    --start;
  }
  for (size_t k = start; k < i; ++k) {
    if (t[k].Is("namespace")) {
      scope.kind = ScopeKind::kNamespace;
      if (k + 1 < i && t[k + 1].Ident()) scope.name = t[k + 1].text;
      return scope;
    }
  }
  // An Objective-C method: `- (type)selector:(T)arg {` / `+ (...)...`.
  size_t method = start;
  while (method < i && !(t[method].line_start && (t[method].Is("+") || t[method].Is("-")))) ++method;
  if (method + 1 < i && t[method + 1].Is("(")) {
    scope.kind = ScopeKind::kFunction;
    for (size_t k = method + 2; k < i; ++k)
      if (t[k].Is(")") && k + 1 < i && t[k + 1].Ident()) {
        scope.name = t[k + 1].text;
        break;
      }
    scope.params_begin = method + 1;
    scope.params_end = i - 1;
    return scope;
  }
  // Function-like: ... name ( params ) [const|override|noexcept|-> T] {
  while (j > start && (t[j - 1].Is("const") || t[j - 1].Is("override") || t[j - 1].Is("final") ||
                       t[j - 1].Is("noexcept") || t[j - 1].Is("mutable")))
    --j;
  if (j > start && t[j - 1].Is(")")) {
    int depth = 0;
    size_t k = j - 1;
    for (;; --k) {
      if (t[k].Is(")")) ++depth;
      if (t[k].Is("(")) --depth;
      if (depth == 0 || k == start) break;
    }
    if (depth == 0 && k > start) {
      const Tok& before = t[k - 1];
      scope.params_begin = k;
      scope.params_end = j - 1;
      if (before.Is("]")) {
        scope.kind = ScopeKind::kLambda;
        return scope;
      }
      // `R C::operator()(params) {`
      if (before.Is(")") && k >= start + 3 && t[k - 2].Is("(") && t[k - 3].Is("operator")) {
        scope.kind = ScopeKind::kFunction;
        scope.name = "operator()";
        for (size_t n = k - 3; n >= start + 2 && t[n - 1].Is("::") && t[n - 2].Ident(); n -= 2)
          scope.name = t[n - 2].text + "::" + scope.name;
        return scope;
      }
      if (before.Ident() && !IsControl(before.text)) {
        scope.kind = ScopeKind::kFunction;
        size_t n = k - 1;
        std::string name = t[n].text;
        while (n >= start + 2 && t[n - 1].Is("::") && t[n - 2].Ident()) {
          name = t[n - 2].text + "::" + name;
          n -= 2;
        }
        scope.name = name;
        return scope;
      }
      return scope;
    }
  }
  for (size_t k = start; k < i; ++k) {
    if (t[k].Is("class") || t[k].Is("struct")) {
      scope.kind = ScopeKind::kClass;
      if (k + 1 < i && t[k + 1].Ident()) scope.name = t[k + 1].text;
      for (size_t b = k + 2; b < i; ++b)
        if (t[b].Is(":")) {
          for (size_t c = b + 1; c < i; ++c)
            scope.bases += (c > b + 1 && t[c].Ident() && t[c - 1].Ident() ? " " : "") + t[c].text;
          break;
        }
      return scope;
    }
  }
  return scope;
}

bool Contains(const std::vector<Tok>& t, size_t begin, size_t end, const char* name) {
  for (size_t k = begin; k <= end && k < t.size(); ++k)
    if (t[k].Is(name)) return true;
  return false;
}

// For a use directly in a class body: the sibling member that turns grad
// off (`AutoGradMode`, `NoGradGuard`), if the class has one.
const char* CallGuardSibling(const std::vector<Tok>& t, const std::vector<const Scope*>& enclosing,
                             const Scope* cls) {
  if (!cls || enclosing.empty() || enclosing.back() != cls) return nullptr;
  for (const char* sibling : {"AutoGradMode", "NoGradGuard"})
    if (Contains(t, cls->open, cls->close, sibling)) return sibling;
  return nullptr;
}

}  // namespace

std::string TokenTierOnly(const std::string& path) {
  const llvm::StringRef name(path);
  if (name.endswith(".cu") || name.endswith(".cuh")) return "a CUDA source, not parsed by this tool";
  if (name.endswith(".mm") || name.endswith(".m")) return "an Objective-C++ source, not parsed by this tool";
  return "";
}

std::vector<Site> TokenSites(const std::string& path, const std::string& display, const std::string& text,
                             const std::vector<unsigned>& offsets) {
  const std::vector<Tok> t = Lex(path, text);
  // Every brace scope, with its matching close.
  std::vector<Scope> scopes;
  std::vector<size_t> open;
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i].Is("{")) {
      open.push_back(scopes.size());
      scopes.push_back(Classify(t, i));
    } else if (t[i].Is("}") && !open.empty()) {
      scopes[open.back()].close = i;
      open.pop_back();
    }
  }
  for (size_t index : open) scopes[index].close = t.size();
  // Functions named in TORCH_LIBRARY_IMPL(aten, <key>, m) blocks.
  std::map<std::string, std::string> registered;
  for (size_t i = 0; i + 4 < t.size(); ++i) {
    if (!t[i].Is("TORCH_LIBRARY_IMPL") || !t[i + 1].Is("(")) continue;
    const std::string key = t[i + 4].text;
    for (const Scope& scope : scopes)
      if (scope.open > i && scope.open < i + 12) {
        for (size_t k = scope.open; k < scope.close; ++k)
          if (t[k].Ident()) registered.emplace(t[k].text, key);
        break;
      }
  }

  // Namespaces and classes named like a replacement's namespace but nested
  // in another scope (`app::c10`) shadow the real one somewhere in the file:
  // its token-tier replacements are written `::c10::…` (always correct).
  std::set<std::string> shadowed;
  for (const Scope& scope : scopes)
    if ((scope.kind == ScopeKind::kNamespace || scope.kind == ScopeKind::kClass) && !scope.name.empty() &&
        std::any_of(scopes.begin(), scopes.end(),
                    [&](const Scope& outer) { return outer.open < scope.open && scope.open < outer.close; }))
      shadowed.insert(scope.name);

  std::vector<Site> sites;
  for (unsigned offset : offsets) {
    auto at = std::find_if(t.begin(), t.end(), [&](const Tok& tok) { return tok.offset == offset; });
    if (at == t.end() || at->text != "AutoNonVariableTypeMode") continue;
    const size_t i = at - t.begin();
    // The qualifier, read past the bodies of #defines between its tokens
    // (`c10::` / `#define X 1` / `AutoNonVariableTypeMode`): a directive
    // inside the spelling blocks the site below rather than halving it.
    auto previous = [&](size_t k) -> std::optional<size_t> {
      while (k-- > 0)
        if (t[k].macro == at->macro) return k;
      return std::nullopt;
    };
    size_t first = i;
    while (true) {
      const std::optional<size_t> colons = previous(first);
      if (!colons || !t[*colons].Is("::")) break;
      first = *colons;
      const std::optional<size_t> name = previous(first);
      if (!name || !t[*name].Ident()) break;
      first = *name;
    }
    Site site;
    site.span = Span{path, t[first].offset, t[i].offset + t[i].length - t[first].offset};
    site.spelling = text.substr(site.span.offset, site.span.length);
    site.display = display;
    site.line = t[first].line;
    const size_t line_start = text.rfind('\n', site.span.offset == 0 ? 0 : site.span.offset - 1);
    site.column = site.span.offset - (line_start == std::string::npos || site.span.offset == 0 ? 0 : line_start + 1) + 1;
    site.profile = site.spelling.find("ember::") != std::string::npos ? Profile::kEmber : Profile::kTorch;
    const size_t eol = text.find('\n', site.span.offset);
    site.suppressed = text.substr(site.span.offset, eol == std::string::npos ? std::string::npos : eol - site.span.offset)
                          .find("NOLINT(migrate)") != std::string::npos;

    // The replacement's header is added unless the file already names it.
    const ProfileNames& names = NamesFor(site.profile);
    for (const char* replacement : {names.inference, names.kernel})
      if (shadowed.count(std::string(llvm::StringRef(replacement).split("::").first))) site.global_anchor = true;
    site.missing_inference_decl = text.find(names.inference_header) == std::string::npos;
    site.missing_kernel_decl = text.find(names.kernel_header) == std::string::npos;

    Use use;
    use.where = display + ":" + std::to_string(site.line);
    use.suppressed = site.suppressed;
    // The argument: `name;`, `name(x)`, `name{x}`, or a temporary/holder.
    size_t k = i + 1;
    bool declaration = false;
    if (k < t.size() && t[k].Ident()) {
      declaration = true;
      ++k;
    }
    if (k < t.size() && (t[k].Is("(") || t[k].Is("{"))) {
      const bool paren = t[k].Is("(");
      const char* close = paren ? ")" : "}";
      if (k + 1 < t.size() && t[k + 1].Is(close)) {
        use.arg = Arg::kNone;
      } else if (k + 2 < t.size() && t[k + 2].Is(close) && (t[k + 1].Is("true") || t[k + 1].Is("false"))) {
        use.arg = t[k + 1].Is("true") ? Arg::kTrue : Arg::kFalse;
        if (paren && declaration)
          use.arg_span = Span{path, t[k].offset, t[k + 2].offset + t[k + 2].length - t[k].offset};
        else
          use.arg_span = Span{path, t[k + 1].offset, t[k + 1].length};
        if (HoldsDirective(text.substr(use.arg_span->offset, use.arg_span->length))) {
          use.arg_span.reset();
          use.arg_uneditable = "is split by a preprocessor directive";
        }
      } else {
        use.arg = Arg::kRuntime;
      }
    }

    // The enclosing scopes, innermost last.
    std::vector<const Scope*> enclosing;
    for (const Scope& scope : scopes)
      if (scope.open < i && i < scope.close) enclosing.push_back(&scope);
    const Scope* function = nullptr;
    const Scope* outer_function = nullptr;
    const Scope* cls = nullptr;
    bool native_namespace = false;
    for (const Scope* scope : enclosing) {
      if (scope->kind == ScopeKind::kFunction) {
        function = scope;
        if (!outer_function) outer_function = scope;
      }
      if (scope->kind == ScopeKind::kClass) cls = scope;
      if (scope->kind == ScopeKind::kNamespace && scope->name == "native") native_namespace = true;
    }
    std::string kernel;
    if (function) {
      const std::string& name = function->name;
      const std::string base_name = name.substr(name.rfind(':') == std::string::npos ? 0 : name.rfind(':') + 1);
      const std::string owner = name.find("::") == std::string::npos ? (cls ? cls->name : "")
                                                                    : name.substr(0, name.rfind("::"));
      if ((base_name == "forward" || base_name == "backward") &&
          Contains(t, function->params_begin, function->params_end, "AutogradContext")) {
        kernel = "inside `" + name + "`, whose parameters take an `AutogradContext` (a custom autograd Function's " +
                 base_name + ")";
      } else if (cls && (cls->bases.find("Function<") != std::string::npos ||
                         cls->bases.find("Node") != std::string::npos)) {
        kernel = "inside `" + name + "`, a member of `" + cls->name + "`, whose base clause is `" + cls->bases + "`";
      } else if (owner.size() >= 15 && owner.compare(owner.size() - 15, 15, "NativeFunctions") == 0) {
        kernel = "inside `" + name + "`, a native function of an out-of-tree backend (below autograd)";
      } else if (native_namespace) {
        kernel = "inside `" + name + "`, in a `native` namespace (a backend kernel, below autograd)";
      } else if (auto reg = registered.find(base_name); reg != registered.end()) {
        kernel = "inside `" + name + "`, registered with TORCH_LIBRARY_IMPL for `" + reg->second + "`";
      } else {
        for (const char* builder : {"collect_next_edges", "set_history", "set_next_edges"})
          if (Contains(t, outer_function->open, outer_function->close, builder)) {
            kernel = "inside `" + outer_function->name + "`, which also builds an autograd node (`" + builder + "`)";
            break;
          }
      }
      std::string inference;
      for (const char* model_call : {"load", "_load_for_mobile", "run_method", "forward"})
        if (kernel.empty() && inference.empty())
          for (size_t k = outer_function->open; k < outer_function->close && k + 1 < t.size(); ++k)
            if (t[k].Is(model_call) && t[k + 1].Is("(") && k > 0 && (t[k - 1].Is(".") || t[k - 1].Is("::") ||
                                                                      t[k - 1].Is("->"))) {
              inference = std::string("inside `") + outer_function->name + "`, which runs a loaded model (`" +
                          t[k - 1].text + model_call + "(`)";
              break;
            }
      if (!at->macro.empty()) {
        site.blocked = "from tokens: in the body of macro " + at->macro +
                       ", whose expansions the token tier cannot see; decide by hand";
        use.reason = site.blocked;
      } else if (!kernel.empty()) {
        use.context = Context::kKernel;
        use.reason = "from tokens: " + kernel;
      } else if (!inference.empty()) {
        use.context = Context::kInference;
        use.reason = "from tokens: " + inference;
      } else {
        use.context = Context::kInference;
        use.reason = "from tokens: inside `" + name +
                     "`, no kernel evidence (no AutogradContext parameter, Function/Node base, native scope, "
                     "TORCH_LIBRARY_IMPL registration or autograd node building)";
      }
    } else if (first >= 1 && t[first - 1].Is("using")) {
      site.blocked = "from tokens: a using-declaration of the legacy guard; delete it once the uses it "
                     "introduces are migrated; decide by hand";
      use.reason = site.blocked;
    } else if (const char* sibling = CallGuardSibling(t, enclosing, cls); sibling && at->macro.empty()) {
      // A "call guard": a struct whose members switch autograd off around
      // model calls; the guard's job there is inference.
      use.context = Context::kInference;
      use.reason = "from tokens: a member of `" + cls->name + "`, which bundles it with `" + sibling +
                   "` (a call guard around model calls)";
    } else {
      site.blocked = "from tokens: not inside a function; decide by hand";
      use.reason = site.blocked;
    }
    if (const std::string why = TokenTierOnly(path); !why.empty()) {
      use.reason += " (" + why + ")";
      if (!site.blocked.empty()) site.blocked = use.reason;
    }
    if (HoldsDirective(site.spelling)) {
      site.blocked = "from tokens: a preprocessor directive splits the spelling; editing it would delete the "
                     "directive; edit by hand";
      use.reason = site.blocked;
    }
    site.uses.push_back(use);
    sites.push_back(std::move(site));
  }
  return sites;
}

}  // namespace migrate
