"""A strict, pure-Python GGUF header reader and validator (Qt-free).

Every file is read here before llama.cpp sees it: a truncated download, a renamed text file, a
named pipe called ``x.gguf`` or a hostile file with absurd counts or lengths gets a clear sentence
instead of a crash, a hang (or worse) in native code. Reads are bounded by the file's size;
nothing is allocated from an untrusted count before it is checked against the bytes actually
left in the file. The values that llama.cpp only asserts are checked in ``models.hparams``.

The reader is our own; only constant tables come from the ``gguf`` package (llama.cpp's own
Python package), so type sizes and architecture names follow llama.cpp instead of drifting
behind it. Its numpy reader is never used on untrusted files: it maps whole arrays from counts
the file states.
"""

from __future__ import annotations

import functools
import os
import stat
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

GGUF_MAGIC = b"GGUF"
SUPPORTED_VERSIONS = (2, 3)
MAX_STRING = 64 * 1024 * 1024
MAX_ARRAY = 50_000_000
MAX_KV = 1_000_000
MAX_TENSORS = 1_000_000
MAX_DIMS = 4
KEEP_ARRAY = 64  # arrays longer than this are walked and validated but not kept
# Numeric arrays are kept up to llama.cpp's layer maximum, so per-layer values (head counts,
# feed-forward lengths) can be checked on the deepest model llama.cpp accepts.
KEEP_NUMERIC_ARRAY = 512

# The gguf package imports numpy (a fifth of a second): its tables are built on first use,
# which is on a worker thread (listing, downloads, the engine), never while the window starts.
NOT_LANGUAGE_MODELS = frozenset({"clip"})


@functools.cache
def _tables() -> tuple[dict[int, tuple[int, int]], dict[int, str], frozenset[str]]:
    from gguf.constants import GGML_QUANT_SIZES, MODEL_ARCH_NAMES, GGMLQuantizationType

    # ggml type id -> (elements per block, bytes per block), and its name ("Q4_K"). Q8_1 is
    # left out: it is ggml's internal type for activations, never a weight in a file, and the
    # gguf package (0.19.0) still gives it an old block size (40 bytes; ggml's is 36).
    not_weights = {GGMLQuantizationType.Q8_1}
    types = {int(t): GGML_QUANT_SIZES[t] for t in GGMLQuantizationType
             if t in GGML_QUANT_SIZES and t not in not_weights}
    names = {int(t): t.name for t in GGMLQuantizationType}
    # Architectures the bundled llama.cpp can load: the gguf package's list. The package
    # (0.19.0) trails the llama.cpp in llama-cpp-python 0.3.36, which knows every name it lists
    # (checked against the library in tests/unit/test_gguf_tables.py) and some newer ones that
    # are refused here until the package names them. "clip" is a vision encoder (llama.cpp
    # reads no hyperparameters for it), not a chat model; the other encoders (bert,
    # t5encoder, ...) stay, and the test load in a child process refuses those that cannot
    # answer.
    archs = frozenset(MODEL_ARCH_NAMES.values()) - NOT_LANGUAGE_MODELS
    return types, names, archs


def __getattr__(name: str) -> Any:
    """``GGML_TYPES``, ``GGML_TYPE_NAMES`` and ``KNOWN_ARCHITECTURES``, built on first use."""
    index = {"GGML_TYPES": 0, "GGML_TYPE_NAMES": 1, "KNOWN_ARCHITECTURES": 2}.get(name)
    if index is None:
        raise AttributeError(name)
    return _tables()[index]



_SCALARS = {
    0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?", 10: "<Q", 11: "<q",
    12: "<d",
}


class GGUFError(ValueError):
    """The file is not a usable GGUF model; ``str()`` says why in one sentence."""


@dataclass(frozen=True)
class TensorInfo:
    name: str
    shape: tuple[int, ...]
    ggml_type: int
    offset: int
    nbytes: int


@dataclass
class GGUFInfo:
    path: Path
    version: int
    file_size: int
    metadata: dict[str, Any]
    tensors: list[TensorInfo] = field(default_factory=list)
    data_offset: int = 0

    @property
    def architecture(self) -> str:
        return str(self.metadata.get("general.architecture", ""))

    @property
    def name(self) -> str:
        return str(self.metadata.get("general.name", "") or self.path.stem)

    @property
    def chat_template(self) -> str | None:
        t = self.metadata.get("tokenizer.chat_template")
        return t if isinstance(t, str) and t.strip() else None

    def arch_value(self, key: str, default: Any = None) -> Any:
        return self.metadata.get(f"{self.architecture}.{key}", default)

    @property
    def context_length(self) -> int:
        return int(self.arch_value("context_length", 0) or 0)

    @property
    def tensor_bytes(self) -> int:
        return sum(t.nbytes for t in self.tensors)

    @property
    def quantization(self) -> str:
        """The most common tensor type by bytes (what 'Q4_K_M' style labels approximate)."""
        by_type: dict[int, int] = {}
        for t in self.tensors:
            by_type[t.ggml_type] = by_type.get(t.ggml_type, 0) + t.nbytes
        if not by_type:
            return "?"
        return _tables()[1].get(max(by_type, key=lambda k: by_type[k]), "?")


class GGUFIncomplete(GGUFError):
    """A header read from a prefix of the file needs more of it (``needed`` bytes at least)."""

    def __init__(self, needed: int) -> None:
        super().__init__("the header is longer than the part of the file that was read")
        self.needed = needed


class _Reader:
    def __init__(self, f: BinaryIO, size: int, available: int | None = None) -> None:
        self.f = f
        self.size = size
        # Bytes actually at hand: less than ``size`` when parsing a prefix (a Range request).
        self.available = size if available is None else available

    @property
    def pos(self) -> int:
        return self.f.tell()

    def read(self, n: int) -> bytes:
        if n < 0 or self.pos + n > self.size:
            raise GGUFError("the file ends in the middle of its header (truncated or not a model)")
        if self.pos + n > self.available:
            raise GGUFIncomplete(self.pos + n)
        return self.f.read(n)

    def unpack(self, fmt: str) -> Any:
        return struct.unpack(fmt, self.read(struct.calcsize(fmt)))[0]

    def string(self) -> str:
        n = self.unpack("<Q")
        if n > MAX_STRING:
            raise GGUFError(f"the header holds a string of {n} bytes, more than any model needs")
        return self.read(n).decode("utf-8", errors="replace")

    def skip_strings(self, count: int) -> None:
        """Walk ``count`` strings (lengths checked against the file) without decoding them.

        Vocabularies hold 50k-260k strings; reading each with its own ``read`` call took
        seconds per file, and every listing of the model library reads headers.
        """
        chunk = 1 << 20
        base = self.pos
        buf = self.f.read(min(chunk, self.size - base))
        off = 0
        for _ in range(count):
            if off + 8 > len(buf):
                base += off
                self.f.seek(base)
                buf = self.f.read(min(chunk, self.size - base))
                off = 0
                if len(buf) < 8:
                    raise GGUFError(
                        "the file ends in the middle of its header (truncated or not a model)"
                    )
            n = struct.unpack_from("<Q", buf, off)[0]
            if n > MAX_STRING:
                raise GGUFError(
                    f"the header holds a string of {n} bytes, more than any model needs"
                )
            end = off + 8 + n
            if base + end > self.size:
                raise GGUFError(
                    "the file ends in the middle of its header (truncated or not a model)"
                )
            if end > len(buf):  # the string runs past the buffer: continue right after it
                base += end
                self.f.seek(base)
                buf = self.f.read(min(chunk, self.size - base))
                off = 0
            else:
                off = end
        self.f.seek(base + off)

    def value(self, vtype: int, depth: int = 0) -> Any:
        if vtype in _SCALARS:
            return self.unpack(_SCALARS[vtype])
        if vtype == 8:
            return self.string()
        if vtype == 9:
            if depth > 2:
                raise GGUFError("the header nests arrays too deeply")
            etype = self.unpack("<I")
            count = self.unpack("<Q")
            if count > MAX_ARRAY or count > self.size - self.pos:
                raise GGUFError(f"the header claims an array of {count} values that cannot fit")
            if etype in _SCALARS and etype != 7:
                width = struct.calcsize(_SCALARS[etype])
                raw = self.read(width * count)
                if count > KEEP_NUMERIC_ARRAY:
                    return _Skipped(count)
                return list(struct.unpack(f"<{count}{_SCALARS[etype][1]}", raw))
            if etype == 8 and count > KEEP_ARRAY:
                self.skip_strings(count)  # a vocabulary: checked, not decoded
                return _Skipped(count)
            items = [self.value(etype, depth + 1) for _ in range(count)]
            return items if count <= KEEP_ARRAY else _Skipped(count)
        raise GGUFError(f"the header has a value of unknown type {vtype}")


@dataclass(frozen=True)
class _Skipped:
    """A long array (vocabulary, merges) that was validated but not kept in memory."""

    length: int


Skipped = _Skipped  # the public name (the header cache stores these)


def read_gguf(path: Path | str, read_tensors: bool = True) -> GGUFInfo:
    """Parse and validate a GGUF file's header and tensor table; raises ``GGUFError``."""
    path = Path(path)
    f, size = open_regular_file(path)
    with f:
        return _parse(_Reader(f, size), path, read_tensors)


def open_regular_file(path: Path) -> tuple[BinaryIO, int]:
    """Open ``path`` for reading if it is a regular file (through any symlinks); refuse named
    pipes, devices, sockets and folders with one sentence, without ever blocking.

    Opening a FIFO for reading waits for a writer forever; ``O_NONBLOCK`` makes that open
    return at once, and ``fstat`` on the opened descriptor (not the name, which could be
    swapped in between) decides. ``stat`` first spares devices the open itself.
    """
    try:
        _require_regular(os.stat(path).st_mode)
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
        fd = os.open(path, flags | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise GGUFError(f"the file cannot be read ({exc.strerror or exc})") from exc
    try:
        st = os.fstat(fd)
        _require_regular(st.st_mode)
        f = os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
    return f, st.st_size


def _require_regular(mode: int) -> None:
    if stat.S_ISREG(mode):
        return
    kind = (
        "a folder" if stat.S_ISDIR(mode)
        else "a named pipe (FIFO)" if stat.S_ISFIFO(mode)
        else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
        else "a socket" if stat.S_ISSOCK(mode)
        else "not a regular file"
    )
    raise GGUFError(f"it is {kind}, not a model file")


def read_gguf_prefix(data: bytes, file_size: int, name: str) -> GGUFInfo:
    """Parse a GGUF header from the first ``len(data)`` bytes of a ``file_size``-byte file (read
    with an HTTP Range request, to estimate a model's fit before downloading it). Raises
    ``GGUFIncomplete`` when more bytes are needed, ``GGUFError`` when it is not a usable GGUF."""
    import io

    return _parse(_Reader(io.BytesIO(data), file_size, len(data)), Path(name), True)


def _parse(r: _Reader, path: Path, read_tensors: bool) -> GGUFInfo:
    size = r.size
    if size < 24 or r.read(4) != GGUF_MAGIC:
        raise GGUFError("it is not a GGUF model file")
    version = r.unpack("<I")
    if version not in SUPPORTED_VERSIONS:
        raise GGUFError(f"it uses GGUF version {version}, which this app cannot read")
    n_tensors = r.unpack("<Q")
    n_kv = r.unpack("<Q")
    if n_tensors > MAX_TENSORS or n_kv > MAX_KV:
        raise GGUFError("its header claims an impossible number of entries")
    meta: dict[str, Any] = {}
    for _ in range(n_kv):
        key = r.string()
        meta[key] = r.value(r.unpack("<I"))
    info = GGUFInfo(path, version, size, meta)
    if not read_tensors:
        return info
    raw_tensors = []
    for _ in range(n_tensors):
        name = r.string()
        n_dims = r.unpack("<I")
        if not 1 <= n_dims <= MAX_DIMS:
            raise GGUFError(f"tensor {name!r} has {n_dims} dimensions")
        shape = tuple(r.unpack("<Q") for _ in range(n_dims))
        ttype = r.unpack("<I")
        offset = r.unpack("<Q")
        raw_tensors.append((name, shape, ttype, offset))
    alignment = meta.get("general.alignment", 32)
    if not isinstance(alignment, int) or alignment <= 0 or alignment & (alignment - 1):
        raise GGUFError("its data alignment is invalid")
    data_offset = (r.pos + alignment - 1) // alignment * alignment
    for name, shape, ttype, offset in raw_tensors:
        if ttype not in _tables()[0]:
            raise GGUFError(f"tensor {name!r} uses type {ttype}, unknown to this app")
        block, bsize = _tables()[0][ttype]
        n_el = 1
        for d in shape:
            n_el *= d
        if shape[0] % block:
            raise GGUFError(f"tensor {name!r} has a shape its type cannot store")
        nbytes = n_el // block * bsize
        if offset % alignment or data_offset + offset + nbytes > size:
            raise GGUFError(
                f"tensor {name!r} lies outside the file (the file is truncated or damaged)"
            )
        info.tensors.append(TensorInfo(name, shape, ttype, offset, nbytes))
    info.data_offset = data_offset
    return info


def validate_model_file(path: Path | str) -> GGUFInfo:
    """Everything that must hold before a file is offered for loading: a regular file, a
    well-formed header, a known architecture, weights, and hyperparameters within the limits
    llama.cpp asserts (``models.hparams``)."""
    from desktopchat.models.hparams import check_hparams

    info = read_gguf(path)
    arch = info.architecture
    if not arch:
        raise GGUFError("it does not say which model architecture it is")
    if arch not in _tables()[2]:
        raise GGUFError(f"its architecture '{arch}' is not supported by this version of the app")
    if not info.tensors:
        raise GGUFError("it contains no weights")
    check_hparams(info)
    return info
