#!/usr/bin/env bash
# Proves that another Bazel workspace can depend on one Ember target,
# @ember//modes:inference_mode, and build it without the rest of Ember: the
# consumer declares none of Ember's third-party repositories (LLVM, LibTorch),
# so any dependency on them would fail the build, and the query below checks
# that nothing outside //modes is pulled in.
set -euo pipefail

# The real source tree: this test is tagged "local", so runfiles are symlinks
# into it.
ember_root="$(dirname "$(readlink -f "$1")")"
template_dir="$(dirname "$(readlink -f "$2")")"

work="${TEST_TMPDIR}/consumer"
mkdir -p "${work}"
sed "s|@EMBER@|${ember_root}|g" "${template_dir}/WORKSPACE.in" >"${work}/WORKSPACE"
cp "${template_dir}/BUILD.in" "${work}/BUILD.bazel"
cp "${template_dir}/consumer.cc" "${work}/consumer.cc"
echo "build --cxxopt=-std=c++17 --spawn_strategy=processwrapper-sandbox" >"${work}/.bazelrc"

# A stable output root keeps the nested Bazel's cache between runs.
output_root="${EMBER_NESTED_BAZEL_ROOT:-/tmp/ember-external-workspace-bazel}"
nested_bazel() {
  (cd "${work}" && bazel --batch --output_user_root="${output_root}" "$@")
}

if ! nested_bazel build //:consumer >"${TEST_TMPDIR}/build.log" 2>&1; then
  cat "${TEST_TMPDIR}/build.log"
  echo "FAIL: the consumer workspace did not build with @ember//modes:inference_mode alone"
  exit 1
fi

deps="$(nested_bazel query 'deps(//:consumer)' 2>/dev/null | grep '^@ember//' || true)"
outside_modes="$(grep -v '^@ember//modes:' <<<"${deps}" || true)"
if [[ -n "${outside_modes}" ]]; then
  echo "FAIL: @ember//modes:inference_mode pulls in targets outside //modes:"
  echo "${outside_modes}"
  exit 1
fi

output="$("${work}/bazel-bin/consumer")"
expected=$'before: 0\ninside: 1\nafter: 0'
if [[ "${output}" != "${expected}" ]]; then
  echo "FAIL: consumer printed:"; echo "${output}"
  exit 1
fi
echo "PASS: built and ran with only these Ember targets:"
echo "${deps}"
