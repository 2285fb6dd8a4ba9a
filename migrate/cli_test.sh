#!/usr/bin/env bash
# The command line: options, exit codes, error messages, compile databases,
# GCC flags, symlinked headers, filters, permissions and --check.
set -uo pipefail

# fail, finish: counted failures (shared with the other shell tests).
source "$PWD/tools/shell_testing.sh"
migrate="$PWD/$1"
work="${TEST_TMPDIR}/cli"
rm -rf "${work}" && mkdir -p "${work}" && cd "${work}"
# expect <exit code> <stderr pattern> <command...>
expect() {
  local want="$1" pattern="$2"; shift 2
  rc=0
  "$@" > out.txt 2> err.txt || rc=$?
  [[ "${rc}" == "${want}" ]] || fail "$* exited ${rc}, expected ${want}: $(cat err.txt)"
  grep -q -- "${pattern}" err.txt || fail "$*: stderr lacks '${pattern}': $(cat err.txt)"
}
flags=(-std=c++17)

cat > user.cpp <<'CPP'
#include <ATen/core/LegacyTypeDispatch.h>
#include <c10/core/InferenceMode.h>
void predict() { at::AutoNonVariableTypeMode guard(true); }
CPP
cat > broken.cpp <<'CPP'
#include <ATen/core/LegacyTypeDispatch.h>
void oops() { at::AutoNonVariableTypeMode guard(true); undeclared_thing(); }
CPP
cp broken.cpp broken.orig

# --help documents every option, an example each, and the exit codes.
"${migrate}" --help > help.txt || fail "--help exited non-zero"
for option in -p --in-place --check --export-fixes --report --header-filter --exclude --assume --kernel-guard --no-prescan --no-shared-preamble -j --strict; do
  grep -q -- "${option}" help.txt || fail "--help does not mention ${option}"
done
[[ "$(grep -c 'e\.g\.' help.txt)" -ge 13 ]] || fail "--help lacks an example per option"
grep -q "3  a file failed to parse" help.txt || fail "--help does not document exit code 3"

# Usage and compile-database errors: exit 2, one line.
expect 2 "Unknown command line argument '--bogus'" "${migrate}" --bogus user.cpp --
expect 2 "no source files given" "${migrate}" -- "${flags[@]}"
expect 2 "no such file: missing.cpp" "${migrate}" missing.cpp -- "${flags[@]}"
expect 2 "--assume must be 'inference' or 'kernel'" "${migrate}" --assume=maybe user.cpp --
expect 2 "--kernel-guard must be 'replace' or 'remove'" "${migrate}" --kernel-guard=drop user.cpp --
expect 2 "--header-filter: missing )" "${migrate}" --header-filter='(' user.cpp --
expect 2 "--in-place and --check exclude each other" "${migrate}" --in-place --check user.cpp --
for jobs in 0 -1 many; do
  expect 2 "-j must be a number of parallel jobs from 1 to 1024, not '${jobs}'" "${migrate}" -j "${jobs}" user.cpp --
  [[ "$(wc -l < err.txt)" == 1 ]] || fail "-j ${jobs}: more than one line: $(cat err.txt)"
done
expect 0 "1 site(s)" "${migrate}" -j2 user.cpp -- "${flags[@]}"
expect 2 "no compilation database: pass -p" "${migrate}" user.cpp
expect 2 "cannot load the compilation database" "${migrate}" -p "${work}/nowhere" user.cpp
[[ "$(wc -l < err.txt)" == 1 ]] || fail "a compile-database error takes more than one line: $(cat err.txt)"

# A file that does not parse: exit 3, named with its first error; the other
# file is still processed, and the broken one is edited by the token tier only.
expect 3 "broken.cpp failed to parse (its occurrences are decided from tokens): .*broken.cpp:2: use of undeclared identifier 'undeclared_thing'" \
  "${migrate}" --in-place broken.cpp user.cpp -- "${flags[@]}"
[[ "$(grep -c 'broken.cpp failed to parse' err.txt)" == 1 ]] || fail "a parse failure takes more than one line: $(cat err.txt)"
[[ "$(grep -c 'undeclared_thing' err.txt)" == 1 ]] || fail "the first error is repeated: $(cat err.txt)"
# Its occurrence of the legacy name is decided from tokens and accounted for.
grep -q "^broken.cpp:2:15: INFERENCE at::AutoNonVariableTypeMode -> c10::InferenceMode: from tokens: inside \`oops\`" err.txt ||
  fail "the broken file's occurrence was not decided from tokens: $(cat err.txt)"
grep -q "2 occurrence(s): 1 rewritten from the AST, 1 rewritten from tokens, 0 manual" err.txt ||
  fail "the occurrence counts are missing: $(cat err.txt)"
grep -q "void oops() { c10::InferenceMode guard(true); undeclared_thing(); }" broken.cpp ||
  fail "the token tier did not edit the broken file: $(cat broken.cpp)"
cp broken.orig broken.cpp
grep -q "c10::InferenceMode guard(true)" user.cpp || fail "the good file was not processed next to a broken one"

# A missing header: parsed with stand-ins and named; --strict fails the file.
printf '#include "not_there.h"\n#include <cuda_runtime.h>\nvoid f() {}\n' > missing_header.cpp
expect 0 'missing_header.cpp: parsed without "not_there.h", <cuda_runtime.h>' \
  "${migrate}" missing_header.cpp -- "${flags[@]}"
expect 3 "missing_header.cpp failed to parse (its occurrences are decided from tokens): .*missing_header.cpp:1: 'not_there.h' file not found" \
  "${migrate}" --strict missing_header.cpp -- "${flags[@]}"
"${migrate}" --strict --report=strict.json missing_header.cpp -- "${flags[@]}" 2> /dev/null
grep -q '"missing_header.cpp": \["\\"not_there.h\\"", "<cuda_runtime.h>"\]' strict.json ||
  fail "--strict report does not name the missing header: $(cat strict.json)"

# --check: 0 when nothing would change, 1 when something would.
expect 0 "0 site(s)" "${migrate}" --check user.cpp -- "${flags[@]}"
cp broken.orig pending.cpp && sed -i 's/ undeclared_thing();//' pending.cpp
expect 1 "would edit: pending.cpp" "${migrate}" --check pending.cpp -- "${flags[@]}"
[[ ! -s out.txt ]] || fail "--check printed a diff"

# Permissions survive an in-place edit.
chmod 0640 pending.cpp
expect 0 "edited: pending.cpp" "${migrate}" --in-place pending.cpp -- "${flags[@]}"
[[ "$(stat -c %a pending.cpp)" == 640 ]] || fail "--in-place changed permissions to $(stat -c %a pending.cpp)"

# A file Clang cannot read (a UTF-16 byte-order mark): exit 3, named, its
# occurrence MANUAL, no edit (this used to crash the token tier).
printf '\xfe\xffvoid f() { at::AutoNonVariableTypeMode g; }\n' > bom.cpp
expect 3 "bom.cpp failed to parse (its occurrences are decided from tokens): UTF-16 (BE) byte order mark detected" \
  "${migrate}" bom.cpp -- "${flags[@]}"
grep -q "^bom.cpp:1:18: MANUAL AutoNonVariableTypeMode: not seen by the AST: the file failed to parse$" err.txt ||
  fail "the unreadable file's occurrence is not MANUAL: $(cat err.txt)"
[[ ! -s out.txt ]] || fail "an edit was proposed for a file Clang cannot read: $(cat out.txt)"

# CMake's precompiled header built by GCC: `-include pch.hxx` with GCC's
# pch.hxx.gch next to it, which Clang's driver would load and fail on. The
# header is parsed from its text instead, and the file from the AST.
mkdir -p gccpch/build
printf '#pragma once\n#include <ATen/core/LegacyTypeDispatch.h>\n' > gccpch/build/pch.hxx
printf 'gpch013 not a Clang AST file\n' > gccpch/build/pch.hxx.gch
printf 'void predict() { at::AutoNonVariableTypeMode guard(true); }\n' > gccpch/forced.cpp
cat > gccpch/compile_commands.json <<JSON
[{"directory": "${work}/gccpch", "file": "forced.cpp",
  "command": "/usr/bin/c++ -std=c++17 -Winvalid-pch -include ${work}/gccpch/build/pch.hxx -o forced.o -c forced.cpp"}]
JSON
expect 0 "forced.cpp: -include ${work}/gccpch/build/pch.hxx is parsed from its text (a precompiled header next to it is GCC's, which Clang cannot read)" \
  "${migrate}" -p gccpch gccpch/forced.cpp
grep -q "rewritten from the AST" err.txt && grep -q "1 rewritten from the AST" err.txt ||
  fail "the file with GCC's precompiled header was not parsed: $(cat err.txt)"

# A compile database written for GCC, with relative paths, found with -p;
# run from another directory through BUILD_WORKING_DIRECTORY like `bazel run`.
mkdir -p proj/src proj/build proj/include/real
cat > proj/include/real/guards.h <<'CPP'
#pragma once
#include <ATen/core/LegacyTypeDispatch.h>
#include <c10/core/InferenceMode.h>
inline void warm() { at::AutoNonVariableTypeMode guard; }
CPP
ln -s real proj/include/link
printf '#include "real/guards.h"\nvoid a() { warm(); }\n' > proj/src/a.cpp
printf '#include "link/guards.h"\nvoid b() { warm(); }\n' > proj/src/b.cpp
cat > proj/build/compile_commands.json <<JSON
[
 {"directory": "${work}/proj/src", "file": "a.cpp",
  "command": "g++ -std=c++17 -fconcepts-diagnostics-depth=2 -I../include -c a.cpp"},
 {"directory": "${work}/proj/src", "file": "b.cpp",
  "command": "g++ -std=c++17 -I../include -c b.cpp"}
]
JSON
(cd / && BUILD_WORKING_DIRECTORY="${work}/proj" "${migrate}" -p build --in-place src/a.cpp src/b.cpp \
  > "${work}/out.txt" 2> "${work}/err.txt") || fail "the -p run failed: $(cat err.txt)"
grep -q "dropped -fconcepts-diagnostics-depth=2" err.txt || fail "the GCC flag was not named: $(cat err.txt)"
[[ "$(grep -c 'c10::InferenceMode guard;' proj/include/real/guards.h)" == 1 ]] ||
  fail "a header reached through a symlink and a real path was not edited exactly once: $(cat proj/include/real/guards.h)"
[[ -L proj/include/link ]] || fail "the symlink was replaced"
grep -q "1 site(s)" err.txt || fail "one header spelling should be one site: $(cat err.txt)"

# Filters: an excluded header is never edited; --header-filter narrows.
cat > filt.h <<'CPP'
#pragma once
#include <ATen/core/LegacyTypeDispatch.h>
#include <c10/core/InferenceMode.h>
inline void h() { at::AutoNonVariableTypeMode guard; }
CPP
printf '#include "filt.h"\nvoid m() { at::AutoNonVariableTypeMode guard; }\n' > filt.cpp
expect 0 "would edit: filt.cpp$" "${migrate}" --exclude='filt\.h$' filt.cpp -- "${flags[@]}"
expect 0 "would edit: filt.cpp$" "${migrate}" --header-filter='/nothing/' filt.cpp -- "${flags[@]}"
expect 0 "would edit: filt.cpp, filt.h" "${migrate}" filt.cpp -- "${flags[@]}"
expect 0 "would edit: nothing" "${migrate}" --exclude='filt' filt.cpp -- "${flags[@]}"

# MANUAL sites: exit 1, and --assume rewrites them.
printf '#include <ATen/core/LegacyTypeDispatch.h>\n#include <c10/core/InferenceMode.h>\nvoid f() { at::AutoNonVariableTypeMode off(false); }\n' > manual.cpp
expect 1 "MANUAL at::AutoNonVariableTypeMode: constructed with .false." "${migrate}" manual.cpp -- "${flags[@]}"
expect 0 "INFERENCE .*--assume=inference for: constructed with" "${migrate}" --assume=inference manual.cpp -- "${flags[@]}"
grep -q "+void f() { c10::InferenceMode off(false); }" out.txt || fail "--assume=inference did not rewrite: $(cat out.txt)"

finish
