#!/usr/bin/env bash
# Golden test of one case in testdata/<case>/:
#   input/     the files before (every *.cpp, *.cu and *.mm is a translation
#              unit; only *.cpp are compiled below: CUDA and Objective-C++
#              need SDKs this machine does not have)
#   expected/  the files after
#   report.json, and optionally `args` (extra flags), `exit_code`, and
#   stubs/: headers the tool must not find (it runs without them: CUDA,
#   Python, generated headers) but the compile check below uses, so that the
#   output is checked to compile wherever the input does.
# Checks: exit code; the dry run writes nothing and its report and diff are
# the expected ones (the diff applied with patch -p1 gives expected/);
# --in-place gives expected/ and a second run changes nothing;
# --export-fixes fed to Debian's clang-apply-replacements-14 gives expected/;
# inputs and outputs compile against LibTorch 1.13's headers (outputs with
# -Werror=deprecated-declarations when no MANUAL site is left).
set -euo pipefail

migrate="$PWD/$1"
case_dir="$PWD/$2"
root="$PWD"
name="$(basename "${case_dir}")"
flags=(-std=c++17 -I/usr/include/torch/csrc/api/include -I"${root}")
args=()
if [[ -f "${case_dir}/args" ]]; then read -r -a args < "${case_dir}/args"; fi
expected_rc=0
if [[ -f "${case_dir}/exit_code" ]]; then expected_rc="$(cat "${case_dir}/exit_code")"; fi
work="${TEST_TMPDIR}/${name}"

fail() { echo "FAIL [${name}]: $*" >&2; exit 1; }
fresh() {
  rm -rf "$1"
  mkdir -p "$1"
  cp -RL "${case_dir}/input/." "$1/"
  chmod -R u+w "$1"
}
run() {  # run <dir> <migrate flags...>: sets rc
  local dir="$1"; shift
  rc=0
  (cd "${dir}" && "${migrate}" "${args[@]+"${args[@]}"}" "$@" $(ls *.cpp *.cu *.mm 2> /dev/null) -- "${flags[@]}") \
    > "${work}/stdout" 2> "${work}/stderr" || rc=$?
}

mkdir -p "${work}/fixes"

# Dry run: diff, report and fixes; nothing written.
fresh "${work}/dry"
run "${work}/dry" --report="${work}/report.json" --export-fixes="${work}/fixes/fixes.yaml"
[[ "${rc}" == "${expected_rc}" ]] || fail "dry run exited ${rc}, expected ${expected_rc}; stderr:
$(cat "${work}/stderr")"
diff -r "${case_dir}/input" "${work}/dry" > /dev/null || fail "the dry run modified files"
diff -u "${case_dir}/report.json" "${work}/report.json" || fail "report differs (- expected, + actual)"
cp "${work}/stdout" "${work}/diff"
fresh "${work}/patched"
(cd "${work}/patched" && patch -s -p1 < "${work}/diff") || fail "the dry-run diff does not apply"
diff -ru "${case_dir}/expected" "${work}/patched" || fail "dry-run diff applied differs from expected/"

# clang-apply-replacements on the exported fixes (paths point into dry/).
/usr/bin/clang-apply-replacements-14 "${work}/fixes" || fail "clang-apply-replacements-14 failed"
diff -ru "${case_dir}/expected" "${work}/dry" || fail "--export-fixes applied differs from expected/"

# In place, twice: the second run must change nothing.
fresh "${work}/inplace"
run "${work}/inplace" --in-place
[[ "${rc}" == "${expected_rc}" ]] || fail "--in-place exited ${rc}, expected ${expected_rc}"
diff -ru "${case_dir}/expected" "${work}/inplace" || fail "--in-place result differs from expected/"
run "${work}/inplace" --in-place
diff -ru "${case_dir}/expected" "${work}/inplace" || fail "a second --in-place run changed files"

# Both sides compile against the real headers.
compile_flags=("${flags[@]}")
if [[ -d "${case_dir}/stubs" ]]; then compile_flags+=(-I"${case_dir}/stubs"); fi
for source in $(cd "${case_dir}/input" && ls *.cpp 2> /dev/null); do
  (cd "${case_dir}/input" && clang++-14 -fsyntax-only -Wno-deprecated-declarations "${compile_flags[@]}" "${source}") ||
    fail "input ${source} does not compile"
  strict=()
  if [[ "${expected_rc}" == 0 ]]; then strict=(-Werror=deprecated-declarations); fi
  (cd "${case_dir}/expected" && clang++-14 -fsyntax-only "${strict[@]+"${strict[@]}"}" "${compile_flags[@]}" "${source}") ||
    fail "output ${source} does not compile"
done
# Never an unnamed guard: a statement that is only a temporary of the new
# guard (`c10::InferenceMode();`) would guard nothing.
if grep -rnE '^[[:space:]]*(::)?([A-Za-z_0-9]+::)*(InferenceMode|AutoDispatchBelowADInplaceOrView)[[:space:]]*[({][^;]*[)}][[:space:]]*;' \
    "${case_dir}/expected"; then
  fail "an output constructs an unnamed guard"
fi
echo "PASS [${name}]"
