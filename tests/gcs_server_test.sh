#!/usr/bin/env bash
# The Cloud Storage client and Google credentials against tests/gcs_fake_server.py on loopback.
# First the fake is proven honest: Google's official Node client uploads (multipart, resumable),
# lists in pages, downloads with CRC32C checks, uses generation preconditions and deletes on
# it. Then our client: round trips, a resumable upload that survives a chunk cut in half, a
# create-only write, the input cache, and every credential source (service-account JWT,
# authorized_user, metadata server, a 401 mid-run), with a wrong key and a revoked refresh token
# ending in exit 2 with one line that quotes no secret.
source "$(dirname "$0")/gcs_lib.sh"

echo "== the fake, driven by @google-cloud/storage"
start_gcs honest --bucket honest
node_client check || fail "the official client disagrees with the fake"

echo "== gcs_tool against the fake (STORAGE_EMULATOR_HOST, no credentials)"
start_gcs plain --bucket b --fail-chunk 2
export STORAGE_EMULATOR_HOST=${GCS_URL#http://}
head -c 300000 /dev/urandom >"$T/small.bin"
head -c 1000000 /dev/urandom >"$T/big.bin"
"$TOOL" put gs://b/dir/a%20b/small.bin "$T/small.bin"
"$TOOL" get gs://b/dir/a%20b/small.bin "$T/small.out"
cmp "$T/small.bin" "$T/small.out" || fail "simple upload round trip"
"$TOOL" put-resumable gs://b/dir/big.bin "$T/big.bin"
"$TOOL" get gs://b/dir/big.bin "$T/big.out"
cmp "$T/big.bin" "$T/big.out" || fail "resumable upload with a failed chunk"
[[ $(grep -c '^PUT /upload/storage/v1/b/b/o' "$GCS_LOG") -ge 5 ]] || fail "not chunked: $(cat "$GCS_LOG")"
[[ $("$TOOL" head gs://b/dir/big.bin | cut -d' ' -f1) == 1000000 ]] || fail "head size"
printf 'dir/a%%20b/small.bin\ndir/big.bin\n' | diff - <("$TOOL" ls gs://b/dir/ | sort) || fail "ls"
node_client ls gs://b/dir/ | diff - <("$TOOL" ls gs://b/dir/ | sort) || fail "names differ from the official client's"
"$TOOL" putnew gs://b/dir/new.bin "$T/small.bin"
code=0
"$TOOL" putnew gs://b/dir/new.bin "$T/small.bin" 2>"$T/putnew.err" || code=$?
[[ $code == 2 ]] && grep -q 'HTTP 412 conditionNotMet' "$T/putnew.err" ||
  fail "create-only over an object: exit $code $(cat "$T/putnew.err")"
[[ $("$TOOL" create gs://b/dir/rung.json first) == created ]] || fail "create-only: first"
[[ $("$TOOL" create gs://b/dir/rung.json second) == exists ]] || fail "create-only: second (412)"
"$TOOL" get gs://b/dir/rung.json "$T/rung.out"
[[ $(cat "$T/rung.out") == first ]] || fail "create-only replaced the object"
p1=$("$TOOL" fetch gs://b/dir/big.bin)
p2=$("$TOOL" fetch gs://b/dir/big.bin)
[[ $p1 == "$p2" && $p1 == "$SWEEP_CACHE_DIR"/gs/b/* ]] && cmp "$p1" "$T/big.bin" || fail "cache: $p1 $p2"
"$TOOL" put gs://b/dir/big.bin "$T/small.bin"
p3=$("$TOOL" fetch gs://b/dir/big.bin)
[[ $p3 != "$p1" ]] && cmp "$p3" "$T/small.bin" || fail "a new generation must be a new cache entry"
code=0
"$TOOL" get gs://b/absent "$T/x" 2>"$T/absent.err" || code=$?
[[ $code == 2 ]] && grep -q 'gs://b/absent: HTTP 404 notFound' "$T/absent.err" || fail "404: $(cat "$T/absent.err")"
unset STORAGE_EMULATOR_HOST

echo "== every third request answered 503: retried, the same bytes arrive"
start_gcs flaky --bucket b --fail-every 3
export STORAGE_EMULATOR_HOST=${GCS_URL#http://}
for i in 1 2 3; do "$TOOL" put "gs://b/f/$i.bin" "$T/small.bin" 2>>"$T/flaky.err"; done
for i in 1 2 3; do "$TOOL" get "gs://b/f/$i.bin" "$T/f$i.out" 2>>"$T/flaky.err" && cmp "$T/f$i.out" "$T/small.bin"; done
[[ $("$TOOL" ls gs://b/f/ 2>>"$T/flaky.err" | wc -l) == 3 ]] || fail "flaky listing"
[[ $(grep -c 'HTTP 503 backendError: Injected failure.*retry 1 in' "$T/flaky.err") -ge 2 ]] ||
  fail "no retried 503: $(cat "$T/flaky.err")"
unset STORAGE_EMULATOR_HOST

echo "== credentials: service account, authorized user, metadata server, 401 mid-run"
make_key sa "http://127.0.0.1:0/token"   # token_uri fixed below, once the port is known
start_gcs auth --bucket b --require-auth --public-key "$T/sa.pub" --refresh-token 1//good-refresh
export STORAGE_EMULATOR_HOST=${GCS_URL#http://}
sed -i "s|http://127.0.0.1:0/token|$GCS_URL/token|" "$T/sa.json"
export GOOGLE_APPLICATION_CREDENTIALS=$T/sa.json
[[ $("$TOOL" token) == "service account trainer@sweep-test.iam.gserviceaccount.com ($T/sa.json)" ]] ||
  fail "service account source"
"$TOOL" put gs://b/k/x.txt "$T/small.bin"
[[ $("$TOOL" ls-expire gs://b/k/ "$GCS_URL/_control/expire-tokens") == "1 1" ]] || fail "401 -> new token"
[[ $(grep -c '^POST /token' "$GCS_LOG") -ge 4 ]] || fail "tokens were not traded: $(cat "$GCS_LOG")"
cat >"$T/user.json" <<JSON
{"type": "authorized_user", "client_id": "id.apps.googleusercontent.com",
 "client_secret": "d-FL95Q19q7MQmFpd7hHD0Ty", "refresh_token": "1//good-refresh",
 "token_uri": "$GCS_URL/token"}
JSON
mkdir -p "$T/gcloud"
cp "$T/user.json" "$T/gcloud/application_default_credentials.json"
unset GOOGLE_APPLICATION_CREDENTIALS
GOOGLE_APPLICATION_CREDENTIALS=$T/user.json "$TOOL" get gs://b/k/x.txt "$T/x.out" &&
  cmp "$T/x.out" "$T/small.bin" || fail "authorized_user key file"
unset STORAGE_EMULATOR_HOST   # an emulator goes unauthenticated unless a key file is named
[[ $(CLOUDSDK_CONFIG=$T/gcloud "$TOOL" token) == "authorized user ($T/gcloud/application_default_credentials.json)" ]] ||
  fail "gcloud's application-default file"
GCE_METADATA_HOST=${GCS_URL#http://} "$TOOL" token | grep -qx "metadata server ${GCS_URL#http://}" ||
  fail "metadata server source"
export STORAGE_EMULATOR_HOST=${GCS_URL#http://}

echo "== refused credentials: exit 2, one line, no secret"
make_key wrong "$GCS_URL/token"
expect_refusal() {  # expect_refusal NAME PATTERN SECRET: the last gcs_tool run's output
  local out=$T/$1.err
  [[ $(wc -l <"$out") -eq 1 ]] && grep -q "$2" "$out" || fail "$1: $(cat "$out")"
  ! grep -qF -e "$3" -e "ya29." -e "eyJ" "$out" || fail "$1: a secret was printed"
}
code=0
GOOGLE_APPLICATION_CREDENTIALS=$T/wrong.json "$TOOL" get gs://b/k/x.txt "$T/x" >"$T/wrong.err" 2>&1 || code=$?
[[ $code == 2 ]] || fail "wrong key: exit $code"
expect_refusal wrong 'service account trainer@.*: token request refused: HTTP 400 invalid_grant: Invalid JWT Signature' "$(key_fragment wrong)"
sed 's|1//good-refresh|1//revoked-refresh|' "$T/user.json" >"$T/revoked.json"
code=0
GOOGLE_APPLICATION_CREDENTIALS=$T/revoked.json "$TOOL" ls gs://b/k/ >"$T/revoked.err" 2>&1 || code=$?
[[ $code == 2 ]] || fail "revoked refresh token: exit $code"
expect_refusal revoked 'authorized user .*HTTP 400 invalid_grant: Token has been expired or revoked' '1//revoked-refresh'
code=0
"$TOOL" ls gs://b/k/ >"$T/anonymous.err" 2>&1 || code=$?
[[ $code == 2 ]] || fail "no token: exit $code"
expect_refusal anonymous 'HTTP 401 authError: Invalid Credentials' 'ya29.'
unset STORAGE_EMULATOR_HOST
code=0
"$TOOL" ls gs://b/k/ >"$T/nocreds.err" 2>&1 || code=$?
[[ $code == 2 ]] || fail "no credentials anywhere: exit $code $(cat "$T/nocreds.err")"
expect_refusal nocreds 'no Google credentials: GOOGLE_APPLICATION_CREDENTIALS is unset' 'ya29.'
echo "gcs server test: ok"
