// Token tier: decides occurrences the AST did not cover (a file that failed
// to parse, an inactive #if branch, a function the parser dropped) from
// Clang's raw Lexer token stream: the enclosing function, its parameters,
// its class and base clause, its namespace and the file's registrations.
// The same rules as the AST tier, weaker evidence: every reason starts with
// "from tokens: ". The Sites it returns go through Decide and PlanEdits like
// any other.
#ifndef EMBER_MIGRATE_TOKEN_TIER_H_
#define EMBER_MIGRATE_TOKEN_TIER_H_

#include <string>
#include <vector>

#include "migrate/site.h"

namespace migrate {

// Why a file is left to the token tier without trying to parse it ("a CUDA
// source", "an Objective-C++ source"), or "" to parse it: CUDA needs a CUDA
// installation and a device pass, Objective-C++ an SDK; parsing either here
// costs much and shows little.
std::string TokenTierOnly(const std::string& path);

// One Site (with one Use) per offset of an `AutoNonVariableTypeMode`
// identifier in `text`.
std::vector<Site> TokenSites(const std::string& path, const std::string& display, const std::string& text,
                             const std::vector<unsigned>& offsets);

}  // namespace migrate

#endif  // EMBER_MIGRATE_TOKEN_TIER_H_
