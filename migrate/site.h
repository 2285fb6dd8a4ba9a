// Site: one spelling of the legacy guard in source, and everything the tool
// learned about it. Plain data on purpose: finding (sites.h), deciding
// (decide.h), editing (edits.h) and reporting (report.h) only talk through
// these structs, so each piece can be tested, parallelised or replaced alone.
#ifndef EMBER_MIGRATE_SITE_H_
#define EMBER_MIGRATE_SITE_H_

#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace migrate {

// Which library's guard a site names; chosen from the declaration the
// spelling resolves to, never from the text.
enum class Profile { kTorch, kEmber };

// The replacement names and the headers that declare them.
struct ProfileNames {
  const char* legacy;
  const char* inference;
  const char* inference_header;
  const char* kernel;
  const char* kernel_header;
  bool angled;  // <...> vs "..."
};
const ProfileNames& NamesFor(Profile profile);

enum class Context { kKernel, kInference };

// The constructor argument of one construction of the guard.
enum class Arg { kNone, kTrue, kFalse, kRuntime };

enum class Decision { kKernel, kInference, kManual, kRemove, kSuppressed };
const char* DecisionName(Decision decision);

// A byte range of a file, keyed by the file's real path so that a header
// reached through a symlink or two include spellings is one file.
struct Span {
  std::string file;
  unsigned offset = 0;
  unsigned length = 0;
  friend bool operator<(const Span& a, const Span& b) {
    return std::tie(a.file, a.offset, a.length) < std::tie(b.file, b.offset, b.length);
  }
  friend bool operator==(const Span& a, const Span& b) {
    return a.file == b.file && a.offset == b.offset && a.length == b.length;
  }
};

// One vote for what a site is: a construction of the guard through this
// spelling (or, when nothing constructs it, the place the spelling sits in).
struct Use {
  Context context = Context::kInference;
  Arg arg = Arg::kNone;
  std::string reason;  // "inside `F::forward`, a subclass of `...`"
  std::string where;   // "file:line" of the use, for merged reasons
  // Decided by default only (e.g. a header helper nobody calls in this TU):
  // ignored when another use says something definite.
  bool weak = false;
  // Under // NOLINT(migrate): the spelling it goes through is left alone too.
  bool suppressed = false;
  // Inside Function<T>::forward, which already runs below autograd.
  bool redundant = false;
  // The argument text to drop when the guard becomes the no-argument kernel
  // guard; absent when there is none or it cannot be edited safely, and then
  // `arg_uneditable` says why ("is spelled inside a macro").
  std::optional<Span> arg_span;
  std::string arg_uneditable;
  // The whole declaration statement, for --kernel-guard=remove.
  std::optional<Span> stmt_span;
  friend bool operator<(const Use& a, const Use& b) {
    return std::tie(a.where, a.reason, a.arg) < std::tie(b.where, b.reason, b.arg);
  }
};

struct Site {
  Span span;             // the spelled tokens naming the guard
  std::string display;   // file name as the user should read it
  unsigned line = 0, column = 0;
  std::string spelling;  // as written: "at::AutoNonVariableTypeMode"
  Profile profile = Profile::kTorch;
  std::vector<Use> uses;
  // Set by the finder when the spelling itself cannot be edited (e.g. in a
  // macro defined outside the project); forces MANUAL.
  std::string blocked;
  std::string macro;     // "in macro FOO defined at f.h:3" for macro bodies
  bool suppressed = false;
  // Whether some translation unit reaches this spelling without having seen
  // the declaration of the replacement.
  bool missing_inference_decl = false;
  bool missing_kernel_decl = false;
  // Where the spelling sits, the replacement's namespace (`c10`, `at`) is
  // shadowed (e.g. by a user's `app::c10`): the replacement is written `::c10::…`.
  bool global_anchor = false;

  // Filled in by Decide().
  Decision decision = Decision::kManual;
  std::string reason;
  std::string replacement;  // empty when nothing is written
  bool redundant = false;
};

}  // namespace migrate

#endif  // EMBER_MIGRATE_SITE_H_
