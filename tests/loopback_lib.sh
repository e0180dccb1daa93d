# shellcheck shell=bash
# The base of the cloud test helpers (s3_lib.sh, gcs_lib.sh; sourced by them first): strict
# mode, a temp folder $T, and the loopback servers a test starts, each stopped by pid on exit
# (then $T removed).
#   SERVER_PIDS+=($!)   after starting a server in the background: stop it on exit
#   fail MESSAGE        prints "FAIL: MESSAGE" and exits 1
#   free_port           prints a free TCP port on 127.0.0.1
set -euo pipefail

T=$(mktemp -d)
SERVER_PIDS=()
stop_servers() {
  local pid
  for pid in "${SERVER_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${SERVER_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$T"
}
trap stop_servers EXIT

PY=/usr/bin/python3   # Debian's Python: botocore and python3-cryptography live there
# shellcheck disable=SC2034  # HERE: for the scripts that source this
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

fail() { echo "FAIL: $*" >&2; exit 1; }

free_port() {
  "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
