# Shared helpers for the `sweep run` / `collect` / `status` end-to-end tests (sourced).
# Needs SWEEP_BIN and SWEEP_WORKER from ctest (tests/CMakeLists.txt).
set -euo pipefail
: "${SWEEP_BIN:?set by ctest}" "${SWEEP_WORKER:?set by ctest}"
export SWEEP_WORKER
WORK=$(mktemp -d "${TMPDIR:-/tmp}/sweep-run-e2e.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

fail() { echo "FAIL: $*" >&2; exit 1; }
# expect_eq ACTUAL EXPECTED WHAT
expect_eq() { [[ "$1" == "$2" ]] || fail "$3: got '$1', want '$2'"; }
# Counts the data rows of a CSV (header excluded) with a real CSV parser.
csv_rows() { python3 -c 'import csv,sys; print(len(list(csv.DictReader(open(sys.argv[1])))))' "$1"; }

# A W&B grid: 3 learning rates x 2 hidden sizes on a small synthetic set, < 1 s a row.
write_grid_spec() {
  cat > "$1" <<'YAML'
method: grid
parameters:
  dataset: {value: "synthetic:blobs?rows=200&features=8&classes=3"}
  epochs: {value: 3}
  learning_rate: {values: [0.1, 0.01, 0.001]}
  hidden: {values: [[16], [32, 16]]}
YAML
}
