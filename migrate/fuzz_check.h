// The fuzz target's per-input check, shared by the libFuzzer binary
// (pipeline_fuzzer.cc) and the corpus test that runs in every CI config.
//
// Any bytes are treated as one C++ source file that sees a small prelude of
// stand-ins for LibTorch's and Ember's guard declarations, so the AST tier
// has something to find when the bytes parse. The whole pipeline runs on it
// under every combination of --assume and --kernel-guard, and every edit it
// plans must either lie inside a legacy-guard declaration the tiers found
// (the guard's spelling, the `true` argument a kernel guard drops, or the
// whole declaration --kernel-guard=remove deletes) or be one added #include
// line of a replacement guard's header.
#ifndef EMBER_MIGRATE_FUZZ_CHECK_H_
#define EMBER_MIGRATE_FUZZ_CHECK_H_

#include <string>
#include <string_view>

#include "migrate/pipeline.h"

namespace migrate {

// The in-memory translation unit the fuzz target parses: `bytes` as the main
// file, the prelude, and bounded compiler flags (few errors, shallow
// templates and constexpr) so that no input parses for long.
InMemoryTu FuzzTu(std::string_view bytes);

// Why the edits of `outcome` break the rule above; empty when they keep it.
// `found` is what the edits were planned from.
std::string CheckEdits(const Found& found, const Outcome& outcome);

// Runs the pipeline on `bytes` under every set of options and checks each
// outcome; empty when all are fine, else one line per problem.
std::string CheckOneInput(std::string_view bytes);

}  // namespace migrate

#endif  // EMBER_MIGRATE_FUZZ_CHECK_H_
