#!/usr/bin/env bash
# The S3 client and S3Store against a real S3-compatible server (s3rver) on loopback:
# odd keys, HEAD, ranged GET, 1,100-key listing, 20 MiB multipart, the input cache.
source "$(dirname "$0")/s3_lib.sh"
start_s3rver b
s3rver_credentials
export AWS_ENDPOINT_URL=$S3_URL

echo "== odd keys round-trip"
for key in "a b.txt" "a+b.txt" "über/café.csv" "tilde~x/y" "日本/😀.h5"; do
  "$TOOL" putstr "s3://b/odd/$key" "value of $key"
  "$TOOL" get "s3://b/odd/$key" "$T/out"
  [[ $(cat "$T/out") == "value of $key" ]] || fail "round-trip of '$key'"
done
[[ $("$TOOL" ls s3://b/odd/ | wc -l) -eq 5 ]] || fail "ls odd/"

echo "== HEAD and missing keys"
read -r size etag < <("$TOOL" head "s3://b/odd/a b.txt")
[[ $size -eq 16 && -n $etag ]] || fail "head: $size $etag"
set +e
"$TOOL" get s3://b/missing "$T/out" 2>"$T/err"; rc=$?
set -e
[[ $rc -eq 2 ]] || fail "missing key: exit $rc"
grep -q "NotFound: S3 GetObject s3://b/missing: HTTP 404 NoSuchKey" "$T/err" || fail "$(cat "$T/err")"

echo "== 20 MiB multipart upload, ranged GET"
head -c $((20 << 20)) /dev/urandom >"$T/big.bin"
"$TOOL" put s3://b/big/model.h5 "$T/big.bin"
grep -q 'Stored part 3 of' "$S3_LOG" || fail "upload was not multipart (3 parts)"
"$TOOL" get s3://b/big/model.h5 "$T/big.out"
cmp "$T/big.bin" "$T/big.out" || fail "multipart object differs"
"$TOOL" get s3://b/big/model.h5 "$T/range.out" 1000-1999
cmp <(tail -c +1001 "$T/big.bin" | head -c 1000) "$T/range.out" || fail "ranged GET"

echo "== 1,100 objects list completely (pagination)"
"$TOOL" putmany s3://b/results/x 1100
[[ $("$TOOL" ls s3://b/results/x/ | sort -u | wc -l) -eq 1100 ]] || fail "ls: not 1100 keys"
[[ $("$TOOL" store-ls s3://b/results/x) -eq 1100 ]] || fail "OpenStore(s3://).List"
grep -q '"startAfter"' "$S3_LOG" || fail "listing did not paginate (no second page)"

echo "== FetchInput: cached by bucket/key/ETag, never torn"
p1=$("$TOOL" fetch "s3://b/odd/über/café.csv")
[[ $p1 == "$SWEEP_CACHE_DIR"/s3/b/* && $(cat "$p1") == "value of über/café.csv" ]] || fail "fetch: $p1"
inode=$(stat -c %i "$p1")
p2=$("$TOOL" fetch "s3://b/odd/über/café.csv")
[[ $p2 == "$p1" && $(stat -c %i "$p2") == "$inode" ]] || fail "second fetch re-downloaded"
"$TOOL" putstr "s3://b/odd/über/café.csv" "new version"
p3=$("$TOOL" fetch "s3://b/odd/über/café.csv")
[[ $p3 != "$p1" && $(cat "$p3") == "new version" ]] || fail "new ETag not fetched"
! find "$SWEEP_CACHE_DIR" -name '*.tmp.*' | grep -q . || fail "temp files left in the cache"
echo "s3 server test: ok"
