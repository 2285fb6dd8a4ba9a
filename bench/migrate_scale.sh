#!/usr/bin/env bash
# //migrate at codebase scale: generates a synthetic LibTorch extension
# codebase (tools/gen_synthetic_codebase.sh) in a temporary directory, times
# the tool against its peers on it and checks the tool's results, in one run.
#
#   ./bazelw run --config=opt //bench:migrate_scale [-- options]
#   bench/migrate_scale.sh <migrate binary> <generator script> [options]
#
# Options:
#   --tus N              translation units to generate (200)
#   --legacy-percent P   percentage seeded with the legacy guard (2)
#   --seed S             generator seed (1)
#   --tidy-subset K      clang-tidy runs on K evenly spaced TUs and its time is
#                        scaled by N/K, as it takes ~4 s per TU here (20; N = all)
#   --parse-subset K     the parse-floor rows and the -j row without the shared
#                        preamble run on K evenly spaced TUs (20)
#   --jobs-subset K      the -j row with the shared preamble runs on K evenly
#                        spaced TUs (40): its one fixed cost, building the
#                        shared header, weighs on a few files as it would not
#                        on the whole codebase
#   --repeat R           runs of each measurement, interleaved; the minimum is kept (3)
#   --markdown FILE      also write the table as markdown (default: migrate_scale.md
#                        in a temporary directory, named at the end)
#   --keep DIR           keep the generated codebase and every output in DIR
#
# Wall-clock times, every command serial (-j 1, one clang process at a time)
# except the -j 2 rows. Reported as ratios: the machine may be shared.
# Correctness (exit 1 when it fails): the default run finds exactly the seeded
# sites with the expected decisions (from --report), and -j 1 and -j 2 give
# byte-identical diff, report and fixes. A flag this build of //migrate does
# not know makes its rows "not available" instead of failing.
set -uo pipefail

readonly prog="migrate_scale"
die() { echo "${prog}: error: $*" >&2; exit 2; }

(($# >= 2)) || die "usage: migrate_scale.sh <migrate binary> <generator script> [options]"
abspath() { (cd "$(dirname "$1")" && echo "$(pwd)/$(basename "$1")"); }
migrate="$(abspath "$1")"
generator="$(abspath "$2")"
shift 2
[[ -x "${migrate}" ]] || die "${migrate} is not an executable"
[[ -f "${generator}" ]] || die "${generator} not found"

tus=200 legacy_percent=2 seed=1 tidy_subset=20 parse_subset=20 jobs_subset=40 repeat=3 markdown="" keep=""
while (($# > 0)); do
  case "$1" in
    --tus | --legacy-percent | --seed | --tidy-subset | --parse-subset | --jobs-subset | --repeat | --markdown | --keep)
      (($# >= 2)) || die "$1 needs a value"
      declare "$(echo "${1#--}" | tr - _)=$2"
      shift 2 ;;
    --*=*)
      name="${1%%=*}"
      case "${name}" in
        --tus | --legacy-percent | --seed | --tidy-subset | --parse-subset | --jobs-subset | --repeat | --markdown | --keep)
          declare "$(echo "${name#--}" | tr - _)=${1#*=}" ;;
        *) die "unknown option '$1' (see the comment at the top of bench/migrate_scale.sh)" ;;
      esac
      shift ;;
    *) die "unknown option '$1' (see the comment at the top of bench/migrate_scale.sh)" ;;
  esac
done
for name in tus tidy_subset parse_subset jobs_subset repeat; do
  [[ "${!name}" =~ ^[1-9][0-9]*$ ]] || die "--${name//_/-} must be a positive integer, got '${!name}'"
done
((tidy_subset <= tus)) || tidy_subset=${tus}
((parse_subset <= tus)) || parse_subset=${tus}
((jobs_subset <= tus)) || jobs_subset=${tus}
for peer in clang++-14 clang-tidy-14; do
  command -v "${peer}" > /dev/null || die "${peer} not found (apt-get install clang-14 clang-tools-14)"
done

# Paths the user typed are relative to where they ran `bazel run`.
user_dir="${BUILD_WORKING_DIRECTORY:-$PWD}"
resolve() { [[ "$1" == /* ]] && echo "$1" || echo "${user_dir}/$1"; }

if [[ -n "${keep}" ]]; then
  work="$(resolve "${keep}")"
  mkdir -p "${work}" || die "cannot create ${work}"
  [[ -z "$(ls -A "${work}")" ]] || die "${work} is not empty"
else
  work="$(mktemp -d -t migrate_scale.XXXXXX)"
  trap 'rm -rf "${work}"' EXIT
fi
[[ -n "${markdown}" ]] && markdown="$(resolve "${markdown}")" || markdown="$(mktemp -t migrate_scale.XXXXXX.md)"
code="${work}/code"
out="${work}/out"
mkdir -p "${out}"

load() { cut -d' ' -f1-3 /proc/loadavg; }
load_start="$(load)"
echo "${prog}: generating ${tus} TUs (${legacy_percent}% seeded, seed ${seed}) in ${code}" >&2
bash "${generator}" "${code}" --tus "${tus}" --legacy-percent "${legacy_percent}" --seed "${seed}" ||
  die "the generator failed"
cd "${code}" || die "cannot enter ${code}"
# The tool resolves relative paths against BUILD_WORKING_DIRECTORY when set.
export BUILD_WORKING_DIRECTORY="${code}"

mapfile -t all < <(sed -n 's/.*"file": "\([^"]*\)".*/\1/p' compile_commands.json | LC_ALL=C sort)
((${#all[@]} == tus)) || die "compile_commands.json lists ${#all[@]} files, expected ${tus}"
mapfile -t expected_sites < seeded_sites.txt

# evenly_spaced K: K files spread over the sorted list (every category).
evenly_spaced() {
  local k=$1 i
  REPLY_FILES=()
  for ((i = 0; i < k; i++)); do REPLY_FILES+=("${all[i * tus / k]}"); done
}
evenly_spaced "${tidy_subset}"; tidy_files=("${REPLY_FILES[@]}")
evenly_spaced "${parse_subset}"; parse_files=("${REPLY_FILES[@]}")
evenly_spaced "${jobs_subset}"; jobs_files=("${REPLY_FILES[@]}")

# The parse floor: each file's own compile command from the database, with
# clang++-14 -fsyntax-only instead of -c/-o.
declare -A floor_command=()
while IFS= read -r line; do
  file="$(sed -n 's/.*"file": "\([^"]*\)".*/\1/p' <<< "${line}")"
  [[ -n "${file}" ]] || continue
  command="$(sed -n 's/.*"command": "\([^"]*\)".*/\1/p' <<< "${line}")"
  command="$(sed -e 's/^[^ ]* //' -e 's/ -c [^ ]*//' -e 's/ -o [^ ]*//' <<< "${command}")"
  floor_command[${file}]="${command}"
done < compile_commands.json
run_floor() {
  local file rc=0 flags
  for file in "$@"; do
    read -ra flags <<< "${floor_command[${file}]}"
    clang++-14 -fsyntax-only "${flags[@]}" "${file}" || rc=1
  done
  return "${rc}"
}
run_tidy() { clang-tidy-14 -checks='-*,modernize-use-nullptr' -p "${code}" "$@"; }

# Which of the scale flags this build of the tool knows.
printf 'int main() { return 0; }\n' > "${work}/probe.cpp"
knows() {
  "${migrate}" "$@" "${work}/probe.cpp" -- -std=c++17 > /dev/null 2> "${work}/probe.err"
  ! grep -q "Unknown command line argument" "${work}/probe.err"
}
has_j=0 has_no_prescan=0 has_no_preamble=0
knows -j 1 && has_j=1
knows --no-prescan && has_no_prescan=1
knows --no-shared-preamble && has_no_preamble=1
j1=() && ((has_j)) && j1=(-j 1)
echo "${prog}: this //migrate knows: -j $( ((has_j)) && echo yes || echo no), --no-prescan $( ((has_no_prescan)) && echo yes || echo no), --no-shared-preamble $( ((has_no_preamble)) && echo yes || echo no)" >&2

# tool <tag> <flags and files...>: one run of //migrate, every output kept
# under ${out}/<tag>.*
tool() {
  local tag=$1; shift
  "${migrate}" -p "${code}" --report="${out}/${tag}.report.json" --export-fixes="${out}/${tag}.fixes.yaml" "$@" \
    > "${out}/${tag}.diff" 2> "${out}/${tag}.stderr"
}

# Measurements: name -> command (a function call); each is timed ${repeat}
# times, interleaved, and its minimum and last exit code kept. A //migrate
# measurement keeps its outputs under ${out}/<name>.*
declare -A command_of=() best=() cpu_best=() status=()
order=()
measure() { order+=("$1"); command_of[$1]="$2"; }
measure_tool() { local name=$1; shift; measure "${name}" "tool ${name} $*"; }
measure_tool tool_default "${j1[@]}" "${all[@]}"
measure tidy "run_tidy ${tidy_files[*]}"
measure floor "run_floor ${parse_files[*]}"
# Without --no-shared-preamble the build is taken to have no shared preamble:
# its --no-prescan runs are then the "without" rows, and the "with" rows are
# not available.
no_preamble=(--no-prescan)
((has_no_preamble)) && no_preamble=(--no-prescan --no-shared-preamble)
if ((has_no_prescan)); then
  measure_tool tool_no_prescan_no_preamble "${no_preamble[@]}" "${j1[@]}" "${parse_files[@]}"
  ((has_no_preamble)) && measure_tool tool_no_prescan --no-prescan "${j1[@]}" "${parse_files[@]}"
  if ((has_j)); then
    if ((has_no_preamble)); then
      measure_tool tool_jobs_j1 --no-prescan -j 1 "${jobs_files[@]}"
      measure_tool tool_jobs_j2 --no-prescan -j 2 "${jobs_files[@]}"
    fi
    measure_tool tool_no_prescan_no_preamble_j2 "${no_preamble[@]}" -j 2 "${parse_files[@]}"
  fi
fi

now_us() { local t="${EPOCHREALTIME/[.,]/}"; echo "$((10#${t}))"; }
# The CPU time (user + system) of every child this shell has waited for, in
# microseconds, in CPU_US: less sensitive to other load than the wall clock,
# shown next to it. (`times` must run in this shell, not in a $(...) subshell.)
children_cpu_us() {
  times > "${work}/times.txt"
  CPU_US=$(awk 'function us(t, a) { split(t, a, "m"); sub("s", "", a[2]); return (a[1] * 60 + a[2]) * 1e6 }
       NR == 2 { printf "%d\n", us($1) + us($2) }' "${work}/times.txt")
}
for ((r = 1; r <= repeat; r++)); do
  for name in "${order[@]}"; do
    echo "${prog}: run ${r}/${repeat}: ${name} (load $(load))" >&2
    children_cpu_us
    cpu_start=${CPU_US}
    start="$(now_us)"
    # Word splitting of the stored command is intended: no path has a space.
    # shellcheck disable=SC2086
    ${command_of[${name}]} > "${out}/${name}.time.stdout" 2> "${out}/${name}.time.stderr"
    rc=$?
    elapsed=$(($(now_us) - start))
    children_cpu_us
    cpu=$((CPU_US - cpu_start))
    status[${name}]=${rc}
    if [[ -z "${best[${name}]:-}" ]] || ((elapsed < best[${name}])); then best[${name}]=${elapsed}; fi
    if [[ -z "${cpu_best[${name}]:-}" ]] || ((cpu < cpu_best[${name}])); then cpu_best[${name}]=${cpu}; fi
  done
done
# The pre-scan run at -j 2, for the byte-identity check (not timed).
((has_j)) && tool tool_default_j2 -j 2 "${all[@]}"
load_end="$(load)"

# ---------------------------------------------------------------------------
# Correctness.
problems=()
problem() { problems+=("$*"); echo "${prog}: FAIL: $*" >&2; }
# report_sites <report.json>: "<file>:<line>:<column> <decision>" per site, sorted.
report_sites() {
  sed -n '/^{"sites"/,/^"occurrences"/p' "$1" |
    sed -n 's/.*"file": "\([^"]*\)", "line": \([0-9]*\), "column": \([0-9]*\),.*"decision": "\([A-Z]*\)".*/\1:\2:\3 \4/p' |
    LC_ALL=C sort
}
[[ "${status[tool_default]}" == 0 ]] ||
  problem "the default run exited ${status[tool_default]}: $(tail -n 3 "${out}/tool_default.stderr")"
mapfile -t found_sites < <(report_sites "${out}/tool_default.report.json")
if [[ "${found_sites[*]}" == "${expected_sites[*]}" ]]; then
  sites_ok="${#found_sites[@]} of ${#expected_sites[@]} seeded sites found, no other, each with the expected decision"
else
  problem "sites found (${found_sites[*]:-none}) differ from the seeded ones (${expected_sites[*]:-none})"
  sites_ok="MISMATCH"
fi
[[ "${status[tidy]}" == 0 ]] || problem "clang-tidy-14 exited ${status[tidy]} (a generated file does not compile?)"
[[ "${status[floor]}" == 0 ]] || problem "clang++-14 -fsyntax-only failed on a generated file: $(head -n 3 "${out}/floor.time.stderr")"
# The --no-prescan runs parse every file of their subset: they must find the
# seeded sites among those files, and nothing else.
# check_subset_sites <run> <files...>
check_subset_sites() {
  local name=$1 site expected=() found
  shift
  [[ -n "${status[${name}]:-}" ]] || return 0
  for site in "${expected_sites[@]}"; do
    [[ " $* " == *" ${site%%:*} "* ]] && expected+=("${site}")
  done
  [[ "${status[${name}]}" == 0 ]] || problem "${name} exited ${status[${name}]}: $(tail -n 3 "${out}/${name}.stderr")"
  mapfile -t found < <(report_sites "${out}/${name}.report.json")
  [[ "${found[*]}" == "${expected[*]}" ]] ||
    problem "${name} found (${found[*]:-none}), expected (${expected[*]:-none})"
}
check_subset_sites tool_no_prescan "${parse_files[@]}"
check_subset_sites tool_no_prescan_no_preamble "${parse_files[@]}"
check_subset_sites tool_jobs_j1 "${jobs_files[@]}"

identical_pairs=()
# same_outputs <run> <run> <what the pair shows>
same_outputs() {
  local a=$1 b=$2 label=$3 kind
  for kind in diff report.json fixes.yaml; do
    cmp -s "${out}/${a}.${kind}" "${out}/${b}.${kind}" || { problem "${a} and ${b} differ in their ${kind}"; return; }
  done
  identical_pairs+=("${label}")
}
if ((has_j)); then
  same_outputs tool_default tool_default_j2 "-j 1 and -j 2 (default)"
  [[ -z "${best[tool_jobs_j2]:-}" ]] || same_outputs tool_jobs_j1 tool_jobs_j2 "-j 1 and -j 2 (--no-prescan)"
  [[ -z "${best[tool_no_prescan_no_preamble_j2]:-}" ]] ||
    same_outputs tool_no_prescan_no_preamble tool_no_prescan_no_preamble_j2 "-j 1 and -j 2 (${no_preamble[*]})"
fi
if [[ -n "${best[tool_no_prescan_no_preamble]:-}" && -n "${best[tool_no_prescan]:-}" ]]; then
  same_outputs tool_no_prescan_no_preamble tool_no_prescan "with and without the shared preamble"
fi
skipped_line="$(grep -i -m1 'skip' "${out}/tool_default.stderr" || true)"

# ---------------------------------------------------------------------------
# The table.
seconds() { awk -v us="$1" 'BEGIN { printf "%.1f s", us / 1e6 }'; }
rows=()
met_count=0 row_count=0
# row <measurement> <files> <tool run> <peer run> <kind: faster|of|speedup> <target> [note]
# Runs are names of measurements; "met" is judged on the wall clock.
row() {
  local what=$1 files=$2 tool_run=$3 peer_run=$4 kind=$5 target=$6 note=${7:-}
  local tool_us=${best[${tool_run}]:-} peer_us=${best[${peer_run}]:-}
  if [[ -z "${tool_us}" || -z "${peer_us}" ]]; then
    rows+=("| ${what} | ${files} | not available | | | | ${target} | n/a${note:+ (${note})} |")
    return
  fi
  local tool_cpu=${cpu_best[${tool_run}]} peer_cpu=${cpu_best[${peer_run}]}
  local ratio cpu_ratio met goal="${target//[^0-9.]/}"
  case "${kind}" in
    faster)
      ratio="$(awk -v t="${tool_us}" -v p="${peer_us}" 'BEGIN { printf "%.1fx faster", p / t }')"
      cpu_ratio="$(awk -v t="${tool_cpu}" -v p="${peer_cpu}" 'BEGIN { printf "%.1fx faster", p / t }')"
      met="$(awk -v t="${tool_us}" -v p="${peer_us}" -v g="${goal}" 'BEGIN { print (p / t >= g) ? "yes" : "no" }')" ;;
    of)
      ratio="$(awk -v t="${tool_us}" -v p="${peer_us}" 'BEGIN { printf "%.2fx", t / p }')"
      cpu_ratio="$(awk -v t="${tool_cpu}" -v p="${peer_cpu}" 'BEGIN { printf "%.2fx", t / p }')"
      met="$(awk -v t="${tool_us}" -v p="${peer_us}" -v g="${goal}" 'BEGIN { print (t / p <= g) ? "yes" : "no" }')" ;;
    speedup)
      ratio="$(awk -v t="${tool_us}" -v p="${peer_us}" 'BEGIN { printf "%.2fx", p / t }')"
      cpu_ratio="—"
      met="$(awk -v t="${tool_us}" -v p="${peer_us}" -v g="${goal}" 'BEGIN { print (p / t >= g) ? "yes" : "no" }')" ;;
  esac
  row_count=$((row_count + 1))
  [[ "${met}" == yes ]] && met_count=$((met_count + 1))
  rows+=("| ${what} | ${files} | $(seconds "${tool_us}") | $(seconds "${peer_us}") | ${ratio} | ${cpu_ratio} | ${target} | ${met}${note:+ (${note})} |")
}
# missing <flags...>: a note naming the flags this build does not know.
missing() {
  local names=()
  for flag in "$@"; do
    case "${flag}" in
      -j) ((has_j)) || names+=("-j") ;;
      --no-prescan) ((has_no_prescan)) || names+=("--no-prescan") ;;
      --no-shared-preamble) ((has_no_preamble)) || names+=("--no-shared-preamble") ;;
    esac
  done
  ((${#names[@]} == 0)) || echo "not in this build: $(printf '%s, ' "${names[@]}" | sed 's/, $//')"
}
tidy_files_text="${tus}; clang-tidy: ${tidy_subset} of them, its times x${tus}/${tidy_subset}"
((tidy_subset == tus)) && tidy_files_text="${tus}"
if [[ -n "${best[tidy]:-}" ]]; then
  best[tidy_scaled]=$((best[tidy] * tus / tidy_subset))
  cpu_best[tidy_scaled]=$((cpu_best[tidy] * tus / tidy_subset))
fi
serial_note="" && ((has_j)) || serial_note="this build has no -j: it is serial"
row "pre-scan (default) vs \`clang-tidy-14 -checks='-*,modernize-use-nullptr'\`" "${tidy_files_text}" \
  tool_default tidy_scaled faster "≥ 20x" "${serial_note}"
parse_text="${parse_subset} of ${tus}"
no_preamble_note="$(missing --no-prescan)"
((has_no_preamble)) || no_preamble_note="${no_preamble_note:-no --no-shared-preamble in this build: taken as having no shared preamble}"
row "\`${no_preamble[*]}\` vs \`clang++-14 -fsyntax-only\` (the parse floor)" "${parse_text}" \
  tool_no_prescan_no_preamble floor of "≤ 1.15x" "${no_preamble_note}"
row "\`--no-prescan\` (shared precompiled preamble) vs the parse floor" "${parse_text}" \
  tool_no_prescan floor of "≤ 0.5x" "$(missing --no-prescan --no-shared-preamble)"
row "\`--no-prescan -j 2\` vs \`-j 1\` (shared preamble)" "${jobs_subset} of ${tus}" \
  tool_jobs_j2 tool_jobs_j1 speedup "≥ 1.7x" "$(missing --no-prescan --no-shared-preamble -j)"
row "\`${no_preamble[*]} -j 2\` vs \`-j 1\`" "${parse_text}" \
  tool_no_prescan_no_preamble_j2 tool_no_prescan_no_preamble speedup "≥ 1.7x" \
  "$(missing --no-prescan -j)"

seeded_kernel="$(grep -c ' KERNEL$' seeded_sites.txt)"
seeded_inference="$(grep -c ' INFERENCE$' seeded_sites.txt)"
{
  echo "Synthetic LibTorch extension codebase: ${tus} TUs, ${#expected_sites[@]} seeded with \`at::AutoNonVariableTypeMode\` (${seeded_kernel} KERNEL, ${seeded_inference} INFERENCE), seed ${seed}."
  echo "Wall clock, $( ((repeat == 1)) && echo "one run" || echo "minimum of ${repeat} interleaved runs"); everything serial except the \`-j 2\` rows; \"met\" is judged on the wall clock (CPU times, user + system, are less disturbed by other load); $(nproc) cores, load average $(echo "${load_start}" | cut -d' ' -f1) at the start, $(echo "${load_end}" | cut -d' ' -f1) at the end."
  echo
  echo "| measurement | files | //migrate | peer | ratio | ratio of CPU times | target | met |"
  echo "|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
  echo
  if ((${#problems[@]} == 0)); then
    echo "Checked in the same run: ${sites_ok}; outputs (diff, report, fixes) byte-identical: $(
      ((${#identical_pairs[@]} > 0)) && printf '%s; ' "${identical_pairs[@]}" | sed 's/; $//' || echo "no pair to compare (no -j in this build)")."
  else
    echo "Checks FAILED: ${problems[*]}"
  fi
  [[ -z "${skipped_line}" ]] || echo "Pre-scan: \`${skipped_line}\`"
} > "${markdown}"

echo >&2
cat "${markdown}"
echo >&2
echo "${prog}: ${met_count} of ${row_count} measured targets met; table also in ${markdown}${keep:+; outputs kept in ${work}}" >&2
((${#problems[@]} == 0)) || exit 1
