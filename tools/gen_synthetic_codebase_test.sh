#!/usr/bin/env bash
# gen_synthetic_codebase.sh: deterministic output, a valid compile database,
# the seeded sites where the manifest says, the error messages, and //migrate
# finding exactly the seeded sites on a small codebase.
set -uo pipefail

generator="$PWD/$1"
migrate="$PWD/$2"
lib="$PWD/tools/shell_testing.sh"
work="${TEST_TMPDIR}/gen"
rm -rf "${work}" && mkdir -p "${work}" && cd "${work}"
source "${lib}"
# expect_error <stderr pattern> <args...>: exit 2, one line.
expect_error() {
  local pattern="$1"; shift
  expect_usage_error "generator $*" "${pattern}" bash "${generator}" "$@"
}

# Same arguments, same bytes (the compile database's absolute directory aside).
bash "${generator}" a --tus 12 --legacy-percent 20 --seed 7 2> /dev/null || fail "the generator failed"
bash "${generator}" b --tus 12 --legacy-percent 20 --seed 7 2> /dev/null || fail "the generator failed twice"
sed "s|${work}/b|${work}/a|g" b/compile_commands.json > b.db && mv b.db b/compile_commands.json
diff -r a b > /dev/null || fail "two runs with the same seed differ: $(diff -r a b | head -5)"
bash "${generator}" c --tus 12 --legacy-percent 20 --seed 8 2> /dev/null || fail "the generator failed with seed 8"
diff -rq a/src c/src > /dev/null && fail "seeds 7 and 8 gave the same sources"

# The files and the compile database.
mapfile -t sources < <(cd a && find src -name '*.cpp' | LC_ALL=C sort)
[[ "${#sources[@]}" == 12 ]] || fail "expected 12 TUs, got ${#sources[@]}"
db=a/compile_commands.json
[[ "$(head -n 1 "${db}")" == "[" && "$(tail -n 1 "${db}")" == "]" ]] || fail "the compile database is not one JSON array"
entry='^  \{"directory": "'"${work}"'/a", "file": "(src/[a-z]+/[a-z0-9_]+\.cpp)", "command": "/usr/bin/clang\+\+-14 -std=c\+\+17 [^"]*(-I|-isystem )/usr/include/torch/csrc/api/include -c \1 -o build/[^"]*\.o"\}'
[[ "$(grep -cE "${entry},\$" "${db}")" == 11 && "$(sed -n 13p "${db}" | grep -cE "${entry}\$")" == 1 ]] ||
  fail "compile database entries are malformed: $(cat "${db}")"
mapfile -t listed < <(sed -n 's/.*"file": "\([^"]*\)".*/\1/p' "${db}" | LC_ALL=C sort)
[[ "${listed[*]}" == "${sources[*]}" ]] || fail "the compile database lists ${listed[*]}, the sources are ${sources[*]}"
# Every TU: a comment of its own, then the same include block.
first_comment_count="$(for f in "${sources[@]}"; do head -n 1 "a/${f}"; done | sort -u | wc -l)"
[[ "${first_comment_count}" == 12 ]] || fail "the file comments are not distinct"
block_count="$(for f in "${sources[@]}"; do sed -n '2,/fastvision\/common.h/p' "a/${f}" | md5sum; done | sort -u | wc -l)"
[[ "${block_count}" == 1 ]] || fail "the TUs do not start with the same include block"
for header in torch/csrc/autograd/custom_function.h ATen/core/LegacyTypeDispatch.h c10/core/InferenceMode.h ATen/core/Tensor.h; do
  [[ "$(grep -l "^#include <${header}>" a/src/*/*.cpp | wc -l)" == 12 ]] || fail "not every TU includes <${header}>"
done

# The seeded sites: 20% of 12 is 2, one per context, where the manifest says,
# and the legacy name nowhere else.
mapfile -t seeded < a/seeded_sites.txt
[[ "${#seeded[@]}" == 2 ]] || fail "expected 2 seeded sites, got: ${seeded[*]}"
[[ "$(grep -c ' KERNEL$' a/seeded_sites.txt)" == 1 && "$(grep -c ' INFERENCE$' a/seeded_sites.txt)" == 1 ]] ||
  fail "expected one KERNEL and one INFERENCE site: ${seeded[*]}"
[[ "$(grep -rc AutoNonVariableTypeMode a/src a/include | awk -F: '{ n += $NF } END { print n }')" == 2 ]] ||
  fail "the legacy name appears outside the seeded sites: $(grep -rn AutoNonVariableTypeMode a/src a/include)"
for site in "${seeded[@]}"; do
  IFS=': ' read -r file line column context <<< "${site}"
  text="$(sed -n "${line}p" "a/${file}")"
  [[ "${text:column-1:27}" == "at::AutoNonVariableTypeMode" ]] || fail "${site}: no legacy guard there: '${text}'"
  previous="$(sed -n "$((line - 1))p" "a/${file}")"
  case "${context}" in
    KERNEL) [[ "${previous}" == *"static at::Tensor forward(torch::autograd::AutogradContext* ctx"* ]] &&
              grep -q "public torch::autograd::Function<" "a/${file}" || fail "${site}: not in a custom Function's forward" ;;
    INFERENCE) [[ "${previous}" == *"predict("* ]] || fail "${site}: not in a predict function" ;;
  esac
done
bash "${generator}" none --tus 3 --legacy-percent 0 2> /dev/null || fail "--legacy-percent 0 failed"
[[ ! -s none/seeded_sites.txt ]] || fail "--legacy-percent 0 seeded sites"

# Errors.
expect_error "no output directory given" --tus 3
expect_error "--tus must be an integer from 1 to 100000, got 'many'" x --tus many
expect_error "--legacy-percent must be an integer from 0 to 100, got '101'" x --legacy-percent 101
expect_error "--seed must be a non-negative integer below 10^9, got '-1'" x --seed -1
expect_error "unknown option '--bogus'" x --bogus
expect_error "more than one output directory: 'x' and 'y'" x y
expect_error "a is not empty; give a new or empty directory" a
touch plain_file
expect_error "plain_file exists and is not a directory" plain_file

# //migrate over a small codebase finds exactly the seeded sites, with the
# expected decisions, and every file parses (exit 3 otherwise). The pre-scan
# is turned off when the tool has it, so that every TU is parsed.
bash "${generator}" small --tus 4 --legacy-percent 50 --seed 3 2> /dev/null || fail "the generator failed (small)"
mapfile -t small_sources < <(sed -n 's/.*"file": "\([^"]*\)".*/\1/p' small/compile_commands.json)
no_prescan=()
"${migrate}" --no-prescan probe.cpp -- > /dev/null 2> probe.err
grep -q "Unknown command line argument" probe.err || no_prescan=(--no-prescan)
rc=0
(cd small && BUILD_WORKING_DIRECTORY="${work}/small" "${migrate}" -p . "${no_prescan[@]}" --report="${work}/report.json" \
  "${small_sources[@]}" > "${work}/diff.txt" 2> "${work}/migrate.err") || rc=$?
[[ "${rc}" == 0 ]] || fail "//migrate exited ${rc} on the small codebase: $(cat migrate.err)"
found="$(sed -n '/^{"sites"/,/^"occurrences"/p' report.json |
  sed -n 's/.*"file": "\([^"]*\)", "line": \([0-9]*\), "column": \([0-9]*\),.*"decision": "\([A-Z]*\)".*/\1:\2:\3 \4/p' | LC_ALL=C sort)"
[[ "${found}" == "$(cat small/seeded_sites.txt)" ]] ||
  fail "//migrate found '${found}', the generator seeded '$(cat small/seeded_sites.txt)'"

finish
