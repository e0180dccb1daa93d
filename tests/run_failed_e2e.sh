#!/usr/bin/env bash
# One row with a bad data file (gzipped, so the up-front input check sees only its gzip magic and
# passes; line 2 does not parse): run exits non-zero naming it, collect reports it failed with
# its reason, `sweep run --failed` retries only it. It failed on bad input (exit 2), so run,
# collect and status say to fix the spec and replan, never `--failed` (issue 15 item 9).
source "$(dirname "$0")/run_lib.sh"
printf '1,2,0\n3,x,1\n' | gzip > bad.csv.gz
cat > spec.yml <<'YAML'
defaults: {dataset: "synthetic:blobs?rows=200&features=8&classes=3", epochs: 2, hidden: [16]}
runs:
  - {learning_rate: 0.1}
  - {learning_rate: 0.01, dataset: "bad.csv.gz"}
  - {learning_rate: 0.001}
YAML
set +e
timeout 120 "$SWEEP_BIN" run spec.yml -j 2 --storage S > run1.log 2>&1
rc=$?
set -e
expect_eq "$rc" 1 "exit code with a failed row"
grep -q '^row 1 failed (exit 2)' run1.log || { cat run1.log; fail "row 1 failure line"; }
grep -q '^failed rows: 1$' run1.log || { cat run1.log; fail "failed list"; }
replan_hint='^bad input (exit 2) in row 1: rerunning it as it is fails again; fix the spec (or its data), then run: sweep run spec.yml --storage S --replan$'
grep -q "$replan_hint" run1.log || { cat run1.log; fail "fix-the-spec hint"; }
! grep -q -e '--failed' run1.log || { cat run1.log; fail "--failed suggested for a bad-input row"; }

timeout 30 "$SWEEP_BIN" collect S > collect.txt || fail "collect"
grep -q '^failed: 1 (exit 2): .*bad.csv' collect.txt || { cat collect.txt; fail "reason"; }
grep -q "$replan_hint" collect.txt || { cat collect.txt; fail "collect: fix-the-spec hint"; }
! grep -q -e '--failed' collect.txt || { cat collect.txt; fail "collect suggests --failed"; }
timeout 30 "$SWEEP_BIN" status S > status.txt || fail "status"
grep -q "$replan_hint" status.txt || { cat status.txt; fail "status: fix-the-spec hint"; }
! grep -q '^to rerun' status.txt || { cat status.txt; fail "status: a bad-input row to rerun"; }
timeout 30 "$SWEEP_BIN" collect S --format csv 2>/dev/null > board.csv
expect_eq "$(csv_rows board.csv)" 2 "CSV rows (succeeded only)"

touch -d '2000-01-01' S/0/result.json S/2/result.json
set +e
timeout 120 "$SWEEP_BIN" run spec.yml --storage S --failed > run2.log 2>&1
rc=$?
set -e
expect_eq "$rc" 1 "still failing"
grep -q 'running 1 ' run2.log || { cat run2.log; fail "only one row selected"; }
expect_eq "$(grep -c '^row [0-9]* \(succeeded\|failed\)' run2.log)" 1 "rows run"
grep -q '^row 1 failed' run2.log || fail "row 1 not retried"
for i in 0 2; do [[ $(stat -c %Y S/$i/result.json) -lt 1000000000 ]] || fail "row $i rerun"; done
echo PASS
