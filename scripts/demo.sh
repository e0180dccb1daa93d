#!/usr/bin/env bash
# The main job: set up, build, run a small sweep end to end, collect the leaderboard, predict
# the test set with the best row, and write the sweep's HTML report.
# Uses real Fashion-MNIST from Debian's dataset-fashion-mnist package when present, else a
# synthetic stand-in (offline machines). Results go to ./demo-results (override: $1).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
storage=${1:-demo-results}
fm=/usr/share/datasets/fashion-mnist
if [[ -f $fm/train-images-idx3-ubyte.gz ]]; then
  spec=examples/fashion-mnist.yml
else
  echo "demo: $fm not found; using synthetic data instead"
  spec=examples/synthetic.yml
fi
echo "demo: sweep run $spec --storage $storage"
build/sweep/sweep run "$spec" --storage "$storage"
build/sweep/sweep collect "$storage"
# Predictions from the best row: one line per test image in a CSV, the accuracy on screen.
if [[ $spec == examples/fashion-mnist.yml ]]; then
  test_set=$fm/t10k-images-idx3-ubyte.gz
else
  test_set="synthetic:mnist?rows=1000&seed=99"  # rows the sweep did not train on
fi
echo "demo: sweep predict $storage $test_set --format csv -o $storage/predictions.csv"
build/sweep/sweep predict "$storage" "$test_set" --format csv -o "$storage/predictions.csv"
echo "demo: serve the best row with: build/sweep/sweep serve $storage   (TF Serving REST on :8501)"
# One offline HTML page: leaderboard, learning curves, parallel coordinates, importance.
report="${storage%/}-report.html"
build/sweep/sweep report "$storage" -o "$report"
echo "demo: report: $(realpath "$report")   (open it in any browser; it needs no network)"
