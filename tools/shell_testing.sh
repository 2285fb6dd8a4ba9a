# Sourced by the shell tests of tools/, bench/ and migrate/: counted failures
# and the usage-error check every command-line script here must pass.

failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# expect_usage_error <name> <stderr pattern> <command...>: the command exits 2
# with exactly one line on stderr that contains the pattern.
expect_usage_error() {
  local name="$1" pattern="$2"; shift 2
  local rc=0
  "$@" > out.txt 2> err.txt || rc=$?
  [[ "${rc}" == 2 ]] || fail "${name} exited ${rc}, expected 2: $(cat err.txt)"
  grep -q -- "${pattern}" err.txt || fail "${name}: stderr lacks '${pattern}': $(cat err.txt)"
  [[ "$(wc -l < err.txt)" == 1 ]] || fail "${name}: more than one line on stderr: $(cat err.txt)"
}

# finish: the test's exit status, with the number of failures.
finish() {
  if ((failures > 0)); then
    echo "${failures} failure(s)" >&2
    exit 1
  fi
  echo "PASS"
}
