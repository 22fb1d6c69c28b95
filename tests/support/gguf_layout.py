"""Where each field of a (trusted, well-formed) GGUF header lies, so that tests can damage one
field precisely: a count, a length, a type, a dimension, an offset.

Only for files the tests wrote or the test models; nothing here is hardened against hostile
input (that is ``desktopchat.models.gguf``'s job).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

_SCALAR_SIZES = {0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8}


@dataclass(frozen=True)
class Field:
    """One patchable number in the header: its offset, width in bytes and what it is."""

    offset: int
    width: int
    kind: str  # "n_tensors", "key_length", "value_type", "array_count", "tensor_offset", ...
    owner: str  # the key or tensor name it belongs to ("" for the file header)


@dataclass
class Layout:
    version_at: int = 4
    fields: list[Field] = field(default_factory=list)
    kv_starts: list[tuple[str, int, int]] = field(default_factory=list)  # key, start, end
    tensor_starts: list[tuple[str, int, int]] = field(default_factory=list)
    header_end: int = 0  # end of the tensor table
    data_offset: int = 0  # start of the aligned tensor data
    value_at: dict[str, tuple[int, int]] = field(default_factory=dict)  # scalar key -> off, type


def scan(path: Path, limit: int = 64 << 20) -> Layout:
    """The header layout of ``path`` (reads at most ``limit`` bytes)."""
    with path.open("rb") as f:
        data = f.read(limit)
    return scan_bytes(data)


def scan_bytes(data: bytes) -> Layout:
    lay = Layout()
    pos = 8
    n_tensors, n_kv = struct.unpack_from("<QQ", data, pos)
    lay.fields += [Field(8, 8, "n_tensors", ""), Field(16, 8, "n_kv", "")]
    pos = 24
    alignment = 32

    def string(owner: str, kind: str) -> tuple[str, int]:
        nonlocal pos
        (n,) = struct.unpack_from("<Q", data, pos)
        lay.fields.append(Field(pos, 8, kind, owner))
        text = data[pos + 8:pos + 8 + n].decode("utf-8", "replace")
        pos += 8 + n
        return text, n

    def value(owner: str, vtype: int, depth: int) -> object:
        nonlocal pos
        if vtype in _SCALAR_SIZES:
            width = _SCALAR_SIZES[vtype]
            if depth == 0:
                lay.value_at[owner] = (pos, vtype)
            raw = data[pos:pos + width]
            pos += width
            fmt = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?",
                   10: "<Q", 11: "<q", 12: "<d"}[vtype]
            return struct.unpack(fmt, raw)[0]
        if vtype == 8:
            return string(owner, "string_length" if depth == 0 else "array_string_length")[0]
        if vtype == 9:
            lay.fields.append(Field(pos, 4, "array_type", owner))
            (etype,) = struct.unpack_from("<I", data, pos)
            lay.fields.append(Field(pos + 4, 8, "array_count", owner))
            (count,) = struct.unpack_from("<Q", data, pos + 4)
            pos += 12
            if etype in _SCALAR_SIZES:
                pos += _SCALAR_SIZES[etype] * count
                return None
            for _ in range(count):
                value(owner, etype, depth + 1)
            return None
        raise ValueError(f"value type {vtype} in a trusted file")

    for _ in range(n_kv):
        start = pos
        key, _n = string("", "key_length")
        lay.fields.append(Field(pos, 4, "value_type", key))
        (vtype,) = struct.unpack_from("<I", data, pos)
        pos += 4
        v = value(key, vtype, 0)
        if key == "general.alignment" and isinstance(v, int):
            alignment = v
        lay.kv_starts.append((key, start, pos))
    for _ in range(n_tensors):
        start = pos
        name, _n = string("", "tensor_name_length")
        lay.fields.append(Field(pos, 4, "n_dims", name))
        (n_dims,) = struct.unpack_from("<I", data, pos)
        pos += 4
        for _d in range(n_dims):
            lay.fields.append(Field(pos, 8, "dim", name))
            pos += 8
        lay.fields.append(Field(pos, 4, "tensor_type", name))
        lay.fields.append(Field(pos + 4, 8, "tensor_offset", name))
        pos += 12
        lay.tensor_starts.append((name, start, pos))
    lay.header_end = pos
    lay.data_offset = (pos + alignment - 1) // alignment * alignment
    return lay
