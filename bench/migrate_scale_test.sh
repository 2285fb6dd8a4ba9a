#!/usr/bin/env bash
# migrate_scale.sh's argument errors (the benchmark itself is too long for CI:
# run it with `./bazelw run --config=opt //bench:migrate_scale`).
set -uo pipefail

script="$PWD/$1"
migrate="$PWD/$2"
generator="$PWD/$3"
work="${TEST_TMPDIR}/scale"
rm -rf "${work}" && mkdir -p "${work}" && cd "${work}"
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
# expect_error <stderr pattern> <args...>: exit 2, one line, nothing run.
expect_error() {
  local pattern="$1"; shift
  rc=0
  bash "${script}" "$@" > out.txt 2> err.txt || rc=$?
  [[ "${rc}" == 2 ]] || fail "migrate_scale.sh $* exited ${rc}, expected 2: $(cat err.txt)"
  grep -q -- "${pattern}" err.txt || fail "migrate_scale.sh $*: stderr lacks '${pattern}': $(cat err.txt)"
  [[ "$(wc -l < err.txt)" == 1 ]] || fail "migrate_scale.sh $*: more than one line on stderr: $(cat err.txt)"
}

expect_error "usage: migrate_scale.sh <migrate binary> <generator script>" "${migrate}"
expect_error "is not an executable" "${work}/nothing" "${generator}"
expect_error "not found" "${migrate}" "${work}/nothing.sh"
expect_error "unknown option '--bogus'" "${migrate}" "${generator}" --bogus
expect_error "unknown option '--bogus=1'" "${migrate}" "${generator}" --bogus=1
expect_error "--repeat needs a value" "${migrate}" "${generator}" --repeat
expect_error "--repeat must be a positive integer, got '0'" "${migrate}" "${generator}" --repeat 0
expect_error "--tidy-subset must be a positive integer, got 'some'" "${migrate}" "${generator}" --tidy-subset=some
mkdir full && touch full/file
expect_error "full is not empty" "${migrate}" "${generator}" --keep full

if ((failures > 0)); then
  echo "${failures} failure(s)" >&2
  exit 1
fi
echo "PASS"
