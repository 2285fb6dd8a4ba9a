#!/usr/bin/env bash
# The main job end to end on a copy of examples/legacy_torch: the demo's
# decisions, and the migrated codebase compiles against LibTorch 1.13 with
# no AutoNonVariableTypeMode left but the one MANUAL site.
set -euo pipefail

demo="$PWD/$1"
migrate="$PWD/$2"
copy="${TEST_TMPDIR}/demo"
rm -rf "${copy}" && mkdir -p "${copy}/examples"
cp -RL examples/legacy_torch "${copy}/examples/"
chmod -R u+w "${copy}"
cd "${copy}"
unset BUILD_WORKSPACE_DIRECTORY
"${demo}" "${migrate}" --in-place --report="${copy}/report.json" 2> stderr.txt ||
  { cat stderr.txt; echo "FAIL: the demo failed"; exit 1; }

fail() { echo "FAIL: $*"; cat stderr.txt; exit 1; }
grep -q "8 site(s): 4 kernel, 3 inference, 0 removed, 1 manual" stderr.txt || fail "unexpected decisions"
grep -q 'ops/roi_align.cpp", "line": 21, .*"decision": "KERNEL", "reason": "inside `vision::ROIAlignFunction::forward`, a subclass of `torch::autograd::Function<ROIAlignFunction>`; redundant' report.json ||
  fail "the forward guard's reason is missing from the report: $(cat report.json)"
grep -q 'app/guards.h", "line": 8, .*"new": "c10::InferenceMode"' report.json || fail "the alias was not migrated"
[[ "$(grep -rc AutoNonVariableTypeMode examples/legacy_torch --include='*.cpp' --include='*.h' | awk -F: '{s+=$2} END {print s}')" == 3 ]] ||
  fail "expected only the MANUAL site and two comments to mention the legacy guard: $(grep -rn AutoNonVariableTypeMode examples/legacy_torch)"
for source in ops/roi_align.cpp ops/nms.cpp app/predict.cpp app/benchmark.cpp; do
  clang++-14 -fsyntax-only -std=c++17 -Iexamples/legacy_torch -I/usr/include/torch/csrc/api/include \
    "examples/legacy_torch/${source}" || fail "migrated ${source} does not compile"
done
echo PASS
