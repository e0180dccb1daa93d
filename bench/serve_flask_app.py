"""The peer of `sweep serve` in bench/serve_compare.py: the REST-tutorial way to serve a Keras
model.h5 from Python. A Flask app behind gunicorn (sync workers), the model loaded once per
worker at import, a numpy forward pass per request:

  SERVE_MODEL=model.h5 OPENBLAS_NUM_THREADS=1 \
    /usr/bin/gunicorn -w 2 -k sync -b 127.0.0.1:8501 --chdir bench serve_flask_app:app

Routes (the same paths `sweep serve` answers):
  POST /v1/models/<name>:predict   TF Serving REST, row format: {"instances": [...]} ->
                                   {"predictions": [[p0..p9], ...]}; each instance flat (784)
                                   or nested (28x28)
  GET  /v1/models/<name>           status (TF Serving and KServe V1 keys)
  GET  /v2/health/ready            200 once the model is loaded

Only Debian packages: python3-flask, gunicorn, python3-numpy, python3-h5py.
"""
import json
import os

import h5py
import numpy as np
from flask import Flask, jsonify, request

MODEL_NAME = os.environ.get("SERVE_NAME", "model")


# --- initialize -------------------------------------------------------------------------------
def load_model(path):
    """Every Dense layer of a Keras 2 model.h5 (storage/keras_h5.h), in order: (kernel float32
    [inputs, units], bias [units], activation) from the root attribute model_config and the
    weights under /model_weights/<layer>/<layer>/ (format 2) or /<layer>/<layer>/ (format 1)."""
    with h5py.File(path, "r", locking=False) as f:
        config = f.attrs["model_config"]
        if isinstance(config, bytes):
            config = config.decode()
        config = json.loads(config)
        weights = f["model_weights"] if "model_weights" in f else f
        layers = []
        for layer in config["config"]["layers"]:
            if layer["class_name"] != "Dense":
                continue  # InputLayer
            name = layer["config"]["name"]
            g = weights[name][name]
            layers.append((np.asarray(g["kernel:0"], dtype=np.float32),
                           np.asarray(g["bias:0"], dtype=np.float32),
                           layer["config"].get("activation", "linear")))
    if not layers:
        raise ValueError("%s: no Dense layers in model_config" % path)
    return layers


# --- preprocess -------------------------------------------------------------------------------
def preprocess(body, inputs):
    if not isinstance(body, dict) or "instances" not in body:
        raise ValueError('body must be a JSON object with "instances"')
    instances = body["instances"]
    if not isinstance(instances, list) or not instances:
        raise ValueError('"instances" must be a non-empty list')
    x = np.asarray(instances, dtype=np.float32)
    if x.size != len(instances) * inputs:
        raise ValueError("each instance must have %d values, got shape %s" % (inputs,
                                                                             list(x.shape[1:])))
    return x.reshape(len(instances), inputs)


# --- inference --------------------------------------------------------------------------------
def forward(layers, x):
    for kernel, bias, activation in layers:
        x = x @ kernel + bias
        if activation == "relu":
            np.maximum(x, 0, out=x)
        elif activation == "softmax":
            x = np.exp(x - x.max(axis=1, keepdims=True))
            x /= x.sum(axis=1, keepdims=True)
        elif activation == "tanh":
            x = np.tanh(x)
        elif activation == "sigmoid":
            x = 1 / (1 + np.exp(-x))
    return x


# --- postprocess ------------------------------------------------------------------------------
def postprocess(y):
    return {"predictions": y.tolist()}


app = Flask(__name__)
LAYERS = load_model(os.environ["SERVE_MODEL"]) if "SERVE_MODEL" in os.environ else None


@app.route("/v1/models/<name>:predict", methods=["POST"])
def predict(name):
    if name != MODEL_NAME:
        return jsonify(error="model %s not found" % name), 404
    try:
        x = preprocess(request.get_json(force=True), LAYERS[0][0].shape[0])
    except ValueError as e:
        return jsonify(error=str(e)), 400
    return jsonify(postprocess(forward(LAYERS, x)))


@app.route("/v1/models/<name>", methods=["GET"])
def status(name):
    if name != MODEL_NAME:
        return jsonify(error="model %s not found" % name), 404
    return jsonify(name=name, ready=True, model_version_status=[
        {"version": "1", "state": "AVAILABLE", "status": {"error_code": "OK",
                                                          "error_message": ""}}])


@app.route("/v2/health/ready", methods=["GET"])
def ready():
    return ("", 200) if LAYERS else ("", 503)
