#!/usr/bin/env bash
# Retries and errors: 500/503 SlowDown/connection resets then success -> the transfer succeeds;
# 403 -> exit 2 with one clear line; endless 500s -> bounded retries, exit 75. The secret and
# the session token never appear in any output.
source "$(dirname "$0")/s3_lib.sh"
start_s3rver b
export AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY="sEcReT-do-not-print-4242"
export AWS_SESSION_TOKEN="tOkEn-do-not-print-4242"
ALL="$T/all-output.txt"
: >"$ALL"

run() {  # run ARGS...: the tool, its stdout+stderr appended to $ALL and kept in $T/last; sets rc
  set +e
  "$TOOL" "$@" >"$T/last" 2>&1
  rc=$?
  set -e
  cat "$T/last" >>"$ALL"
}

for kind in 500 slowdown reset; do
  echo "== two failures ($kind), then success"
  start_fake "flaky-$kind" flaky "$S3_URL" 2 "$kind"
  export AWS_ENDPOINT_URL=$FAKE_URL
  run putstr "s3://b/retry/$kind.txt" "survived $kind"
  [[ $rc -eq 0 ]] || fail "put through $kind: exit $rc: $(cat "$T/last")"
  [[ $(wc -l <"$FAKE_LOG") -eq 3 ]] || fail "expected 3 requests, got: $(cat "$FAKE_LOG")"
  export AWS_ENDPOINT_URL=$S3_URL
  run get "s3://b/retry/$kind.txt" "$T/got"
  [[ $rc -eq 0 && $(cat "$T/got") == "survived $kind" ]] || fail "object after $kind retries"
done

echo "== 403: exit 2, one line, no retry"
start_fake forbidden forbidden
export AWS_ENDPOINT_URL=$FAKE_URL
run get s3://b/secret.bin "$T/got"
[[ $rc -eq 2 ]] || fail "403: exit $rc"
[[ $(wc -l <"$T/last") -eq 1 ]] || fail "403: not one line: $(cat "$T/last")"
grep -q "S3 GetObject s3://b/secret.bin: HTTP 403 AccessDenied: Access Denied (credentials: environment)" \
  "$T/last" || fail "403 message: $(cat "$T/last")"
[[ $(wc -l <"$FAKE_LOG") -eq 1 ]] || fail "403 was retried"

echo "== multipart: a failed part aborts the upload"
start_fake failpart failpart "$S3_URL"
export AWS_ENDPOINT_URL=$FAKE_URL
head -c $((17 << 20)) /dev/zero >"$T/big.bin"
run put s3://b/aborted.bin "$T/big.bin"
[[ $rc -eq 2 ]] || fail "failed part: exit $rc"
grep -q "S3 UploadPart s3://b/aborted.bin: HTTP 403" "$T/last" || fail "part error: $(cat "$T/last")"
grep -q "^DELETE /b/aborted.bin?uploadId=" "$FAKE_LOG" || fail "no AbortMultipartUpload"
export AWS_ENDPOINT_URL=$S3_URL
run head s3://b/aborted.bin
[[ $rc -eq 2 ]] || fail "aborted upload left an object"

echo "== endless 500: bounded attempts, exit 75"
start_fake always flaky "$S3_URL" 1000000 500
export AWS_ENDPOINT_URL=$FAKE_URL
start=$SECONDS
run head s3://b/x
[[ $rc -eq 75 ]] || fail "endless 500: exit $rc"
[[ $(wc -l <"$FAKE_LOG") -eq 6 ]] || fail "attempts: $(wc -l <"$FAKE_LOG")"
((SECONDS - start < 60)) || fail "retries took $((SECONDS - start)) s"

echo "== connection refused: transient, exit 75"
export AWS_ENDPOINT_URL="http://127.0.0.1:$(free_port)"
run head s3://b/x
[[ $rc -eq 75 ]] || fail "refused: exit $rc"

echo "== the secret never appears"
! grep -F -e "$AWS_SECRET_ACCESS_KEY" -e "$AWS_SESSION_TOKEN" -e "Signature=" "$ALL" ||
  fail "secret, token or signature printed"
echo "s3 retry test: ok"
