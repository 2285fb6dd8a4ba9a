#!/usr/bin/env bash
# Runs @ember//migrate's aspect and apply_fixes in another workspace, as a
# user would (see migrate/README.md, "In a Bazel monorepo"):
#   bazel build //... --aspects=@ember//migrate:aspect.bzl%migrate_aspect --output_groups=migrate
#   bazel run @ember//migrate:apply_fixes
# and checks each target's outputs, the merged edits (lib/guards.h is edited
# by three targets' fixes, once), that the migrated workspace builds and that
# a second round changes nothing; and that options set with
# --@ember//migrate:options reach the tool, and wrong ones are refused.
set -euo pipefail

# The real source tree: this test is tagged "local", so runfiles are symlinks
# into it.
ember_root="$(dirname "$(readlink -f "$1")")"
template="$(dirname "$(readlink -f "$2")")"

work="${TEST_TMPDIR}/user"
rm -rf "${work}"
mkdir -p "${work}/lib" "${work}/app" "${work}/ops"
sed "s|@EMBER@|${ember_root}|g" "${template}/WORKSPACE.in" >"${work}/WORKSPACE"
cp "${template}/lib.BUILD" "${work}/lib/BUILD.bazel"
cp "${template}/guards.h" "${work}/lib/"
cp "${template}/app.BUILD" "${work}/app/BUILD.bazel"
cp "${template}/predict.cc" "${template}/flagged.cc" "${template}/broken.cc" "${work}/app/"
cp "${template}/ops.BUILD" "${work}/ops/BUILD.bazel"
cp "${template}/kernel.cc" "${work}/ops/"
chmod -R u+w "${work}"
echo "build --cxxopt=-std=c++17 --host_cxxopt=-std=c++17 --spawn_strategy=processwrapper-sandbox" >"${work}/.bazelrc"

# A stable output root keeps the nested Bazel's cache (and its build of the
# tool) between runs; the disk cache survives a new scratch directory.
output_root="${EMBER_NESTED_BAZEL_ROOT:-/tmp/ember-external-workspace-bazel}"
nested_bazel() {
  (cd "${work}" && bazel --batch --output_user_root="${output_root}" "$1" \
    --disk_cache="${output_root}/disk_cache" "${@:2}")
}
fail() { echo "FAIL: $*" >&2; exit 1; }

aspect() {
  nested_bazel build //... --aspects=@ember//migrate:aspect.bzl%migrate_aspect --output_groups=migrate \
    >"${TEST_TMPDIR}/aspect.log" 2>&1 || { cat "${TEST_TMPDIR}/aspect.log"; fail "the aspect build failed"; }
}
apply() {  # apply <args...>: stdout in apply.out, stderr in apply.err
  rc=0
  nested_bazel run @ember//migrate:apply_fixes -- "$@" >"${TEST_TMPDIR}/apply.out" 2>"${TEST_TMPDIR}/apply.err" || rc=$?
  sed -n '/^apply_fixes: /p' "${TEST_TMPDIR}/apply.err" >"${TEST_TMPDIR}/apply.msg"
}
has() {  # has <file> <fixed string>
  grep -qF -- "$2" "$1" || fail "$1 lacks '$2':
$(cat "$1")"
}

aspect
bin="${work}/bazel-bin"

# Per target: fixes, report and log with its exit status.
for target in lib/guards app/predict app/flagged app/broken ops/kernel; do
  for ext in yaml json log sha256; do
    [[ -f "${bin}/${target}.migrate.${ext}" ]] || fail "no ${target}.migrate.${ext}"
  done
done
[[ ! -e "${bin}/lib/empty.migrate.yaml" && ! -e "${bin}/lib/config.migrate.yaml" ]] ||
  fail "a target without sources got fix files"

has "${bin}/ops/kernel.migrate.json" '"file": "ops/kernel.cc", "line": 10, "column": 3, "old": "ember::AutoNonVariableTypeMode", "new": "ember::AutoDispatchBelowADInplaceOrView", "decision": "KERNEL"'
has "${bin}/app/predict.migrate.json" '"file": "app/predict.cc", "line": 4, "column": 3, "old": "ember::AutoNonVariableTypeMode", "new": "ember::InferenceMode", "decision": "INFERENCE"'
for target in lib/guards app/predict ops/kernel; do
  has "${bin}/${target}.migrate.json" '"file": "lib/guards.h", "line": 9, "column": 3, "old": "ember::AutoNonVariableTypeMode", "new": "ember::InferenceMode", "decision": "INFERENCE"'
  has "${bin}/${target}.migrate.yaml" "FilePath:        'lib/guards.h'"
done
# The target's own flags: parsed (AST, not tokens), so the #error stayed off.
has "${bin}/app/flagged.migrate.json" '"file": "app/flagged.cc", "line": 9, "column": 10, "class": "rewritten-from-ast"'
has "${bin}/app/flagged.migrate.log" "migrate: exit status 0"
has "${bin}/app/broken.migrate.log" "migrate: exit status 3"
has "${bin}/app/broken.migrate.json" '"file": "app/broken.cc", "line": 4, "column": 10, "class": "rewritten-from-tokens"'
has "${bin}/app/predict.migrate.log" "dropped -fno-canonical-system-headers"
if grep -E "^[ -]*(FilePath|MainSourceFile): *'?/" "${bin}"/*/*.migrate.yaml; then
  fail "absolute paths in the fix files"
fi

# Dry run: the diff, nothing written.
before="$(cd "${work}" && cat lib/guards.h app/*.cc ops/kernel.cc | sha256sum)"
apply --dry-run --report=merged.json
[[ "${rc}" == 0 ]] || fail "apply_fixes --dry-run exited ${rc}: $(cat "${TEST_TMPDIR}/apply.msg")"
[[ "$(cd "${work}" && cat lib/guards.h app/*.cc ops/kernel.cc | sha256sum)" == "${before}" ]] ||
  fail "--dry-run wrote files"
has "${TEST_TMPDIR}/apply.out" "+++ b/lib/guards.h"
has "${TEST_TMPDIR}/apply.msg" "would change 5 file(s): app/broken.cc app/flagged.cc app/predict.cc lib/guards.h ops/kernel.cc"
[[ -f "${work}/merged.json" ]] || fail "--report did not write merged.json"
[[ "$(grep -c '"file": "lib/guards.h", "line": 9, "column": 3,' "${work}/merged.json")" == 1 ]] ||
  fail "the merged report does not hold the header's site once"

# Apply: the header's edit comes from three fix files and lands once.
apply
[[ "${rc}" == 0 ]] || fail "apply_fixes exited ${rc}: $(cat "${TEST_TMPDIR}/apply.msg")"
# Three targets' fixes edit lib/guards.h twice each (an #include, the guard):
# 15 edits, 11 distinct.
has "${TEST_TMPDIR}/apply.msg" "apply_fixes: 5 fix file(s), 15 edit(s), 11 distinct; changed 5 file(s)"
has "${TEST_TMPDIR}/apply.msg" "1 target(s) had a file that failed to parse (see its .migrate.log): //app:broken"
for file in lib/guards.h app/predict.cc app/flagged.cc app/broken.cc ops/kernel.cc; do
  diff -u "${template}/expected/$(basename "${file}")" "${work}/${file}" || fail "${file} differs from expected/"
done

# The fix files are now stale: a second apply without a build skips them.
apply
has "${TEST_TMPDIR}/apply.msg" "skipped 5 stale fix file(s)"
has "${TEST_TMPDIR}/apply.msg" "changed 0 file(s)"

# The migrated workspace builds.
nested_bazel build //app:predict //app:flagged //ops:kernel >"${TEST_TMPDIR}/build.log" 2>&1 ||
  { cat "${TEST_TMPDIR}/build.log"; fail "the migrated workspace does not build"; }

# A second round finds nothing left to change.
after="$(cd "${work}" && cat lib/guards.h app/*.cc ops/kernel.cc | sha256sum)"
aspect
apply
[[ "${rc}" == 0 ]] || fail "the second apply_fixes exited ${rc}: $(cat "${TEST_TMPDIR}/apply.msg")"
has "${TEST_TMPDIR}/apply.msg" "changed 0 file(s)"
[[ "$(cd "${work}" && cat lib/guards.h app/*.cc ops/kernel.cc | sha256sum)" == "${after}" ]] ||
  fail "the second round changed files"
# Tool options through the build setting: they reach the tool (here
# --no-prescan drops the pre-scan's summary line from the log) ...
nested_bazel build //app:predict --aspects=@ember//migrate:aspect.bzl%migrate_aspect --output_groups=migrate \
  --@ember//migrate:options=--no-prescan,--kernel-guard=remove >"${TEST_TMPDIR}/options.log" 2>&1 ||
  { cat "${TEST_TMPDIR}/options.log"; fail "the aspect build with options failed"; }
has "${bin}/app/predict.migrate.log" "migrate: exit status 0"
if grep -q "pre-scan skipped" "${bin}/app/predict.migrate.log"; then
  fail "--no-prescan did not reach the tool: $(cat "${bin}/app/predict.migrate.log")"
fi
# ... and an option that belongs to the action fails the analysis, named.
if nested_bazel build //app:predict --aspects=@ember//migrate:aspect.bzl%migrate_aspect --output_groups=migrate \
  --@ember//migrate:options=--in-place >"${TEST_TMPDIR}/bad_options.log" 2>&1; then
  fail "--in-place was accepted as an aspect option"
fi
has "${TEST_TMPDIR}/bad_options.log" "'--in-place' is not an option the aspect passes on; allowed: --assume=..., --kernel-guard=..., --strict, --no-prescan, --no-shared-preamble"
# ... as does a value an option does not take.
if nested_bazel build //app:predict --aspects=@ember//migrate:aspect.bzl%migrate_aspect --output_groups=migrate \
  --@ember//migrate:options=--assume=maybe >"${TEST_TMPDIR}/bad_value.log" 2>&1; then
  fail "--assume=maybe was accepted as an aspect option"
fi
has "${TEST_TMPDIR}/bad_value.log" "'--assume' takes one of inference, kernel, as --assume=inference (got '--assume=maybe')"
echo "PASS"
