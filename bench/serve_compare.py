"""Serve: `sweep serve` vs the REST-tutorial Flask app (bench/serve_flask_app.py behind gunicorn,
2 sync workers) on the same 784-128-10 model.h5, loaded with wrk on loopback (issue 14). Driven
by bench/compare.py (`--only Serve`); see bench/RESULTS.md, "Serving".

Inputs, made once into <cache>/serve/: two model.h5 files trained by the real sweep-worker on
Fashion-MNIST (rows 0 and 1 of a 2-row params file, different seeds: the second is the model
swapped in under load), and request bodies of 1 and 32 Fashion-MNIST test images as nested
28x28 lists of pixel/255 floats, written by json.dumps (what a Python client sends).

Every run starts each server (order alternating between runs), checks one response of each body
against a numpy forward pass of the model, then runs `wrk -t1 -cC -dDs --latency -s post.lua` for
both bodies at 1 and 16 connections, samples the peak RSS (VmHWM summed over the process tree),
then swaps the model under load (16 connections) and counts non-2xx responses and socket errors.
"""
import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import serve_flask_app  # noqa: E402  (load_model, forward: the numpy reference)

GUNICORN = "/usr/bin/gunicorn"
WRK = "/usr/bin/wrk"
FASHION = "/usr/share/datasets/fashion-mnist"
PREDICT = "/v1/models/model:predict"
BODIES = (1, 32)
CONNECTIONS = (1, 16)
# The anchor: Flask + gunicorn, 2 sync workers, on this 2-core machine (2026-12-02).
ANCHOR = {(1, 1): (2400, 1.8), (1, 16): (3400, 9.0), (32, 1): (270, None), (32, 16): (380, None)}
GOAL_RPS = 20.0      # x the peer's requests/s at 16 connections, both bodies
GOAL_P99 = 10.0      # the peer's p99 / ours at 16 connections
GOAL_RSS_MIB = 64.0  # the server's peak RSS for this model
SWAP_EVERY_S = 1.0
MIB = 1024 * 1024


def median(xs):
    return statistics.median(xs) if xs else float("nan")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tree_pids(pid):
    """pid and all its descendants (/proc/PID/task/TID/children)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for tid in os.listdir("/proc/%d/task" % p):
                with open("/proc/%d/task/%s/children" % (p, tid)) as f:
                    todo.extend(int(c) for c in f.read().split())
        except OSError:
            pass
    return out


def vm_hwm_kib(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def parse_wrk(text):
    def ms(value, unit):
        return float(value) * {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 6e4}[unit]
    r = {"non2xx": 0, "socket_errors": 0}
    m = re.search(r"Requests/sec:\s+([0-9.]+)", text)
    if not m:
        raise RuntimeError("no Requests/sec in wrk's output:\n" + text)
    r["rps"] = float(m.group(1))
    for pct, key in (("50", "p50"), ("99", "p99")):
        m = re.search(r"^\s+%s(?:\.0+)?%%\s+([0-9.]+)(us|ms|s|m)\s*$" % pct, text, re.M)
        if not m:
            raise RuntimeError("no %s%% latency in wrk's output (--latency):\n%s" % (pct, text))
        r[key] = ms(m.group(1), m.group(2))
    m = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    if m:
        r["non2xx"] = int(m.group(1))
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    if m:
        r["socket_errors"] = sum(int(g) for g in m.groups())
        r["socket_detail"] = m.group(0)
    m = re.search(r"(\d+) requests in", text)
    r["requests"] = int(m.group(1)) if m else 0
    return r


class Server:
    """One server under test, started in its own process group; its output goes to a log."""

    def __init__(self, name, cmd, env, log_path):
        self.name = name
        self.port = None
        self.cmd = cmd
        self.log_path = log_path
        self.log = open(log_path, "wb")
        self.p = subprocess.Popen(cmd, env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                  stdin=subprocess.DEVNULL, start_new_session=True)

    def tail(self, n=3000):
        self.log.flush()
        with open(self.log_path, "rb") as f:
            return f.read().decode(errors="replace")[-n:]

    def request(self, method, path, body=None, timeout=10):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            c.request(method, path, body=body,
                      headers={"Content-Type": "application/json"} if body else {})
            r = c.getresponse()
            return r.status, r.read()
        finally:
            c.close()

    def wait_ready(self, probe_body, timeout=30.0):
        """GET /v2/health/ready until 200; a server without that route (any other answer) is
        ready when a predict request answers 200. Nothing on its output is required."""
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < timeout:
            if self.p.poll() is not None:
                raise RuntimeError("%s exited %d before it was ready:\n%s" % (
                    self.name, self.p.returncode, self.tail()))
            try:
                status, _ = self.request("GET", "/v2/health/ready", timeout=2)
                if status == 200:
                    return time.perf_counter() - t0
                status, _ = self.request("POST", PREDICT, probe_body, timeout=5)
                if status == 200:
                    return time.perf_counter() - t0
            except OSError:
                pass
            time.sleep(0.02)
        raise RuntimeError("%s not ready after %.0f s:\n%s" % (self.name, timeout, self.tail()))

    def rss_kib(self):
        return sum(vm_hwm_kib(p) for p in tree_pids(self.p.pid))

    def pss_kib(self):
        """Proportional set size now, summed over the tree (shared pages counted once)."""
        total = 0
        for p in tree_pids(self.p.pid):
            try:
                with open("/proc/%d/smaps_rollup" % p) as f:
                    for line in f:
                        if line.startswith("Pss:"):
                            total += int(line.split()[1])
            except OSError:
                pass
        return total

    def stop(self):
        if self.p.poll() is None:
            os.killpg(self.p.pid, signal.SIGTERM)
            try:
                self.p.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.p.pid, signal.SIGKILL)
                self.p.wait()
        self.log.close()


class ServeBench:
    def __init__(self, worker, sweep, cache, quick, seconds=0.0, log=print):
        self.worker = worker
        self.sweep = sweep
        self.dir = os.path.join(cache, "serve")
        self.quick = quick
        self.seconds = round(seconds) or (2 if quick else 3)  # wrk takes whole seconds
        self.swap_seconds = max(4, 2 * self.seconds)
        self.log = log
        self.results = {}   # (server, body, connections) -> {"rps": [...], ...}
        self.rss = {}       # server -> [KiB per run]: VmHWM summed over the tree after the load
        self.pss = {}       # server -> [KiB per run]: Pss summed over the tree at the same point
        self.swaps = {}     # server -> [{"non2xx", "socket_errors", "requests", "swaps", ...}]
        self.ready_s = {}   # server -> [seconds from spawn to ready]
        self.response_bytes = {}  # (server, body) -> bytes of the checked response
        self.notes = []

    # --- inputs ---------------------------------------------------------------------------
    def prepare(self):
        os.makedirs(self.dir, exist_ok=True)
        self.models = [os.path.join(self.dir, "model_%d.h5" % i) for i in (0, 1)]
        if not all(os.path.exists(m) for m in self.models):
            self.train_models()
        self.layers = [serve_flask_app.load_model(m) for m in self.models]
        shapes = [k.shape for k, _, _ in self.layers[0]]
        if shapes != [(784, 128), (128, 10)]:
            raise RuntimeError("serve model is %s, not 784-128-10" % shapes)
        self.model_bytes = os.path.getsize(self.models[0])
        self.make_bodies()
        self.has_sweep = self.sweep_serve_available()

    def train_models(self):
        """Two rows of sweep-worker on Fashion-MNIST's training set (synthetic MNIST-like data
        when the Debian package is missing), 784-128-10, 2 epochs, seeds 1 and 2."""
        data = os.path.join(FASHION, "train-images-idx3-ubyte.gz")
        if not os.path.exists(data):
            data = "synthetic:mnist?rows=10000&seed=1"
            self.notes.append("dataset-fashion-mnist is not installed: the model was trained on "
                              "synthetic:mnist")
        self.log("training the 784-128-10 serve models with sweep-worker on %s (once)" % data)
        params = os.path.join(self.dir, "params.yml")
        with open(params, "w") as f:
            for seed in (1, 2):
                f.write("- " + json.dumps({"dataset": data, "hidden": [128], "optimizer": "adam",
                                           "learning_rate": 0.001, "batch_size": 128,
                                           "epochs": 2, "seed": seed, "threads": 2}) + "\n")
        storage = os.path.join(self.dir, "storage")
        shutil.rmtree(storage, ignore_errors=True)
        for i in (0, 1):
            r = subprocess.run([self.worker, "--params", params, "--storage", storage,
                                "--index", str(i)], capture_output=True, text=True)
            if r.returncode != 0:
                raise RuntimeError("sweep-worker failed:\n" + r.stderr[-3000:])
            shutil.copyfile(os.path.join(storage, str(i), "model", "model.h5"), self.models[i])

    def make_bodies(self):
        images = os.path.join(FASHION, "t10k-images-idx3-ubyte.gz")
        self.body_source = "the first %%d images of Fashion-MNIST's test set (%s)" % images
        self.body_path, self.body_bytes, self.lua, self.inputs = {}, {}, {}, {}
        pixels = None
        for n in BODIES:
            path = os.path.join(self.dir, "body_%d.json" % n)
            if not os.path.exists(path):
                if pixels is None:
                    pixels = self.read_images(images, max(BODIES))
                inst = [(pixels[i].reshape(28, 28) / 255.0).tolist() for i in range(n)]
                with open(path, "w") as f:
                    f.write(json.dumps({"instances": inst}))
            with open(path, "rb") as f:
                body = f.read()
            self.body_path[n] = path
            self.body_bytes[n] = len(body)
            self.inputs[n] = np.asarray(json.loads(body)["instances"],
                                        dtype=np.float32).reshape(n, 784)
            lua = os.path.join(self.dir, "post_%d.lua" % n)
            with open(lua, "w") as f:
                f.write('wrk.method = "POST"\n'
                        'wrk.headers["Content-Type"] = "application/json"\n'
                        'local f = assert(io.open(%s, "rb"))\n'
                        'wrk.body = f:read("*a")\n'
                        'f:close()\n' % json.dumps(path))
            self.lua[n] = lua

    def read_images(self, path, n):
        import gzip
        try:
            with gzip.open(path, "rb") as f:
                head = f.read(16)
                if int.from_bytes(head[:4], "big") != 0x803:
                    raise OSError("not an IDX3 file")
                return np.frombuffer(f.read(n * 784), dtype=np.uint8).reshape(n, 784)
        except OSError as e:
            self.notes.append("%s unreadable (%s): bodies are random pixels" % (path, e))
            self.body_source = "random pixels (seed 1), %d per body"
            return np.random.default_rng(1).integers(0, 256, (n, 784)).astype(np.uint8)

    def sweep_serve_available(self):
        try:
            r = subprocess.run([self.sweep, "serve", "--help"], capture_output=True, text=True,
                               timeout=10)
            # CLI11 answers an unknown subcommand's --help with the top-level help and exit 0:
            # the subcommand's own help names it on its usage line.
            ok = r.returncode == 0 and re.search(r"^Usage: \S+ serve\b", r.stdout, re.M)
        except (OSError, subprocess.TimeoutExpired):
            ok = False
        if not ok:
            self.log("`%s serve --help` shows no serve subcommand: sweep serve is not built yet, "
                     "measuring Flask only" % self.sweep)
        return ok

    # --- servers --------------------------------------------------------------------------
    def served_path(self, server):
        return os.path.join(self.dir, "served_%s" % server, "model.h5")

    def publish(self, server, model):
        """Puts `model` at the served path the way the worker publishes: a temp file beside it,
        then rename (readers see the old file or the new one, never half of one)."""
        dst = self.served_path(server)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copyfile(model, dst + ".tmp")
        os.replace(dst + ".tmp", dst)

    def start(self, server):
        self.publish(server, self.models[0])
        port = free_port()
        log_path = os.path.join(self.dir, "%s.log" % server)
        env = dict(os.environ)
        if server == "flask":
            # One BLAS thread per worker: 2 workers already fill the 2 cores.
            env.update({"SERVE_MODEL": self.served_path(server), "OPENBLAS_NUM_THREADS": "1",
                        "OMP_NUM_THREADS": "1", "PYTHONDONTWRITEBYTECODE": "1"})
            cmd = [GUNICORN, "-w", "2", "-k", "sync", "-b", "127.0.0.1:%d" % port,
                   "--chdir", HERE, "serve_flask_app:app"]
        else:
            env.pop("SWEEP_THREADS", None)
            cmd = [self.sweep, "serve", self.served_path(server), "--port", str(port),
                   "--host", "127.0.0.1", "--name", "model", "--no-access-log"]
        s = Server(server, cmd, env, log_path)
        s.port = port
        try:
            with open(self.body_path[1], "rb") as f:
                self.ready_s.setdefault(server, []).append(s.wait_ready(f.read()))
        except Exception:
            s.stop()
            raise
        return s

    def check(self, s, model_index, n, tol=1e-4):
        """One predict of body n: 200, n x 10 probabilities summing to 1, equal to the numpy
        forward pass of model `model_index`. Returns the largest difference (None if the shape or
        status is wrong)."""
        with open(self.body_path[n], "rb") as f:
            status, body = s.request("POST", PREDICT, f.read())
        if status != 200:
            raise RuntimeError("%s: predict answered %d: %s" % (s.name, status, body[:500]))
        pred = np.asarray(json.loads(body)["predictions"], dtype=np.float64)
        if pred.shape != (n, 10):
            raise RuntimeError("%s: predictions of shape %s, want (%d, 10)" % (
                s.name, pred.shape, n))
        sums = pred.sum(axis=1)
        if np.abs(sums - 1).max() > 1e-3:
            raise RuntimeError("%s: probabilities sum to %s" % (s.name, sums))
        ref = serve_flask_app.forward(self.layers[model_index], self.inputs[n].copy())
        return float(np.abs(pred - ref).max()), len(body)

    def wrk(self, s, n, conns, seconds):
        cmd = [WRK, "-t1", "-c%d" % conns, "-d%ds" % max(1, round(seconds)), "--latency", "--timeout", "5s",
               "-s", self.lua[n], "http://127.0.0.1:%d%s" % (s.port, PREDICT)]
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError("wrk failed:\n%s%s" % (r.stdout, r.stderr))
        return parse_wrk(r.stdout)

    def swap_under_load(self, s, server):
        """wrk at 16 connections (1-instance body) while the served model.h5 is replaced every
        SWAP_EVERY_S by rename, alternating the two models; Flask/gunicorn is also sent SIGHUP
        (its graceful reload: new workers load the file, old ones finish their requests). After
        wrk, polls until the server answers with the last model (or 5 s)."""
        done = threading.Event()
        swaps = []

        # An odd number of swaps, all within the wrk run: the server ends on model 1, not the
        # model 0 it started with, so "the last model answered" shows that swaps took effect.
        count = int(self.swap_seconds / SWAP_EVERY_S) - 1
        count -= 1 - count % 2

        def swapper():
            for k in range(1, count + 1):
                if done.wait(SWAP_EVERY_S):
                    break
                self.publish(server, self.models[k % 2])
                if server == "flask":
                    os.kill(s.p.pid, signal.SIGHUP)
                swaps.append(k % 2)

        t = threading.Thread(target=swapper)
        t.start()
        try:
            r = self.wrk(s, 1, 16, self.swap_seconds)
        finally:
            done.set()
            t.join()
        last = swaps[-1] if swaps else 0
        r["swaps"] = len(swaps)
        t0 = time.perf_counter()
        r["seen"] = False
        while time.perf_counter() - t0 < 5:
            try:
                if self.check(s, last, 1)[0] < 1e-4:
                    r["seen"] = True
                    r["seen_after_s"] = time.perf_counter() - t0
                    break
            except (OSError, RuntimeError, ValueError):
                pass
            time.sleep(0.05)
        return r

    def rep(self, i):
        servers = ["flask"] + (["sweep"] if self.has_sweep else [])
        if i % 2:
            servers.reverse()
        for server in servers:
            s = self.start(server)
            try:
                for n in BODIES:
                    diff, size = self.check(s, 0, n)
                    if diff > 1e-4:
                        raise RuntimeError("%s: predictions of body %d differ from numpy by %g"
                                           % (server, n, diff))
                    self.response_bytes[(server, n)] = size
                self.wrk(s, 1, 16, 1)  # warm-up, not recorded
                for n in BODIES:
                    for c in CONNECTIONS:
                        r = self.wrk(s, n, c, self.seconds)
                        d = self.results.setdefault((server, n, c), {})
                        for k in ("rps", "p50", "p99", "non2xx", "socket_errors"):
                            d.setdefault(k, []).append(r[k])
                self.rss.setdefault(server, []).append(s.rss_kib())
                self.pss.setdefault(server, []).append(s.pss_kib())
                sw = self.swap_under_load(s, server)
                sw["rss"] = s.rss_kib()
                self.swaps.setdefault(server, []).append(sw)
                self.log("serve %s: %s" % (server, ", ".join(
                    "%d x c%d %.0f req/s" % (n, c, self.results[(server, n, c)]["rps"][-1])
                    for n in BODIES for c in CONNECTIONS)))
            finally:
                s.stop()

    # --- report ---------------------------------------------------------------------------
    def report(self, runs):
        pending = "pending (sweep serve not yet merged)"

        def get(server, n, c, k):
            r = self.results.get((server, n, c))
            return median(r[k]) if r else None

        head = ["body", "connections", "Flask req/s", "Flask p50 ms", "Flask p99 ms",
                "sweep req/s", "sweep p50 ms", "sweep p99 ms", "ratio req/s",
                "ratio p99 (Flask / sweep)", "goals met?"]
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        verdicts = []
        for n in BODIES:
            for c in CONNECTIONS:
                f = [get("flask", n, c, k) for k in ("rps", "p50", "p99")]
                row = ["%d instance%s (%d B)" % (n, "" if n == 1 else "s", self.body_bytes[n]),
                       str(c), "%.0f" % f[0], "%.2f" % f[1], "%.2f" % f[2]]
                if self.has_sweep:
                    s = [get("sweep", n, c, k) for k in ("rps", "p50", "p99")]
                    rr, rp = s[0] / f[0], f[2] / s[2]
                    goal = "-"
                    if c == 16:
                        ok = rr >= GOAL_RPS and rp >= GOAL_P99
                        goal = "yes" if ok else "**no**"
                        verdicts.append(("%d instance%s, 16 connections: >= %.0fx Flask req/s"
                                         % (n, "" if n == 1 else "s", GOAL_RPS),
                                         "%.1fx" % rr, rr >= GOAL_RPS))
                        verdicts.append(("%d instance%s, 16 connections: p99 <= Flask's / %.0f"
                                         % (n, "" if n == 1 else "s", GOAL_P99),
                                         "%.2f vs %.2f ms (%.1fx)" % (s[2], f[2], rp),
                                         rp >= GOAL_P99))
                    row += ["%.0f" % s[0], "%.2f" % s[1], "%.2f" % s[2], "%.1fx" % rr,
                            "%.1fx" % rp, goal]
                else:
                    row += [pending, "-", "-", "-", "-", "pending" if c == 16 else "-"]
                lines.append("| " + " | ".join(row) + " |")
        rss = {k: max(v) / 1024 for k, v in self.rss.items()}
        swap = {}
        for server, rs in self.swaps.items():
            swap[server] = {"bad": sum(r["non2xx"] + r["socket_errors"] for r in rs),
                            "non2xx": sum(r["non2xx"] for r in rs),
                            "socket": sum(r["socket_errors"] for r in rs),
                            "swaps": sum(r["swaps"] for r in rs),
                            "requests": sum(r.get("requests", 0) for r in rs),
                            "seen": sum(1 for r in rs if r["seen"]), "runs": len(rs),
                            "rps": median([r["rps"] for r in rs]),
                            "rss": max(r["rss"] for r in rs) / 1024}
        if self.has_sweep:
            w = swap["sweep"]
            verdicts.append(("zero non-2xx (and socket errors) while the model is swapped",
                             "%d non-2xx, %d socket errors in %d requests, %d swaps; new model "
                             "served in %d of %d runs" % (
                                 w["non2xx"], w["socket"], w["requests"], w["swaps"], w["seen"],
                                 w["runs"]),
                             w["bad"] == 0 and w["seen"] == w["runs"]))
            peak = max(rss["sweep"], w["rss"])
            verdicts.append(("peak RSS < %.0f MiB" % GOAL_RSS_MIB, "%.1f MiB" % peak,
                             peak < GOAL_RSS_MIB))
        else:
            for g in ("1 instance, 16 connections: >= 20x Flask req/s",
                      "1 instance, 16 connections: p99 <= Flask's / 10",
                      "32 instances, 16 connections: >= 20x Flask req/s",
                      "32 instances, 16 connections: p99 <= Flask's / 10",
                      "zero non-2xx (and socket errors) while the model is swapped",
                      "peak RSS < 64 MiB"):
                verdicts.append((g, pending, None))
        lines += ["", "| goal | measured | met |", "|---|---|---|"]
        for g, m, ok in verdicts:
            lines.append("| %s | %s | %s |" % (g, m, "pending" if ok is None else
                                               "yes" if ok else "**no**"))
        extra = []
        for server, label in (("flask", "Flask+gunicorn"), ("sweep", "sweep serve")):
            if server not in self.rss:
                continue
            w = swap[server]
            extra.append(
                "%s: peak RSS %.1f MiB after the load runs (VmHWM summed over the process "
                "tree, max of %d runs; PSS %.1f MiB), %.1f MiB after the swaps; ready %.0f ms "
                "after spawn (median); under swaps (16 connections, 1 instance, %.0f s, a new "
                "model.h5 renamed in every %.0f s%s): %.0f req/s, %d non-2xx, %d socket errors "
                "in %d requests, %d swaps; the last model answered within 5 s in %d of %d runs"
                % (label, rss[server], len(self.rss[server]), max(self.pss[server]) / 1024,
                   w["rss"], 1e3 * median(self.ready_s[server]), self.swap_seconds,
                   SWAP_EVERY_S, " + SIGHUP to the gunicorn master"
                   if server == "flask" else "", w["rps"], w["non2xx"], w["socket"],
                   w["requests"], w["swaps"], w["seen"], w["runs"]))
        errs = {srv: sum(sum(d["non2xx"]) + sum(d["socket_errors"])
                         for (s2, _, _), d in self.results.items() if s2 == srv)
                for srv in self.rss}
        extra.append("non-2xx + socket errors during the load runs: " + ", ".join(
            "%s %d" % (k, v) for k, v in errs.items()))
        a = ", ".join("%d instance%s x %d: %.0f req/s%s (measured %.0f%s)" % (
            n, "" if n == 1 else "s", c, rps, ", p99 %.1f ms" % p99 if p99 else "",
            get("flask", n, c, "rps"), ", p99 %.1f ms" % get("flask", n, c, "p99") if p99 else "")
            for (n, c), (rps, p99) in sorted(ANCHOR.items()))
        extra.append("the issue's anchor (Flask+gunicorn, 2026-12-02): " + a)
        if not self.has_sweep:
            extra.append("`sweep serve --help` shows no serve subcommand in %s: the sweep columns are "
                         "pending; rerun when `sweep serve` is merged" % self.sweep)
        extra += self.notes
        load = os.getloadavg()
        header = ("Serve: sweep serve vs Flask %s + gunicorn %s (2 sync workers, "
                  "OPENBLAS_NUM_THREADS=1), wrk %s, -t1, %.0f s per point, median of %d runs, "
                  "model.h5 784-128-10 (%d B); bodies %s; load average %.1f/%.1f/%.1f; %s" % (
                      self.version("flask"), self.version("gunicorn"), self.version("wrk"),
                      self.seconds, runs, self.model_bytes, self.body_source % max(BODIES),
                      load[0], load[1], load[2],
                      time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())))
        return header + "\n\n" + "\n".join(lines) + "\n\n" + "\n".join(
            "- " + e for e in extra) + "\n"

    @staticmethod
    def version(pkg):
        pkgname = {"flask": "python3-flask"}.get(pkg, pkg)
        try:
            out = subprocess.run(["dpkg-query", "-W", "-f=${Version}", pkgname],
                                 capture_output=True, text=True).stdout.strip()
        except OSError:
            out = ""
        return out or "?"
