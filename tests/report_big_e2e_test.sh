#!/usr/bin/env bash
# Issue 19 at scale: a sweep over 2,000 rows (here 2,500 synthetic rows from bench/make_data
# --results, ~1% failed) gets the big page: faint marks on one canvas per chart under the SVG
# (axes, labels and the best 5 stay SVG), the leaderboard 200 rows a page with sorting and
# filtering over all rows. tests/report_check.js checks each chart's data-marks against the
# result.json files, that the canvases are painted, paging, and hover/click on a canvas mark.
# Skips (77) without make_data (SWEEP_BUILD_BENCH=OFF), chromium, node or puppeteer-core.
source "$(dirname "$0")/run_lib.sh"
: "${SWEEP_SOURCE_DIR:?set by ctest}"
NPM_DIR="$SWEEP_SOURCE_DIR/.cache/npm/node_modules"
ARTIFACTS="${SWEEP_ARTIFACTS:-$(dirname "$SWEEP_BIN")/../tests/artifacts}"
if [[ ! -x ${SWEEP_MAKE_DATA:-} || ! -x ${SWEEP_CHROMIUM:-/usr/bin/chromium} ]] ||
   ! command -v node > /dev/null || [[ ! -d $NPM_DIR/puppeteer-core ]]; then
  echo "SKIP: needs make_data (SWEEP_BUILD_BENCH), chromium, node and puppeteer-core (scripts/setup.sh)"
  exit 77
fi

"$SWEEP_MAKE_DATA" --results S --count 2500 > /dev/null
timeout 60 "$SWEEP_BIN" report S -o big.html > report.log 2>&1 || { cat report.log; fail "report"; }
grep -q '^wrote big.html (2500 rows, ' report.log || { cat report.log; fail "report line"; }
mkdir -p "$ARTIFACTS"
NODE_PATH="$NPM_DIR" timeout 300 node "$SWEEP_SOURCE_DIR/tests/report_check.js" check \
  big.html S "$ARTIFACTS/report_big.png" || fail "report_check (a 2,500-row page in chromium)"
echo PASS
