// Sites: find every spelling of the legacy guard in one translation unit, by
// the declaration it resolves to (qualified, unqualified, through aliases and
// typedefs, in members, unique_ptr/optional holders, lambdas, templates and
// macros), together with the uses that construct it and the context of each.
//
// What is spelled is matched, not template instantiations: one spelling is one
// Site. Spellings in system headers are ignored; spellings in files the caller
// does not allow editing are dropped, except in macro bodies, which become
// MANUAL with the macro's name and definition.
#ifndef EMBER_MIGRATE_SITES_H_
#define EMBER_MIGRATE_SITES_H_

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "clang/AST/ASTContext.h"
#include "clang/Tooling/Tooling.h"
#include "migrate/site.h"

namespace migrate {

struct FindOptions {
  // Whether a file (by real path) may be edited; system headers never are.
  std::function<bool(const std::string& real_path)> editable = [](const std::string&) {
    return true;
  };
  // Turns a real path into what the user should read (e.g. relative to cwd).
  std::function<std::string(const std::string& real_path)> display = [](const std::string& p) {
    return p;
  };
  // Parse a file whose includes cannot all be found with those includes
  // suppressed (and the stand-ins of missing_headers.h, which the caller
  // force-includes), instead of failing it. Off under --strict.
  bool tolerate_missing_headers = false;
};

struct TuResult {
  std::vector<Site> sites;
  // The text of every file holding a site, as parsed; edits are computed on
  // it and a file that no longer matches it on disk is not written.
  std::map<std::string, std::string> contents;
  // Real paths of the editable files the translation unit reached.
  std::set<std::string> touched;
  // Each `#include` that found no file, as spelled (`<cuda_runtime.h>`).
  std::vector<std::string> missing_headers;
  // Parsed with missing headers and errors: the sites kept are those whose
  // own statement, enclosing functions' declarators and classes' heads
  // parsed without error; the token tier decides the rest.
  bool parsed_with_errors = false;
  // The translation unit failed (e.g. a missing header under --strict): no
  // sites; kept only so that the caller can report missing_headers.
  bool failed = false;
};

// `errors`: where the parser reported errors (see TuResult::parsed_with_errors).
void FindSites(clang::ASTContext& context, const FindOptions& options, TuResult& out,
               const std::vector<clang::SourceLocation>& errors = {});

// A factory for ClangTool::run: one TuResult per translation unit is
// appended to *results, unless the translation unit had errors and no
// missing header explains them (or `failed` set, when headers were missing
// but missing headers are not tolerated).
std::unique_ptr<clang::tooling::FrontendActionFactory> NewFindSitesFactory(
    const FindOptions& options, std::vector<TuResult>* results);

}  // namespace migrate

#endif  // EMBER_MIGRATE_SITES_H_
