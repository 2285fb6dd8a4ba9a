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

// GCC's precompiled headers: with `-include X` (CMake's
// target_precompile_headers writes it), Clang's driver loads `X.pch` or
// `X.gch` if there is one, and GCC's file there is not Clang's ("input is not
// a PCH file"). When any forced include has such a file (a directory, or a
// file that does not start as a Clang AST file does), every `-include` goes
// to Clang's frontend instead (`-Xclang -include -Xclang X`, same order),
// which looks for no PCH: X is parsed from its text. Relative paths are
// relative to `directory`. Each header so passed is appended to *noted.
std::vector<std::string> BypassForeignPch(const std::vector<std::string>& command, const std::string& directory,
                                          std::vector<std::string>* noted);

}  // namespace migrate

#endif  // EMBER_MIGRATE_FLAGS_H_
