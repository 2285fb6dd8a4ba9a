#!/usr/bin/env bash
# autograd_bench's own output, on a run of a few milliseconds (the numbers
# themselves are for `./bazelw run --config=opt //bench:autograd_bench`): it
# names the process's threading, which decides how Ember counts references,
# --background_thread makes it multi-threaded, and the own-mode table has
# Ember's gain for the ops that ran.
set -uo pipefail

bench="$PWD/$1"
lib="$PWD/tools/shell_testing.sh"
cd "${TEST_TMPDIR}"
source "${lib}"
# OpenBLAS starts its thread pool when loaded unless told to use one thread.
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
quick=(--benchmark_filter='View(Normal|Inference)/ember' --benchmark_min_time=0.001)

run() {
  local rc=0
  "${bench}" "$@" > out.txt 2> err.txt || rc=$?
  [[ "${rc}" == 0 ]] || fail "autograd_bench $* exited ${rc}: $(cat err.txt)"
}

run "${quick[@]}"
grep -qx "process: single-threaded (Ember counts references without atomics)" out.txt ||
  fail "a plain run does not say it is single-threaded: $(grep process out.txt)"
grep -qE '^\| View \| [0-9]+\.[0-9]{2}x \| \|$' out.txt ||
  fail "no own-mode gain for View with Ember's runs only: $(grep '^| View' out.txt)"
grep -qE '^\| Add \| \| \|$' out.txt || fail "a gain printed for Add, which did not run: $(grep '^| Add ' out.txt)"

run --background_thread "${quick[@]}"
grep -qx "process: multi-threaded (Ember counts references atomically)" out.txt ||
  fail "--background_thread does not make the process multi-threaded: $(grep process out.txt)"
grep -q "ViewInference/ember" out.txt || fail "--background_thread was passed on to Google Benchmark: $(cat err.txt)"

rc=0
"${bench}" --bogus > out.txt 2> err.txt || rc=$?
[[ "${rc}" != 0 ]] || fail "an unknown flag was accepted"
grep -q -- "--bogus" err.txt || fail "the unknown flag is not named: $(cat err.txt)"

finish
