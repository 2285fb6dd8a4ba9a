// Flags: make a compile command written for GCC acceptable to Clang 14.
// Flags Clang's driver does not know are dropped (and named, so the user
// learns why a file parsed differently); everything else is kept verbatim.
#ifndef EMBER_MIGRATE_FLAGS_H_
#define EMBER_MIGRATE_FLAGS_H_

#include <string>
#include <vector>

namespace migrate {

// Returns `command` (argv[0] is the compiler) without the flags Clang's
// driver does not know; each dropped flag is appended to *dropped.
std::vector<std::string> DropUnknownFlags(const std::vector<std::string>& command,
                                          std::vector<std::string>* dropped);

}  // namespace migrate

#endif  // EMBER_MIGRATE_FLAGS_H_
