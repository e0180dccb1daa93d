# Shared helpers for the gs:// tests: a temp dir, the Cloud Storage stand-in
# (tests/gcs_fake_server.py) on loopback, stopped by pid on exit (loopback_lib.sh); test keys
# made with openssl. Source it; needs SWEEP_GCS_TOOL and SWEEP_SOURCE_DIR.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/loopback_lib.sh"

# A clean Google environment: nothing from the machine running the tests leaks in, and the
# metadata server is a closed loopback port unless a test names one.
unset GOOGLE_APPLICATION_CREDENTIALS STORAGE_EMULATOR_HOST CLOUDSDK_CONFIG GCE_METADATA_HOST
export HOME="$T/home" SWEEP_CACHE_DIR="$T/cache" GCE_METADATA_HOST=127.0.0.1:1
mkdir -p "$HOME"
TOOL=${SWEEP_GCS_TOOL:?SWEEP_GCS_TOOL not set}
NODE_CLIENT=$HERE/gcs_node_client.js

# start_gcs NAME ARGS...: runs the fake; sets GCS_URL (http://127.0.0.1:PORT) and GCS_LOG.
start_gcs() {
  local name=$1 i
  shift
  "$PY" "$HERE/gcs_fake_server.py" "$T/$name.port" "$@" >"$T/$name.log" 2>&1 &
  SERVER_PIDS+=($!)
  for i in $(seq 200); do [[ -s $T/$name.port ]] && break; sleep 0.05; done
  [[ -s $T/$name.port ]] || fail "fake GCS did not start: $(tail -5 "$T/$name.log")"
  GCS_URL="http://127.0.0.1:$(cat "$T/$name.port")"
  GCS_LOG="$T/$name.log"
}

# make_key NAME TOKEN_URI: an RSA key ($T/NAME.pem, public half $T/NAME.pub) and a
# service-account key file $T/NAME.json naming it, as the Cloud console downloads one.
make_key() {
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$T/$1.pem" 2>/dev/null
  openssl pkey -in "$T/$1.pem" -pubout -out "$T/$1.pub"
  "$PY" - "$T/$1.pem" "$2" >"$T/$1.json" <<'PYEOF'
import json, sys
print(json.dumps({"type": "service_account", "project_id": "sweep-test",
                  "private_key_id": "0123456789abcdef", "private_key": open(sys.argv[1]).read(),
                  "client_email": "trainer@sweep-test.iam.gserviceaccount.com",
                  "client_id": "1234567890", "token_uri": sys.argv[2]}))
PYEOF
}

# node_client ARGS...: Google's official Node client (tests/gcs_node_client.js) on $GCS_URL.
node_client() {
  [[ -d $SWEEP_SOURCE_DIR/.cache/npm/node_modules/@google-cloud/storage ]] ||
    fail "@google-cloud/storage missing: run scripts/setup.sh --no-build"
  # apiEndpoint, not STORAGE_EMULATOR_HOST: the Node client takes that one as its base URL whole.
  env -u STORAGE_EMULATOR_HOST node "$NODE_CLIENT" "$GCS_URL" "$@"
}

# The first line of the private key's base64 body, to prove a message does not quote it.
key_fragment() { sed -n 2p "$T/$1.pem" | cut -c1-40; }
