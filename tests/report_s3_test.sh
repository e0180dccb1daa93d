#!/usr/bin/env bash
# `sweep report s3://...` (issue 19) on s3rver (loopback): a 3-row sweep run into an s3:// root;
# the page holds the rows and their histories, and opens in headless chromium like a local one (tests/report_check.js, checked against the result.json
# files fetched back). The browser part is skipped, with a line, without chromium or
# puppeteer-core; the s3:// part always runs.
source "$(dirname "$0")/s3_lib.sh"
: "${SWEEP_WORKER:?}" "${SWEEP_BIN:?}"
export SWEEP_WORKER
start_s3rver b
s3rver_credentials
export AWS_ENDPOINT_URL=$S3_URL
cd "$T"
cp "$SWEEP_SOURCE_DIR/tests/data/zoo.csv" zoo.csv
for s in 1 2 3; do
  printf -- '- {dataset: %s, hidden: [%s], epochs: 3, seed: %s, validation_split: 0.2}\n' \
    "$T/zoo.csv" $((4 * s)) "$s"
done >run.yml
"$SWEEP_BIN" run run.yml --storage s3://b/results/rep >run.log 2>&1 || { cat run.log; fail "run"; }
timeout 60 "$SWEEP_BIN" report s3://b/results/rep -o report.html >report.log 2>&1 ||
  { cat report.log; fail "report s3://"; }
grep -q '^wrote report.html (3 rows, ' report.log || { cat report.log; fail "report line"; }
python3 - report.html <<'PY' || fail "the page's content"
import json, re, sys
page = open(sys.argv[1], encoding="utf-8").read()
d = json.loads(re.search(r'<script id="data" type="application/json">(.*?)</script>', page, re.S).group(1))
assert d["root"] == "s3://b/results/rep", d["root"]
assert d["counts"]["succeeded"] == 3, d["counts"]
assert d["metric"]["n"] == "val_accuracy", d["metric"]
assert all(len(r["h"][0]) == 3 for r in d["rows"]), "a 3-epoch history per row"
assert [p["k"] for p in d["params"]] == ["hidden", "seed"], d["params"]
PY

NPM_DIR="$SWEEP_SOURCE_DIR/.cache/npm/node_modules"
if [[ ! -x ${SWEEP_CHROMIUM:-/usr/bin/chromium} || ! -d $NPM_DIR/puppeteer-core ]]; then
  echo "browser check skipped: needs chromium and puppeteer-core (scripts/setup.sh)"
  echo PASS
  exit 0
fi
mkdir -p local
"$TOOL" get s3://b/results/rep/sweep.json local/sweep.json
for i in 0 1 2; do mkdir -p "local/$i" && "$TOOL" get "s3://b/results/rep/$i/result.json" "local/$i/result.json"; done
NODE_PATH="$NPM_DIR" timeout 120 node "$SWEEP_SOURCE_DIR/tests/report_check.js" check \
  report.html local "$T/report_s3.png" || fail "report_check (an s3:// page in chromium)"
echo PASS
