#!/usr/bin/env bash
# The main job: set up, build, run a small sweep end to end, collect the leaderboard.
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
