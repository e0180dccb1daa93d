"""Child processes and small helpers for bench/compare.py: timing a child (wall time, peak RSS,
when a marker line appeared on its stderr), medians, what CPU this is."""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time


def log(msg):
    print("compare: " + msg, file=sys.stderr, flush=True)


def cpu_flags():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def cpu_model():
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        for line in out.splitlines():
            if line.startswith("Model name:"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


class Proc:
    """One child process: wall time, peak RSS (wait4), stdout, and when `marker` first appeared on
    stderr (seconds after spawn)."""

    def __init__(self, cmd, env=None, marker=None, cwd=None):
        self.cmd = cmd
        self.marker = marker
        self.t0 = time.perf_counter()
        self.out = tempfile.TemporaryFile()
        self.p = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=self.out, stderr=subprocess.PIPE)
        self.t_marker = None

    def wait(self):
        err = []
        for raw in self.p.stderr:
            line = raw.decode(errors="replace")
            if self.marker and self.t_marker is None and self.marker in line:
                self.t_marker = time.perf_counter() - self.t0
            err.append(line)
        _, status, ru = os.wait4(self.p.pid, 0)
        self.wall = time.perf_counter() - self.t0
        self.p.returncode = os.waitstatus_to_exitcode(status)
        self.rss_kib = ru.ru_maxrss
        self.out.seek(0)
        self.stdout = self.out.read().decode(errors="replace")
        self.stderr = "".join(err)
        if self.p.returncode != 0:
            raise RuntimeError("%s exited %d\n%s%s" % (" ".join(self.cmd), self.p.returncode,
                                                      self.stdout[-2000:], self.stderr[-4000:]))
        return self

    def json(self):
        for line in reversed(self.stdout.splitlines()):
            if line.startswith("{"):
                return json.loads(line)
        raise RuntimeError("no JSON from %s:\n%s" % (" ".join(self.cmd), self.stdout[-2000:]))


def run(cmd, env=None, marker=None):
    return Proc(cmd, env, marker).wait()


def run_parallel(cmds_envs):
    procs = [Proc(c, e) for c, e in cmds_envs]
    return [p.wait() for p in procs]


def median(xs):
    return statistics.median(xs) if xs else float("nan")
