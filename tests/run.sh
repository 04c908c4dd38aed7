#!/usr/bin/env bash
# Runs every test suite of the repository and ends with one line: "N passed, N failed".
# xunit v3 test projects (tests/*.Tests) run as executables; Python protocol tests (tests/python) run under pytest.
set -uo pipefail
cd "$(dirname "$0")/.."
config=${CONFIGURATION:-Release}
passed=0 failed=0 skipped=0 status=0

# The benchmarks (and TorchSharp's 600 MB of native libraries) stay out of the test build: Theon.Tests.slnf.
dotnet build Theon.Tests.slnf -c "$config" --nologo -v quiet || { echo "0 passed, 1 failed"; exit 1; }

for project in tests/*.Tests/*.Tests.csproj; do
  name=$(basename "$project" .csproj)
  exe="$(dirname "$project")/bin/$config/net10.0/$name"
  log=$(mktemp)
  "$exe" -noColor "$@" 2>&1 | tee "$log"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
  summary=$(grep -E "Total: [0-9]+, Errors: [0-9]+, Failed: [0-9]+, Skipped: [0-9]+" "$log" | tail -n 1)
  if [ -z "$summary" ]; then failed=$((failed + 1)); status=1; continue; fi
  total=$(sed -E 's/.*Total: ([0-9]+).*/\1/' <<<"$summary")
  errors=$(sed -E 's/.*Errors: ([0-9]+).*/\1/' <<<"$summary")
  fails=$(sed -E 's/.*Failed: ([0-9]+).*/\1/' <<<"$summary")
  skips=$(sed -E 's/.*Skipped: ([0-9]+).*/\1/' <<<"$summary")
  notrun=$(sed -E 's/.*Not Run: ([0-9]+).*/\1/' <<<"$summary")
  passed=$((passed + total - fails - skips - notrun))
  failed=$((failed + fails + errors))
  skipped=$((skipped + skips))
  rm -f "$log"
done

if [ -d tests/python ] && ls tests/python/test_*.py >/dev/null 2>&1; then
  log=$(mktemp)
  /usr/bin/python3 -m pytest -q tests/python 2>&1 | tee "$log"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
  line=$(grep -E "^[=]* ?[0-9]+ (passed|failed)" "$log" | tail -n 1)
  p=$(grep -oE "[0-9]+ passed" <<<"$line" | grep -oE "[0-9]+" || echo 0)
  f=$(grep -oE "[0-9]+ failed" <<<"$line" | grep -oE "[0-9]+" || echo 0)
  e=$(grep -oE "[0-9]+ error" <<<"$line" | grep -oE "[0-9]+" || echo 0)
  s=$(grep -oE "[0-9]+ skipped" <<<"$line" | grep -oE "[0-9]+" || echo 0)
  [ -n "$line" ] || { f=1; status=1; }
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0} + ${e:-0})); skipped=$((skipped + ${s:-0}))
  rm -f "$log"
fi

[ "$failed" -eq 0 ] || status=1
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
