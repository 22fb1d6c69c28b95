"""Hyperparameters within llama.cpp's own limits, checked before llama.cpp reads them.

llama.cpp *asserts* some of its hyperparameters (``GGML_ASSERT``): a value out of range does not
raise an error, it aborts the whole process. These checks refuse such values with one sentence
naming the value. The limits are those of the llama.cpp in llama-cpp-python 0.3.36:

- ``src/llama-hparams.h``: ``LLAMA_MAX_LAYERS`` 512 and ``LLAMA_MAX_EXPERTS`` 1024 (the file says
  512 at older commits; this build aborts on 1025 experts and accepts 1024).
- ``src/llama-model.cpp``, ``load_hparams``: ``0 < block_count <= LLAMA_MAX_LAYERS``;
  ``nextn_predict_layers <= block_count``; ``expert_count <= LLAMA_MAX_EXPERTS``; the largest
  ``expert_used_count`` ``<= expert_count``; with experts, at least one used, fewer expert groups
  than experts, groups dividing the experts, ``0 < expert_group_used_count < groups``; without
  experts, none used and no groups; ``rope.scaling.type`` one of none/linear/yarn/longrope; the
  WavTokenizer posnet/convnext block counts ``<= block_count``.
- ``ggml/src/ggml-cpu/ops.cpp``: the norms assert ``eps >= 0.0f``, so a NaN or negative
  ``layer_norm_rms_epsilon`` loads fine and aborts at the first token.

Other bad values make llama.cpp throw (a load error, not a crash): a zero embedding length,
zero or non-dividing head counts, per-layer arrays of the wrong length, a vocabulary that does
not match ``token_embd``. They are refused here too, because a sentence naming the value says
more than "failed to load". Anything these checks miss is caught by the test load in a child
process (``models.probe``).
"""

from __future__ import annotations

import math
from typing import Any

from desktopchat.models.gguf import GGUFError, GGUFInfo

LLAMA_MAX_LAYERS = 512
LLAMA_MAX_EXPERTS = 1024
ROPE_SCALING_TYPES = frozenset({"none", "linear", "yarn", "longrope"})
# No model is wider than a few tens of thousands (embedding, feed-forward, head size) or has
# more than a few hundred heads; larger values are hostile ones (they only make llama.cpp fail
# to load, but they also feed the memory estimate and the test load's memory cap).
MAX_EMBEDDING = 1 << 18
MAX_HEADS = 1 << 14
WIDTHS = (("feed_forward_length", "feed-forward length"), ("attention.key_length", "key length"),
          ("attention.value_length", "value length"), ("rope.dimension_count", "RoPE dimensions"),
          ("expert_feed_forward_length", "expert feed-forward length"))
# llama-cpp-python reads the trained context as a signed 32-bit number (2^31 and above come
# back negative and fail); no model is trained on more than ~10M tokens, or on fewer than 64
# (the engine caps its context at the trained one: a context of 1 fails at the first reply).
MAX_CONTEXT = 1 << 27
MIN_CONTEXT = 64
# Architectures without attention heads (their head counts are 0 or absent).
RECURRENT = frozenset({"mamba", "mamba2", "rwkv6", "rwkv6qwen2", "rwkv7", "arwkv7"})
# load_hparams treats these as dense (no experts, none used) when they claim at most one expert.
DENSE_WHEN_ONE_EXPERT = frozenset({"hunyuan-dense", "hunyuan_vl"})
PER_LAYER = ("attention.head_count", "attention.head_count_kv", "feed_forward_length",
             "expert_used_count")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _count(info: GGUFInfo, key: str, what: str) -> int | None:
    """An integer hyperparameter (``None`` when absent); a string, float or array is refused."""
    value = info.arch_value(key)
    if value is None:
        return None
    if not _is_int(value) or value < 0:
        raise GGUFError(f"its {what} ({info.architecture}.{key}) is {_show(value)}, "
                        "not a whole number")
    return int(value)


def _values(info: GGUFInfo, key: str, n_layer: int | None) -> list[int] | None:
    """A per-layer integer hyperparameter: a scalar, or an array with one value per layer."""
    value = info.arch_value(key)
    if value is None:
        return None
    name = f"{info.architecture}.{key}"
    length = getattr(value, "length", None)
    if length is not None or isinstance(value, list):
        n = length if length is not None else len(value)
        if n_layer is not None and n != n_layer:
            raise GGUFError(f"its {name} lists {n} values for {n_layer} layers")
        if length is not None:  # too long to keep: already refused by the length check
            return None
        if not all(_is_int(v) and v >= 0 for v in value):
            raise GGUFError(f"its {name} holds values that are not whole numbers")
        return [int(v) for v in value]
    if not _is_int(value) or value < 0:
        raise GGUFError(f"its {name} is {_show(value)}, not a whole number")
    return [int(value)]


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def check_hparams(info: GGUFInfo) -> None:
    """Raise ``GGUFError`` (one sentence naming the value) for hyperparameters that llama.cpp
    would abort on, or that no real model has. Keys that are absent are left to llama.cpp,
    which reports a missing required key as a load error."""
    arch = info.architecture
    n_layer = _check_layers(info)
    _check_embedding_and_context(info)
    _check_heads(info, n_layer)
    _check_experts(info, n_layer)
    _check_floats(info)
    rope = info.arch_value("rope.scaling.type")
    if rope is not None and rope not in ROPE_SCALING_TYPES:
        raise GGUFError(f"its RoPE scaling type ({arch}.rope.scaling.type) is {_show(rope)}, "
                        "which llama.cpp does not know")
    _check_vocabulary(info)


def _check_layers(info: GGUFInfo) -> int | None:
    n_layer = _count(info, "block_count", "layer count")
    if n_layer is not None and not 0 < n_layer <= LLAMA_MAX_LAYERS:
        raise GGUFError(f"it claims {n_layer} layers ({info.architecture}.block_count); "
                        f"llama.cpp supports 1 to {LLAMA_MAX_LAYERS}")
    for key, what in (("nextn_predict_layers", "prediction layers"),
                      ("posnet.block_count", "posnet layers"),
                      ("convnext.block_count", "convnext layers")):
        n = _count(info, key, f"number of {what}")
        if n and (n_layer is None or n > n_layer):
            raise GGUFError(f"it claims {n} {what} ({info.architecture}.{key}) but "
                            f"{n_layer or 'no'} layers in all")
    return n_layer


def _check_embedding_and_context(info: GGUFInfo) -> None:
    arch = info.architecture
    n_embd = _count(info, "embedding_length", "embedding length")
    if n_embd is not None and not 0 < n_embd <= MAX_EMBEDDING:
        raise GGUFError(f"its embedding length ({arch}.embedding_length) is {n_embd}, "
                        f"outside 1 to {MAX_EMBEDDING}")
    for key, what in WIDTHS:
        width = max(_values(info, key, None) or [0])
        if width > MAX_EMBEDDING:
            raise GGUFError(f"its {what} ({arch}.{key}) is {width}, more than any model has")
    n_ctx = _count(info, "context_length", "context length")
    if n_ctx is not None and not MIN_CONTEXT <= n_ctx <= MAX_CONTEXT:
        raise GGUFError(f"its trained context length ({arch}.context_length) is {n_ctx}, "
                        f"outside {MIN_CONTEXT} to {MAX_CONTEXT}")


def _check_heads(info: GGUFInfo, n_layer: int | None) -> None:
    arch = info.architecture
    per_layer = {key: _values(info, key, n_layer) for key in PER_LAYER}
    heads = per_layer["attention.head_count"]
    heads_kv = per_layer["attention.head_count_kv"]
    if heads is None or arch in RECURRENT:
        return
    if not any(heads):
        raise GGUFError(f"it has no attention heads ({arch}.attention.head_count is 0)")
    if max(heads + (heads_kv or [])) > MAX_HEADS:
        raise GGUFError(f"it claims {max(heads + (heads_kv or []))} attention heads "
                        f"({arch}.attention.head_count), more than any model has")
    n_embd = _count(info, "embedding_length", "embedding length")
    first = next(h for h in heads if h)
    if n_embd and info.arch_value("attention.key_length") is None and n_embd % first:
        raise GGUFError(f"its {first} attention heads ({arch}.attention.head_count) do not "
                        f"divide its embedding length of {n_embd}")
    if heads_kv is None:
        return
    for il in range(max(len(heads), len(heads_kv))):
        h = heads[il if len(heads) > 1 else 0]
        kv = heads_kv[il if len(heads_kv) > 1 else 0]
        if h and kv and h % kv:
            raise GGUFError(f"its {kv} key/value heads ({arch}.attention.head_count_kv) do not "
                            f"divide its {h} attention heads")
        if h and not kv and len(heads_kv) == 1:
            raise GGUFError(f"it has no key/value heads ({arch}.attention.head_count_kv is 0)")


def _check_experts(info: GGUFInfo, n_layer: int | None) -> None:
    arch = info.architecture
    n_expert = _count(info, "expert_count", "expert count") or 0
    used = max(_values(info, "expert_used_count", n_layer) or [0])
    groups = _count(info, "expert_group_count", "expert group count") or 0
    groups_used = _count(info, "expert_group_used_count", "used expert group count") or 0
    if arch in DENSE_WHEN_ONE_EXPERT and n_expert <= 1:
        return  # llama.cpp resets both counts to 0 for these
    if n_expert > LLAMA_MAX_EXPERTS:
        raise GGUFError(f"it claims {n_expert} experts ({arch}.expert_count); llama.cpp supports "
                        f"at most {LLAMA_MAX_EXPERTS}")
    if used > n_expert:
        raise GGUFError(f"it uses {used} experts per token ({arch}.expert_used_count) but has "
                        f"{n_expert or 'no'} experts")
    if not n_expert:
        if groups:
            raise GGUFError(f"it has {groups} expert groups ({arch}.expert_group_count) "
                            "but no experts")
        return
    if not used:
        raise GGUFError(f"it has {n_expert} experts ({arch}.expert_count) but uses none of them")
    if groups >= n_expert:
        raise GGUFError(f"it has {groups} expert groups ({arch}.expert_group_count) for only "
                        f"{n_expert} experts")
    if groups > 1 and (n_expert % groups or not 0 < groups_used < groups):
        raise GGUFError(f"its expert groups ({groups} groups, {groups_used} used, {n_expert} "
                        "experts) are inconsistent")


def _check_floats(info: GGUFInfo) -> None:
    """Every float hyperparameter is finite, and every norm epsilon is positive."""
    prefix = f"{info.architecture}."
    for key, value in info.metadata.items():
        if not key.startswith(prefix):
            continue
        values = value if isinstance(value, list) else [value]
        for v in values:
            if not isinstance(v, float):
                continue
            shown = f"{v:.7g}"  # float32 values, without float64's noise digits
            if key.endswith("epsilon") and not (math.isfinite(v) and v > 0):
                raise GGUFError(f"its norm epsilon ({key}) is {shown}; it must be a finite "
                                "number above 0")
            if not math.isfinite(v):
                raise GGUFError(f"its {key} is {shown}, not a finite number")


def _check_vocabulary(info: GGUFInfo) -> None:
    """The vocabulary and the token embedding agree (llama.cpp refuses a mismatch at load)."""
    tokens = info.metadata.get("tokenizer.ggml.tokens")
    n_vocab = getattr(tokens, "length", None)
    if n_vocab is None and isinstance(tokens, list):
        n_vocab = len(tokens)
    if not n_vocab:
        return
    embd = next((t for t in info.tensors if t.name == "token_embd.weight"), None)
    if embd is not None and len(embd.shape) >= 2 and embd.shape[1] != n_vocab:
        raise GGUFError(f"its vocabulary has {n_vocab} tokens but its token embedding has "
                        f"{embd.shape[1]} rows")
