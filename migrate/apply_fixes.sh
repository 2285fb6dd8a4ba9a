#!/usr/bin/env bash
# apply_fixes: merges the per-target fix files of migrate_aspect (aspect.bzl)
# and applies them to the workspace. See --help.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: bazel run @ember//migrate:apply_fixes -- [--dry-run] [--report=FILE] [paths...]

Merges the fix files migrate_aspect wrote (<target>.migrate.yaml) and applies
them to the workspace with clang-apply-replacements-14, which keeps an edit
several targets made (a shared header) once and refuses overlapping ones.

  paths          directories searched for *.migrate.yaml, or such files
                 (default: the workspace's bazel-bin)
  --dry-run      write nothing; print the unified diff (patch -p1 applies it)
  --report=FILE  also write the targets' reports merged into one JSON report
  --help         this text

First build the fix files:
  bazel build //... --aspects=@ember//migrate:aspect.bzl%migrate_aspect --output_groups=migrate

A fix file whose target's files changed since it was built is skipped (build
again). A file that targets would edit differently (a header used in kernel
code by one target and in user code by another) is left unchanged and named;
the merged report marks its sites MANUAL with both reasons.

Exit codes:
  0  every edit applied (or, with --dry-run, would apply)
  1  a file was left unchanged because targets disagree on it
  2  usage error, no fix files, clang-apply-replacements-14 missing
EOF
}

die() {
  echo "apply_fixes: error: $*" >&2
  exit 2
}

dry_run=0
report=""
paths=()
for arg in "$@"; do
  case "${arg}" in
    -h | --help) usage; exit 0 ;;
    --dry-run) dry_run=1 ;;
    --report=*) report="${arg#--report=}"; [[ -n "${report}" ]] || die "--report needs a file name" ;;
    -*) die "unknown option ${arg} (see --help)" ;;
    *) paths+=("${arg}") ;;
  esac
done

# Under `bazel run`, the workspace and the user's directory; otherwise here.
workspace="${BUILD_WORKSPACE_DIRECTORY:-${PWD}}"
here="${BUILD_WORKING_DIRECTORY:-${PWD}}"
absolute() { if [[ "$1" == /* ]]; then echo "$1"; else echo "${here}/$1"; fi; }
[[ -n "${report}" ]] && report="$(absolute "${report}")"
if ((${#paths[@]} == 0)); then paths=("${workspace}/bazel-bin"); fi

car="${CLANG_APPLY_REPLACEMENTS:-}"
if [[ -z "${car}" ]]; then
  car="$(command -v clang-apply-replacements-14 || true)"
  [[ -n "${car}" || ! -x /usr/lib/llvm-14/bin/clang-apply-replacements ]] ||
    car=/usr/lib/llvm-14/bin/clang-apply-replacements
fi
[[ -n "${car}" && -x "${car}" ]] ||
  die "clang-apply-replacements-14 not found (install Debian's clang-tools-14, or set CLANG_APPLY_REPLACEMENTS)"

self="$(readlink -f "$0")"
merge_reports=""
for candidate in "${RUNFILES_DIR:-$0.runfiles}/ember/migrate/merge_reports" "$0.runfiles/ember/migrate/merge_reports" \
  "$(dirname "$0")/merge_reports" "$(dirname "${self}")/merge_reports"; do
  if [[ -x "${candidate}" ]]; then merge_reports="${candidate}"; break; fi
done
[[ -n "${merge_reports}" ]] || die "merge_reports not found next to $0 (run it with bazel run)"

# The fix files, each with the target it came from.
fixes=()
labels=()
add_fix() {  # add_fix <file> <directory it was found under>
  local rel="${1#"$2"/}" name package
  name="$(basename "${rel}" .migrate.yaml)"
  package="$(dirname "${rel}")"
  [[ "${package}" != "." ]] || package=""
  fixes+=("$1")
  labels+=("//${package}:${name}")
}
for path in "${paths[@]}"; do
  path="$(absolute "${path}")"
  if [[ -f "${path}" ]]; then
    [[ "${path}" == *.migrate.yaml ]] || die "${path} is not a .migrate.yaml fix file"
    case "${path}" in
      */bazel-bin/*) add_fix "${path}" "${path%%/bazel-bin/*}/bazel-bin" ;;
      *) add_fix "${path}" "$(dirname "${path}")" ;;
    esac
  elif [[ -d "${path}" ]]; then
    while IFS= read -r found; do add_fix "${found}" "${path%/}"; done < <(
      find "${path}/" -name '*.runfiles' -prune -o -type f -name '*.migrate.yaml' -print | LC_ALL=C sort)
  else
    die "no such file or directory: ${path}"
  fi
done
((${#fixes[@]} > 0)) || die "no *.migrate.yaml fix files under ${paths[*]} (build with --aspects=@ember//migrate:aspect.bzl%migrate_aspect --output_groups=migrate first)"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/apply_fixes.XXXXXX")"
trap 'rm -rf "${tmp}"' EXIT

# The paths a fix file edits, one per line, as written (workspace-relative).
edited_paths() {
  awk '/^[ -]*FilePath:/ { sub(/^[ -]*FilePath: */, ""); print }' "$1" |
    sed "s/^'\\(.*\\)'\$/\\1/; s/''/'/g" | LC_ALL=C sort -u
}

# Fix files built before their target's files last changed are stale: their
# offsets no longer fit. Skipped, and said.
fresh=()
fresh_labels=()
stale=()
for i in "${!fixes[@]}"; do
  fix="${fixes[$i]}"
  sums="${fix%.yaml}.sha256"
  if [[ -f "${sums}" && -s "${sums}" ]] &&
    ! (cd "${workspace}" && sha256sum --quiet --status -c "${sums}" 2>/dev/null); then
    stale+=("${labels[$i]}")
    continue
  fi
  while IFS= read -r rel; do
    [[ "${rel}" != /* && "/${rel}/" != */../* ]] ||
      die "${fix}: ${rel} is not a workspace-relative path (rebuild the fix files with this version of the aspect)"
    [[ -f "${workspace}/${rel}" ]] || die "${fix}: ${rel} is not a file of the workspace ${workspace}"
  done < <(edited_paths "${fix}")
  fresh+=("${fix}")
  fresh_labels+=("${labels[$i]}")
done
if ((${#stale[@]} > 0)); then
  echo "apply_fixes: skipped ${#stale[@]} stale fix file(s) (their files changed since they were built; build again): ${stale[*]}" >&2
fi

files=()
if ((${#fresh[@]} > 0)); then
  while IFS= read -r rel; do files+=("${rel}"); done < <(
    for fix in "${fresh[@]}"; do edited_paths "${fix}"; done | LC_ALL=C sort -u)
fi

# Applies the fresh fix files to copies under ${tmp}/tree, leaving out the
# files in ${tmp}/conflicts; clang-apply-replacements applies nothing when
# any edits overlap, so conflicting files are found and left out one round at
# a time.
: >"${tmp}/conflicts"
stage() {
  rm -rf "${tmp}/tree" "${tmp}/fixes"
  mkdir -p "${tmp}/tree" "${tmp}/fixes"
  local rel i
  for rel in "${files[@]+"${files[@]}"}"; do
    mkdir -p "${tmp}/tree/$(dirname "${rel}")"
    cp -p "${workspace}/${rel}" "${tmp}/tree/${rel}"
  done
  for i in "${!fresh[@]}"; do
    awk -v tree="${tmp}/tree/" -v conflicts="${tmp}/conflicts" '
      BEGIN { while ((getline line < conflicts) > 0) skip[line] = 1 }
      /^[ -]*FilePath:/ {
        path = $0
        sub(/^[ -]*FilePath: */, "", path)
        if (path ~ /^\x27.*\x27$/) { path = substr(path, 2, length(path) - 2); gsub(/\x27\x27/, "\x27", path) }
        dropping = (path in skip)
        quoted = tree path
        gsub(/\x27/, "\x27\x27", quoted)
        if (!dropping) print "  - FilePath:        \x27" quoted "\x27"
        next
      }
      dropping && /^    / { next }
      { dropping = 0; print }' "${fresh[$i]}" >"${tmp}/fixes/${i}.yaml"
    grep -q 'FilePath:' "${tmp}/fixes/${i}.yaml" || rm "${tmp}/fixes/${i}.yaml"
  done
}

conflicted=()
while true; do
  stage
  if "${car}" "${tmp}/fixes" >"${tmp}/car.log" 2>&1; then break; fi
  found=0
  while IFS= read -r rel; do
    [[ -n "${rel}" ]] || continue
    if ! grep -qxF -- "${rel}" "${tmp}/conflicts"; then
      echo "${rel}" >>"${tmp}/conflicts"
      conflicted+=("${rel}")
      found=1
    fi
  done < <(sed -n "s|^New replacement: ${tmp}/tree/\\(.*\\): [0-9]*:+[0-9]*:.*|\\1|p" "${tmp}/car.log" | sort -u)
  ((found)) || die "${car} failed: $(grep -m1 . "${tmp}/car.log" || echo "no message")"
done

# Which targets edit a file, for the conflict messages.
editors() {
  local i names=()
  for i in "${!fresh[@]}"; do
    if edited_paths "${fresh[$i]}" | grep -qxF -- "$1"; then names+=("${fresh_labels[$i]}"); fi
  done
  echo "${names[*]}"
}
for rel in "${conflicted[@]+"${conflicted[@]}"}"; do
  echo "apply_fixes: error: conflicting edits to ${rel} from $(editors "${rel}") (the targets decide differently; see the merged report); left unchanged" >&2
done

changed=()
for rel in "${files[@]+"${files[@]}"}"; do
  cmp -s "${workspace}/${rel}" "${tmp}/tree/${rel}" || changed+=("${rel}")
done

# The reports of the fresh fix files, merged (before anything is written: a
# report that does not merge stops it all); and each target's exit status.
named=()
manual_targets=()
unparsed_targets=()
for i in "${!fresh[@]}"; do
  json="${fresh[$i]%.yaml}.json"
  [[ -f "${json}" ]] && named+=("${fresh_labels[$i]}=${json}")
  log="${fresh[$i]%.yaml}.log"
  status="$(sed -n 's/^migrate: exit status \([0-9]*\)$/\1/p' "${log}" 2>/dev/null | tail -n1)"
  case "${status}" in
    1) manual_targets+=("${fresh_labels[$i]}") ;;
    3) unparsed_targets+=("${fresh_labels[$i]}") ;;
  esac
done
if ((${#named[@]} > 0)); then
  merged="${tmp}/report.json"
  "${merge_reports}" "${merged}" "${named[@]}" || exit 2
  if [[ -n "${report}" ]]; then cp "${merged}" "${report}" || die "cannot write ${report}"; fi
  counts="$(sed -n 's/^"counts": {\(.*\)}}$/\1/p' "${merged}" | sed 's/"//g')"
fi
for rel in "${changed[@]+"${changed[@]}"}"; do
  if ((dry_run)); then
    diff -u --label "a/${rel}" --label "b/${rel}" "${workspace}/${rel}" "${tmp}/tree/${rel}" || true
  else
    # Same directory, then rename: a file is either old or new, never half.
    next="${workspace}/${rel}.apply_fixes.$$"
    cp -p "${tmp}/tree/${rel}" "${next}"
    mv -f "${next}" "${workspace}/${rel}"
  fi
done

# Edits counted as written, and once per distinct edit (duplicates are the
# shared headers' edits that several targets made).
edits=0
distinct=0
if ((${#fresh[@]} > 0)); then
  awk '/^[ -]*FilePath:/ { if (entry != "") print entry; entry = $0; next }
       /^    / && entry != "" { entry = entry "\t" $0; next }
       { if (entry != "") print entry; entry = "" }
       END { if (entry != "") print entry }' "${fresh[@]}" >"${tmp}/edits"
  edits="$(wc -l <"${tmp}/edits")"
  distinct="$(LC_ALL=C sort -u "${tmp}/edits" | wc -l)"
fi

if [[ -n "${counts:-}" ]]; then
  echo "apply_fixes: merged report: ${counts}${report:+ (written to ${report})}" >&2
fi
((${#manual_targets[@]} == 0)) ||
  echo "apply_fixes: ${#manual_targets[@]} target(s) left MANUAL sites to decide by hand: ${manual_targets[*]}" >&2
((${#unparsed_targets[@]} == 0)) ||
  echo "apply_fixes: ${#unparsed_targets[@]} target(s) had a file that failed to parse (see its .migrate.log): ${unparsed_targets[*]}" >&2

list="${changed[*]+"${changed[*]}"}"
echo "apply_fixes: ${#fresh[@]} fix file(s), ${edits} edit(s), ${distinct} distinct; $( ((dry_run)) && echo "would change" || echo "changed") ${#changed[@]} file(s)${list:+: ${list}}" >&2
((${#conflicted[@]} == 0)) || exit 1
exit 0
