#!/usr/bin/env bash
# migrate_scale.sh's argument errors (the benchmark itself is too long for CI:
# run it with `./bazelw run --config=opt //bench:migrate_scale`).
set -uo pipefail

script="$PWD/$1"
migrate="$PWD/$2"
generator="$PWD/$3"
lib="$PWD/tools/shell_testing.sh"
work="${TEST_TMPDIR}/scale"
rm -rf "${work}" && mkdir -p "${work}" && cd "${work}"
source "${lib}"
# expect_error <stderr pattern> <args...>: exit 2, one line.
expect_error() {
  local pattern="$1"; shift
  expect_usage_error "migrate_scale.sh $*" "${pattern}" bash "${script}" "$@"
}

expect_error "usage: migrate_scale.sh <migrate binary> <generator script>" "${migrate}"
expect_error "is not an executable" "${work}/nothing" "${generator}"
expect_error "not found" "${migrate}" "${work}/nothing.sh"
expect_error "unknown option '--bogus'" "${migrate}" "${generator}" --bogus
expect_error "unknown option '--bogus=1'" "${migrate}" "${generator}" --bogus=1
expect_error "--repeat needs a value" "${migrate}" "${generator}" --repeat
expect_error "--repeat must be a positive integer, got '0'" "${migrate}" "${generator}" --repeat 0
expect_error "--tidy-subset must be a positive integer, got 'some'" "${migrate}" "${generator}" --tidy-subset=some
expect_error "--jobs-subset must be a positive integer, got '-3'" "${migrate}" "${generator}" --jobs-subset -3
mkdir full && touch full/file
expect_error "full is not empty" "${migrate}" "${generator}" --keep full

finish
