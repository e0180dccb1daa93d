#!/usr/bin/python3
"""A real HTTP client for the `sweep serve` end-to-end tests (tests/serve_*_test.sh), with
numpy as the oracle: the forward pass of bench/serve_flask_app.py over the same model.h5.

  serve_client.py check URL MODEL.h5 VERSION [PREDICT_ROUTE]
      Vertex's body (one nested 28x28 instance), TF Serving row (flat) and columnar forms,
      KServe V2 infer: probabilities equal numpy's within 1e-5; X-Model-Version is VERSION.
  serve_client.py bad URL
      At least 20 kinds of bad request, each with its code and message; then a good one.
  serve_client.py watch URL SECONDS OUT.json
      Predicts every 20 ms for SECONDS; writes [[t, status, version], ...].
Exits 1 naming the first mismatch.
"""
import http.client
import json
import os
import sys
import time
import urllib.parse

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "bench"))
from serve_flask_app import forward, load_model  # noqa: E402

PREDICT = "/v1/models/model:predict"


class Client:
    def __init__(self, url):
        u = urllib.parse.urlparse(url)
        self.conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)

    def call(self, method, path, body=None, headers=None):
        if isinstance(body, (dict, list)):
            body = json.dumps(body)
        self.conn.request(method, path, body=body, headers=headers or {})
        r = self.conn.getresponse()
        data = r.read()
        if r.getheader("Connection", "").lower() == "close":
            self.conn.close()
        return r.status, data, r


def fail(msg):
    sys.exit("FAIL: " + msg)


def images(n, seed=3):
    return np.random.default_rng(seed).random((n, 28, 28), dtype=np.float32)


def close(got, want, what):
    got = np.asarray(got, dtype=np.float64).reshape(want.shape)
    err = np.abs(got - want).max()
    if err > 1e-5:
        fail(f"{what}: max |served - numpy| = {err}")
    print(f"ok: {what} equals numpy (max diff {err:.2e})")


def check(url, model, version, predict_route=PREDICT):
    layers = load_model(model)
    c = Client(url)
    x = images(3)
    want = forward(layers, x.reshape(3, 784))
    bodies = [
        ("Vertex body (one nested 28x28)", predict_route, {"instances": [x[0].tolist()]},
         "predictions", want[:1]),
        ("TF Serving row form (flat)", PREDICT,
         {"instances": x.reshape(3, 784).tolist(), "signature_name": "serving_default"},
         "predictions", want),
        ("TF Serving columnar form", PREDICT, {"inputs": x.tolist()}, "outputs", want),
    ]
    for what, path, body, key, expect in bodies:
        status, data, r = c.call("POST", path, body)
        if status != 200:
            fail(f"{what}: {status} {data[:300]}")
        if r.getheader("X-Model-Version") != str(version):
            fail(f"{what}: X-Model-Version {r.getheader('X-Model-Version')}, want {version}")
        close(json.loads(data)[key], expect, what)
    v2 = {"id": "abc", "inputs": [{"name": "input_0", "shape": [3, 28, 28], "datatype": "FP32",
                                   "data": x.reshape(-1).tolist()}]}
    status, data, _ = c.call("POST", "/v2/models/model/infer", v2)
    if status != 200:
        fail(f"V2 infer: {status} {data[:300]}")
    out = json.loads(data)
    if out["id"] != "abc" or out["outputs"][0]["shape"] != [3, want.shape[1]]:
        fail(f"V2 infer: {out}")
    close(out["outputs"][0]["data"], want, "KServe V2 infer")


def bad(url):
    flat = [0.0] * 784
    big = b'{"instances": [' + b"0," * (5 << 20) + b"0]}"  # ~10 MB, past the 8 MiB limit
    cases = [  # method, path, body, code, message part
        ("POST", PREDICT, "not json", 400, "not JSON"),
        ("POST", PREDICT, "", 400, "not JSON"),
        ("POST", PREDICT, '{"instances": [[1, 2', 400, "not JSON"),
        ("POST", PREDICT, "[1, 2]", 400, "JSON object"),
        ("POST", PREDICT, {}, 400, '"instances"'),
        ("POST", PREDICT, {"instances": []}, 400, "empty"),
        ("POST", PREDICT, {"instances": [flat], "inputs": [flat]}, 400, "not both"),
        ("POST", PREDICT, {"instances": [[0.0] * 783]}, 400, "784 numbers"),
        ("POST", PREDICT, {"instances": [[[0.0] * 28] * 27]}, 400, "[28, 28]"),
        ("POST", PREDICT, {"instances": [flat, flat[:10]]}, 400, "ragged"),
        ("POST", PREDICT, {"instances": [["a"] * 784]}, 400, "number"),
        ("POST", PREDICT, '{"instances": [[NaN' + ", 0" * 783 + "]]}", 400, "NaN"),
        ("POST", PREDICT, '{"instances": [[Infinity' + ", 0" * 783 + "]]}", 400, "NaN or infinite"),
        ("POST", PREDICT, {"instances": 5}, 400, "list"),
        ("POST", PREDICT, big, 413, "larger than"),
        ("POST", "/v1/models/other:predict", {"instances": [flat]}, 404, "serves 'model'"),
        ("POST", "/v1/models/model/versions/999:predict", {"instances": [flat]}, 404,
         "version 999"),
        ("POST", "/v1/models/model/labels/latest:predict", {"instances": [flat]}, 404, "label"),
        ("GET", PREDICT, None, 405, "POST"),
        ("POST", "/v1/models/model:classify", {"instances": [flat]}, 400, ":predict"),
        ("GET", "/v1/models/nope", None, 404, "serves 'model'"),
        ("GET", "/nowhere", None, 404, "no such route"),
        ("POST", "/v2/models/model/infer", {"inputs": [{"shape": [1, 784], "datatype": "BYTES",
                                                        "data": flat}]}, 400, "not numeric"),
        ("POST", "/v2/models/model/infer", {"inputs": [{"shape": [1, 784], "datatype": "FP32",
                                                        "data": flat[:5]}]}, 400, "needs 784"),
        ("POST", "/v2/models/model/infer", {"inputs": []}, 400, "one input"),
    ]
    for method, path, body, code, part in cases:
        c = Client(url)  # a fresh connection: a 413 closes its connection
        status, data, _ = c.call(method, path, body, {"Content-Type": "application/json"})
        try:
            message = json.loads(data)["error"]
        except (ValueError, KeyError):
            fail(f"{method} {path}: not an error body: {data[:200]}")
        if status != code or part not in message:
            fail(f"{method} {path} ({str(body)[:60]}): {status} {message!r}, want {code} '{part}'")
        print(f"ok: {code} {message[:90]}")
    print(f"ok: {len(cases)} kinds of bad request")
    status, _, _ = Client(url).call("POST", PREDICT, {"instances": [flat]})
    if status != 200:
        fail(f"after the bad requests the server answers {status}")
    print("ok: still serving")


def watch(url, seconds, out):
    c = Client(url)
    body = json.dumps({"instances": [[0.5] * 784]})
    seen, start = [], time.monotonic()
    while time.monotonic() - start < seconds:
        try:
            status, _, r = c.call("POST", PREDICT, body)
            seen.append([time.time(), status, r.getheader("X-Model-Version")])
        except OSError as e:
            seen.append([time.time(), 0, str(e)])
            c = Client(url)
        time.sleep(0.02)
    with open(out, "w") as f:
        json.dump(seen, f)


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "check":
        check(args[0], args[1], int(args[2]), *(args[3:4]))
    elif cmd == "bad":
        bad(args[0])
    elif cmd == "watch":
        watch(args[0], float(args[1]), args[2])
    else:
        sys.exit(__doc__)
