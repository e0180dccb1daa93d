#!/usr/bin/python3
"""Worker start on real data: spawn -> ready to train, on Fashion-MNIST (Debian's
dataset-fashion-mnist: four .gz IDX files, 30 MB), `sweep-worker` against a PyTorch child.

  sweep:   sweep-worker --params fm.yml --storage TMP --index 0, one row of the demo's spec
           (train + test .gz IDX, validation_split 0.1, hidden [128]); timed to its
           "ready in X ms" line: row read, storage checked, both sets decompressed, parsed,
           checked finite, scaled, split, the model built.
  PyTorch: this file --torch-child: import torch, read the same four files with gzip + numpy
           (what torchvision's FashionMNIST reader does, without its one-time unpacking to
           disk), float32 scaled to [0, 1], a 10% validation split, the same MLP; the same line.

Each side's process is killed once the line appears (training is not timed here: compare.py).
Interleaved --runs times (default 7) after one untimed run each (warm page cache); medians.
  bench/start_compare.py --build build [--runs 7]
"""
import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

FM = "/usr/share/datasets/fashion-mnist"


def torch_child():
    t0 = time.perf_counter()
    import gzip

    import numpy as np
    import torch

    def idx(name):
        with gzip.open(os.path.join(FM, name), "rb") as f:
            data = f.read()
        dims = data[3]
        shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
        return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)

    x = idx("train-images-idx3-ubyte.gz").reshape(60000, -1).astype(np.float32) / 255
    y = torch.from_numpy(idx("train-labels-idx1-ubyte.gz").astype(np.int64))
    tx = idx("t10k-images-idx3-ubyte.gz").reshape(10000, -1).astype(np.float32) / 255
    x, tx = torch.from_numpy(x), torch.from_numpy(tx)
    ty = torch.from_numpy(idx("t10k-labels-idx1-ubyte.gz").astype(np.int64))
    perm = torch.randperm(x.shape[0], generator=torch.Generator().manual_seed(1))
    n_val = x.shape[0] // 10
    val_x, val_y, x, y = x[perm[:n_val]], y[perm[:n_val]], x[perm[n_val:]], y[perm[n_val:]]
    assert torch.isfinite(x).all() and torch.isfinite(tx).all()
    model = torch.nn.Sequential(torch.nn.Linear(784, 128), torch.nn.ReLU(),
                                torch.nn.Linear(128, 10))
    print("ready in %.1f ms (%d, %d, %d rows; %d params)" % (
        (time.perf_counter() - t0) * 1e3, x.shape[0], val_x.shape[0], tx.shape[0],
        sum(p.numel() for p in model.parameters())), file=sys.stderr, flush=True)
    time.sleep(60)  # killed by the parent


SPEC = """- {{dataset: "{fm}/train-images-idx3-ubyte.gz", test_dataset: "{fm}/t10k-images-idx3-ubyte.gz",
   hidden: [128], learning_rate: 0.001, batch_size: 64, epochs: 3, validation_split: 0.1, seed: 1}}
"""


def time_to_ready(cmd, env):
    """Seconds from spawn to the 'ready in' line on stderr; the process is then killed."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    watchdog = threading.Timer(120, p.kill)  # a child that hangs fails the run, not the machine
    watchdog.start()
    seen = []
    try:
        for raw in p.stderr:
            line = raw.decode(errors="replace")
            seen.append(line)
            if "ready in" in line:
                t = time.perf_counter() - t0
                p.send_signal(signal.SIGKILL)
                return t
    finally:
        watchdog.cancel()
        p.stderr.close()
        p.wait()
    raise RuntimeError("%s printed no 'ready in' line (exit %d):\n%s" %
                       (" ".join(cmd), p.returncode, "".join(seen)[-3000:]))


def main():
    if "--torch-child" in sys.argv:
        torch_child()
        return
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--build", default="build")
    ap.add_argument("--runs", type=int, default=7)
    a = ap.parse_args()
    if a.runs < 1:
        sys.exit("--runs: at least 1")
    if not os.path.exists(os.path.join(FM, "train-images-idx3-ubyte.gz")):
        sys.exit("no %s: apt-get install dataset-fashion-mnist" % FM)
    worker = os.path.join(a.build, "worker", "sweep-worker")
    tmp = tempfile.mkdtemp(prefix="start-compare-")
    try:
        spec = os.path.join(tmp, "fm.yml")
        with open(spec, "w") as f:
            f.write(SPEC.format(fm=FM))
        env = dict(os.environ, SWEEP_THREADS="1", OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
        sides = {
            "sweep": lambda i: [worker, "--params", spec, "--storage", os.path.join(tmp, "s%d" % i),
                                "--index", "0"],
            "pytorch": lambda i: [sys.executable, os.path.abspath(__file__), "--torch-child"],
        }
        times = {name: [] for name in sides}
        for i in range(a.runs + 1):  # run 0: untimed, warms the page cache
            for name, cmd in sides.items():
                t = time_to_ready(cmd(i), env)
                if i > 0:
                    times[name].append(t)
            if i > 0:
                print("run %d: %s" % (i, ", ".join("%s %.0f ms" % (n, v[-1] * 1e3)
                                                   for n, v in times.items())), file=sys.stderr)
        s, t = statistics.median(times["sweep"]), statistics.median(times["pytorch"])
        print("| side | spawn -> ready, median of %d (ms) | all runs (ms) |" % a.runs)
        print("|---|---|---|")
        for name in sides:
            print("| %s | %.0f | %s |" % (name, statistics.median(times[name]) * 1e3,
                                         " ".join("%.0f" % (v * 1e3) for v in times[name])))
        print("\nPyTorch / sweep: %.2f (load average %.2f %.2f %.2f)" % ((t / s,) + os.getloadavg()))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
