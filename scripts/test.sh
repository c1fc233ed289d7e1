#!/usr/bin/env bash
# Sets qnn up and runs every test suite: C++ unit tests and the lit suite.
# Prints one closing line 'qnn: N passed, N failed' and exits non-zero if
# any test fails.
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh || exit 1

log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT
passed=0
failed=0
status=0

echo "=== unit tests ==="
build/unittests/QNNUnitTests | tee "$log/unit" || status=1
p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log/unit")
f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log/unit")
passed=$((passed + ${p:-0}))
failed=$((failed + ${f:-0}))

echo "=== lit tests ==="
/usr/lib/llvm-22/bin/lit -v build/test | tee "$log/lit" || status=1
p=$(sed -n 's/^ *Passed *: *\([0-9]*\).*/\1/p' "$log/lit")
f=$(sed -n 's/^ *Failed *: *\([0-9]*\).*/\1/p' "$log/lit")
passed=$((passed + ${p:-0}))
failed=$((failed + ${f:-0}))

# A runner that crashed before reporting still fails the run.
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo
echo "qnn: $passed passed, $failed failed"
exit $status
