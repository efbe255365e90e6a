"""safetensors read/write with numpy only (8-byte little-endian header length, JSON header, raw bytes)."""
import json
import struct

import numpy as np

_DTYPES = {"F16": np.float16, "F32": np.float32, "F64": np.float64, "I32": np.int32, "I64": np.int64, "U8": np.uint8}
_NAMES = {np.dtype(v): k for k, v in _DTYPES.items()}


def read_safetensors(path):
    with open(path, "rb") as file:
        data = file.read()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + length])
    body = data[8 + length :]
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        if info["dtype"] == "BF16":  # read only, widened to float32 (the upper 16 bits of a float32)
            halves = np.frombuffer(body[begin:end], dtype="<u2").astype(np.uint32) << 16
            tensors[name] = halves.view(np.float32).reshape(info["shape"]).copy()
            continue
        tensors[name] = np.frombuffer(body[begin:end], dtype=_DTYPES[info["dtype"]]).reshape(info["shape"]).copy()
    return tensors


def write_safetensors(path, tensors, metadata=None):
    """Writes `tensors` (name → numpy array) sorted by name, back to back (no holes: readers refuse them)."""
    header = {}
    chunks = []
    offset = 0
    for name in sorted(tensors):
        # np.ascontiguousarray would turn a 0-d tensor (a scalar loss) into shape [1].
        array = np.array(tensors[name], order="C", copy=False)
        if array.dtype not in _NAMES:
            raise ValueError(f"{name}: dtype {array.dtype} is not written here")
        raw = array.astype(array.dtype.newbyteorder("<"), copy=False).tobytes()
        header[name] = {"dtype": _NAMES[array.dtype], "shape": list(array.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    if metadata:
        header["__metadata__"] = metadata
    encoded = json.dumps(header, separators=(",", ":")).encode()
    encoded += b" " * ((-len(encoded)) % 8)
    with open(path, "wb") as file:
        file.write(struct.pack("<Q", len(encoded)) + encoded + b"".join(chunks))
