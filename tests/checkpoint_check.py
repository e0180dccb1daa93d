#!/usr/bin/env python3
"""Checks for the checkpoint end-to-end tests.

  checkpoint_check.py same ROW_A ROW_B   the two row folders hold the same model.h5 weights
                                         (bit for bit) and the same result.json metrics and
                                         per-epoch losses
  checkpoint_check.py valid ROOT         every visible file under ROOT parses: result.json as
                                         JSON, model.h5 with h5py (every dataset read),
                                         checkpoint.bin by its magic, version and CRC-32
  checkpoint_check.py epoch FILE         prints "EPOCH STEP" of a checkpoint.bin
"""
import json
import os
import struct
import sys
import zlib

import h5py
import numpy as np


def weights(path):
    out = {}
    with h5py.File(path, "r") as f:
        f["model_weights"].visititems(
            lambda name, obj: out.__setitem__(name, obj[()]) if isinstance(obj, h5py.Dataset) else None)
    return out


def same(a, b):
    wa, wb = weights(os.path.join(a, "model/model.h5")), weights(os.path.join(b, "model/model.h5"))
    assert wa.keys() == wb.keys(), (wa.keys(), wb.keys())
    for k in wa:
        assert wa[k].dtype == wb[k].dtype and wa[k].shape == wb[k].shape, k
        assert wa[k].tobytes() == wb[k].tobytes(), "weights differ: " + k
    ra = json.load(open(os.path.join(a, "result.json")))
    rb = json.load(open(os.path.join(b, "result.json")))
    assert ra["metrics"] == rb["metrics"], (ra["metrics"], rb["metrics"])
    keys = ("epoch", "train_loss", "train_accuracy", "val_loss", "val_accuracy", "learning_rate")
    ha = [{k: e.get(k) for k in keys} for e in ra["history"]]
    hb = [{k: e.get(k) for k in keys} for e in rb["history"]]
    assert ha == hb, "histories differ"
    assert ra["best_epoch"] == rb["best_epoch"]


def checkpoint_fields(path):
    data = open(path, "rb").read()
    assert data[:8] == b"SWEEPCKP", path + ": magic"
    (version,) = struct.unpack_from("<I", data, 8)
    assert version == 1, path + ": version %d" % version
    (crc,) = struct.unpack_from("<I", data, len(data) - 4)
    assert zlib.crc32(data[:-4]) & 0xFFFFFFFF == crc, path + ": CRC"
    (n,) = struct.unpack_from("<I", data, 12)
    epoch, step = struct.unpack_from("<iq", data, 16 + n)
    return epoch, step


def valid(root):
    bad = []
    for folder, _, files in os.walk(root):
        for name in files:
            path = os.path.join(folder, name)
            if name.startswith("."):
                continue  # temp files of atomic writes, the lock
            try:
                if name.endswith(".json"):
                    json.load(open(path))
                elif name.endswith(".h5"):
                    weights(path)
                elif name == "checkpoint.bin":
                    checkpoint_fields(path)
            except Exception as e:  # noqa: BLE001 - any failure to parse is the finding
                bad.append("%s: %s" % (path, e))
    if bad:
        sys.exit("unparsable files:\n  " + "\n  ".join(bad))


def main():
    cmd = sys.argv[1]
    if cmd == "same":
        same(sys.argv[2], sys.argv[3])
    elif cmd == "valid":
        valid(sys.argv[2])
    elif cmd == "epoch":
        print("%d %d" % checkpoint_fields(sys.argv[2]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
