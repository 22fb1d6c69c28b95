"""A strict, pure-Python GGUF header reader and validator (Qt-free, no third-party imports).

Every file is read here before llama.cpp sees it: a truncated download, a renamed text file or a
hostile file with absurd counts or lengths gets a clear sentence instead of a crash (or worse) in
native code. Reads are bounded by the file's size; nothing is allocated from an untrusted count
before it is checked against the bytes actually left in the file.
"""

from __future__ import annotations

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

# ggml type id -> (elements per block, bytes per block)
GGML_TYPES: dict[int, tuple[int, int]] = {
    0: (1, 4), 1: (1, 2), 2: (32, 18), 3: (32, 20), 6: (32, 22), 7: (32, 24), 8: (32, 34),
    9: (32, 36), 10: (256, 84), 11: (256, 110), 12: (256, 144), 13: (256, 176), 14: (256, 210),
    15: (256, 292), 16: (256, 66), 17: (256, 74), 18: (256, 98), 19: (256, 50), 20: (32, 18),
    21: (256, 110), 22: (256, 82), 23: (256, 136), 24: (1, 1), 25: (1, 2), 26: (1, 4),
    27: (1, 8), 28: (1, 8), 29: (256, 56), 30: (1, 2), 34: (256, 54), 35: (256, 66),
    39: (32, 17),
}
GGML_TYPE_NAMES = {
    0: "F32", 1: "F16", 2: "Q4_0", 3: "Q4_1", 6: "Q5_0", 7: "Q5_1", 8: "Q8_0", 10: "Q2_K",
    11: "Q3_K", 12: "Q4_K", 13: "Q5_K", 14: "Q6_K", 15: "Q8_K", 16: "IQ2_XXS", 17: "IQ2_XS",
    18: "IQ3_XXS", 19: "IQ1_S", 20: "IQ4_NL", 21: "IQ3_S", 22: "IQ2_S", 23: "IQ4_XS", 29: "IQ1_M",
    30: "BF16", 34: "TQ1_0", 35: "TQ2_0", 39: "MXFP4",
}

# Architectures the bundled llama.cpp (llama-cpp-python 0.3.x) can load.
KNOWN_ARCHITECTURES = frozenset(
    """llama llama4 deci falcon falcon-h1 grok gpt2 gptj gptneox mpt baichuan starcoder refact bert
    modern-bert nomic-bert nomic-bert-moe neo-bert jina-bert-v2 jina-bert-v3 bloom stablelm qwen
    qwen2 qwen2moe qwen2vl qwen3 qwen3moe qwen3next phi2 phi3 phimoe plamo plamo2 codeshell orion
    internlm2 minicpm minicpm3 gemma gemma2 gemma3 gemma3n gemma-embedding starcoder2 mamba mamba2
    jamba xverse command-r cohere2 dbrx olmo olmo2 olmoe openelm arctic deepseek deepseek2
    chatglm glm4 glm4moe bitnet t5 t5encoder jais nemotron nemotron_h exaone exaone4 rwkv6
    rwkv6qwen2 rwkv7 arwkv7 granite granitemoe granitehybrid chameleon wavtokenizer-dec plm
    bailingmoe dots1 arcee ernie4_5 ernie4_5-moe hunyuan-moe hunyuan-dense smollm3 gpt-oss lfm2
    dream smallthinker llada llada-moe seed_oss grovemoe apertus minimax-m2 cogvlm rnd1 panguembedded
    mistral3 afmoe""".split()
)

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
        return GGML_TYPE_NAMES.get(max(by_type, key=lambda k: by_type[k]), "?")


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
                raise GGUFError(f"the header holds a string of {n} bytes, more than any model needs")
            end = off + 8 + n
            if base + end > self.size:
                raise GGUFError("the file ends in the middle of its header (truncated or not a model)")
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
                if count > KEEP_ARRAY:
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
    try:
        size = path.stat().st_size
        f = path.open("rb")
    except OSError as exc:
        raise GGUFError(f"the file cannot be read ({exc.strerror or exc})") from exc
    with f:
        return _parse(_Reader(f, size), path, read_tensors)


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
        if ttype not in GGML_TYPES:
            raise GGUFError(f"tensor {name!r} uses type {ttype}, unknown to this app")
        block, bsize = GGML_TYPES[ttype]
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
    """Everything that must hold before a file is offered for loading."""
    info = read_gguf(path)
    arch = info.architecture
    if not arch:
        raise GGUFError("it does not say which model architecture it is")
    if arch not in KNOWN_ARCHITECTURES:
        raise GGUFError(f"its architecture '{arch}' is not supported by this version of the app")
    if not info.tensors:
        raise GGUFError("it contains no weights")
    return info
