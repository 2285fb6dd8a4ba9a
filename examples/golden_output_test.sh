#!/usr/bin/env bash
# Runs an example and compares what it prints with its .expected file.
set -euo pipefail
binary="$1"
expected="$2"
if ! diff -u "${expected}" <("${binary}"); then
  echo "FAIL: ${binary} printed something else than ${expected} (diff above)"
  exit 1
fi
echo "PASS: ${binary} printed ${expected}"
