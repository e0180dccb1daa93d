#!/usr/bin/env bash
# Issue 19's scale bound: a 10,000-row sweep's report is under 5 MB and renders in under 2 s in
# headless Chromium. Builds the synthetic results folder (make_data --results: the 10,000-row
# grid plan, a 3-epoch history per row, ~1% failed rows), times `sweep report` on it, and opens
# the page RUNS times in Debian's chromium (tests/report_check.js bench: navigation start to the
# second animation frame after the page script, a fresh page each run; median printed). Before
# timing, report_check.js check verifies the big page (canvas marks counted by data-marks against
# the result.json files, 200 leaderboard rows a page, sorting, filtering, hover and click).
# Usage: bench/report_bench.sh [BUILD_DIR] [RUNS]   (needs scripts/setup.sh's puppeteer-core)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
RUNS=${2:-7}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/sweep-report-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
"$BUILD/bench/make_data" --results "$WORK/S" --count 10000 > /dev/null
start=$(date +%s.%N)
"$BUILD/sweep/sweep" report "$WORK/S" -o "$WORK/report.html" > /dev/null
end=$(date +%s.%N)
bytes=$(stat -c %s "$WORK/report.html")
printf 'rows: 10000\nfile: %d bytes (%.2f MB; bound 5 MB)\nsweep report: %.2f s\n' \
  "$bytes" "$(echo "$bytes / 1048576" | bc -l)" "$(echo "$end - $start" | bc -l)"
echo "cpus: $(nproc), load average: $(cut -d' ' -f1-3 /proc/loadavg)"
NODE_PATH=.cache/npm/node_modules node tests/report_check.js check "$WORK/report.html" "$WORK/S" \
  "$WORK/report.png"
NODE_PATH=.cache/npm/node_modules node tests/report_check.js bench "$WORK/report.html" "$RUNS"
