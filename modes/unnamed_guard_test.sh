#!/usr/bin/env bash
# An unnamed guard (`ember::InferenceMode();`) is a temporary that guards
# nothing. Every guard's constructor is [[nodiscard]], so with -Werror such a
# line does not compile. This test proves it for each guard, and that the
# named form compiles.
set -euo pipefail

compile() {  # compile <statement>
  printf '%s\n' \
    '#include "modes/grad_mode.h"' '#include "modes/inference_mode.h"' \
    '#include "modes/kernel_guards.h"' '#include "modes/legacy_guards.h"' \
    '#pragma GCC diagnostic ignored "-Wdeprecated-declarations"' \
    "void f() { $1 }" >"${TEST_TMPDIR}/snippet.cc"
  g++ -std=c++17 -Werror -fsyntax-only -I. "${TEST_TMPDIR}/snippet.cc" 2>"${TEST_TMPDIR}/errors.txt"
}

failures=0
for guard in 'ember::InferenceMode()' 'ember::InferenceMode(false)' 'ember::NoGradGuard()' \
             'ember::AutoGradMode(false)' 'ember::AutoFwGradMode(false)' \
             'ember::AutoDispatchBelowAutograd()' 'ember::AutoDispatchBelowADInplaceOrView()' \
             'ember::AutoNonVariableTypeMode(true)' 'ember::InferenceMode{}' \
             'ember::ExcludeDispatchKeyGuard(ember::autograd_dispatch_keyset)'; do
  if compile "${guard};"; then
    echo "FAIL: unnamed '${guard};' compiled"
    failures=$((failures + 1))
  elif ! grep -q "nodiscard" "${TEST_TMPDIR}/errors.txt"; then
    echo "FAIL: '${guard};' was rejected for another reason:"; cat "${TEST_TMPDIR}/errors.txt"
    failures=$((failures + 1))
  fi
done
if ! compile "ember::InferenceMode guard; ember::NoGradGuard no_grad; ember::AutoGradMode on(true);"; then
  echo "FAIL: named guards did not compile:"; cat "${TEST_TMPDIR}/errors.txt"
  failures=$((failures + 1))
fi
if ((failures > 0)); then exit 1; fi
echo "PASS: every unnamed guard is rejected"
