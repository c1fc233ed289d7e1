#!/usr/bin/env bash
# Sets qnn up and runs every test suite: C++ unit tests, the lit suite,
# the AArch64 suite (cross-compiled, under qemu) and the Python suite
# (bit-exact against PyTorch). Prints one closing line
# 'qnn: N passed, N failed' and exits non-zero if any test fails.
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test || exit 1

log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT
passed=0
failed=0
status=0
count() { # count FILE PASS_REGEX FAIL_REGEX
  local p f
  p=$(sed -n "s/$2/\1/p" "$1" | tail -n 1)
  f=$(sed -n "s/$3/\1/p" "$1" | tail -n 1)
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
}

for unit in QNNUnitTests QNNRuntimeTests; do
  echo "=== unit tests: $unit ==="
  build/unittests/$unit | tee "$log/$unit" || status=1
  count "$log/$unit" '^\[  PASSED  \] \([0-9]*\) test.*' '^\[  FAILED  \] \([0-9]*\) test.*'
done
# The runtime's fallback kernels, whatever this CPU supports.
for isa in avx2 portable; do
  echo "=== unit tests: QNNRuntimeTests with QNN_ISA=$isa ==="
  QNN_ISA=$isa build/unittests/QNNRuntimeTests | tee "$log/rt-$isa" || status=1
  count "$log/rt-$isa" '^\[  PASSED  \] \([0-9]*\) test.*' '^\[  FAILED  \] \([0-9]*\) test.*'
done

echo "=== lit tests ==="
cmake --build build --target check-qnn | tee "$log/lit"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
count "$log/lit" '^ *Passed *: *\([0-9]*\).*' '^ *Failed *: *\([0-9]*\).*'

echo "=== AArch64 tests (cross-compiled, qemu-aarch64) ==="
scripts/test-aarch64.sh | tee "$log/aarch64"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
count "$log/aarch64" '^aarch64: \([0-9]*\) passed.*' '^aarch64: [0-9]* passed, \([0-9]*\) failed.*'

echo "=== Python tests ==="
PYTHONPATH="$PWD/python" /usr/bin/python3 -m pytest -q python/tests |
  tee "$log/pytest"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
p=$(grep -o '[0-9]* passed' "$log/pytest" | tail -n 1 | cut -d' ' -f1)
f=$(grep -oE '[0-9]+ (failed|error)' "$log/pytest" | awk '{s += $1} END {print s + 0}')
passed=$((passed + ${p:-0}))
failed=$((failed + ${f:-0}))

# A runner that crashed before reporting still fails the run.
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo
echo "qnn: $passed passed, $failed failed"
exit $status
