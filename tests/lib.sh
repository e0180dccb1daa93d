# Shared helpers for the end-to-end test scripts. Source it; it sets `set -euo pipefail`,
# makes $T (a temp folder removed on exit) and checks the binaries.
set -euo pipefail
: "${SWEEP_WORKER:?set by ctest}" "${SWEEP_BIN:?set by ctest}" "${SWEEP_SOURCE_DIR:?set by ctest}"
T=$(mktemp -d)
_cleanup_fns=()
on_exit() { _cleanup_fns+=("$1"); }
_run_cleanup() {
  local fn
  for fn in "${_cleanup_fns[@]}"; do "$fn" || true; done
  rm -rf "$T"
}
trap _run_cleanup EXIT
PY=/usr/bin/python3   # Debian's Python: h5py, botocore, yaml live there, not in pyenv's

fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok: $*"; }

# expect_exit CODE CMD...: runs CMD, fails unless it exits with CODE; output in $T/out, $T/err.
expect_exit() {
  local want=$1; shift
  local got=0
  "$@" >"$T/out" 2>"$T/err" || got=$?
  [[ $got == "$want" ]] || { cat "$T/out" "$T/err" >&2; fail "expected exit $want, got $got: $*"; }
}

# json_get FILE EXPR: prints a value of a JSON file (EXPR is Python on `d`).
json_get() { "$PY" -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }
