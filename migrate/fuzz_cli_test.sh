#!/usr/bin/env bash
# The fuzzing commands' error paths (what runs without a nested Bazel):
# run_fuzzer.sh's argument check and the replayer that pipeline_fuzzer is
# without --config=fuzz.
set -euo pipefail

replayer="$PWD/$1"
run_fuzzer="$PWD/$2"
seed="$PWD/$3"

fail() { echo "FAIL: $*" >&2; exit 1; }

# expect <exit code> <stderr substring> <command...>
expect() {
  local want_rc="$1" want_err="$2"; shift 2
  local rc=0
  "$@" > "${TEST_TMPDIR}/out" 2> "${TEST_TMPDIR}/err" || rc=$?
  [[ "${rc}" == "${want_rc}" ]] || fail "$* exited ${rc}, expected ${want_rc}; stderr: $(cat "${TEST_TMPDIR}/err")"
  grep -qF -- "${want_err}" "${TEST_TMPDIR}/err" || fail "$*: stderr lacks '${want_err}': $(cat "${TEST_TMPDIR}/err")"
}

expect 2 "run_fuzzer: error: the time must be a whole number of seconds, not 'soon'" "${run_fuzzer}" soon
expect 2 "run_fuzzer: error: the time must be a whole number of seconds, not '0'" "${run_fuzzer}" 0
expect 2 "usage: pipeline_fuzzer <input files...>" "${replayer}"
expect 2 "pipeline_fuzzer: error: cannot read ${TEST_TMPDIR}/missing.cc" "${replayer}" "${TEST_TMPDIR}/missing.cc"
expect 0 "pipeline_fuzzer: ${seed}: ok" "${replayer}" "${seed}"
grep -qF "parsed, 1 site(s), 1 file(s) edited" "${TEST_TMPDIR}/err" || fail "the replayer does not say what the tiers found"
echo PASS
