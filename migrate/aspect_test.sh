#!/usr/bin/env bash
# migrate_aspect on the targets of testdata/aspect (through migrate_outputs,
# so that it runs in every CI configuration), then apply_fixes on a copy:
# each target's decisions with its own flags, the shared header's edit once.
# (//tests:migrate_aspect_test does the same from another workspace.)
set -euo pipefail

apply_fixes="$PWD/$1"
fixtures="migrate/testdata/aspect"
fail() { echo "FAIL: $*" >&2; exit 1; }
has() {  # has <file> <fixed string>
  grep -qF -- "$2" "$1" || fail "$1 lacks '$2':
$(cat "$1")"
}

for target in guards kernel user; do
  for ext in yaml json log sha256; do
    [[ -f "${fixtures}/${target}.migrate.${ext}" ]] || fail "no ${target}.migrate.${ext}"
  done
done
[[ ! -e "${fixtures}/empty.migrate.yaml" ]] || fail "a target without sources got fix files"
header_site='"file": "migrate/testdata/aspect/guards.h", "line": 7, "column": 3, "old": "ember::AutoNonVariableTypeMode", "new": "ember::InferenceMode", "decision": "INFERENCE"'
for target in guards kernel user; do has "${fixtures}/${target}.migrate.json" "${header_site}"; done
has "${fixtures}/kernel.migrate.json" '"file": "migrate/testdata/aspect/kernel.cc", "line": 14, "column": 3, "old": "ember::AutoNonVariableTypeMode", "new": "ember::AutoDispatchBelowADInplaceOrView", "decision": "KERNEL"'
has "${fixtures}/user.migrate.json" '"file": "migrate/testdata/aspect/user.cc", "line": 8, "column": 3, "old": "ember::AutoNonVariableTypeMode", "new": "ember::InferenceMode", "decision": "INFERENCE"'
# Parsed with the targets' own local_defines and copts: no #error, exit 0.
has "${fixtures}/kernel.migrate.log" "migrate: exit status 0"
has "${fixtures}/user.migrate.log" "migrate: exit status 0"

runfiles="${PWD}"
ws="${TEST_TMPDIR}/ws"
rm -rf "${ws}" && mkdir -p "${ws}/${fixtures}"
cp -L "${fixtures}/guards.h" "${fixtures}/kernel.cc" "${fixtures}/user.cc" "${ws}/${fixtures}/"
chmod -R u+w "${ws}"
(cd "${ws}" && BUILD_WORKSPACE_DIRECTORY="${ws}" BUILD_WORKING_DIRECTORY="${ws}" "${apply_fixes}" \
  "${runfiles}/${fixtures}/guards.migrate.yaml" "${runfiles}/${fixtures}/kernel.migrate.yaml" \
  "${runfiles}/${fixtures}/user.migrate.yaml") 2>"${TEST_TMPDIR}/apply.err" ||
  fail "apply_fixes failed: $(cat "${TEST_TMPDIR}/apply.err")"
# The header's two edits (its #include, the guard) come from three targets.
has "${TEST_TMPDIR}/apply.err" "apply_fixes: 3 fix file(s), 11 edit(s), 7 distinct; changed 3 file(s)"
for file in guards.h kernel.cc user.cc; do
  diff -u "${fixtures}/expected/${file}" "${ws}/${fixtures}/${file}" || fail "${file} differs from expected/"
done
echo "PASS"
