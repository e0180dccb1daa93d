#!/usr/bin/env bash
# The SigV4 signer agrees with botocore (Debian's python3-botocore) on every case, byte for byte.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3
$PY -c 'import botocore' 2>/dev/null || PY=python3
exec "$PY" "$HERE/sigv4_oracle.py" "${SWEEP_S3_TOOL:?SWEEP_S3_TOOL not set}"
