#!/usr/bin/env bash
# The real run of the adaptive-search benchmark (bench/RESULTS.md, "Adaptive search"):
# bench/search_real.yml (27 random rows, whole Fashion-MNIST, 9 epochs) through `sweep run`,
# once as is and once with early_terminate (successive halving, min_iter 1, eta 3), one worker
# of one thread each. Prints a markdown table: wall time, epochs trained in all, the row the
# sweep picks (best val_accuracy among the rows with a result.json) and its test accuracy.
#
#   bench/search_real.sh [--jobs N]     (BUILD=build by default; about 5 minutes on 1 core)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
JOBS=1
[[ ${1:-} == --jobs ]] && JOBS=$2
[[ -d /usr/share/datasets/fashion-mnist ]] || { echo "search_real.sh: needs dataset-fashion-mnist" >&2; exit 2; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cp bench/search_real.yml "$WORK/plain.yml"
{ cat bench/search_real.yml
  printf 'early_terminate:\n  type: hyperband\n  min_iter: 1\n  eta: 3\n'; } > "$WORK/halving.yml"

echo "| run | rows | wall s | epochs trained | chosen row | its val acc % | its test acc % | best test acc % of finished rows |"
echo "|---|---|---|---|---|---|---|---|"
for run in plain halving; do
  start=$(date +%s.%N)
  "$BUILD/sweep/sweep" run "$WORK/$run.yml" --storage "$WORK/$run" --jobs "$JOBS" --threads 1 \
    > "$WORK/$run.log" 2>&1 || { cat "$WORK/$run.log" >&2; exit 1; }
  wall=$(echo "$(date +%s.%N) - $start" | bc)
  /usr/bin/python3 - "$WORK/$run" "$run" "$wall" <<'PY'
import json, os, sys
root, run, wall = sys.argv[1], sys.argv[2], float(sys.argv[3])
epochs, finished = 0, []
for name in os.listdir(root):
    if not name.isdigit():
        continue
    row = os.path.join(root, name)
    result = os.path.join(row, "result.json")
    bands = os.path.join(row, "bands")
    trained = max([int(b.split(".")[0]) for b in os.listdir(bands)] if os.path.isdir(bands) else [0])
    if os.path.exists(result):
        r = json.load(open(result))
        trained = max(trained, len(r.get("history", [])))
        if r.get("status") == "succeeded":
            finished.append((r["metrics"]["val_accuracy"], -int(name), r["metrics"].get("test_accuracy")))
    epochs += trained
best = max(finished)
top_test = max(f[2] for f in finished)
print(f"| {run} | {len(finished)} finished | {wall:.0f} | {epochs} | {-best[1]} | {100 * best[0]:.2f} | "
      f"{100 * best[2]:.2f} | {100 * top_test:.2f} |")
PY
done
