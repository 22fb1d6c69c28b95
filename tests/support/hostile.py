"""Hostile GGUF files for the reliability suite: seeded, reproducible, generated on demand.

``generate(out_dir, n, seed, base_models)`` writes ``n`` files (or a few more: every fixed
class is always there) and returns what each one is:

- **fixed classes**: every class from the reliability issue: hyperparameters llama.cpp asserts
  (``block_count`` 0 / 513 / 2^32-1, ``embedding_length`` 0, experts used without experts, too
  many experts, NaN and negative norm epsilons), chat-template bombs (a 3x10^8-character
  string, 10^10 copies, nested ``range(100000)`` loops, a 65k-token prompt, code-execution
  payloads), a FIFO named ``x.gguf`` and a symlink to one, a folder, a device, a dangling link,
  an empty and a text file, and unchanged controls;
- **mutations**: flipped header bytes; counts, lengths, types, dimensions and offsets set to
  extremes; truncations at random points; hyperparameters replaced by extreme integers,
  NaN/inf and other floats, values of the wrong type; huge and deeply nested arrays; long
  strings; hostile tokenizers and templates; dropped keys.

Most files mutate a tiny synthetic llama (a few hundred kB that llama.cpp loads and runs);
``real_cases`` of them mutate a copy of a real model (``base_models``), so that the real
tensors and tokenizers are exercised too. 1,000 cases take 1-4 minutes here and ~1.5 GB with
SmolLM2 and Gemma as bases (~300 MB of it the tiny cases; the rest is eight real copies). Keep
the generator, not the files.
"""

from __future__ import annotations

import math
import os
import random
import shutil
import struct
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.support.gguf_layout import Layout, scan
from tests.support.models import copy_prefix, copy_with_metadata, write_llama

REJECTED, LOADED = "rejected", "loaded"


@dataclass(frozen=True)
class HostileCase:
    """One generated file. ``expected``: ``"rejected"`` (import or the test load must refuse it
    with a reason), ``"loaded"`` (it must load and answer), or None (either, but never a crash
    of the app's process and never a hang)."""

    path: Path
    kind: str
    base: str
    expected: str | None
    note: str = ""


A = "llama."
ASSERTED = {  # the reliability issue, point 1: llama.cpp aborts on each
    "block_count-0": {A + "block_count": 0},
    "block_count-513": {A + "block_count": 513},
    "block_count-2^32-1": {A + "block_count": 2**32 - 1},
    "embedding_length-0": {A + "embedding_length": 0},
    "expert_used-without-experts": {A + "expert_used_count": 2},
    "expert_count-1025": {A + "expert_count": 1025, A + "expert_used_count": 2},
    "rms_epsilon-nan": {A + "attention.layer_norm_rms_epsilon": math.nan},
    "rms_epsilon-negative": {A + "attention.layer_norm_rms_epsilon": -1e-5},
}
TEMPLATES = {  # point 2, and the sandbox's classics
    "template-string-3e8": "{{ 'x' * 300000000 }}",
    "template-10^10-copies": "{{ 'x' * 10**10 }}",
    "template-nested-loops": ("{% for i in range(100000) %}{% for j in range(100000) %}"
                              "{% endfor %}{% endfor %}"),
    "template-65k-token-prompt": "{{ 'hello ' * 65000 }}{{ messages[0]['content'] }}",
    "template-subclasses": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "template-globals-os": "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "template-raise": "{{ raise_exception('no') }}",
    "template-unclosed": "{% for m in messages %}{{ m.content }",
}
EXTREME_INTS = [0, 1, 2, 3, 7, 31, 32, 255, 256, 511, 512, 513, 1023, 1024, 1025, 65535, 65536,
                2**31 - 1, 2**31, 2**32 - 1, 2**32, 2**53, 2**63 - 1, 2**63, 2**64 - 1]
EXTREME_FLOATS = [math.nan, math.inf, -math.inf, 0.0, -0.0, -1.0, 1e-45, 1e38, -1e38, 1.0]
HPARAM_INTS = ["block_count", "embedding_length", "context_length", "feed_forward_length",
               "attention.head_count", "attention.head_count_kv", "rope.dimension_count",
               "expert_count", "expert_used_count", "attention.key_length",
               "attention.value_length", "vocab_size", "nextn_predict_layers",
               "attention.sliding_window", "expert_group_count"]
HPARAM_FLOATS = ["attention.layer_norm_rms_epsilon", "attention.layer_norm_epsilon",
                 "rope.freq_base", "rope.scaling.factor", "logit_scale",
                 "attn_logit_softcapping", "final_logit_softcapping", "attention.scale"]
BYTE_OPS = ["flip", "count", "length", "type", "array_count", "dims", "offset", "version",
            "value", "truncate"]
META_OPS = ["hparam_int", "hparam_float", "wrong_type", "deep_nesting", "long_string",
            "template", "tokenizer", "drop_key", "huge_array"]
META_WEIGHTS = [6, 5, 4, 2, 1, 2, 4, 3, 0.3]


def generate(out_dir: Path, n: int, seed: int, base_models: Sequence[Path],
             real_cases: int | None = None) -> list[HostileCase]:
    """Write at least ``n`` hostile files under ``out_dir``; the same ``seed`` and bases give
    the same files. ``real_cases`` (default: a hundredth of ``n``, at most 6, at least 1 when
    a base is given) of the mutations work on full copies of ``base_models``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    bases_dir = out_dir / "_bases"
    bases_dir.mkdir(exist_ok=True)
    tiny = _base(bases_dir / "tiny-f32.gguf", weight_type="F32")
    tiny_q8 = _base(bases_dir / "tiny-q8.gguf", weight_type="Q8_0", n_vocab=400, n_layer=3)
    cases = _fixed_cases(out_dir / "fixed", tiny, list(base_models))
    rng = random.Random(seed)
    left = max(0, n - len(cases))
    if real_cases is None:
        real_cases = min(6, max(1, n // 100)) if base_models else 0
    real_slots = set(rng.sample(range(left), min(real_cases, left))) if base_models else set()
    mutated = out_dir / "mutated"
    mutated.mkdir(exist_ok=True)
    layouts: dict[Path, Layout] = {}
    for i in range(left):
        if i in real_slots:
            base = base_models[rng.randrange(len(base_models))]
        else:
            base = tiny if rng.random() < 0.7 else tiny_q8
        layout = layouts.setdefault(base, scan(base))
        cases.append(_mutate(mutated, i, base, layout, rng))
    return cases


def _base(path: Path, **kwargs: Any) -> Path:
    if not path.exists():
        write_llama(path, seed=0, **kwargs)
    return path


# -- fixed classes ---------------------------------------------------------------------------


def _fixed_cases(d: Path, tiny: Path, real: list[Path]) -> list[HostileCase]:
    d.mkdir(exist_ok=True)
    cases: list[HostileCase] = []

    def add(name: str, path: Path, base: str, expected: str | None, note: str = "") -> None:
        cases.append(HostileCase(path, name, base, expected, note))

    shutil.copyfile(tiny, d / "control-tiny.gguf")
    add("control", d / "control-tiny.gguf", "tiny", LOADED)
    for name, meta in ASSERTED.items():
        add(name, copy_with_metadata(tiny, d / f"{name}.gguf", meta), "tiny", REJECTED,
            repr(meta))
    for base in real:  # loads fine and aborts at the first token: on the real weights too
        name = "rms_epsilon-nan"
        out = copy_with_metadata(base, d / f"{name}-{base.stem}.gguf", ASSERTED[name])
        add(name, out, base.name, REJECTED, repr(ASSERTED[name]))
    for name, template in TEMPLATES.items():
        path = write_llama(d / f"{name}.gguf", seed=0, chat_template=template)
        add(name, path, "tiny", REJECTED, template)
    if sys.platform != "win32":
        fifo = d / "x.gguf"
        if not fifo.exists():
            os.mkfifo(fifo)
        add("fifo", fifo, "", REJECTED)
        _link(d / "link-to-fifo.gguf", fifo)
        add("symlink-to-fifo", d / "link-to-fifo.gguf", "", REJECTED)
        _link(d / "device.gguf", Path("/dev/zero"))
        add("device", d / "device.gguf", "", REJECTED)
        _link(d / "dangling.gguf", d / "nowhere.gguf")
        add("dangling-symlink", d / "dangling.gguf", "", REJECTED)
    (d / "folder.gguf").mkdir(exist_ok=True)
    add("folder", d / "folder.gguf", "", REJECTED)
    (d / "empty.gguf").write_bytes(b"")
    add("empty", d / "empty.gguf", "", REJECTED)
    (d / "text.gguf").write_text("This is not a model, it is a note.\n" * 100)
    add("text", d / "text.gguf", "", REJECTED)
    return cases


def _link(link: Path, target: Path) -> None:
    if link.is_symlink():
        link.unlink()
    link.symlink_to(target)


# -- mutations -------------------------------------------------------------------------------


def _mutate(d: Path, i: int, base: Path, layout: Layout, rng: random.Random) -> HostileCase:
    if rng.random() < 0.55:
        op = rng.choice(BYTE_OPS)
        out = d / f"{i:05d}-{op}.gguf"
        note, expected = _byte_mutation(op, base, layout, out, rng)
    else:
        op = rng.choices(META_OPS, META_WEIGHTS)[0]
        out = d / f"{i:05d}-{op}.gguf"
        note, expected = _meta_mutation(op, base, out, rng)
    return HostileCase(out, op, base.name, expected, note)


def _extreme(rng: random.Random, width: int, original: int | None = None) -> int:
    choices = list(EXTREME_INTS)
    if original is not None:
        choices += [original + 1, max(0, original - 1), original * 2, original // 2]
    return rng.choice(choices) % (1 << (8 * width))


def _byte_mutation(op: str, base: Path, lay: Layout, out: Path,
                   rng: random.Random) -> tuple[str, str | None]:
    size = base.stat().st_size
    if op == "truncate":
        cut = rng.randrange(0, size) if rng.random() < 0.5 else rng.randrange(0, lay.data_offset)
        copy_prefix(base, out, cut)
        return f"cut at {cut} of {size}", REJECTED if cut < lay.header_end else None
    patches: list[tuple[int, bytes]] = []
    if op == "flip":
        for _ in range(rng.randint(1, 8)):
            at = rng.randrange(0, lay.header_end)
            patches.append((at, bytes([rng.randrange(1, 256)])))  # XOR mask below
        note = f"xor bytes at {[p[0] for p in patches]}"
    elif op == "version":
        value = rng.choice([0, 1, 4, 5, 2**31, 2**32 - 1])
        patches.append((lay.version_at, struct.pack("<I", value)))
        note = f"version {value}"
    elif op == "value":
        key = rng.choice(sorted(lay.value_at))
        at, vtype = lay.value_at[key]
        width = {0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8}[vtype]
        if vtype in (6, 12):
            v = rng.choice(EXTREME_FLOATS)
            raw = struct.pack("<f" if vtype == 6 else "<d", v)
        else:
            v = _extreme(rng, width)
            raw = v.to_bytes(width, "little")
        patches.append((at, raw))
        note = f"{key} = {v!r}"
    else:
        kinds = {"count": ("n_tensors", "n_kv"),
                 "length": ("key_length", "string_length", "tensor_name_length",
                            "array_string_length"),
                 "type": ("value_type", "array_type", "tensor_type"),
                 "array_count": ("array_count",), "dims": ("n_dims", "dim"),
                 "offset": ("tensor_offset",)}[op]
        fields = [f for f in lay.fields if f.kind in kinds]
        field = rng.choice(fields)
        with base.open("rb") as f:
            f.seek(field.offset)
            original = int.from_bytes(f.read(field.width), "little")
        if field.kind in ("value_type", "array_type", "tensor_type") and rng.random() < 0.7:
            value = rng.randrange(0, 48)
        else:
            value = _extreme(rng, field.width, original)
        patches.append((field.offset, value.to_bytes(field.width, "little")))
        note = f"{field.kind} of {field.owner or 'the header'}: {original} -> {value}"
    shutil.copyfile(base, out)
    with out.open("r+b") as f:
        for at, raw in patches:
            f.seek(at)
            if op == "flip":
                old = f.read(1)
                f.seek(at)
                raw = bytes([old[0] ^ raw[0]])
            f.write(raw)
    return note, None


def _meta_mutation(op: str, base: Path, out: Path,
                   rng: random.Random) -> tuple[str, str | None]:
    import gguf

    T = gguf.GGUFValueType
    changes: dict[str, Any] = {}
    types: dict[str, Any] = {}
    drop: list[str] = []
    expected: str | None = None
    if op == "hparam_int":
        key = A + rng.choice(HPARAM_INTS)
        value = rng.choice(EXTREME_INTS)
        changes[key] = value
        types[key] = T.UINT64 if value >= 2**32 else T.UINT32
    elif op == "hparam_float":
        key = A + rng.choice(HPARAM_FLOATS)
        changes[key] = rng.choice(EXTREME_FLOATS)
        types[key] = T.FLOAT32
        if key.endswith("epsilon") and not (changes[key] > 0 and math.isfinite(changes[key])):
            expected = REJECTED
    elif op == "wrong_type":
        key = A + rng.choice(HPARAM_INTS + HPARAM_FLOATS)
        value, vtype = rng.choice([("12", T.STRING), (1.5, T.FLOAT32), (True, T.BOOL),
                                   ([1, 2, 3], (T.ARRAY, T.UINT32)), (-3, T.INT32),
                                   (7, T.UINT8), (2**40, T.INT64), (1.0, T.FLOAT64)])
        changes[key], types[key] = value, vtype
    elif op == "deep_nesting":
        depth = rng.randint(3, 64)
        value: Any = [1]
        for _ in range(depth):
            value = [value]
        changes[f"general.nested{depth}"] = value
        expected = REJECTED  # the reader allows two levels
    elif op == "long_string":
        n = rng.choice([1 << 16, 1 << 20, 16 << 20])
        key = rng.choice(["tokenizer.chat_template", "general.name", "x" * 1000])
        changes[key] = "{{ messages[0]['content'] }}" + "a" * n
    elif op == "template":
        changes["tokenizer.chat_template"] = rng.choice(list(TEMPLATES.values()))
        expected = REJECTED
    elif op == "tokenizer":
        key, value, vtype = rng.choice([
            ("tokenizer.ggml.model", "bogus", T.STRING),
            ("tokenizer.ggml.pre", "bogus", T.STRING),
            ("tokenizer.ggml.bos_token_id", 2**31, T.UINT32),
            ("tokenizer.ggml.eos_token_id", 2**32 - 1, T.UINT32),
            ("tokenizer.ggml.token_type", [9] * 10, (T.ARRAY, T.INT32)),
            ("tokenizer.ggml.merges", ["a"], (T.ARRAY, T.STRING)),
            ("tokenizer.ggml.merges", [1, 2], (T.ARRAY, T.INT32)),
            ("tokenizer.ggml.tokens", ["a"], (T.ARRAY, T.STRING)),
            ("tokenizer.ggml.scores", [math.nan] * 5, (T.ARRAY, T.FLOAT32)),
        ])
        changes[key], types[key] = value, vtype
    elif op == "drop_key":
        drop.append(rng.choice([A + "block_count", A + "embedding_length",
                                A + "context_length", A + "attention.head_count",
                                "tokenizer.ggml.tokens", "tokenizer.ggml.merges",
                                "tokenizer.ggml.model", "tokenizer.chat_template"]))
    elif op == "huge_array":
        n = rng.choice([1 << 20, 5 << 20])
        changes["general.huge"] = bytes(n)  # an array of n uint8s
        types["general.huge"] = (T.ARRAY, T.UINT8)
    copy_with_metadata(base, out, changes, drop=drop, types=types)
    shown = {k: (v if not isinstance(v, (str, bytes, list)) or len(v) < 40 else
                 f"<{type(v).__name__} of {len(v)}>") for k, v in changes.items()}
    return f"set {shown} drop {drop}", expected


__all__: list[str] = ["HostileCase", "LOADED", "REJECTED", "generate"]
