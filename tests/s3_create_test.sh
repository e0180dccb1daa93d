#!/usr/bin/env bash
# Create-only publish on S3 (issue 18's decision files): Store::Create sends PUT with
# If-None-Match: *; the first call creates the object, a second answers "exists" (S3's 412) and
# leaves the first bytes in place. Against an in-memory fake bucket on loopback.
source "$(dirname "$0")/s3_lib.sh"
export AWS_ACCESS_KEY_ID=FAKE AWS_SECRET_ACCESS_KEY=FAKE AWS_S3_FORCE_PATH_STYLE=true
start_fake conditional conditional
export AWS_ENDPOINT_URL=$FAKE_URL
[[ $("$TOOL" store-create s3://b/sweep rungs/0-1.json first) == created ]] || fail "first create"
[[ $("$TOOL" store-create s3://b/sweep rungs/0-1.json second) == exists ]] || fail "second create"
"$TOOL" get s3://b/sweep/rungs/0-1.json "$T/got" || fail "get"
[[ $(cat "$T/got") == first ]] || fail "the second create replaced the object: $(cat "$T/got")"
[[ $(grep -c "^PUT /b/sweep/rungs/0-1.json" "$FAKE_LOG") == 2 ]] || fail "PUTs: $(cat "$FAKE_LOG")"
echo "ok: S3 create-only: created, then exists (412), the first bytes kept"
