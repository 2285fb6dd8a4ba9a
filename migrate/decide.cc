#include "migrate/decide.h"

#include <algorithm>
#include <map>
#include <string>
#include <utility>

namespace migrate {

const ProfileNames& NamesFor(Profile profile) {
  static const ProfileNames kTorch = {
      "at::AutoNonVariableTypeMode", "c10::InferenceMode", "c10/core/InferenceMode.h",
      "at::AutoDispatchBelowADInplaceOrView", "ATen/core/LegacyTypeDispatch.h", true};
  static const ProfileNames kEmber = {
      "ember::AutoNonVariableTypeMode", "ember::InferenceMode", "modes/inference_mode.h",
      "ember::AutoDispatchBelowADInplaceOrView", "modes/kernel_guards.h", false};
  return profile == Profile::kEmber ? kEmber : kTorch;
}

const char* DecisionName(Decision decision) {
  switch (decision) {
    case Decision::kKernel: return "KERNEL";
    case Decision::kInference: return "INFERENCE";
    case Decision::kManual: return "MANUAL";
    case Decision::kRemove: return "REMOVE";
    case Decision::kSuppressed: return "SUPPRESSED";
  }
  return "?";
}

std::vector<Site> MergeSites(std::vector<Site> sites) {
  std::map<Span, Site> by_span;
  for (Site& site : sites) {
    auto [it, inserted] = by_span.try_emplace(site.span, site);
    if (inserted) continue;
    Site& merged = it->second;
    merged.uses.insert(merged.uses.end(), site.uses.begin(), site.uses.end());
    if (merged.blocked.empty()) merged.blocked = site.blocked;
    merged.suppressed = merged.suppressed || site.suppressed;
    merged.missing_inference_decl = merged.missing_inference_decl || site.missing_inference_decl;
    merged.missing_kernel_decl = merged.missing_kernel_decl || site.missing_kernel_decl;
    merged.global_anchor = merged.global_anchor || site.global_anchor;
  }
  std::vector<Site> out;
  out.reserve(by_span.size());
  for (auto& [span, site] : by_span) {
    std::sort(site.uses.begin(), site.uses.end());
    site.uses.erase(std::unique(site.uses.begin(), site.uses.end(),
                                [](const Use& a, const Use& b) {
                                  return a.where == b.where && a.reason == b.reason && a.arg == b.arg;
                                }),
                    site.uses.end());
    out.push_back(std::move(site));
  }
  return out;
}

namespace {

std::string Quote(const std::string& where, const std::string& reason) {
  return where.empty() ? reason : where + ": " + reason;
}

// The decision before --assume; `manual` is why it could not be made.
struct Verdict {
  std::optional<Context> context;
  std::string reason;
  std::string manual;
};

Verdict Judge(const Site& site) {
  Verdict verdict;
  std::vector<const Use*> strong;
  for (const Use& use : site.uses)
    if (!use.weak) strong.push_back(&use);
  if (strong.empty())
    for (const Use& use : site.uses) strong.push_back(&use);
  if (strong.empty()) {
    verdict.manual = "no use of this spelling was seen in the translation units given";
    return verdict;
  }
  const Use* kernel = nullptr;
  const Use* inference = nullptr;
  for (const Use& use : site.uses) {
    if (use.suppressed) {
      verdict.manual = "a use at " + use.where +
                       " is marked // NOLINT(migrate) and goes through this spelling";
      return verdict;
    }
  }
  for (const Use* use : strong) {
    if (use->arg == Arg::kFalse) {
      verdict.manual =
          "constructed with `false` (" + Quote(use->where, use->reason) +
          "): LibTorch 1.13 asserts on it, older LibTorch re-enabled autograd dispatch, and "
          "InferenceMode(false) also turns grad mode on; decide by hand";
      return verdict;
    }
    (use->context == Context::kKernel ? kernel : inference) = use;
  }
  if (kernel && inference) {
    verdict.manual = "used in both contexts: KERNEL " + Quote(kernel->where, kernel->reason) +
                     "; INFERENCE " + Quote(inference->where, inference->reason);
    if (!site.macro.empty()) verdict.manual = site.macro + ", " + verdict.manual;
    return verdict;
  }
  verdict.context = kernel ? Context::kKernel : Context::kInference;
  verdict.reason = (kernel ? kernel : inference)->reason;
  if (kernel) {
    for (const Use* use : strong) {
      if (use->arg == Arg::kRuntime) {
        verdict.manual = "a runtime flag in kernel context (" + Quote(use->where, use->reason) +
                         "): AutoDispatchBelowADInplaceOrView takes no flag";
        return verdict;
      }
      if (use->arg != Arg::kNone && !use->arg_span) {
        verdict.manual = "the constructor argument (" + Quote(use->where, use->reason) + ") " +
                         (use->arg_uneditable.empty() ? "is not one editable range" : use->arg_uneditable) +
                         " and cannot be dropped safely";
        return verdict;
      }
    }
  }
  return verdict;
}

}  // namespace

void Decide(const DecideOptions& options, std::vector<Site>& sites) {
  for (Site& site : sites) {
    const ProfileNames& names = NamesFor(site.profile);
    site.replacement.clear();
    site.redundant = false;
    if (site.suppressed) {
      site.decision = Decision::kSuppressed;
      site.reason = "suppressed by // NOLINT(migrate)";
      continue;
    }
    if (!site.blocked.empty()) {
      site.decision = Decision::kManual;
      site.reason = site.blocked;
      continue;
    }
    Verdict verdict = Judge(site);
    if (!verdict.manual.empty()) {
      if (!options.assume) {
        site.decision = Decision::kManual;
        site.reason = verdict.manual;
        continue;
      }
      verdict.context = options.assume;
      verdict.reason = std::string("--assume=") +
                       (*options.assume == Context::kKernel ? "kernel" : "inference") +
                       " for: " + verdict.manual;
    }
    if (!site.macro.empty() && site.uses.size() > 1)
      verdict.reason = site.macro + ", all " + std::to_string(site.uses.size()) +
                       " expansions agree, e.g. " + verdict.reason;
    else if (!site.macro.empty())
      verdict.reason = site.macro + ", " + verdict.reason;
    // A spelling anchored at the global namespace stays anchored, and so is
    // a replacement whose namespace the enclosing scopes shadow.
    const std::string anchor = site.spelling.rfind("::", 0) == 0 || site.global_anchor ? "::" : "";
    if (*verdict.context == Context::kInference) {
      site.decision = Decision::kInference;
      site.replacement = anchor + names.inference;
      site.reason = verdict.reason;
      continue;
    }
    site.redundant = !site.uses.empty() &&
                     std::all_of(site.uses.begin(), site.uses.end(),
                                 [](const Use& use) { return use.redundant; });
    const bool removable = site.redundant &&
                           std::all_of(site.uses.begin(), site.uses.end(),
                                       [](const Use& use) { return use.stmt_span.has_value(); });
    site.reason = verdict.reason;
    if (site.redundant)
      site.reason += "; redundant: forward of a custom Function already runs below autograd";
    if (options.remove_redundant_kernel_guard && removable) {
      site.decision = Decision::kRemove;
    } else {
      site.decision = Decision::kKernel;
      site.replacement = anchor + names.kernel;
    }
  }
}

}  // namespace migrate
