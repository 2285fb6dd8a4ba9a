#!/usr/bin/env bash
# Fuzzes //migrate's whole pipeline for a bounded time: builds
# //migrate:pipeline_fuzzer with --config=fuzz (clang-14, libFuzzer, ASan) and
# runs it from the seed corpus. Exits 0 when no input crashed, hung, leaked or
# broke the edit rule (see migrate/fuzz_check.h); otherwise 1, with each
# finding copied to the findings directory and printed as base64.
#
#   migrate/run_fuzzer.sh [seconds] [findings dir]     (defaults: 60, fuzz-findings)
#
# New inputs go to a temporary corpus, or to $FUZZ_CORPUS_DIR if set (to let
# runs on one machine build on each other). Replay a finding with the default
# toolchain: ./bazelw run //migrate:pipeline_fuzzer -- "$PWD/fuzz-findings/crash-..."
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

seconds="${1:-60}"
findings="${2:-fuzz-findings}"
[[ "${seconds}" =~ ^[0-9]+$ && "${seconds}" -gt 0 ]] || {
  echo "run_fuzzer: error: the time must be a whole number of seconds, not '${seconds}'" >&2
  exit 2
}
mkdir -p "${findings}"
findings="$(cd "${findings}" && pwd)"

work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT

if ! ./bazelw build --config=fuzz //migrate:pipeline_fuzzer > "${work}/build.log" 2>&1; then
  grep -E '^(ERROR|FAILED)|error:' "${work}/build.log" | head -20 >&2 || true
  echo "run_fuzzer: error: the fuzz target did not build with --config=fuzz (full log above)" >&2
  exit 1
fi
binary="$(./bazelw info --config=fuzz bazel-bin 2>/dev/null)/migrate/pipeline_fuzzer"

corpus="${FUZZ_CORPUS_DIR:-${work}/corpus}"
mkdir -p "${corpus}" "${work}/artifacts"

# -max_len and -timeout bound each input; -timeout is far above the ~30 ms an
# input takes, so only a real hang trips it. The outer timeout is a backstop.
rc=0
(cd "${work}" && timeout --signal=KILL $((seconds + 300)) "${binary}" \
  -max_total_time="${seconds}" -max_len=4096 -timeout=30 -rss_limit_mb=4096 \
  -dict="${root}/migrate/fuzz.dict" -artifact_prefix="${work}/artifacts/" \
  -print_final_stats=1 "${corpus}" "${root}/migrate/fuzz_corpus") > "${work}/fuzz.log" 2>&1 || rc=$?

runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "${work}/fuzz.log")"
execs="$(sed -n 's/^stat::average_exec_per_sec: *//p' "${work}/fuzz.log")"
found=("${work}"/artifacts/*)
if ((rc == 0)) && [[ ! -e "${found[0]}" ]]; then
  echo "run_fuzzer: ${runs:-?} inputs in ${seconds} s (${execs:-?}/s), no finding"
  exit 0
fi

grep -vE '^#[0-9]+' "${work}/fuzz.log" | tail -60 >&2
for artifact in "${found[@]}"; do
  [[ -e "${artifact}" ]] || continue
  cp "${artifact}" "${findings}/"
  echo "run_fuzzer: finding ${findings}/$(basename "${artifact}") (base64):" >&2
  base64 "${artifact}" >&2
done
echo "run_fuzzer: error: the fuzzer exited with ${rc} after ${runs:-?} inputs; findings in ${findings}" >&2
exit 1
