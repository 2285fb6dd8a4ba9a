#!/usr/bin/env bash
# apply_fixes on hand-written per-target outputs of the aspect: merging,
# deduplication, conflicts, stale fix files, --dry-run, --report, and every
# error message. (tests/migrate_aspect_test.sh runs the real aspect.)
set -uo pipefail

# fail, finish: counted failures (shared with the other shell tests).
source "$PWD/tools/shell_testing.sh"
apply_fixes="$PWD/$1"
work="${TEST_TMPDIR}/apply_fixes"

# expect <exit code> <stderr pattern> <args...>: runs apply_fixes in ${ws}
# as `bazel run` would; stdout in out.txt, stderr in err.txt.
expect() {
  local want="$1" pattern="$2"; shift 2
  rc=0
  (cd "${ws}" && BUILD_WORKSPACE_DIRECTORY="${ws}" BUILD_WORKING_DIRECTORY="${ws}" "${apply_fixes}" "$@") \
    >"${work}/out.txt" 2>"${work}/err.txt" || rc=$?
  [[ "${rc}" == "${want}" ]] || fail "apply_fixes $* exited ${rc}, expected ${want}: $(cat "${work}/err.txt")"
  [[ -z "${pattern}" ]] || grep -qF -- "${pattern}" "${work}/err.txt" || fail "apply_fixes $*: stderr lacks '${pattern}': $(cat "${work}/err.txt")"
}

# A workspace: a header two targets include and one source each.
fresh() {
  rm -rf "${work}" && mkdir -p "${work}"
  ws="${work}/ws"
  out="${ws}/bazel-out/bin"
  mkdir -p "${ws}/lib" "${ws}/app" "${out}/app"
  printf 'void warm_up() { Old guard; }\n' >"${ws}/lib/guards.h"
  printf '#include "lib/guards.h"\nint main() { Old guard; }\n' >"${ws}/app/a.cc"
  printf '#include "lib/guards.h"\nint k() { Old guard; }\n' >"${ws}/app/b.cc"
  ln -s bazel-out/bin "${ws}/bazel-bin"
}

# target <name> <exit status> <file>:<offset>:<length>:<text>...: the outputs
# the aspect writes for app:<name> (fixes, report, log, checksums).
target() {
  local name="$1" status="$2" edit file rest offset length text
  shift 2
  local base="${out}/app/${name}.migrate"
  printf -- "---\nMainSourceFile:  'app/%s.cc'\nReplacements:\n" "${name}" >"${base}.yaml"
  : >"${base}.sha256"
  local sites=""
  for edit in "$@"; do
    IFS=: read -r file offset length text <<<"${edit}"
    printf "  - FilePath:        '%s'\n    Offset:          %s\n    Length:          %s\n    ReplacementText: '%s'\n" \
      "${file}" "${offset}" "${length}" "${text}" >>"${base}.yaml"
    (cd "${ws}" && sha256sum "${file}") >>"${base}.sha256"
    sites+="${sites:+,}{\"file\": \"${file}\", \"line\": 1, \"column\": $((offset + 1)), \"old\": \"Old\", \"new\": \"${text}\", \"decision\": \"INFERENCE\", \"reason\": \"from ${name}\", \"redundant\": false}"
  done
  echo "..." >>"${base}.yaml"
  sort -u -o "${base}.sha256" "${base}.sha256"
  echo "{\"sites\": [${sites}], \"occurrences\": [], \"counts\": {}}" >"${base}.json"
  printf 'migrate: exit status %s\n' "${status}" >"${base}.log"
}

# --help: usage, options, exit codes.
fresh
expect 0 "" --help
for word in --dry-run --report= "Exit codes" "migrate_aspect"; do
  grep -qF -- "${word}" "${work}/out.txt" || fail "--help does not mention ${word}"
done

# Usage errors: one line, exit 2.
expect 2 "apply_fixes: error: unknown option --bogus (see --help)" --bogus
[[ "$(wc -l <"${work}/err.txt")" == 1 ]] || fail "an error took more than one line: $(cat "${work}/err.txt")"
expect 2 "apply_fixes: error: no *.migrate.yaml fix files under ${ws}/bazel-bin (build with --aspects="
expect 2 "apply_fixes: error: no such file or directory: ${ws}/nowhere" nowhere
expect 2 "apply_fixes: error: --report needs a file name" --report=
target a 0 "app/a.cc:26:3:New"
CLANG_APPLY_REPLACEMENTS=/nonexistent expect 2 \
  "apply_fixes: error: clang-apply-replacements-14 not found (install Debian's clang-tools-14, or set CLANG_APPLY_REPLACEMENTS)"
printf -- "---\nMainSourceFile:  ''\nReplacements:\n  - FilePath:        '%s'\n    Offset:          0\n    Length:          0\n    ReplacementText: ''\n...\n" \
  "${ws}/app/a.cc" >"${out}/app/abs.migrate.yaml"
expect 2 "apply_fixes: error: ${ws}/bazel-bin/app/abs.migrate.yaml: ${ws}/app/a.cc is not a workspace-relative path"
rm "${out}/app/abs.migrate.yaml"

# Two targets make the same edit to the header: applied once.
fresh
target a 0 "lib/guards.h:17:3:New" "app/a.cc:37:3:New"
target b 1 "lib/guards.h:17:3:New" "app/b.cc:34:3:New"
expect 0 "apply_fixes: 2 fix file(s), 4 edit(s), 3 distinct; changed 3 file(s): app/a.cc app/b.cc lib/guards.h"
[[ "$(cat "${ws}/lib/guards.h")" == "void warm_up() { New guard; }" ]] || fail "header: $(cat "${ws}/lib/guards.h")"
[[ "$(tail -n1 "${ws}/app/a.cc")" == "int main() { New guard; }" ]] || fail "a.cc: $(cat "${ws}/app/a.cc")"
[[ "$(tail -n1 "${ws}/app/b.cc")" == "int k() { New guard; }" ]] || fail "b.cc: $(cat "${ws}/app/b.cc")"
grep -qF "apply_fixes: 1 target(s) left MANUAL sites to decide by hand: //app:b" "${work}/err.txt" ||
  fail "the MANUAL target is not named: $(cat "${work}/err.txt")"

# Applied fix files are stale: skipped, nothing changes.
expect 0 "apply_fixes: skipped 2 stale fix file(s) (their files changed since they were built; build again): //app:a //app:b"
grep -qF "changed 0 file(s)" "${work}/err.txt" || fail "a stale fix file was applied: $(cat "${work}/err.txt")"

# --dry-run: a diff patch -p1 applies, nothing written.
fresh
target a 0 "lib/guards.h:17:3:New" "app/a.cc:37:3:New"
cp -R "${ws}" "${work}/before"
expect 0 "would change 2 file(s): app/a.cc lib/guards.h" --dry-run
diff -r "${work}/before" "${ws}" >/dev/null || fail "--dry-run wrote files"
(cd "${work}/before" && patch -s -p1 <"${work}/out.txt") || fail "the --dry-run diff does not apply"
[[ "$(cat "${work}/before/lib/guards.h")" == "void warm_up() { New guard; }" ]] || fail "the diff's header is wrong"

# Targets that edit the header differently: it is left alone and named; the
# rest is applied; the merged report makes the site MANUAL.
fresh
target a 0 "lib/guards.h:17:3:New" "app/a.cc:37:3:New"
target b 0 "lib/guards.h:17:3:Other" "app/b.cc:34:3:New"
expect 1 "apply_fixes: error: conflicting edits to lib/guards.h from //app:a //app:b (the targets decide differently; see the merged report); left unchanged" \
  --report=merged.json
[[ "$(cat "${ws}/lib/guards.h")" == "void warm_up() { Old guard; }" ]] || fail "the conflicting header was edited"
[[ "$(tail -n1 "${ws}/app/a.cc")" == "int main() { New guard; }" ]] || fail "a.cc was not edited beside the conflict"
grep -qF "changed 2 file(s): app/a.cc app/b.cc" "${work}/err.txt" || fail "summary: $(cat "${work}/err.txt")"
grep -qF '"decision": "MANUAL", "reason": "targets disagree: //app:a: INFERENCE -> New (from a); //app:b: INFERENCE -> Other (from b); decide by hand"' \
  "${ws}/merged.json" || fail "merged report: $(cat "${ws}/merged.json")"

# A fix file named on the command line, the others not.
fresh
target a 0 "app/a.cc:37:3:New"
target b 0 "app/b.cc:34:3:New"
expect 0 "apply_fixes: 1 fix file(s), 1 edit(s), 1 distinct; changed 1 file(s): app/b.cc" bazel-bin/app/b.migrate.yaml
expect 2 "apply_fixes: error: ${ws}/app/a.cc is not a .migrate.yaml fix file" app/a.cc

# A report that is not one: the merge says which.
fresh
target a 0 "app/a.cc:37:3:New"
echo '{"sites": [' >"${out}/app/a.migrate.json"
expect 2 "merge_reports: error: //app:a: not JSON: "
[[ "$(tail -n1 "${ws}/app/a.cc")" == "int main() { Old guard; }" ]] || fail "edits were written although the reports did not merge"

finish
