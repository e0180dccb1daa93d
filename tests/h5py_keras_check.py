#!/usr/bin/python3
"""Checks a model.h5 the way Keras 2's legacy HDF5 loader walks it (keras-h5.md §8): a
weights-only file (save_weights) or a full-model file (model.save: /model_weights + model_config).
Like load_weights_from_hdf5_group, layers without weights (Flatten, InputLayer, Dropout) are
skipped on both sides and the rest matched by order.

Usage: /usr/bin/python3 tests/h5py_keras_check.py MODEL.h5 [EXPECT ...]
  EXPECT  expect.json   {"layers": [{"name": "dense", "kernel": [[...]], "bias": [...]}, ...]}
          kernel.npy    compared with the first Dense kernel
          NAME=k.npy    compared with layer NAME's kernel
          shape=28x28   one sample's shape: model_config starts InputLayer + Flatten with
                        batch_input_shape [null, 28, 28] (a single dimension: no Flatten, the
                        first Dense takes [null, N]); sweep_input_shape says the same
Needs h5py, which on Debian exists only for /usr/bin/python3 (not a pyenv python3). Keras and
TensorFlow are not installable here (no Debian package, no network wheel), so this follows the
loader's source instead of running keras.models.load_model; CI with a TF wheel can add that.
Exits 0 and prints a summary when the file loads; exits 1 with a message on the first mismatch.
"""
import json
import sys

try:
    import h5py
    import numpy as np
except ImportError as e:  # pragma: no cover
    sys.exit(f"h5py_keras_check: {e} (run with Debian's /usr/bin/python3)")


class Mismatch(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise Mismatch(msg)


def decode(v):
    return v.decode("utf8") if hasattr(v, "decode") else str(v)


def names(group, key):
    """Keras 2 load_attributes_from_hdf5_group: key, else key0, key1, ...; missing -> []."""
    if key in group.attrs:
        check(not isinstance(group.attrs[key], h5py.Empty),
              f"{group.name}: {key} has a null dataspace (Keras: 'Empty' object is not iterable)")
        vals = list(group.attrs[key])
    else:
        vals, i = [], 0
        while f"{key}{i}" in group.attrs:
            vals += list(group.attrs[f"{key}{i}"])
            i += 1
    return [decode(v) for v in vals]


def read_weights(f):
    """Returns [(layer_name, [arrays])] for layers with weights, in layer_names order; layers
    whose weight_names is empty (Flatten, InputLayer, Dropout) are skipped, as Keras 2's
    load_weights_from_hdf5_group filters them before matching layers by order."""
    check("keras_version" in f.attrs, "no keras_version attribute (Keras would assume Keras 1)")
    version = decode(f.attrs["keras_version"])
    check(not version.startswith("1"), f"keras_version {version!r} starts with '1'")
    check("backend" in f.attrs, "no backend attribute")
    layer_names = names(f, "layer_names")
    check(layer_names, "layer_names is missing or empty")
    layers = []
    for layer in layer_names:
        check(layer in f, f"layer {layer!r} listed in layer_names has no group")
        weight_names = names(f[layer], "weight_names")
        arrays = []
        for w in weight_names:
            check(w in f[layer], f"{layer}: weight {w!r} listed in weight_names has no dataset")
            ds = f[layer][w]
            check(ds.dtype == np.float32, f"{layer}/{w}: dtype {ds.dtype}, expected float32")
            arrays.append(np.asarray(ds))
        if arrays:
            layers.append((layer, arrays))
    if "top_level_model_weights" in f:
        top = names(f["top_level_model_weights"], "weight_names")
        check(not top, f"top_level_model_weights lists {top}, expected none")
    return layers


def check_dense_shapes(layers):
    for k, (layer, arrays) in enumerate(layers):
        check(len(arrays) == 2, f"{layer}: {len(arrays)} weights, Dense has [kernel, bias]")
        kernel, bias = arrays
        check(kernel.ndim == 2, f"{layer}: kernel shape {kernel.shape} is not 2-D")
        check(bias.shape == (kernel.shape[1],),
              f"{layer}: bias shape {bias.shape} does not match kernel {kernel.shape}")
        if k + 1 < len(layers):
            nxt = layers[k + 1][1][0]
            check(kernel.shape[1] == nxt.shape[0],
                  f"{layer}: kernel {kernel.shape} does not chain into {layers[k + 1][0]} {nxt.shape}")


def check_model_config(root, layers):
    if "model_config" not in root.attrs:
        return "no model_config"
    config = json.loads(decode(root.attrs["model_config"]))
    check(config.get("class_name") == "Sequential", f"model_config class {config.get('class_name')}")
    entries = config["config"]["layers"]
    dense = [e for e in entries if e["class_name"] == "Dense"]
    check(len(dense) == len(layers),
          f"model_config has {len(dense)} Dense layers, the weights {len(layers)}")
    shapes = [e["config"].get("batch_input_shape") for e in entries
              if e["config"].get("batch_input_shape")]
    check(shapes, "model_config has no batch_input_shape: Keras could not build the model")
    check(shapes[0][0] is None, f"batch_input_shape {shapes[0]}: the batch dimension is not null")
    check(int(np.prod(shapes[0][1:])) == layers[0][1][0].shape[0],
          f"batch_input_shape {shapes[0]} does not match kernel {layers[0][1][0].shape}")
    check(len(shapes[0]) == 2 or any(e["class_name"] == "Flatten" for e in entries),
          f"batch_input_shape {shapes[0]} is not flat, but model_config has no Flatten")
    for entry, (layer, arrays) in zip(dense, layers):
        units = entry["config"]["units"]
        check(entry["config"]["name"] == layer,
              f"model_config layer {entry['config']['name']!r} vs weights layer {layer!r}")
        check(units == arrays[0].shape[1], f"{layer}: units {units} vs kernel {arrays[0].shape}")
    return f"model_config ok ({len(entries)} layers)"


def compare(layer, what, got, want):
    want = np.asarray(want, dtype=np.float32)
    check(got.shape == want.shape, f"{layer}: {what} shape {got.shape}, expected {want.shape}")
    if not np.allclose(got, want, rtol=1e-6, atol=1e-6):
        idx = np.unravel_index(np.argmax(np.abs(got - want)), got.shape)
        raise Mismatch(f"{layer}: {what}{list(idx)} = {got[idx]}, expected {want[idx]}"
                       + (" (kernel transposed?)" if what == "kernel" else ""))


def check_sample_shape(root, want):
    """shape=HxW: the Keras input is [null, H, W] (through a Flatten when H, W, ... > 1 dim)."""
    check("model_config" in root.attrs, "no model_config to check the input shape against")
    entries = json.loads(decode(root.attrs["model_config"]))["config"]["layers"]
    batch_shape = [None] + want
    if len(want) > 1:
        kinds = [e["class_name"] for e in entries[:2]]
        check(kinds == ["InputLayer", "Flatten"], f"model_config starts {kinds}, not InputLayer, Flatten")
        for e in entries[:2]:
            got = e["config"].get("batch_input_shape")
            check(got == batch_shape, f"{e['class_name']} batch_input_shape {got}, expected {batch_shape}")
        check(entries[1]["config"].get("name") == "flatten", "the Flatten layer is not named flatten")
    else:
        check(all(e["class_name"] != "Flatten" for e in entries), "a flat input has a Flatten layer")
        got = entries[0]["config"].get("batch_input_shape")
        check(got == batch_shape, f"batch_input_shape {got}, expected {batch_shape}")
    if "sweep_input_shape" in root.attrs:
        got = json.loads(decode(root.attrs["sweep_input_shape"]))
        check(got == want, f"sweep_input_shape {got}, expected {want}")


def check_expectation(arg, layers, root):
    if arg.startswith("shape="):
        check_sample_shape(root, [int(d) for d in arg[len("shape="):].split("x")])
        return
    by_name = dict(layers)
    if arg.endswith(".json"):
        with open(arg) as fh:
            expect = json.load(fh)
        check(len(expect["layers"]) == len(layers),
              f"{len(layers)} layers with weights, expected {len(expect['layers'])}")
        for want, (layer, arrays) in zip(expect["layers"], layers):
            check(want["name"] == layer, f"layer {layer!r}, expected {want['name']!r}")
            compare(layer, "kernel", arrays[0], want["kernel"])
            compare(layer, "bias", arrays[1], want["bias"])
        return
    name, _, path = arg.rpartition("=")
    layer = name or layers[0][0]
    check(layer in by_name, f"no layer {layer!r} with weights")
    compare(layer, "kernel", by_name[layer][0], np.load(path))


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    path = argv[1]
    with h5py.File(path, "r") as root:
        f = root
        kind = "weights-only file"
        if "layer_names" not in f.attrs and "layer_names0" not in f.attrs and "model_weights" in f:
            f = f["model_weights"]  # full-model file
            kind = "full model file"
        try:
            layers = read_weights(f)
            check_dense_shapes(layers)
            summary = check_model_config(root, layers)
            if kind == "full model file":  # keras.models.load_model needs the config
                check(summary.startswith("model_config ok"), "full-model file without model_config")
                check("keras_version" in root.attrs, "full-model file: no keras_version at the root")
            for arg in argv[2:]:
                check_expectation(arg, layers, root)
        except Mismatch as e:
            print(f"h5py_keras_check: {path}: {e}", file=sys.stderr)
            return 1
    for layer, arrays in layers:
        print(layer, " ".join(str(a.shape) for a in arrays))
    print(f"OK: {path}: {kind}, {len(layers)} Dense layers, {summary}, {len(argv) - 2} expectation(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
