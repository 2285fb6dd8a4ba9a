#!/usr/bin/env bash
# An unnamed guard (`ember::InferenceMode();`) is a temporary that guards
# nothing. Every guard's constructor is [[nodiscard]], so with -Werror such a
# line does not compile. This test proves it for each guard, and that the
# named form compiles, with GCC and with Clang (//migrate parses these headers
# with Clang, and users may build with either).
set -euo pipefail

compile() {  # compile <statement>
  printf '%s\n' \
    '#include "modes/grad_mode.h"' '#include "modes/inference_mode.h"' \
    '#include "modes/kernel_guards.h"' '#include "modes/legacy_guards.h"' \
    '#pragma GCC diagnostic ignored "-Wdeprecated-declarations"' \
    "void f() { $1 }" >"${TEST_TMPDIR}/snippet.cc"
  "${compiler}" -std=c++17 -Wall -Wextra -Werror -fsyntax-only -I. "${TEST_TMPDIR}/snippet.cc" \
    2>"${TEST_TMPDIR}/errors.txt"
}

failures=0
for compiler in g++ clang++-14; do
for guard in 'ember::InferenceMode()' 'ember::InferenceMode(false)' 'ember::NoGradGuard()' \
             'ember::AutoGradMode(false)' 'ember::AutoFwGradMode(false)' \
             'ember::AutoDispatchBelowAutograd()' 'ember::AutoDispatchBelowADInplaceOrView()' \
             'ember::AutoNonVariableTypeMode(true)' 'ember::InferenceMode{}' \
             'ember::ExcludeDispatchKeyGuard{ember::autograd_dispatch_keyset}' 'ember::IncludeDispatchKeyGuard{ember::DispatchKey::CPU}'; do
  if compile "${guard};"; then
    echo "FAIL: ${compiler}: unnamed '${guard};' compiled"
    failures=$((failures + 1))
  elif ! grep -q "nodiscard" "${TEST_TMPDIR}/errors.txt"; then
    echo "FAIL: ${compiler}: '${guard};' was rejected for another reason:"; cat "${TEST_TMPDIR}/errors.txt"
    failures=$((failures + 1))
  fi
done
if ! compile "ember::InferenceMode guard; ember::NoGradGuard no_grad; ember::AutoGradMode on(true);"; then
  echo "FAIL: ${compiler}: named guards did not compile:"; cat "${TEST_TMPDIR}/errors.txt"
  failures=$((failures + 1))
fi
done
if ((failures > 0)); then exit 1; fi
echo "PASS: every unnamed guard is rejected by g++ and clang++-14"
