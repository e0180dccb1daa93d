#!/usr/bin/python3
"""A loopback AWS Lambda Runtime API (version 2018-06-01) for tests/lambda_*_test.sh, and the
checks run against `sweep serve` as a custom runtime. The AWS Runtime Interface Emulator is a
GitHub-only Go binary that cannot be installed here, so this implements the documented protocol:

  GET  /2018-06-01/runtime/invocation/next         blocks until an event is queued; 200 with
       Lambda-Runtime-Aws-Request-Id, -Deadline-Ms, -Invoked-Function-Arn, -Trace-Id
  POST /2018-06-01/runtime/invocation/{id}/response   202; 400 InvalidRequestID for an id that
  POST /2018-06-01/runtime/invocation/{id}/error      is not in flight (unknown or answered)
  POST /2018-06-01/runtime/init/error                 202
Anything else is a protocol violation (404) and fails the test.

  lambda_runtime_api.py local MODEL.h5 -- CMD...   direct, API GW 2.0 (base64), malformed,
        deadline, trace events; probabilities equal numpy's; prints the cold start
  lambda_runtime_api.py reload PUBLISH_CMD -- CMD...  invoke (version 1), run PUBLISH_CMD (a
        shell command publishing a better row), invoke until version 2 answers (10 s)
  lambda_runtime_api.py initerror -- CMD...       the init error post, then the process exits
CMD runs with AWS_LAMBDA_RUNTIME_API pointing here. Exits 1 naming the first mismatch.
"""
import base64
import http.server
import json
import os
import queue
import subprocess
import sys
import threading
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "bench"))
from serve_flask_app import forward, load_model  # noqa: E402

BASE = "/2018-06-01/runtime"


def fail(msg):
    sys.exit("FAIL: " + msg)


class Runtime:
    def __init__(self):
        self.events = queue.Queue()  # (id, body bytes, headers)
        self.posts = {}  # id -> queue of (kind, body, headers)
        self.in_flight = set()
        self.init_errors = queue.Queue()
        self.violations = []
        self.first_post_at = None
        self.lock = threading.Lock()
        self.n = 0
        rt = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def reply(self, code, obj, headers=None):
                data = json.dumps(obj).encode()
                self.send_response(code)
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                if self.path != BASE + "/invocation/next":
                    rt.violations.append("GET " + self.path)
                    return self.reply(404, {"errorType": "NotFound"})
                rid, body, headers = rt.events.get()
                with rt.lock:
                    rt.in_flight.add(rid)
                self.send_response(200)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Lambda-Runtime-Aws-Request-Id", rid)
                self.send_header("Lambda-Runtime-Invoked-Function-Arn",
                                 "arn:aws:lambda:us-east-1:123456789012:function:sweep")
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if rt.first_post_at is None:
                    rt.first_post_at = time.monotonic()
                if self.path == BASE + "/init/error":
                    rt.init_errors.put((body, dict(self.headers)))
                    return self.reply(202, {"status": "OK"})
                parts = self.path[len(BASE):].split("/")  # '', invocation, id, kind
                if (not self.path.startswith(BASE + "/invocation/") or len(parts) != 4
                        or parts[3] not in ("response", "error")):
                    rt.violations.append("POST " + self.path)
                    return self.reply(404, {"errorType": "NotFound"})
                rid, kind = parts[2], parts[3]
                with rt.lock:
                    ok = rid in rt.in_flight
                    rt.in_flight.discard(rid)
                if not ok:
                    rt.violations.append(f"POST {self.path}: not in flight")
                    return self.reply(400, {"errorMessage": "Invalid request ID",
                                            "errorType": "InvalidRequestID"})
                rt.posts[rid].put((kind, body, dict(self.headers)))
                self.reply(202, {"status": "OK"})

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.address = f"127.0.0.1:{self.server.server_address[1]}"

    def invoke(self, event, deadline_ms=None, trace=None, timeout=30):
        """Queues an event; returns (kind, body bytes, headers) of the runtime's post."""
        with self.lock:
            self.n += 1
            rid = f"req-{self.n}"
        self.posts[rid] = queue.Queue()
        if deadline_ms is None:
            deadline_ms = int(time.time() * 1000) + 30000
        headers = {"Lambda-Runtime-Deadline-Ms": str(deadline_ms)}
        if trace:
            headers["Lambda-Runtime-Trace-Id"] = trace
        body = event if isinstance(event, bytes) else json.dumps(event).encode()
        self.events.put((rid, body, headers))
        try:
            return self.posts[rid].get(timeout=timeout)
        except queue.Empty:
            fail(f"no answer to {rid} in {timeout} s")


def start(cmd, rt, stderr):
    env = dict(os.environ, AWS_LAMBDA_RUNTIME_API=rt.address)
    return subprocess.Popen(cmd, env=env, stderr=stderr)


def http_event(method, path, body=b"", b64=False):
    return {"version": "2.0", "routeKey": "$default", "rawPath": path, "rawQueryString": "",
            "headers": {"content-type": "application/json", "host": "x.lambda-url.aws"},
            "requestContext": {"http": {"method": method, "path": path, "protocol": "HTTP/1.1",
                                        "sourceIp": "127.0.0.1", "userAgent": "test"}},
            "body": base64.b64encode(body).decode() if b64 else body.decode(),
            "isBase64Encoded": b64}


def expect_response(post, what):
    kind, body, headers = post
    if kind != "response":
        fail(f"{what}: posted {kind}: {body[:300]}")
    return json.loads(body)


def expect_error(post, error_type, part, what):
    kind, body, headers = post
    err = json.loads(body)
    if kind != "error" or err.get("errorType") != error_type or part not in err.get(
            "errorMessage", "") or headers.get("Lambda-Runtime-Function-Error-Type") != error_type:
        fail(f"{what}: {kind} {body[:300]} {headers}, want error {error_type} '{part}'")
    print(f"ok: {what}: error {error_type}: {err['errorMessage'][:80]}")


def close(got, want, what):
    got = np.asarray(got, dtype=np.float64).reshape(want.shape)
    err = np.abs(got - want).max()
    if err > 1e-5:
        fail(f"{what}: max |served - numpy| = {err}")
    print(f"ok: {what} equals numpy (max diff {err:.2e})")


def local(model, cmd):
    rt = Runtime()
    x = np.random.default_rng(3).random((3, 28, 28), dtype=np.float32)
    want = forward(load_model(model), x.reshape(3, 784))
    t0 = time.monotonic()
    proc = start(cmd, rt, sys.stderr)
    try:
        trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"
        out = expect_response(rt.invoke({"instances": x.reshape(3, 784).tolist()}, trace=trace),
                              "direct event")
        print(f"cold start (process start to first answer): {(rt.first_post_at - t0) * 1000:.0f} ms")
        close(out["predictions"], want, "direct {\"instances\"} event")
        out = expect_response(rt.invoke({"inputs": x.tolist()}), "direct columnar event")
        close(out["outputs"], want, "direct {\"inputs\"} event (nested 28x28)")

        body = json.dumps({"instances": [x[0].tolist()]}).encode()
        ev = http_event("POST", "/v1/models/model:predict", body, b64=True)
        out = expect_response(rt.invoke(ev), "API GW 2.0 event")
        if out.get("statusCode") != 200 or out.get("isBase64Encoded") is not False:
            fail(f"API GW 2.0 event: {out}")
        if out["headers"].get("x-model-version") != "1":
            fail(f"API GW 2.0 event: headers {out['headers']}")
        close(json.loads(out["body"])["predictions"], want[:1], "API GW 2.0 base64 body")

        out = expect_response(rt.invoke(http_event("GET", "/v2/health/ready")), "ready")
        if out["statusCode"] != 200:
            fail(f"GET /v2/health/ready through the envelope: {out}")
        out = expect_response(rt.invoke(http_event("POST", "/v1/models/model:predict",
                                                   b'{"instances": [[1, 2]]}')), "bad shape")
        if out["statusCode"] != 400 or "784" not in json.loads(out["body"])["error"]:
            fail(f"API GW 2.0 bad shape: {out}")
        print("ok: API GW 2.0 bad shape: statusCode 400 in a response post")

        expect_error(rt.invoke(b"this is not json"), "Sweep.InvalidEvent", "not JSON",
                     "malformed event")
        expect_error(rt.invoke({"hello": 1}), "Sweep.InvalidEvent", "neither",
                     "an event of neither kind")
        expect_error(rt.invoke({"instances": [[1, 2]]}), "Sweep.InvalidArgument", "784",
                     "direct event of a bad shape")
        past = int(time.time() * 1000) - 1
        expect_error(rt.invoke({"instances": x.reshape(3, 784).tolist()}, deadline_ms=past),
                     "Sweep.DeadlineExceeded", "deadline", "deadline passed (direct)")
        out = expect_response(rt.invoke(http_event("POST", "/v1/models/model:predict", body),
                                        deadline_ms=past), "deadline passed (HTTP)")
        if out["statusCode"] != 504:
            fail(f"deadline passed (HTTP): {out}")
        print("ok: deadline passed (HTTP): statusCode 504")

        out = expect_response(rt.invoke({"instances": x.reshape(3, 784).tolist()}), "again")
        close(out["predictions"], want, "direct event after the errors")
        if rt.violations or not rt.init_errors.empty():
            fail(f"protocol violations {rt.violations}, init errors {rt.init_errors.qsize()}")
        if proc.poll() is not None:
            fail(f"the runtime exited {proc.returncode}")
        print("ok: no protocol violation; the runtime is still waiting for events")
    finally:
        proc.kill()
        proc.wait()


def reload(publish, cmd):
    rt = Runtime()
    t0 = time.monotonic()
    proc = start(cmd, rt, sys.stderr)
    flat = [1, 0, 0, 1, 0, 0, 1, 1, 1, 1, 0, 0, 4, 0, 0, 1]
    ev = http_event("POST", "/v1/models/model:predict", json.dumps({"instances": [flat]}).encode())

    def version():
        out = expect_response(rt.invoke(ev), "predict")
        if out["statusCode"] != 200:
            fail(f"predict: {out}")
        return out["headers"].get("x-model-version")

    try:
        v = version()
        print(f"cold start from s3:// (process start to first answer): "
              f"{(rt.first_post_at - t0) * 1000:.0f} ms")
        if v != "1":
            fail(f"serves version {v}, not 1")
        subprocess.run(["bash", "-c", publish], check=True)
        start_t = time.monotonic()
        while (v := version()) != "2":
            if time.monotonic() - start_t > 10:
                fail(f"still version {v} 10 s after row 2 was published")
            time.sleep(0.2)
        print(f"ok: a warm function answers with row 2 {time.monotonic() - start_t:.1f} s "
              "after it was published")
        if rt.violations:
            fail(f"protocol violations {rt.violations}")
    finally:
        proc.kill()
        proc.wait()


def initerror(cmd):
    rt = Runtime()
    proc = start(cmd, rt, subprocess.PIPE)
    try:
        body, headers = rt.init_errors.get(timeout=30)
    except queue.Empty:
        proc.kill()
        fail("no POST /runtime/init/error")
    err = json.loads(body)
    if err.get("errorType") != "Sweep.InitError" or "no such file" not in err.get("errorMessage"):
        fail(f"init error body {err}")
    try:
        rc = proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        fail("the runtime did not exit after its init error")
    if rc != 2:
        fail(f"exit {rc} after the init error, want 2 (bad input)")
    print(f"ok: init error posted ({err['errorMessage'][:80]}), exit {rc}")


def main():
    argv = sys.argv[1:]
    split = argv.index("--")
    mode, args, cmd = argv[0], argv[1:split], argv[split + 1:]
    if mode == "local":
        local(args[0], cmd)
    elif mode == "reload":
        reload(args[0], cmd)
    elif mode == "initerror":
        initerror(cmd)
    else:
        fail("unknown mode " + mode)


if __name__ == "__main__":
    main()
