"""Will this model fit in this machine's memory at this context length? An estimate from the GGUF
header alone (no load), shown as a badge with the numbers behind it.

What llama.cpp (in llama-cpp-python 0.3.36, CPU) actually keeps resident, measured in a fresh
process (VmRSS before and after ``Engine.load`` plus a prompt that fills the context; see
tests/integration/test_fit_measured.py):

- **Weights**: the tensor bytes. On Linux with huge pages the engine reads them into memory (so
  they can sit in 2 MiB pages: engine.hugepages); otherwise the file is mmap'd, with
  MAP_POPULATE on Linux. Either way every weight page is resident right after the load (no
  extra touching needed); elsewhere the pages become resident on the first reply, which is when
  the estimate matters.
- **KV cache**: ``n_ctx × Σ_layers (head_count_kv × key_length + head_count_kv × value_length)``
  × 2 bytes (f16). Per-layer ``head_count_kv`` arrays are honoured (a 0 marks a recurrent layer).
  Sliding-window layers (Gemma 2/3, Cohere2, gpt-oss …) would need only about
  ``sliding_window + n_ubatch`` cells, but llama-cpp-python leaves llama.cpp's ``swa_full``
  default on, and the load log shows the full ``n_ctx`` cells for them too ("llama_kv_cache:
  size = 30.00 MiB (2048 cells, 15 layers …)" for Gemma 3 270M's 15 SWA layers), so
  ``swa_full=True`` is the default here. MLA models (DeepSeek 2/3) cache
  ``kv_lora_rank + rope dim`` per token and layer; recurrent models (Mamba, RWKV) keep a fixed
  state instead of a per-token cache.
- **Compute and runtime**: llama.cpp reserves a compute buffer of 100–500 MiB but only the part
  a prompt chunk touches becomes resident. Measured: a base of about 12 MiB (runtime, threads),
  about 250 bytes per vocabulary entry (token tables, the output row), the activations of one
  prompt chunk (the engine evaluates 512 tokens at a time) and its attention mask against the
  whole context (chunk × n_ctx × 4 bytes, one per attention kind: two with sliding windows).
  The engine loads with flash attention, which never materializes the attention scores; only
  without it do the scores (chunk × n_ctx × heads × 4 bytes) become resident. (Calibrated on
  SmolLM2 and Gemma 3 270M; checked on an uncalibrated 336M llama too, at 512 to 4,096 tokens:
  1.01–1.03 of the measured resident memory. An earlier version counted the scores with flash
  attention on and reached 1.16 on SmolLM2 at 4,096.)

Verdict: **fits** when the total is at most 80% of the memory available now (room for the
system and the app to grow); **tight** up to 100% of it (it loads, but other programs may be
pushed to swap); **won't fit** beyond that.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import psutil

from desktopchat.models.gguf import GGUFInfo
from desktopchat.models.hparams import LLAMA_MAX_LAYERS

log = logging.getLogger(__name__)

MiB = 1024 * 1024
FITS_SHARE = 0.80  # of available memory
PROMPT_CHUNK = 512  # tokens the engine evaluates at once (desktopchat.engine.prefill.PROMPT_CHUNK)
BASE_OVERHEAD = 12 * MiB
BYTES_PER_VOCAB = 250
KV_BYTES = 2  # f16 cache

# Architectures whose attention alternates sliding-window and global layers: every Nth layer is
# global (llama.cpp's set_swa_pattern). Only used with swa_full=False.
SWA_PATTERN = {"gemma2": 2, "gemma3": 6, "gemma3n": 5, "cohere2": 4, "gpt-oss": 2, "llama4": 4}
RECURRENT = frozenset({"mamba", "mamba2", "rwkv6", "rwkv6qwen2", "rwkv7", "arwkv7"})


@dataclass(frozen=True)
class MemoryInfo:
    """Physical memory of this machine, in bytes."""

    total_bytes: int
    available_bytes: int

    @classmethod
    def current(cls) -> MemoryInfo | None:
        """Read it from the OS (psutil: Linux's MemAvailable, macOS's and Windows' own
        counters); None when the OS does not say."""
        try:
            vm = psutil.virtual_memory()
        except (OSError, psutil.Error):
            log.warning("could not read this machine's memory", exc_info=True)
            return None
        return cls(int(vm.total), int(vm.available))


@dataclass(frozen=True)
class FitEstimate:
    weights_bytes: int
    kv_cache_bytes: int
    overhead_bytes: int
    total_bytes: int
    available_bytes: int  # 0 when the OS did not say
    verdict: str  # 'fits' | 'tight' | "won't fit"
    n_ctx: int
    kv_note: str = ""

    def explain(self) -> str:
        """The numbers behind the badge, in plain words."""
        def gb(n: int) -> str:
            return f"{n / 1e9:.2f} GB" if n >= 1e9 else f"{n / 1e6:.0f} MB"

        parts = [
            f"About {gb(self.total_bytes)} of memory at a context of {self.n_ctx} tokens: "
            f"{gb(self.weights_bytes)} of weights, {gb(self.kv_cache_bytes)} of conversation "
            f"memory (KV cache{self.kv_note}) and {gb(self.overhead_bytes)} of working space."
        ]
        if self.available_bytes:
            parts.append(f"This computer has {gb(self.available_bytes)} free right now, so it "
                         + {"fits": "fits with room to spare.",
                            "tight": "fits, but only just: close other programs first.",
                            "won't fit": "won't fit: pick a smaller file or a shorter context."
                            }[self.verdict])
        else:
            parts.append("How much memory is free could not be read, so this is only a guess.")
        return " ".join(parts)


def _int(value: Any, default: int = 0) -> int:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value)
    return default


def n_vocab(info: GGUFInfo) -> int:
    tokens = info.metadata.get("tokenizer.ggml.tokens")
    length = getattr(tokens, "length", None)
    if length is None and isinstance(tokens, list):
        length = len(tokens)
    return int(length or _int(info.arch_value("vocab_size")))


def _layers(info: GGUFInfo) -> int:
    """The layer count, bounded by llama.cpp's maximum: a header read from a Hub prefix has not
    been validated, and per-layer lists are built from this number."""
    return min(_int(info.arch_value("block_count")), LLAMA_MAX_LAYERS)


def _per_layer(value: Any, n_layers: int, default: int) -> list[int]:
    if isinstance(value, list):
        vals = [_int(v, default) for v in value[:n_layers]]
        return vals + [default] * (n_layers - len(vals))
    return [_int(value, default)] * n_layers


def swa_layers(info: GGUFInfo, n_layers: int) -> list[bool]:
    """Which layers use a sliding window (from the GGUF's pattern array, else llama.cpp's
    per-architecture pattern)."""
    if not _int(info.arch_value("attention.sliding_window")):
        return [False] * n_layers
    pattern = info.arch_value("attention.sliding_window_pattern")
    if isinstance(pattern, list) and pattern:
        return [bool(pattern[i % len(pattern)]) for i in range(n_layers)]
    every = SWA_PATTERN.get(info.architecture, _int(pattern))
    if every <= 1:
        return [True] * n_layers
    return [(il + 1) % every != 0 for il in range(n_layers)]


def kv_cache_bytes(info: GGUFInfo, n_ctx: int, swa_full: bool = True,
                   n_ubatch: int = 512) -> tuple[int, str]:
    """Bytes of KV cache (or recurrent state) and a short note on how it was counted."""
    n_layers = _layers(info)
    n_embd = _int(info.arch_value("embedding_length"))
    n_head = _int(info.arch_value("attention.head_count"), 1) or 1
    if n_layers <= 0:
        return 0, ""
    if info.architecture in RECURRENT:
        return n_layers * _recurrent_state(info, n_embd), ", fixed recurrent state"
    kv_lora = _int(info.arch_value("attention.kv_lora_rank"))
    if kv_lora:
        rope = _int(info.arch_value("rope.dimension_count"), 64)
        return n_layers * n_ctx * (kv_lora + rope) * KV_BYTES, ", compressed (MLA)"
    heads_kv = _per_layer(info.arch_value("attention.head_count_kv"), n_layers, n_head)
    k_len = _int(info.arch_value("attention.key_length"), n_embd // n_head)
    v_len = _int(info.arch_value("attention.value_length"), n_embd // n_head)
    swa = swa_layers(info, n_layers)
    window = _int(info.arch_value("attention.sliding_window"))
    swa_cells = min(n_ctx, -(-(window + n_ubatch) // 256) * 256) if window else n_ctx
    total = 0
    recurrent = 0
    for il in range(n_layers):
        if heads_kv[il] == 0:
            recurrent += _recurrent_state(info, n_embd)
            continue
        cells = n_ctx if (swa_full or not swa[il]) else swa_cells
        total += cells * heads_kv[il] * (k_len + v_len) * KV_BYTES
    note = ""
    if any(swa) and not swa_full:
        note = f", sliding window of {window} tokens on {sum(swa)} layers"
    if recurrent:
        note += ", plus recurrent state"
    return total + recurrent, note


def _recurrent_state(info: GGUFInfo, n_embd: int) -> int:
    """Mamba: (d_conv - 1) × d_inner + d_state × d_inner floats per layer; RWKV: about
    (head size + 2) × n_embd floats."""
    d_inner = _int(info.arch_value("ssm.inner_size"))
    if d_inner:
        d_conv = _int(info.arch_value("ssm.conv_kernel"), 4)
        d_state = _int(info.arch_value("ssm.state_size"), 16)
        return ((d_conv - 1) * d_inner + d_state * d_inner) * 4
    head = _int(info.arch_value("wkv.head_size"), 64)
    return (head + 2) * n_embd * 4


def overhead_bytes(info: GGUFInfo, n_ctx: int, flash_attn: bool = True) -> int:
    """Runtime, vocabulary tables and the resident part of the compute buffer (calibrated on
    the test models, see the module docstring)."""
    n_embd = _int(info.arch_value("embedding_length"))
    n_ff_raw = info.arch_value("feed_forward_length")
    n_ff = max(_per_layer(n_ff_raw, 1, 4 * n_embd)) if n_ff_raw is not None else 4 * n_embd
    n_head = _int(info.arch_value("attention.head_count"), 1) or 1
    k_len = _int(info.arch_value("attention.key_length"), n_embd // n_head)
    chunk = min(PROMPT_CHUNK, n_ctx)
    activations = chunk * 4 * (4 * n_embd + 3 * n_ff + 2 * n_head * k_len)
    n_layers = _layers(info)
    masks = 2 if n_layers > 0 and any(swa_layers(info, n_layers)) else 1
    attention = chunk * n_ctx * 4 * masks
    if not flash_attn:  # the KQ scores of the chunk against the whole context
        attention += chunk * n_ctx * n_head * 4
    return BASE_OVERHEAD + BYTES_PER_VOCAB * n_vocab(info) + activations + attention


def verdict_for(total: int, available: int) -> str:
    if available <= 0:
        return "tight"
    if total <= FITS_SHARE * available:
        return "fits"
    if total <= available:
        return "tight"
    return "won't fit"


def estimate_load_bytes(info: GGUFInfo, n_ctx: int, swa_full: bool = True,
                        flash_attn: bool = True) -> int:
    """Resident bytes of ``info`` loaded at ``n_ctx`` (capped at the model's trained context,
    as the engine does): weights, the KV cache at that context and working memory. What the
    engine's memory guard compares with the memory available before it loads."""
    return estimate_fit(info, n_ctx, MemoryInfo(0, 0), swa_full=swa_full,
                        flash_attn=flash_attn).total_bytes


def estimate_fit(info: GGUFInfo, n_ctx: int, memory: MemoryInfo | None = None,
                 swa_full: bool = True, flash_attn: bool = True) -> FitEstimate:
    """Estimate the resident memory of ``info`` loaded at ``n_ctx`` (capped at the model's
    trained context, as the engine does) and compare it with the memory available now."""
    if info.context_length:
        n_ctx = min(n_ctx, info.context_length)
    weights = info.tensor_bytes
    kv, note = kv_cache_bytes(info, n_ctx, swa_full=swa_full)
    overhead = overhead_bytes(info, n_ctx, flash_attn=flash_attn)
    total = weights + kv + overhead
    mem = memory if memory is not None else MemoryInfo.current()
    available = mem.available_bytes if mem is not None else 0
    return FitEstimate(weights, kv, overhead, total, available, verdict_for(total, available),
                       n_ctx, note)


__all__ = ["FitEstimate", "MemoryInfo", "estimate_fit", "estimate_load_bytes", "kv_cache_bytes"]
