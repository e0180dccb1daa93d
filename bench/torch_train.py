#!/usr/bin/python3
"""The PyTorch side of bench/compare.py: one training run, tuned, on the shared data files.

Reads X/y from the HDF5 data set written by make_data and the initial weights from the Keras-layout
model.h5 written by `train_bench --init-out`, so both sides start from the same point. Prints one
JSON line: samples/s, training seconds, final loss/accuracy on the training rows, peak RSS.

  torch_train.py --data w1.h5 --init init_w1.h5 --hidden 128 --optimizer adam --lr 1e-3 \
                 --batch 128 --epochs 3 --threads 2
  torch_train.py --child ...   whole array child: also writes model.h5 + result.json (--out DIR)
  torch_train.py --gemm --sizes 784,128,10 --batch 128 --threads 2   torch.mm at a step's shapes

Tuning (what a careful user would do): torch.set_flush_denormal(True), set_num_threads, one
preallocated index permutation per epoch, index_select into preallocated batch buffers,
zero_grad(set_to_none=True), foreach Adam, the running loss kept as a tensor (no per-step .item()),
evaluation under torch.no_grad(). OPENBLAS_CORETYPE / OMP_WAIT_POLICY are set by the caller.
"""
import argparse
import json
import os
import resource
import sys
import time

T_START = time.perf_counter()

import h5py  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402


def read_data(path):
    with h5py.File(path, "r") as f:
        x = np.ascontiguousarray(f["X"][...], dtype=np.float32)
        y = np.asarray(f["y"][...]).astype(np.int64).reshape(-1)
    return torch.from_numpy(x), torch.from_numpy(y)


def read_init(path):
    """[(weight [units, inputs], bias [units])] from a Keras-layout weights file."""
    layers = []
    with h5py.File(path, "r") as f:
        if "layer_names" not in f.attrs and "model_weights" in f:
            f = f["model_weights"]  # full-model file (model.h5 format version 2)
        names = [n.decode() if isinstance(n, bytes) else str(n) for n in f.attrs["layer_names"]]
        for name in names:
            g = f[name]
            wn = [n.decode() if isinstance(n, bytes) else str(n) for n in g.attrs["weight_names"]]
            kernel = np.asarray(g[wn[0]][...], dtype=np.float32)  # [inputs, units]
            bias = np.asarray(g[wn[1]][...], dtype=np.float32)
            layers.append((torch.from_numpy(np.ascontiguousarray(kernel.T)), torch.from_numpy(bias)))
    return layers


def build(init_layers, sizes):
    mods = []
    for k in range(len(sizes) - 1):
        lin = torch.nn.Linear(sizes[k], sizes[k + 1])
        if init_layers is not None:
            w, b = init_layers[k]
            assert tuple(w.shape) == (sizes[k + 1], sizes[k]), (w.shape, sizes)
            with torch.no_grad():
                lin.weight.copy_(w)
                lin.bias.copy_(b)
        mods.append(lin)
        if k < len(sizes) - 2:
            mods.append(torch.nn.ReLU())
    return torch.nn.Sequential(*mods)


def evaluate(model, x, y, batch=4096):
    loss = 0.0
    correct = 0
    with torch.no_grad():
        for i in range(0, x.shape[0], batch):
            out = model(x[i:i + batch])
            loss += F.cross_entropy(out, y[i:i + batch], reduction="sum").item()
            correct += (out.argmax(1) == y[i:i + batch]).sum().item()
    return loss / x.shape[0], correct / x.shape[0]


def train(model, x, y, args):
    n = x.shape[0]
    params = list(model.parameters())
    if args.optimizer == "adam":
        opt = torch.optim.Adam(params, lr=args.lr, betas=(0.9, 0.999), eps=1e-7, foreach=True)
    else:
        opt = torch.optim.SGD(params, lr=args.lr, foreach=True)
    batch = n if args.batch <= 0 else args.batch
    gen = torch.Generator().manual_seed(args.seed)
    perm = torch.empty(n, dtype=torch.long)
    xb_full = torch.empty(batch, x.shape[1])
    yb_full = torch.empty(batch, dtype=torch.long)
    running = torch.zeros(())
    full_batch = batch >= n
    t0 = time.perf_counter()
    for _ in range(args.epochs):
        if full_batch:
            # Full-batch GD: no shuffle, no gather (the order does not change the gradient).
            opt.zero_grad(set_to_none=True)
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            opt.step()
            continue
        torch.randperm(n, generator=gen, out=perm)
        for i in range(0, n, batch):
            idx = perm[i:i + batch]
            if idx.shape[0] == batch:
                xb = torch.index_select(x, 0, idx, out=xb_full)
                yb = torch.index_select(y, 0, idx, out=yb_full)
            else:
                xb = x.index_select(0, idx)
                yb = y.index_select(0, idx)
            opt.zero_grad(set_to_none=True)
            loss = F.cross_entropy(model(xb), yb)
            loss.backward()
            opt.step()
            running += loss.detach()
    seconds = time.perf_counter() - t0
    return seconds


def step_gemms(sizes, cols):
    """Same list as bench/gemm.cc StepGemms: (m, k, n, ta, tb) per GEMM of one step."""
    out = []
    for l in range(len(sizes) - 1):
        inp, units = sizes[l], sizes[l + 1]
        out.append((units, inp, cols, False, False))
        out.append((units, cols, inp, False, True))
        if l > 0:
            out.append((inp, units, cols, True, False))
    return out


def measure_gemm(sizes, batch, threads, seconds):
    """torch.mm (OpenBLAS) GFLOP/s at a full step's shapes, its own threading."""
    torch.set_num_threads(threads)
    rates = []
    per = []
    for (m, k, n, ta, tb) in step_gemms(sizes, batch):
        a = torch.randn(k, m).t() if ta else torch.randn(m, k)
        b = torch.randn(n, k).t() if tb else torch.randn(k, n)
        c = torch.empty(m, n)
        for _ in range(3):
            torch.mm(a, b, out=c)
        it = 0
        t0 = time.perf_counter()
        while True:
            for _ in range(4):
                torch.mm(a, b, out=c)
            it += 4
            dt = time.perf_counter() - t0
            if dt >= seconds:
                break
        rates.append(2.0 * m * k * n * it / dt / 1e9)
        per.append({"shape": "%dx%dx%d %s%s" % (m, k, n, "T" if ta else "N", "T" if tb else "N"),
                    "gflops": rates[-1]})
    flops = sum(2.0 * m * k * n for (m, k, n, _, _) in step_gemms(sizes, batch))
    secs = sum(2.0 * m * k * n / r for (m, k, n, _, _), r in zip(step_gemms(sizes, batch), rates))
    print(json.dumps({"threads": threads, "gemms": per, "gflops": flops / secs}))


def main():
    if "--gemm" in sys.argv:
        ap = argparse.ArgumentParser()
        ap.add_argument("--gemm", action="store_true")
        ap.add_argument("--sizes", required=True)
        ap.add_argument("--batch", type=int, required=True)
        ap.add_argument("--threads", type=int, default=1)
        ap.add_argument("--seconds", type=float, default=0.3)
        a = ap.parse_args()
        measure_gemm([int(v) for v in a.sizes.split(",")], a.batch, a.threads, a.seconds)
        return
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--init", default="")
    ap.add_argument("--hidden", default="", help="comma-separated hidden widths")
    ap.add_argument("--optimizer", choices=["adam", "sgd"], default="adam")
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--batch", type=int, default=128, help="0 = full batch")
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--child", action="store_true", help="also publish model.h5 + result.json")
    ap.add_argument("--out", default="", help="--child: output folder")
    ap.add_argument("--no-eval", action="store_true")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.set_flush_denormal(True)
    t_import = time.perf_counter() - T_START

    x, y = read_data(args.data)
    hidden = [int(h) for h in args.hidden.split(",") if h]
    classes = int(y.max().item()) + 1
    sizes = [x.shape[1]] + hidden + [classes]
    init = read_init(args.init) if args.init else None
    model = build(init, sizes)
    t_first_step = time.perf_counter() - T_START
    if args.child:
        # The marker compare.py times process start -> first step by (as the worker's log line).
        print("ready in %.1f ms" % (t_first_step * 1e3), file=sys.stderr, flush=True)

    seconds = train(model, x, y, args)
    steps_per_epoch = 1 if args.batch <= 0 else -(-x.shape[0] // args.batch)
    rec = {
        "side": "pytorch",
        "threads": args.threads,
        "seconds": seconds,
        "samples_per_s": args.epochs * x.shape[0] / seconds,
        "steps": args.epochs * steps_per_epoch,
        "import_s": t_import,
        "first_step_s": t_first_step,
    }
    if not args.no_eval or args.child:
        rec["loss"], rec["accuracy"] = evaluate(model, x, y)
    if args.child:
        os.makedirs(os.path.join(args.out, "model"), exist_ok=True)
        tmp = os.path.join(args.out, "model", "model.h5.tmp")
        with h5py.File(tmp, "w") as f:
            names = []
            lin = [m for m in model if isinstance(m, torch.nn.Linear)]
            for k, m in enumerate(lin):
                name = "dense" if k == 0 else "dense_%d" % k
                names.append(name.encode())
                g = f.create_group(name)
                g.attrs["weight_names"] = [(name + "/kernel:0").encode(), (name + "/bias:0").encode()]
                g[name + "/kernel:0"] = m.weight.detach().numpy().T
                g[name + "/bias:0"] = m.bias.detach().numpy()
            f.attrs["layer_names"] = names
        os.replace(tmp, os.path.join(args.out, "model", "model.h5"))
        with open(os.path.join(args.out, "result.json.tmp"), "w") as f:
            json.dump({"status": "succeeded", "metrics": {"train_loss": rec["loss"],
                                                          "train_accuracy": rec["accuracy"]},
                       "seconds": seconds, "model": "model/model.h5"}, f)
        os.replace(os.path.join(args.out, "result.json.tmp"), os.path.join(args.out, "result.json"))
    rec["peak_rss_kib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps(rec))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
