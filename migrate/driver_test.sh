#!/usr/bin/env bash
# The driver on a small codebase: the pre-scan skips exactly the translation
# units that cannot reach the guard and changes nothing else (diff, report,
# fixes, exit code, the other stderr lines); `-j 4` gives byte-for-byte the
# output of `-j 1`, messages included; so does --no-shared-preamble.
set -uo pipefail

# fail, finish: counted failures (shared with the other shell tests).
source "$PWD/tools/shell_testing.sh"
migrate="$PWD/$1"
work="${TEST_TMPDIR}/driver"
rm -rf "${work}" && mkdir -p "${work}/src" "${work}/include" "${work}/third_party" && cd "${work}"

cat > include/guard_alias.h <<'CPP'
#pragma once
#include <ATen/core/LegacyTypeDispatch.h>
#include <c10/core/InferenceMode.h>
using NoGradGuard = at::AutoNonVariableTypeMode;
CPP
cat > include/plain.h <<'CPP'
#pragma once
#include <c10/core/InferenceMode.h>
inline int plain() { return 1; }
CPP
cat > third_party/lib.h <<'CPP'
#pragma once
#include <ATen/core/LegacyTypeDispatch.h>
#define LIB_NO_GRAD at::AutoNonVariableTypeMode lib_guard(true)
CPP
# Direct use; use through a project alias; use through an excluded header's
# macro; two files that reach no spelling; a file that does not parse.
cat > src/direct.cpp <<'CPP'
#include <ATen/core/LegacyTypeDispatch.h>
#include <c10/core/InferenceMode.h>
int direct() { at::AutoNonVariableTypeMode guard; return 0; }
CPP
cat > src/direct_too.cpp <<'CPP'
#include <ATen/core/LegacyTypeDispatch.h>
#include <c10/core/InferenceMode.h>
int direct_too() { at::AutoNonVariableTypeMode guard; return 1; }
CPP
cat > src/alias.cpp <<'CPP'
#include "guard_alias.h"
int alias() { NoGradGuard guard; return 0; }
CPP
cat > src/macro.cpp <<'CPP'
#include <lib.h>
int macro() { LIB_NO_GRAD; return 0; }
CPP
cat > src/macro_too.cpp <<'CPP'
#include <lib.h>
#include <c10/core/InferenceMode.h>
int macro_too() { LIB_NO_GRAD; c10::InferenceMode fine; return 1; }
CPP
cat > src/clean.cpp <<'CPP'
#include "plain.h"
int clean() { c10::InferenceMode guard; return plain(); }
CPP
cat > src/other.cpp <<'CPP'
#include <vector>
int other() { return static_cast<int>(std::vector<int>(3).size()); }
CPP
cat > src/broken.cpp <<'CPP'
#include <ATen/core/LegacyTypeDispatch.h>
void broken() { at::AutoNonVariableTypeMode guard; undeclared_thing(); }
CPP
# direct.cpp, direct_too.cpp and broken.cpp share a precompiled
# LegacyTypeDispatch.h; the two macro files would share third_party/lib.h, a
# project header: they must not. With -j 2, the second worker parses
# direct.cpp alone while the first builds the shared header, and then waits
# for the header if it is still being built.
sources=(src/direct.cpp src/direct_too.cpp src/clean.cpp src/alias.cpp src/other.cpp src/macro.cpp src/broken.cpp src/macro_too.cpp)
flags=(-std=c++17 -Iinclude -isystem third_party -fconcepts-diagnostics-depth=2)

# run <name> <migrate flags...>: outputs in out/<name>.{stdout,stderr,json,yaml,rc}
run() {
  local name="$1"; shift
  mkdir -p out
  local rc=0
  "${migrate}" --exclude='third_party/' --report="out/${name}.json" --export-fixes="out/${name}.yaml" "$@" \
    "${sources[@]}" -- "${flags[@]}" > "out/${name}.stdout" 2> "out/${name}.stderr" || rc=$?
  echo "${rc}" > "out/${name}.rc"
}
same() {  # same <a> <b>: every output identical
  local ext
  for ext in stdout stderr json yaml rc; do
    cmp -s "out/$1.${ext}" "out/$2.${ext}" || fail "$1 and $2 differ in ${ext}: $(diff "out/$1.${ext}" "out/$2.${ext}")"
  done
}

run scan_j1 -j 1
run scan_j4 -j 4
run full_j1 -j 1 --no-prescan
run full_j4 -j 4 --no-prescan

[[ "$(cat out/scan_j1.rc)" == 3 ]] || fail "the broken file should make the run exit 3: $(cat out/scan_j1.stderr)"
grep -q "^migrate: pre-scan skipped 2 of 8 translation unit(s) (no legacy guard spelling reachable)$" out/scan_j1.stderr ||
  fail "the pre-scan should skip clean.cpp and other.cpp only: $(cat out/scan_j1.stderr)"
grep -q "pre-scan" out/full_j1.stderr && fail "--no-prescan still reports a pre-scan: $(cat out/full_j1.stderr)"
grep -q "^include/guard_alias.h:4:21: INFERENCE" out/scan_j1.stderr ||
  fail "the use through the project alias was not found: $(cat out/scan_j1.stderr)"
grep -q "LIB_NO_GRAD.*outside the files this tool may edit" out/scan_j1.stderr ||
  fail "the excluded header's macro was not reported: $(cat out/scan_j1.stderr)"
[[ "$(grep -c 'dropped -fconcepts-diagnostics-depth=2' out/scan_j4.stderr)" == 1 ]] ||
  fail "the dropped flag should be named once: $(cat out/scan_j4.stderr)"

# The pre-scan changes only its own line.
for ext in stdout json yaml rc; do
  cmp -s "out/scan_j1.${ext}" "out/full_j1.${ext}" ||
    fail "the pre-scan changed the ${ext}: $(diff "out/scan_j1.${ext}" "out/full_j1.${ext}")"
done
diff <(grep -v "^migrate: pre-scan skipped" out/scan_j1.stderr) out/full_j1.stderr ||
  fail "the pre-scan changed stderr beyond its summary line"

# -j 4 is -j 1, byte for byte; so is -j 2.
same scan_j1 scan_j4
same full_j1 full_j4
run full_j2 -j 2 --no-prescan
same full_j1 full_j2

# Sharing precompiled headers changes nothing either.
run scan_alone -j 1 --no-shared-preamble
same scan_j1 scan_alone
run full_alone -j 2 --no-prescan --no-shared-preamble
same full_j1 full_alone
grep -q "^src/macro_too.cpp:3:19: MANUAL LIB_NO_GRAD" out/scan_j1.stderr ||
  fail "the second use of the excluded macro was not reported: $(cat out/scan_j1.stderr)"

# A run twice over is the same run (no state between translation units).
run scan_j4_again -j 4
same scan_j4 scan_j4_again

finish
