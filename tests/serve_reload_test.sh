#!/usr/bin/env bash
# `sweep serve ROOT --policy best` moves to a better row published while wrk loads it: the
# served version changes within poll time + 2 s, and no request fails (wrk: no non-2xx, no
# socket error; a second client sees only 200s and versions 1 then 2).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"
command -v wrk > /dev/null || fail "wrk is not installed (scripts/setup.sh installs it)"

make_image_sweep "$T/s"
start_serve "$T/serve.log" "$T/s" --poll-seconds 1 --no-access-log
wait_ready /v2/health/ready
[[ $(curl -s -D - -o /dev/null -X POST --data "{\"instances\": [[$(seq -s, 784 | sed 's/[0-9]*/0/g')]]}" \
  "$SERVE_URL/v1/models/model:predict" | tr -d '\r' | sed -n 's/^X-Model-Version: //Ip') == 1 ]] \
  || fail "row 1 is not served first"

"$PY" -c 'import json; print(json.dumps({"instances": [[0.25] * 784]}))' > "$T/body.json"
cat > "$T/post.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = io.open(os.getenv("BODY"), "r"); wrk.body = f:read("*a"); f:close()
LUA
BODY="$T/body.json" wrk -t1 -c8 -d7s --timeout 5s -s "$T/post.lua" \
  "$SERVE_URL/v1/models/model:predict" > "$T/wrk.txt" 2>&1 &
wrk_pid=$!
"$PY" "$SERVE_CLIENT" watch "$SERVE_URL" 6.5 "$T/seen.json" &
watch_pid=$!
sleep 1.5
"$SWEEP_WORKER" --params "$T/img3.yml" --storage "$T/s" --index 2 > "$T/w2.log" 2>&1 \
  || { cat "$T/w2.log"; fail "worker (row 2)"; }
published=$("$PY" -c 'import time; print(time.time())')
wait "$watch_pid" || fail "watcher"
wait "$wrk_pid" || { cat "$T/wrk.txt"; fail "wrk"; }
cat "$T/wrk.txt"
! grep -q "Non-2xx" "$T/wrk.txt" || fail "non-2xx responses under load"
! grep -q "Socket errors" "$T/wrk.txt" || fail "socket errors under load"
requests=$(sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' "$T/wrk.txt")
(( requests > 100 )) || fail "wrk made only $requests requests"
"$PY" - "$T/seen.json" "$published" <<'PYEOF' || fail "version change"
import json, sys
seen, published = json.load(open(sys.argv[1])), float(sys.argv[2])
bad = [s for s in seen if s[1] != 200]
assert not bad, f"failed requests: {bad[:3]}"
versions = [s[2] for s in seen]
assert set(versions) == {"1", "2"}, set(versions)
first2 = next(t for t, _, v in seen if v == "2")
assert all(v == "2" for t, _, v in seen if t >= first2), "went back to version 1"
lag = first2 - published
print(f"version 2 served {lag:.2f} s after it was published ({len(seen)} requests seen)")
assert lag <= 1 + 2, f"{lag:.2f} s > poll 1 s + 2 s"
PYEOF
grep -q 'now serving version 2' "$T/serve.log" || fail "no reload line: $(cat "$T/serve.log")"
curl -sf "$SERVE_URL/metrics" | grep -q 'sweep_serve_reloads_total{result="ok"} 1' || fail "metrics"
stop_serve
pass "a better row swapped in under load: $requests requests by wrk, none failed"
