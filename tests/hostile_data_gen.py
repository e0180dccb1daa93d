"""Writes the hostile data inputs of tests/hostile_data_test.sh into a folder (argv[1]).

Each file is a small reproducer of one defect class of issue 16 (data readers); the gzip bomb is
made on the fly (700 MB of zeros compress to ~700 kB) so the repository stays small.
"""
import gzip
import os
import struct
import sys
import zlib

import h5py
import numpy as np

out = sys.argv[1]
os.makedirs(out, exist_ok=True)


def put(name, data):
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)


rows = "".join(f"{i}.5,1,{i % 3}\n" for i in range(20000)).encode()
gz = gzip.compress(rows)
put("cut_half.csv.gz", gz[: len(gz) // 2])
put("cut_trailer.csv.gz", gz[:-8])
put("cut_one.csv.gz", gz[:-1])
# Cut on a line boundary: a full flush after 12,505 rows makes the prefix decode to whole lines.
co = zlib.compressobj(9, zlib.DEFLATED, 31)
head = co.compress(rows[: rows.index(b"12505.5")]) + co.flush(zlib.Z_FULL_FLUSH)
put("cut_line.csv.gz", head)
bad_crc = bytearray(gz)
bad_crc[-8] ^= 1
put("bad_crc.csv.gz", bytes(bad_crc))
bad_len = bytearray(gz)
bad_len[-1] ^= 0x40
put("bad_len.csv.gz", bytes(bad_len))
put("trailing.csv.gz", gz + b"garbage")
put("six.csv.gz", b"\x1f\x8b\xff\xff\xff\xff")
put("magic_only.csv.gz", b"\x1f\x8b")
put("second_member_cut.csv.gz", gzip.compress(b"1,2,0\n") + gz[: len(gz) // 2])
put("random.csv.gz", b"\x1f\x8b\x08\x00" + bytes(range(256)) * 4)
put("empty.csv.gz", b"")
put("nan.csv", b"1,2,0\nnan,4,1\n")
put("inf.csv", b"1,2,0\n3,inf,1\n")
put("bigfloat.csv", b"1,2,0\n3,1e39,1\n")
co = zlib.compressobj(1, zlib.DEFLATED, 31)
chunk = b"0" * (1 << 20)
bomb = b"".join(co.compress(chunk) for _ in range(700)) + co.flush()
put("bomb.csv.gz", bomb)


def be32(*v):
    return struct.pack(">" + "I" * len(v), *v)


def idx(name, images, labels):
    put(name + "-images-idx3-ubyte", images)
    put(name + "-labels-idx1-ubyte", labels)


idx("wrap", be32(0x803, 1 << 22, 1 << 21, 1 << 21), be32(0x801, 1 << 22))
idx("huge", be32(0x803, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF) + b"\0" * 26, be32(0x801, 0xFFFFFFFF))
idx("short", be32(0x803, 3, 2, 3) + b"\0" * 10, be32(0x801, 3) + b"\0\1\2")
idx("magic", be32(0x801, 3, 2, 3) + b"\0" * 18, be32(0x801, 3) + b"\0\1\2")
idx("count", be32(0x803, 3, 2, 3) + b"\0" * 18, be32(0x801, 4) + b"\0\1\2\3")
idx("bigimg", be32(0x803, 1, 0x10000, 0x10000) + b"\0" * 64, be32(0x801, 1) + b"\0")
good_images = be32(0x803, 3, 2, 3) + b"\0" * 18
put("gzcut-images-idx3-ubyte.gz", gzip.compress(good_images)[:-3])
put("gzcut-labels-idx1-ubyte.gz", gzip.compress(be32(0x801, 3) + b"\0\1\2"))


def h5(name, x=None, y=None, **kw):
    with h5py.File(os.path.join(out, name), "w") as f:
        if x is not None:
            f.create_dataset("X", data=x, **kw)
        if y is not None:
            f.create_dataset("y", data=y)


x = np.arange(12, dtype=np.float32).reshape(6, 2)
y = np.array([0, 1, 0, 1, 0, 1], dtype=np.float32)
xn = x.copy()
xn[3, 1] = np.nan
h5("nan.h5", xn, y)
xi = x.copy()
xi[0, 0] = np.inf
h5("inf.h5", xi, y)
yi = y.copy()
yi[5] = -np.inf
h5("label_inf.h5", x, yi)
h5("f64_overflow.h5", np.full((6, 2), 1e300), y)
h5("no_x.h5", None, y)
h5("rank1.h5", np.arange(6, dtype=np.float32), y)
h5("rows.h5", x, y[:4])
with h5py.File(os.path.join(out, "strings.h5"), "w") as f:
    f.create_dataset("X", data=np.array([b"a", b"b"]))
    f.create_dataset("y", data=y[:2])
for name, comp in (("declared.h5", None), ("declared_gz.h5", "gzip")):
    with h5py.File(os.path.join(out, name), "w") as f:
        f.create_dataset("X", shape=(1 << 30, 1 << 20), dtype="f4", chunks=(1, 16),
                         compression=comp)
        f.create_dataset("y", shape=(1 << 30,), dtype="f4", chunks=(16,))
h5("good.h5", x, y)
good = open(os.path.join(out, "good.h5"), "rb").read()
put("cut.h5", good[: len(good) // 2])
put("cut_super.h5", good[:40])
put("magic_only.h5", good[:8])
garbled = bytearray(good)
for i in range(100, len(garbled), 7):
    garbled[i] ^= 0xA5
put("garbled.h5", bytes(garbled))
