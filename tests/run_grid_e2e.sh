#!/usr/bin/env bash
# W&B grid (3 x 2) with `sweep run -j 2`: 6 results; collect CSV has 6 rows and names the best;
# -o follows the file's extension, an unknown --metric is exit 2; deleting two results then
# rerunning reruns exactly those two; status counts.
source "$(dirname "$0")/run_lib.sh"
write_grid_spec spec.yml

timeout 120 "$SWEEP_BIN" run spec.yml -j 2 --storage S > run1.log 2>&1 || { cat run1.log; fail "run 1"; }
for i in 0 1 2 3 4 5; do
  [[ -f S/$i/result.json && -f S/$i/model/model.h5 && -f S/$i/worker.log ]] || fail "row $i not published"
done
[[ ! -e S/6 ]] || fail "a 7th row"
grep -q '"format_version"' S/sweep.json || fail "no frozen plan"
expect_eq "$(grep -c '^row [0-9]* succeeded in ' run1.log)" 6 "rows reported succeeded"

timeout 30 "$SWEEP_BIN" collect S --format csv > board.csv 2> summary.txt || fail "collect"
expect_eq "$(csv_rows board.csv)" 6 "CSV data rows"
head -1 board.csv | grep -q '^rank,index,hidden,learning_rate,' || fail "CSV header: $(head -1 board.csv)"
grep -q '^best: index [0-5] ' summary.txt || { cat summary.txt; fail "collect names no best"; }
best=$(sed -n 's/^best: index \([0-9]*\) .*/\1/p' summary.txt)
expect_eq "$(sed -n 2p board.csv | cut -d, -f2)" "$best" "first CSV row is the best"
grep -q "model S/$best/model/model.h5" summary.txt || fail "best model path"
timeout 30 "$SWEEP_BIN" collect S --format json -o board.json > /dev/null || fail "collect json"
python3 -c 'import json,sys; d=json.load(open("board.json")); assert len(d)==6 and all(isinstance(r,dict) for r in d), d' \
  || fail "JSON records"

# -o picks the format from the extension unless --format is given.
timeout 30 "$SWEEP_BIN" collect S -o lb.csv > /dev/null || fail "collect -o lb.csv"
head -1 lb.csv | grep -q '^rank,index,hidden,learning_rate,' || fail "-o lb.csv: $(head -1 lb.csv)"
expect_eq "$(csv_rows lb.csv)" 6 "-o lb.csv data rows"
timeout 30 "$SWEEP_BIN" collect S -o lb.json > /dev/null || fail "collect -o lb.json"
python3 -c 'import json; assert len(json.load(open("lb.json"))) == 6' || fail "-o lb.json: not JSON"
timeout 30 "$SWEEP_BIN" collect S -o lb.md > /dev/null || fail "collect -o lb.md"
sed -n 2p lb.md | grep -q '^| -*: |' || fail "-o lb.md: $(head -2 lb.md)"
timeout 30 "$SWEEP_BIN" collect S -o lb.txt > /dev/null || fail "collect -o lb.txt"
head -1 lb.txt | grep -q '^rank  index  ' || fail "-o lb.txt: $(head -1 lb.txt)"
timeout 30 "$SWEEP_BIN" collect S -o lb2.csv --format table > /dev/null || fail "collect --format table"
head -1 lb2.csv | grep -q '^rank  index  ' || fail "--format table -o lb2.csv: $(head -1 lb2.csv)"

# An explicit --metric that no row has is exit 2 naming the nearest one, and writes nothing.
code=0
timeout 30 "$SWEEP_BIN" collect S --metric train_acc -o typo.csv > typo.out 2> typo.err || code=$?
expect_eq "$code" 2 "collect --metric train_acc exit code"
want="no succeeded row has it (did you mean 'train_accuracy'?); the rows have: train_accuracy, train_loss"
grep -qF "$want" typo.err \
  || { cat typo.out typo.err; fail "--metric train_acc message"; }
[[ ! -e typo.csv && ! -s typo.out ]] || fail "--metric train_acc still wrote a leaderboard"

# Resume: a second run starts nothing; deleting two results reruns exactly those two.
timeout 60 "$SWEEP_BIN" run spec.yml -j 2 --storage S > run2.log 2>&1 || { cat run2.log; fail "run 2"; }
expect_eq "$(grep -c '^row [0-9]* succeeded in ' run2.log || true)" 0 "rows rerun by a complete sweep"
grep -q 'skipping 6 already succeeded' run2.log || { cat run2.log; fail "skip message"; }
rm S/1/result.json S/4/result.json
touch -d '2000-01-01' S/{0,2,3,5}/result.json
timeout 30 "$SWEEP_BIN" status S > status.txt || fail "status"
grep -Eq 'succeeded +4' status.txt && grep -Eq 'unfinished +2 +1,4' status.txt \
  || { cat status.txt; fail "status counts"; }
timeout 120 "$SWEEP_BIN" run spec.yml -j 2 --storage S > run3.log 2>&1 || { cat run3.log; fail "run 3"; }
expect_eq "$(grep '^row [0-9]* succeeded in ' run3.log | awk '{print $2}' | sort | tr '\n' ' ')" "1 4 " "rerun rows"
for i in 0 2 3 5; do
  [[ $(stat -c %Y S/$i/result.json) -lt 1000000000 ]] || fail "row $i was rerun"
done

# A different spec into the same storage is refused with exit 2.
if "$SWEEP_BIN" run spec.yml --storage S --set epochs=2 > run4.log 2>&1; then fail "other spec accepted"; fi
expect_eq "$(timeout 60 "$SWEEP_BIN" run spec.yml --storage S --set epochs=2 >/dev/null 2>&1; echo $?)" 2 "exit code"
grep -q 'holds a different sweep' run4.log || { cat run4.log; fail "refusal message"; }
echo PASS
