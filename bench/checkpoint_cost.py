#!/usr/bin/env python3
"""What a checkpoint costs (issue 17): W1 (784-128-10) and W3 (784-512-512-10), Adam, on
60,000 synthetic MNIST-like rows, trained by the real sweep-worker with checkpoint_seconds: 0
(one checkpoint per epoch, to a local folder, fsynced), runs interleaved; the worker logs each
checkpoint's size and time. Reports medians and the share of training time at the default
cadence (one checkpoint per 60 s).

  bench/checkpoint_cost.py [--build build] [--runs 3] [--epochs 3] [--threads 2]
"""
import argparse
import os
import re
import statistics
import subprocess
import tempfile

WORKLOADS = {"W1": [128], "W3": [512, 512]}
CKPT = re.compile(r"^checkpoint: epoch \d+ step \d+ \(([\d.]+) MB, (\d+) ms\)$")
EPOCH = re.compile(r"^epoch \d+/\d+ .* ([\d.]+)s$")


def run_once(worker, hidden, epochs, threads, folder):
    spec = os.path.join(folder, "spec.yml")
    with open(spec, "w") as f:
        f.write("- {dataset: 'synthetic:mnist?rows=60000&seed=1', hidden: %s, epochs: %d, "
                "optimizer: adam, batch_size: 128, checkpoint_seconds: 0, keep_checkpoint: true}\n"
                % (hidden, epochs))
    out = subprocess.run([worker, "--index", "0", "--params", spec, "--storage",
                          os.path.join(folder, "s"), "--threads", str(threads)],
                         capture_output=True, text=True, check=True)
    ckpts, epoch_s = [], []
    for line in (out.stdout + out.stderr).splitlines():
        if m := CKPT.match(line):
            ckpts.append((float(m.group(1)), float(m.group(2))))
        elif m := EPOCH.match(line):
            epoch_s.append(float(m.group(1)))
    return ckpts, epoch_s


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    worker = os.path.join(a.build, "worker", "sweep-worker")
    samples = {w: {"mb": [], "ms": [], "epoch": []} for w in WORKLOADS}
    for _ in range(a.runs):
        for w, hidden in WORKLOADS.items():  # interleaved
            with tempfile.TemporaryDirectory() as d:
                ckpts, epochs = run_once(worker, hidden, a.epochs, a.threads, d)
            samples[w]["mb"] += [c[0] for c in ckpts]
            samples[w]["ms"] += [c[1] for c in ckpts]
            samples[w]["epoch"] += epochs
    print("| workload | checkpoint size | time per checkpoint (median, max) | epoch time (median) "
          "| share at checkpoint_seconds 60 | share at 0 (each epoch) |")
    print("|---|---|---|---|---|---|")
    for w, s in samples.items():
        ms, epoch = statistics.median(s["ms"]), statistics.median(s["epoch"])
        print("| %s | %.1f MB | %.0f ms, %.0f ms | %.2f s | %.3f%% | %.1f%% |" % (
            w, statistics.median(s["mb"]), ms, max(s["ms"]), epoch, 100 * ms / 60000,
            100 * ms / 1000 / epoch))
    print("\n%d runs x %d epochs, %d threads, %d checkpoints per workload" % (
        a.runs, a.epochs, a.threads, len(samples["W1"]["ms"])))


if __name__ == "__main__":
    main()
