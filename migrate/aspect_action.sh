#!/usr/bin/env bash
# The action of migrate_aspect (aspect.bzl) for one target, run in the
# execution root:
#   aspect_action.sh <migrate> <fixes.yaml> <report.json> <log> <sums> <probe> <n> <options...> <sources...> -- <flags...>
# <n> options (from @ember//migrate:options, checked by aspect.bzl) go to the
# tool before the action's own.
# <probe> is a source file of the main repository ("" when the target reaches
# none): its real path tells where the workspace really is, because the tool
# keys files by real path and the execution root is a tree of symlinks into it
# (locally) or a copy of it (remote execution).
#
# The tool exits 1 while MANUAL sites remain and 3 when a file did not parse;
# both are results to merge later, not build failures, so the action succeeds
# and the status goes into the log. A usage error (2) or a crash fails it.
set -euo pipefail

migrate="$1" fixes="$2" report="$3" log="$4" sums="$5" probe="$6"
shift 6
options=("${@:2:$1}")
shift $((1 + $1))
sources=()
while [[ $# -gt 0 && "$1" != "--" ]]; do sources+=("$1"); shift; done
shift

empty_outputs() {
  printf -- '---\nMainSourceFile:  %s\nReplacements:    []\n...\n' "''" >"${fixes}"
  : >"${sums}"
  printf '{"sites": [],\n"occurrences": [],\n"counts": {"occurrences": 0, "rewritten-from-ast": 0, "rewritten-from-tokens": 0, "manual": 0, "accepted": 0, "not-code": 0}}\n' >"${report}"
}

root=""
if [[ -n "${probe}" ]]; then
  real="$(realpath -- "${probe}")"
  [[ "${real}" == */"${probe}" ]] && root="${real%/"${probe}"}"
fi
if [[ -z "${root}" ]]; then
  empty_outputs
  echo "migrate: skipped: the target reaches no source file of the main repository" >"${log}"
  echo "migrate: exit status 0" >>"${log}"
  exit 0
fi

# re2 syntax: the workspace's real path, quoted.
quoted="$(sed 's/[][\\.*+?^$(){}|]/\\&/g' <<<"${root}")"
rc=0
# Bazel already runs one action per core: one parse at a time per action.
"${migrate}" -j 1 "${options[@]}" \
  --export-fixes="${fixes}" --report="${report}" \
  --header-filter="^${quoted}/" \
  --exclude="^${quoted}/external/|/bazel-out/" \
  "${sources[@]}" -- "$@" >/dev/null 2>"${log}" || rc=$?

case "${rc}" in
  0 | 1 | 3) ;;
  *)
    cat "${log}" >&2
    echo "migrate_aspect: the tool exited ${rc} on ${sources[*]}" >&2
    exit 1
    ;;
esac
[[ -s "${fixes}" && -s "${report}" ]] || empty_outputs

# Workspace-relative paths, so that the fixes apply from the workspace root
# wherever the action ran. Only path fields of the YAML are rewritten; in the
# report every mention (file fields and the places named in reasons) is.
awk -v root="${root}/" -v cwd="${PWD}/" '
  /^[ -]*(MainSourceFile|FilePath):/ {
    if ((i = index($0, root)) > 0) $0 = substr($0, 1, i - 1) substr($0, i + length(root))
    else if ((i = index($0, cwd)) > 0) $0 = substr($0, 1, i - 1) substr($0, i + length(cwd))
  }
  { print }' "${fixes}" >"${fixes}.tmp"
mv "${fixes}.tmp" "${fixes}"
for file in "${report}" "${log}"; do
  awk -v root="${root}/" '{
      out = ""
      while ((i = index($0, root)) > 0) {
        out = out substr($0, 1, i - 1)
        $0 = substr($0, i + length(root))
      }
      print out $0
    }' "${file}" >"${file}.tmp"
  mv "${file}.tmp" "${file}"
done
echo "migrate: exit status ${rc}" >>"${log}"

# What each edited file looked like when the edits were computed: the merge
# step refuses to apply edits to a file that has changed since.
: >"${sums}"
awk '/^[ -]*FilePath:/ { sub(/^[ -]*FilePath: */, ""); print }' "${fixes}" |
  sed "s/^'\(.*\)'\$/\1/; s/''/'/g" | sort -u |
  while IFS= read -r path; do sha256sum -- "${path}" >>"${sums}"; done
