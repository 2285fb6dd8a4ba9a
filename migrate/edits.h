// Edits: decided sites -> clang::tooling::Replacements per file (keyed by
// real path, so a header reached from many translation units is edited once),
// the header that declares each replacement added where needed, unified diffs
// and atomic writes.
//
// Guarantees: only the spelled tokens change (plus a dropped `true` for the
// no-argument kernel guard, and one #include line); identical edits merge;
// overlapping ones reject the whole file; CRLF files stay CRLF; a file that
// changed on disk since it was parsed is not written.
#ifndef EMBER_MIGRATE_EDITS_H_
#define EMBER_MIGRATE_EDITS_H_

#include <map>
#include <string>
#include <vector>

#include "clang/Tooling/Core/Replacement.h"
#include "migrate/site.h"

namespace migrate {

struct FileEdit {
  std::string path;      // real path
  std::string display;   // for diffs and messages
  std::string original;  // as parsed
  std::string updated;
  clang::tooling::Replacements replacements;
};

struct EditPlan {
  std::map<std::string, FileEdit> files;  // only files that change
};

// Computes the edits of every decided site. Sites of a file whose edits
// conflict become MANUAL with the conflict as reason, and that file is left
// alone. `contents` maps real paths to the text the sites were found in.
EditPlan PlanEdits(std::vector<Site>& sites, const std::map<std::string, std::string>& contents);

// A unified diff (a/ and b/ prefixes, 3 lines of context) of one file.
std::string UnifiedDiff(const FileEdit& edit);

// Replaces `path` by `updated` through a temporary file and a rename, keeping
// its permissions, unless its content is no longer `expected`. Returns an
// empty string on success, else the reason.
std::string WriteAtomically(const std::string& path, const std::string& expected,
                            const std::string& updated);

}  // namespace migrate

#endif  // EMBER_MIGRATE_EDITS_H_
