#!/usr/bin/env python3
"""The device benchmark of issue 22: K rows of W1 (784-128-10 relu, Adam, batch 128, 3 epochs on
synthetic MNIST-shaped data) trained by sweep packed on one GPU vs PyTorch training the same rows
one after another in one process on the same GPU. Rows/hour and GPU utilisation (nvidia-smi
sampled every 200 ms) for each side; the goal is sweep >= 5x PyTorch.

  bench/cuda_compare.py --bench build-cuda/cuda_packed_bench --out DIR [--rows 64] [--epochs 3]
                        [--one-by-one] [--torch-rows N]

The sweep side exports the data, the rows (seed, learning rate) and every row's initial weights
(cuda_packed_bench --export), so PyTorch trains the very same rows from the same weights (its
own shuffles). --torch-rows N trains only the first N rows in PyTorch and scales rows/hour (when
time is short). Writes DIR/cuda_compare.json and DIR/cuda_compare.md; prints the table.
"""
import argparse
import json
import os
import subprocess
import sys
import threading
import time


class GpuSampler:
    """nvidia-smi utilisation.gpu and memory.used every 200 ms while running."""

    def __init__(self):
        self.samples = []
        self.proc = None

    def __enter__(self):
        try:
            self.proc = subprocess.Popen(
                ["nvidia-smi", "--query-gpu=utilization.gpu,memory.used",
                 "--format=csv,noheader,nounits", "-lms", "200"],
                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        except OSError:
            self.proc = None
            return self
        threading.Thread(target=self._read, daemon=True).start()
        return self

    def _read(self):
        for line in self.proc.stdout:
            try:
                util, mem = (float(v) for v in line.split(",")[:2])
                self.samples.append((util, mem))
            except ValueError:
                pass

    def __exit__(self, *exc):
        if self.proc:
            self.proc.terminate()
            self.proc.wait()

    def summary(self):
        if not self.samples:
            return {"gpu_util_mean": None, "gpu_util_max": None, "gpu_mem_mib_max": None}
        utils = [u for u, _ in self.samples]
        return {"gpu_util_mean": sum(utils) / len(utils), "gpu_util_max": max(utils),
                "gpu_mem_mib_max": max(m for _, m in self.samples), "samples": len(utils)}


def run_sweep(args, extra):
    cmd = [args.bench, "--rows", str(args.rows), "--epochs", str(args.epochs),
           "--batch", str(args.batch), "--data", args.data] + extra
    with GpuSampler() as gpu:
        proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit("%s: exit %d: %s" % (" ".join(cmd), proc.returncode, proc.stderr.strip()))
    res = json.loads(proc.stdout.strip().splitlines()[-1])
    res.update(gpu.summary())
    return res


def run_torch(args, export):
    try:
        import h5py
        import numpy as np
        import torch
        import torch.nn.functional as F
    except ImportError as e:
        return {"side": "pytorch", "skipped": "PyTorch/h5py/numpy not importable: %s" % e}
    if not torch.cuda.is_available():
        return {"side": "pytorch", "skipped": "torch.cuda.is_available() is False"}
    dev = torch.device("cuda")
    with h5py.File(os.path.join(export, "data.h5"), "r") as f:
        x = torch.from_numpy(np.ascontiguousarray(f["X"][...], dtype=np.float32)).to(dev)
        y = torch.from_numpy(np.asarray(f["y"][...]).astype(np.int64).reshape(-1)).to(dev)
    rows = json.load(open(os.path.join(export, "rows.json")))[:args.torch_rows or args.rows]
    sizes = [x.shape[1], args.hidden, int(y.max().item()) + 1]
    n, batch = x.shape[0], args.batch
    torch.backends.cuda.matmul.allow_tf32 = False  # FP32 GEMMs, as sweep's cuBLAS calls
    results = []
    with GpuSampler() as gpu:
        t0 = time.perf_counter()
        for r, row in enumerate(rows):
            flat = np.fromfile(os.path.join(export, "init_%d.bin" % r), dtype=np.float32)
            mods, off = [], 0
            for k in range(len(sizes) - 1):
                lin = torch.nn.Linear(sizes[k], sizes[k + 1])
                w = flat[off:off + sizes[k] * sizes[k + 1]].reshape(sizes[k], sizes[k + 1])
                off += sizes[k] * sizes[k + 1]
                b = flat[off:off + sizes[k + 1]]
                off += sizes[k + 1]
                with torch.no_grad():
                    lin.weight.copy_(torch.from_numpy(np.ascontiguousarray(w.T)))
                    lin.bias.copy_(torch.from_numpy(b))
                mods.append(lin)
                if k < len(sizes) - 2:
                    mods.append(torch.nn.ReLU())
            model = torch.nn.Sequential(*mods).to(dev)
            opt = torch.optim.Adam(model.parameters(), lr=row["lr"], eps=1e-7, foreach=True)
            gen = torch.Generator(device=dev).manual_seed(row["seed"])
            for _ in range(args.epochs):
                perm = torch.randperm(n, generator=gen, device=dev)
                for i in range(0, n, batch):
                    idx = perm[i:i + batch]
                    opt.zero_grad(set_to_none=True)
                    F.cross_entropy(model(x[idx]), y[idx]).backward()
                    opt.step()
            with torch.no_grad():
                out = model(x)
                results.append([F.cross_entropy(out, y).item(),
                                (out.argmax(1) == y).float().mean().item()])
        torch.cuda.synchronize()
        seconds = time.perf_counter() - t0
    res = {"side": "pytorch", "mode": "one_by_one", "device": torch.cuda.get_device_name(0),
           "torch": torch.__version__, "rows": len(rows), "seconds": seconds,
           "rows_per_hour": len(rows) * 3600.0 / seconds,
           "mean_loss": sum(l for l, _ in results) / len(results),
           "mean_accuracy": sum(a for _, a in results) / len(results), "per_row": results}
    res.update(gpu.summary())
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bench", required=True, help="cuda_packed_bench binary")
    ap.add_argument("--out", required=True)
    ap.add_argument("--data", default="synthetic:mnist?rows=60000&seed=1")
    ap.add_argument("--rows", type=int, default=64)
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--one-by-one", action="store_true", help="also sweep's rows one by one")
    ap.add_argument("--torch-rows", type=int, default=0)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    export = os.path.join(args.out, "rows")
    os.makedirs(export, exist_ok=True)
    results = [run_sweep(args, ["--export", export])]
    if args.one_by_one:
        results.append(run_sweep(args, ["--one-by-one"]))
    results.append(run_torch(args, export))
    base = next((r for r in results if r.get("side") == "pytorch" and "rows_per_hour" in r), None)
    lines = ["| side | mode | rows | seconds | rows/hour | vs PyTorch | GPU util mean/max % |"
             " mean loss | mean acc |", "|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        if "skipped" in r:
            lines.append("| %s | skipped: %s |||||||| " % (r["side"], r["skipped"]))
            continue
        ratio = "%.2fx" % (r["rows_per_hour"] / base["rows_per_hour"]) if base else "n/a"
        util = "%s / %s" % (r.get("gpu_util_mean"), r.get("gpu_util_max"))
        lines.append("| %s | %s | %d | %.2f | %.0f | %s | %s | %.4f | %.4f |" % (
            r["side"], r["mode"], r["rows"], r["seconds"], r["rows_per_hour"], ratio, util,
            r["mean_loss"], r["mean_accuracy"]))
    table = "\n".join(lines)
    print(table)
    with open(os.path.join(args.out, "cuda_compare.json"), "w") as f:
        json.dump(results, f, indent=1)
    with open(os.path.join(args.out, "cuda_compare.md"), "w") as f:
        f.write(table + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
