#!/usr/bin/env bash
# Issue 19: `sweep report` on a small real sweep (6 rows that succeed, one that diverges, one that
# fails on bad input), opened in Debian's headless chromium through puppeteer-core
# (tests/report_check.js): no console error, no request but the file, one leaderboard <tr> per
# succeeded row, sorting and filtering, hover/click, every chart's marks counted against the
# result.json files. The screenshot is kept in build/tests/artifacts/report.png. Also: s3:// is
# not needed here (the scan is the one collect uses); a running sweep (a missing row) still
# gives a page; bad flags are errors. Skips (77) only without chromium, node or puppeteer-core.
source "$(dirname "$0")/run_lib.sh"
: "${SWEEP_SOURCE_DIR:?set by ctest}"
NPM_DIR="$SWEEP_SOURCE_DIR/.cache/npm/node_modules"
ARTIFACTS="${SWEEP_ARTIFACTS:-$(dirname "$SWEEP_BIN")/../tests/artifacts}"

printf '1,2,0\n3,x,1\n' | gzip > bad.csv.gz
cat > spec.yml <<'YAML'
defaults:
  dataset: "synthetic:blobs?rows=300&features=8&classes=3&noise=4"
  epochs: 6
  validation_split: 0.2
  hidden: [16]
runs:
  - {learning_rate: 0.1}
  - {learning_rate: 0.01}
  - {learning_rate: 0.001}
  - {learning_rate: 0.1, hidden: [32, 16]}
  - {learning_rate: 0.01, hidden: [32, 16]}
  - {learning_rate: 0.001, hidden: [32, 16]}
  - {learning_rate: 100, optimizer: sgd}
  - {learning_rate: 0.01, dataset: "bad.csv.gz"}
YAML
timeout 120 "$SWEEP_BIN" run spec.yml --storage S -j 2 > run.log 2>&1 && fail "run: a failed row must exit non-zero"
grep -q '^row 6 diverged' run.log || { cat run.log; fail "row 6 did not diverge"; }
grep -q '^row 7 failed' run.log || { cat run.log; fail "row 7 did not fail"; }

timeout 60 "$SWEEP_BIN" report S -o out/report.html > report.log 2>&1 || { cat report.log; fail "report"; }
grep -q '^wrote out/report.html (8 rows, ' report.log || { cat report.log; fail "report line"; }
python3 - out/report.html <<'PY' || fail "the page's content"
import json, re, sys
page = open(sys.argv[1], encoding="utf-8").read()
assert not re.search(r'(src|href)\s*=|<link|https?://|@import|url\((?!#)', page), "a reference out of the page"
blob = re.search(r'<script id="data" type="application/json">(.*?)</script>', page, re.S).group(1)
d = json.loads(blob)
assert d["counts"] == {"succeeded": 6, "failed": 1, "diverged": 1, "unfinished": 0, "missing": 0,
                       "corrupt": 0}, d["counts"]
assert len(d["rank"]) == 6 and d["best"]["i"] == d["rank"][0], d["rank"]
assert [p["k"] for p in d["params"]] == ["dataset", "hidden", "learning_rate", "optimizer"], d["params"]
lr = d["params"][2]
assert lr["t"] == "n" and lr["log"], lr
bad = {r["i"]: r for r in d["rows"] if r["s"] != "s"}
assert bad[6]["s"] == "d" and "diverged at epoch" in bad[6]["err"], bad
assert bad[7]["s"] == "f" and "bad.csv.gz" in bad[7]["err"], bad
PY

# --metric and --goal; bad ones are errors (exit 2) naming the problem.
timeout 60 "$SWEEP_BIN" report S -o loss.html --metric val_loss > /dev/null || fail "--metric val_loss"
grep -q '"metric":{"max":false,"n":"val_loss"' loss.html || fail "val_loss is minimised"
set +e
"$SWEEP_BIN" report S --metric nope -o x.html > bad.log 2>&1; rc=$?
set -e
expect_eq "$rc" 2 "exit code for an unknown metric"
grep -q 'nope' bad.log || { cat bad.log; fail "unknown metric message"; }
[[ ! -e x.html ]] || fail "a page written for a bad metric"

# A running sweep: rows without results are counted, the page still renders.
cp -r S R && rm -rf R/2 R/5
timeout 60 "$SWEEP_BIN" report R -o running.html > /dev/null || fail "report of a running sweep"
grep -q '"missing":"2,5"' running.html || fail "missing rows listed"

# The browser.
if [[ ! -x ${SWEEP_CHROMIUM:-/usr/bin/chromium} ]] || ! command -v node > /dev/null ||
   [[ ! -d $NPM_DIR/puppeteer-core ]]; then
  echo "SKIP: needs chromium, node and puppeteer-core in .cache/npm (scripts/setup.sh)"
  exit 77
fi
mkdir -p "$ARTIFACTS"
NODE_PATH="$NPM_DIR" timeout 120 node "$SWEEP_SOURCE_DIR/tests/report_check.js" check \
  out/report.html S "$ARTIFACTS/report.png" || fail "report_check (the page in chromium)"
NODE_PATH="$NPM_DIR" timeout 120 node "$SWEEP_SOURCE_DIR/tests/report_check.js" check \
  running.html R "$ARTIFACTS/report_running.png" || fail "report_check (a running sweep)"
echo PASS
