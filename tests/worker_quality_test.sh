#!/usr/bin/env bash
# Accuracy on real data: the zoo tutorial row (shipped in tests/data) and an MNIST-shaped row on
# Fashion-MNIST (Debian's dataset-fashion-mnist; skipped with exit 77 when not installed).
source "$(dirname "$0")/lib.sh"
S=$T/storage
cat > "$T/zoo.yml" <<YML
- dataset: $SWEEP_SOURCE_DIR/tests/data/zoo.csv
  hidden: []
  optimizer: sgd
  learning_rate: 0.1
  batch_size: 0
  epochs: 2001
YML
"$SWEEP_WORKER" --params "$T/zoo.yml" --storage "$S" --index 0 > "$T/zoo.log" 2>&1 || { tail "$T/zoo.log"; fail "zoo row"; }
acc=$(json_get "$S/0/result.json" 'd["metrics"]["train_accuracy"]')
"$PY" -c "import sys; sys.exit(0 if $acc >= 0.98 else 1)" || fail "zoo train accuracy $acc < 0.98"
pass "zoo: train accuracy $acc"

fm=/usr/share/datasets/fashion-mnist
if [[ ! -f $fm/train-images-idx3-ubyte.gz ]]; then
  echo "skip: $fm not installed (apt-get install dataset-fashion-mnist)"
  exit 77
fi
cat > "$T/fm.yml" <<YML
- dataset: $fm/train-images-idx3-ubyte.gz
  test_dataset: $fm/t10k-images-idx3-ubyte.gz
  hidden: [128]
  activation: relu
  optimizer: adam
  learning_rate: 0.001
  batch_size: 32
  epochs: 3
  seed: 1
YML
"$SWEEP_WORKER" --params "$T/fm.yml" --storage "$S" --index 0 > "$T/fm.log" 2>&1 || { tail "$T/fm.log"; fail "fashion row"; }
acc=$(json_get "$S/0/result.json" 'd["metrics"]["test_accuracy"]')
"$PY" -c "import sys; sys.exit(0 if $acc >= 0.85 else 1)" || fail "fashion-mnist test accuracy $acc < 0.85"
pass "fashion-mnist: test accuracy $acc"
