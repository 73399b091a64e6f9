#!/usr/bin/env bash
# Runs every Go fuzz target (func FuzzXxx in a *_test.go file) for FUZZTIME each. go test
# fuzzes one target per run, so the targets are found here and run one by one.
#   FUZZTIME       time per target (default 3s: the bounded run inside make test; make fuzz: 1m)
#   FUZZ_PARALLEL  fuzzing workers per target (default: go's, GOMAXPROCS)
# A failing input is saved under the package's testdata/fuzz/<Target>/; commit it, fixed, so
# plain go test replays it from then on.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime="${FUZZTIME:-3s}"
parallel=()
[ -n "${FUZZ_PARALLEL:-}" ] && parallel=(-parallel "$FUZZ_PARALLEL")

targets=0
while IFS=: read -r file name; do
  pkg="./$(dirname "$file")"
  echo "==> $name ($pkg, $fuzztime)"
  go test -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" "${parallel[@]}" "$pkg"
  targets=$((targets + 1))
done < <(git ls-files -co --exclude-standard '*_test.go' | xargs grep -oE '^func Fuzz[A-Za-z0-9_]*' | sed 's/func //' | sort)

if [ "$targets" -eq 0 ]; then
  echo "no fuzz targets found" >&2
  exit 1
fi
echo "==> $targets fuzz targets passed"
