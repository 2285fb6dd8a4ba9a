#!/usr/bin/env bash
# The main job: run //migrate (dry run) on examples/legacy_torch and show the
# diff and the per-site reasons. A compile database must hold absolute paths,
# so one is written at run time into a temporary directory.
set -euo pipefail

migrate="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
shift
# Under `bazel run`, show paths as they are in the workspace.
if [[ -n "${BUILD_WORKSPACE_DIRECTORY:-}" ]]; then cd "${BUILD_WORKSPACE_DIRECTORY}"; fi
root="$PWD/examples/legacy_torch"
[[ -d "${root}" ]] || { echo "migrate_demo: ${root} not found" >&2; exit 2; }

build="$(mktemp -d)"
trap 'rm -rf "${build}"' EXIT
sources=(ops/roi_align.cpp ops/nms.cpp app/predict.cpp app/benchmark.cpp)
{
  echo "["
  sep=""
  for source in "${sources[@]}"; do
    printf '%s  {"directory": "%s", "file": "%s", "command": "c++ -std=c++17 -I%s -I/usr/include/torch/csrc/api/include -c %s"}' \
      "${sep}" "${root}" "${source}" "${root}" "${source}"
    sep=$',\n'
  done
  printf '\n]\n'
} > "${build}/compile_commands.json"

rc=0
(
  export BUILD_WORKING_DIRECTORY="$PWD"
  "${migrate}" -p "${build}" "$@" "${sources[@]/#/examples/legacy_torch/}"
) || rc=$?
if [[ "${rc}" == 1 ]]; then
  echo "migrate_demo: exit code 1: MANUAL sites remain (expected here: the \`false\` in app/predict.cpp)" >&2
  exit 0
fi
exit "${rc}"
