// Decide: turn the uses the finder collected for each spelling into one
// decision with its reason. Pure: no Clang, no I/O, so every rule is unit
// tested on plain data (decide_test.cc).
//
//   KERNEL     every use is inside a custom autograd kernel
//              -> AutoDispatchBelowADInplaceOrView (no argument)
//   INFERENCE  every use is plain user code
//              -> InferenceMode (a runtime flag argument is kept)
//   MANUAL     `false`, a runtime flag in kernel context, a spelling (alias,
//              macro, shared header) used in both contexts, or a spelling the
//              finder could not edit safely; --assume overrides the first three.
#ifndef EMBER_MIGRATE_DECIDE_H_
#define EMBER_MIGRATE_DECIDE_H_

#include <optional>
#include <vector>

#include "migrate/site.h"

namespace migrate {

struct DecideOptions {
  std::optional<Context> assume;          // --assume=inference|kernel
  bool remove_redundant_kernel_guard = false;  // --kernel-guard=remove
};

// Sites found by several translation units for the same span become one,
// with the union of their uses; the result is sorted by file and offset.
std::vector<Site> MergeSites(std::vector<Site> sites);

// Fills decision, reason, replacement and redundant of every site.
void Decide(const DecideOptions& options, std::vector<Site>& sites);

}  // namespace migrate

#endif  // EMBER_MIGRATE_DECIDE_H_
