#!/usr/bin/python3
"""sweep vs PyTorch, side by side, in one run. Started by bench/compare.sh (which builds the
binaries and installs python3-torch when it is missing); see bench/RESULTS.md.

Data sets are generated once (make_data, not timed) into the cache folder, and the initial weights
Train will start from are written there (train_bench --init-out) so both sides start from the same
point. Then every workload runs project and PyTorch interleaved, --runs times, and one table of
medians is printed (and written as Markdown with --markdown FILE).

  compare.py --build build [--runs 5] [--quick] [--only W1,W3,Serve] [--markdown out.md]

Serve (bench/serve_compare.py): `sweep serve` vs a Flask app behind gunicorn on one model.h5,
loaded with wrk; it runs after the training workloads in each run and prints its own table.
"""
import argparse
import json
import re
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PYTHON = "/usr/bin/python3"  # Debian's python3-torch lives here, not in a pyenv/venv
TORCH = os.path.join(HERE, "torch_train.py")

sys.path.insert(0, HERE)
from bench_util import cpu_flags, cpu_model, log, median, run, run_parallel  # noqa: E402
from compare_table import table_lines  # noqa: E402


class Bench:
    def __init__(self, args):
        self.args = args
        self.build = os.path.abspath(args.build)
        self.cache = os.path.abspath(args.cache)
        self.bin = lambda name: os.path.join(self.build, *name.split("/"))
        self.train_bench = self.bin("bench/train_bench")
        self.make_data = self.bin("bench/make_data")
        self.worker = self.bin("worker/sweep-worker")
        self.sweep = self.bin("sweep/sweep")
        self.rows = 6000 if args.quick else 60000
        self.flags = cpu_flags()
        self.coretype = os.environ.get("OPENBLAS_CORETYPE") or (
            "SkylakeX" if "avx512f" in self.flags else "Haswell")
        self.coretype_note = "OPENBLAS_CORETYPE=%s (%s)" % (
            self.coretype, "from the environment" if os.environ.get("OPENBLAS_CORETYPE")
            else "from the CPU flags")
        self.results = {}   # workload -> dict of lists
        self.notes = []

    # --- environments -------------------------------------------------------------------
    def torch_env(self, threads, blas=None):
        env = dict(os.environ)
        if blas:  # one of Debian's OpenBLAS builds, instead of the libblas.so.3 alternative
            env["LD_LIBRARY_PATH"] = "/usr/lib/x86_64-linux-gnu/" + blas
        if self.coretype:
            env["OPENBLAS_CORETYPE"] = self.coretype
        env.update({"OMP_WAIT_POLICY": "passive",
                    "OMP_NUM_THREADS": str(threads), "OPENBLAS_NUM_THREADS": str(threads),
                    "MKL_NUM_THREADS": str(threads)})
        return env

    def sweep_env(self):
        env = dict(os.environ)
        env.pop("SWEEP_THREADS", None)
        return env

    # --- inputs -------------------------------------------------------------------------
    def prepare(self):
        d = os.path.join(self.cache, "data-%d" % self.rows)
        self.w1 = os.path.join(d, "w1.h5")
        self.w2 = os.path.join(d, "w2.h5")
        if not (os.path.exists(self.w1) and os.path.exists(self.w2)):
            log("generating data sets into %s (once, not timed)" % d)
            run([self.make_data, "--out", d, "--rows", str(self.rows)])
        self.rows_w = {
            "W1": {"dataset": self.w1, "hidden": [128], "optimizer": "adam", "learning_rate": 0.001,
                   "batch_size": 128, "epochs": 3, "seed": 1, "threads": 2},
            "W2": {"dataset": self.w2, "hidden": [], "optimizer": "sgd", "learning_rate": 0.1,
                   "batch_size": 0, "epochs": 2001, "seed": 1, "threads": 1},
            "W3": {"dataset": self.w1, "hidden": [512, 512], "optimizer": "adam",
                   "learning_rate": 0.001, "batch_size": 256, "epochs": 1, "seed": 1, "threads": 2},
        }
        # FLOPs of one training sample: forward W a, weight gradient d a^T, and input
        # gradient W^T d for every layer but the first (bench/gemm.cc StepGemms).
        self.flops = {}
        for w, sizes in (("W1", [784, 128, 10]), ("W3", [784, 512, 512, 10])):
            self.flops[w] = sum(2.0 * a * b * (2 if l == 0 else 3)
                                for l, (a, b) in enumerate(zip(sizes, sizes[1:])))
        self.init = {}
        for w, row in self.rows_w.items():
            path = os.path.join(d, "init_%s.h5" % w.lower())
            run([self.train_bench, "--row", json.dumps(row), "--init-out", path, "--no-train"])
            self.init[w] = path
        self.w1_bytes = os.path.getsize(self.w1)
        self.data_bytes = self.rows * (784 + 1) * 4
        self.collect_root = os.path.join(self.cache, "collect-10000")
        if "Collect" in self.only and not os.path.exists(os.path.join(self.collect_root, "9999")):
            log("generating 10,000 result folders into %s (once)" % self.collect_root)
            shutil.rmtree(self.collect_root, ignore_errors=True)
            run([self.make_data, "--results", self.collect_root, "--count", "10000"])

    # --- commands -----------------------------------------------------------------------
    def sweep_train(self, w, threads=None):
        row = dict(self.rows_w[w])
        if threads is not None:
            row["threads"] = threads
        return [self.train_bench, "--row", json.dumps(row)]

    def torch_train(self, w, threads, child_out=None):
        row = self.rows_w[w]
        cmd = [PYTHON, TORCH, "--data", row["dataset"],
               "--hidden", ",".join(str(h) for h in row["hidden"]),
               "--optimizer", row["optimizer"], "--lr", str(row["learning_rate"]),
               "--batch", str(row["batch_size"]), "--epochs", str(row["epochs"]),
               "--threads", str(threads), "--seed", str(row["seed"])]
        if child_out:
            cmd += ["--child", "--out", child_out]
        else:
            cmd += ["--init", self.init[w]]
        return cmd

    def worker_cmd(self, w, storage, overrides=()):
        params = os.path.join(self.cache, "params_%s.yml" % w.lower())
        with open(params, "w") as f:
            f.write("- " + json.dumps(self.rows_w[w]) + "\n")
        cmd = [self.worker, "--params", params, "--storage", storage, "--index", "0"]
        for o in overrides:
            cmd += ["--set", o]
        return cmd

    def add(self, key, name, value):
        self.results.setdefault(key, {}).setdefault(name, []).append(value)

    def choose_coretype(self):
        """OpenBLAS 0.3.21 may not know the CPU (Zen 4 is newer than it): of its own choice
        (OPENBLAS_VERBOSE=2 prints it) and the kernels it can be told to use (SkylakeX when
        AVX-512 is there, Haswell), keep the fastest at W3's shapes, 1 thread."""
        if os.environ.get("OPENBLAS_CORETYPE"):
            return
        rates = {}
        choices = ["", "SkylakeX", "Haswell"] if "avx512f" in self.flags else ["", "Haswell"]
        for _ in range(2):
            for ct in choices:
                self.coretype = ct
                j = run([PYTHON, TORCH, "--gemm", "--sizes", "784,512,512,10", "--batch", "256",
                         "--threads", "1", "--seconds", "0.1"], env=self.torch_env(1)).json()
                rates.setdefault(ct, []).append(j["gflops"])
        self.coretype = max(rates, key=lambda ct: median(rates[ct]))
        self.coretype_note = "OPENBLAS_CORETYPE=%s (torch.mm at W3's shapes, 1 thread: %s)" % (
            self.coretype or "unset", ", ".join("%s %.0f GFLOP/s" % (ct or "unset", median(v))
                                                for ct, v in rates.items()))
        log(self.coretype_note)

    # --- the sgemm limit ------------------------------------------------------------------
    def limits(self):
        """GFLOP/s at each workload's step shapes, measured in every run (median): best of Eigen
        (per-thread slices on T cores at once, as the trainer runs them) and torch.mm/OpenBLAS
        (its own threading; for the 2 x 1-thread sweep two 1-thread processes at once)."""
        secs = "0.1" if self.args.quick else "0.15"
        cases = {"W1": ("784,128,10", 128), "W3": ("784,512,512,10", 256),
                 # two 1-thread workers: each a full batch on its own core, both cores busy
                 "Sweep W1": ("784,128,10", 256), "Sweep W3": ("784,512,512,10", 512)}
        for key, (sizes, batch) in cases.items():
            if key.split()[0] not in self.only:
                continue
            eig = run([self.train_bench, "--gemm", "--sizes", sizes, "--batch", str(batch),
                       "--threads", "2", "--seconds", secs]).json()
            if key.startswith("Sweep"):
                cmd = [PYTHON, TORCH, "--gemm", "--sizes", sizes, "--batch", str(batch // 2),
                       "--threads", "1", "--seconds", secs]
                rs = [r.json() for r in run_parallel([(cmd, self.torch_env(1))] * 2)]
                blas = {"gflops": rs[0]["gflops"] + rs[1]["gflops"], "gemms": rs[0]["gemms"]}
            else:
                blas = run([PYTHON, TORCH, "--gemm", "--sizes", sizes, "--batch", str(batch),
                            "--threads", "2", "--seconds", secs], env=self.torch_env(2)).json()
            self.add(key, "limit_eigen", eig["gflops"])
            self.add(key, "limit_blas", blas["gflops"])
            self.add(key, "limit", max(eig["gflops"], blas["gflops"]))
            self.limit_detail[key] = (eig, blas)

    # --- workloads ------------------------------------------------------------------------
    def rep_throughput(self, w):
        r = run(self.sweep_train(w), env=self.sweep_env())
        j = r.json()
        self.add(w, "sweep", j["samples_per_s"])
        self.add(w, "sweep_rss", r.rss_kib)
        self.add(w, "sweep_loss", j["loss"])
        for label, t, blas in self.torch_cfgs:
            r = run(self.torch_train(w, t), env=self.torch_env(t, blas))
            j = r.json()
            self.add(w, "torch:" + label, j["samples_per_s"])
            self.add(w, "torch:%s_rss" % label, r.rss_kib)
            self.add(w, "torch_loss", j["loss"])

    def rep_w2(self):
        r = run(self.sweep_train("W2"), env=self.sweep_env())
        j = r.json()
        self.add("W2", "sweep", j["seconds"] * 1e3)
        self.add("W2", "sweep_rss", r.rss_kib)
        self.add("W2", "sweep_loss", j["loss"])
        for label, t, blas in [("1", 1, None)]:
            r = run(self.torch_train("W2", t), env=self.torch_env(t, blas))
            j = r.json()
            self.add("W2", "torch:" + label, j["seconds"] * 1e3)
            self.add("W2", "torch:%s_rss" % label, r.rss_kib)
            self.add("W2", "torch_loss", j["loss"])
        # Whole array child: process start to published model + result.
        with tempfile.TemporaryDirectory(dir=self.cache) as tmp:
            r = run(self.worker_cmd("W2", os.path.join(tmp, "storage")), env=self.sweep_env())
            self.add("W2 child", "sweep", r.wall * 1e3)
            self.add("W2 child", "sweep_rss", r.rss_kib)
            r = run(self.torch_train("W2", 1, child_out=os.path.join(tmp, "torch")),
                    env=self.torch_env(1))
            self.add("W2 child", "torch:1", r.wall * 1e3)
            self.add("W2 child", "torch:1_rss", r.rss_kib)

    def rep_sweep(self, w):
        key = "Sweep " + w
        rs = run_parallel([(self.sweep_train(w, threads=1), self.sweep_env())] * 2)
        self.add(key, "sweep", sum(r.json()["samples_per_s"] for r in rs))
        self.add(key, "sweep_rss", max(r.rss_kib for r in rs))
        rs = run_parallel([(self.torch_train(w, 1), self.torch_env(1))] * 2)
        self.add(key, "torch:1", sum(r.json()["samples_per_s"] for r in rs))
        self.add(key, "torch:1_rss", max(r.rss_kib for r in rs))

    def rep_cold(self):
        """Process start -> first training step, data cached: the worker logs "ready in" once
        the row, storage check and data are done, just before model::Train; the time to that
        line on its stderr is measured from spawn. W2 data, 1 epoch."""
        with tempfile.TemporaryDirectory(dir=self.cache) as tmp:
            r = run(self.worker_cmd("W2", os.path.join(tmp, "s"), overrides=["epochs=1"]),
                    env=self.sweep_env(), marker="ready in")
            if r.t_marker is None:
                raise RuntimeError("sweep-worker printed no 'ready in' line:\n" + r.stderr)
            self.add("Cold start", "sweep", r.t_marker * 1e3)
            self.add("Cold start", "sweep_rss", r.rss_kib)
            self.add("Cold start", "sweep_wall", r.wall * 1e3)
            m = re.search(r"ready in ([0-9.]+) ms", r.stderr)
            if m:
                self.add("Cold start", "sweep_internal", float(m.group(1)))
            row = dict(self.rows_w["W2"])
            cmd = self.torch_train("W2", 1, child_out=os.path.join(tmp, "t"))
            cmd[cmd.index("--epochs") + 1] = "1"
            r = run(cmd, env=self.torch_env(1), marker="ready in")
            self.add("Cold start", "torch:1", r.t_marker * 1e3)
            self.add("Cold start", "torch:1_rss", r.rss_kib)

    def rep_collect(self):
        r = run([self.sweep, "collect", self.collect_root], env=self.sweep_env())
        self.add("Collect 10k", "sweep", r.wall * 1e3)
        self.add("Collect 10k", "sweep_rss", r.rss_kib)

    # --- driver ---------------------------------------------------------------------------
    def main(self):
        a = self.args
        self.only = set(a.only.split(",")) if a.only else {
            "W1", "W2", "W3", "Sweep", "Cold", "Collect", "Serve"}
        # PyTorch configurations tried for W1 and W3 (the best median is reported): 1 and 2
        # threads with the system BLAS (Debian's libblas.so.3 alternative, OpenBLAS pthreads),
        # and 2 threads with the OpenMP build of OpenBLAS (one thread pool instead of two) when
        # installed. W2 (101 rows) runs on 1 thread: more only adds synchronisation.
        self.torch_cfgs = [(str(t), int(t), None) for t in a.torch_threads.split(",")]
        system = os.path.realpath("/usr/lib/x86_64-linux-gnu/libblas.so.3")
        for v in ("openblas-openmp", "openblas-pthread"):
            if (os.path.exists("/usr/lib/x86_64-linux-gnu/%s/libblas.so.3" % v)
                    and "/%s/" % v not in system and not a.quick):
                self.torch_cfgs.append(("2 " + v.split("-")[1], 2, v))
                break
        self.limit_detail = {}
        self.serve = None
        if self.only - {"Serve"}:
            self.prepare()
            self.choose_coretype()
        if "Serve" in self.only:
            import serve_compare  # bench/serve_compare.py (imports flask, numpy, h5py)
            self.serve = serve_compare.ServeBench(self.worker, self.sweep, self.cache, a.quick,
                                                  seconds=a.serve_seconds, log=log)
            self.serve.prepare()
        runs = a.runs if a.runs else (2 if a.quick else 5)
        for i in range(runs):
            log("run %d/%d" % (i + 1, runs))
            self.limits()
            if "W1" in self.only:
                self.rep_throughput("W1")
            if "W2" in self.only:
                self.rep_w2()
            if "W3" in self.only:
                self.rep_throughput("W3")
            if "Sweep" in self.only:
                self.rep_sweep("W1")
                self.rep_sweep("W3")
            if "Cold" in self.only:
                self.rep_cold()
            if "Collect" in self.only:
                self.rep_collect()
            if self.serve:
                self.serve.rep(i)
        return self.report(runs)

    def report(self, runs):
        lines = table_lines(self.results, self.flops, self.data_bytes)
        extra = []
        if "Cold start" in self.results:
            c = self.results["Cold start"]
            extra.append("cold start: spawn -> the worker's 'ready in' log line (row read, storage "
                         "checked, data loaded; model::Train starts next); the worker's own clock "
                         "says %.1f ms of that is after main(); its whole process (1 epoch of W2, "
                         "publish included) takes %.1f ms. PyTorch: spawn -> data and model ready "
                         "in torch_train.py --child" % (median(c.get("sweep_internal", [])),
                                                       median(c["sweep_wall"])))
        for key, (eig, blas) in self.limit_detail.items():
            r = self.results[key]
            extra.append("sgemm limit %s: best of %d runs Eigen %.1f GFLOP/s, OpenBLAS %.1f; last "
                         "run per GEMM (m x k x n): Eigen %s; OpenBLAS %s" % (
                             key, len(r["limit"]), max(r["limit_eigen"]), max(r["limit_blas"]),
                             ", ".join("%s %.0f" % (g["shape"], g["gflops"]) for g in eig["gemms"]),
                             ", ".join("%s %.0f" % (g["shape"], g["gflops"]) for g in blas["gemms"])))
        if not self.results:  # --only Serve
            text = self.serve.report(runs) if self.serve else ""
            print(text)
            if self.args.markdown:
                with open(self.args.markdown, "w") as f:
                    f.write(text)
            return 0
        header = ("sweep vs PyTorch %s, %s, %d CPUs, median of %d runs, %d rows; "
                  "%s, OMP_WAIT_POLICY=passive; %s" % (
                      self.torch_version(), cpu_model(), os.cpu_count(), runs, self.rows,
                      self.coretype_note, time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())))
        text = header + "\n\n" + "\n".join(lines) + "\n\n" + "\n".join("- " + e for e in extra) + "\n"
        if self.serve:
            text += "\n" + self.serve.report(runs)
        print(text)
        if self.args.markdown:
            with open(self.args.markdown, "w") as f:
                f.write(text)
        if self.args.json:
            with open(self.args.json, "w") as f:
                json.dump({"results": self.results, "flops": self.flops}, f, indent=1)
        return 0

    def torch_version(self):
        """torch version and the BLAS it really loaded (Debian's libblas.so.3 alternative: the
        reference BLAS unless OpenBLAS is installed, which would make PyTorch look far worse)."""
        code = ("import torch; torch.mm(torch.ones(64, 64), torch.ones(64, 64)); "
                "libs = sorted({l.split()[-1] for l in open('/proc/self/maps') "
                "if 'blas' in l and '.so' in l}); "
                "print(torch.__version__, ' '.join(libs))")
        try:
            out = subprocess.run([PYTHON, "-c", code], capture_output=True, text=True,
                                 env=self.torch_env(1)).stdout.split()
        except OSError:
            return "?"
        if not out:
            return "?"
        libs = sorted({os.path.basename(os.path.dirname(os.path.realpath(p))) for p in out[1:]})
        if not any("openblas" in p for p in libs):
            log("warning: PyTorch is not using OpenBLAS (%s): install libopenblas0-pthread" % libs)
        return "%s (system BLAS: %s)" % (out[0], ", ".join(libs))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--cache", default=os.path.join(ROOT, ".cache", "bench"))
    ap.add_argument("--runs", type=int, default=0, help="repetitions (default 5, --quick 2)")
    ap.add_argument("--quick", action="store_true", help="smoke check: 6,000 rows, 2 runs")
    ap.add_argument("--only", default="", help="comma list of W1,W2,W3,Sweep,Cold,Collect,Serve")
    ap.add_argument("--serve-seconds", type=float, default=0,
                    help="wrk seconds per Serve point (default 3, --quick 2)")
    ap.add_argument("--torch-threads", default="1,2", help="PyTorch thread counts to try")
    ap.add_argument("--markdown", default="", help="also write the table here")
    ap.add_argument("--json", default="", help="also write every sample here")
    return Bench(ap.parse_args()).main()


if __name__ == "__main__":
    sys.exit(main())
