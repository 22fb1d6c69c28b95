"""The fit estimate's arithmetic and badge on synthetic GGUF headers (the calibration against
real loads is tests/integration/test_fit_measured.py)."""

from __future__ import annotations

from pathlib import Path

import psutil
import pytest

from desktopchat.models import fit
from desktopchat.models.fit import (
    FitEstimate,
    MemoryInfo,
    estimate_fit,
    estimate_load_bytes,
    kv_cache_bytes,
)
from desktopchat.models.gguf import GGUFInfo, TensorInfo, read_gguf
from tests.support.models import make_gguf

GB = 10**9


def _info(arch: str, meta: dict, weights: int = 1000) -> GGUFInfo:
    md = {"general.architecture": arch}
    md.update({f"{arch}.{k}": v for k, v in meta.items()})
    return GGUFInfo(Path("x.gguf"), 3, weights + 100, md,
                    [TensorInfo("w", (weights // 4,), 0, 0, weights)])


def test_kv_cache_of_a_plain_gqa_model_from_a_real_header(tmp_path):
    p = tmp_path / "gqa.gguf"
    p.write_bytes(make_gguf({
        "general.architecture": "llama", "llama.block_count": 4, "llama.embedding_length": 256,
        "llama.attention.head_count": 8, "llama.attention.head_count_kv": 2,
        "llama.context_length": 4096,
    }, tensors=[("w", (32, 64), 0)]))
    info = read_gguf(p)
    kv, note = kv_cache_bytes(info, 1024)
    # 4 layers × 1024 cells × (2 heads × 32 + 2 heads × 32) × 2 bytes
    assert kv == 4 * 1024 * 128 * 2 and note == ""
    est = estimate_fit(info, 100_000, MemoryInfo(16 * GB, 8 * GB))
    assert est.n_ctx == 4096  # capped at the trained context, as the engine does
    assert est.weights_bytes == 32 * 64 * 4
    assert est.total_bytes == est.weights_bytes + est.kv_cache_bytes + est.overhead_bytes


def test_per_layer_kv_heads_and_explicit_key_value_lengths():
    info = _info("openelm", {"block_count": 3, "embedding_length": 512,
                             "attention.head_count": [4, 8, 16],
                             "attention.head_count_kv": [1, 2, 4],
                             "attention.key_length": 64, "attention.value_length": 32})
    kv, _ = kv_cache_bytes(info, 100)
    assert kv == 100 * (1 + 2 + 4) * (64 + 32) * 2


def test_sliding_window_layers_follow_swa_full():
    info = _info("gemma3", {"block_count": 12, "embedding_length": 640,
                            "attention.head_count": 4, "attention.head_count_kv": 1,
                            "attention.key_length": 256, "attention.value_length": 256,
                            "attention.sliding_window": 512})
    per_cell = 1 * (256 + 256) * 2
    full, note = kv_cache_bytes(info, 8192)  # what this llama.cpp allocates by default
    assert full == 12 * 8192 * per_cell and note == ""
    windowed, note = kv_cache_bytes(info, 8192, swa_full=False)
    # Gemma 3: every 6th layer is global (2 of 12); the other 10 keep window + ubatch cells.
    assert windowed == 2 * 8192 * per_cell + 10 * 1024 * per_cell
    assert "sliding window of 512 tokens on 10 layers" in note


def test_mla_and_recurrent_models():
    mla = _info("deepseek2", {"block_count": 2, "embedding_length": 2048,
                              "attention.head_count": 16, "attention.kv_lora_rank": 512,
                              "rope.dimension_count": 64})
    assert kv_cache_bytes(mla, 1000)[0] == 2 * 1000 * 576 * 2
    mamba = _info("mamba", {"block_count": 2, "embedding_length": 768, "ssm.inner_size": 1536,
                            "ssm.conv_kernel": 4, "ssm.state_size": 16})
    state, note = kv_cache_bytes(mamba, 1000)
    assert state == kv_cache_bytes(mamba, 100_000)[0] == 2 * (3 * 1536 + 16 * 1536) * 4
    assert "recurrent" in note
    hybrid = _info("jamba", {"block_count": 2, "embedding_length": 64,
                             "attention.head_count": 4, "attention.head_count_kv": [0, 4],
                             "ssm.inner_size": 128, "ssm.conv_kernel": 4, "ssm.state_size": 16})
    assert kv_cache_bytes(hybrid, 10)[0] == 10 * 4 * 32 * 2 + (3 * 128 + 16 * 128) * 4


@pytest.mark.parametrize(("available", "verdict"), [
    (10 * GB, "fits"), (6 * GB, "tight"), (5 * GB, "tight"), (4 * GB, "won't fit"),
])
def test_badge_thresholds(available, verdict):
    info = _info("llama", {"block_count": 1, "embedding_length": 64, "attention.head_count": 1},
                 weights=5 * GB - 200 * 10**6)
    est = estimate_fit(info, 512, MemoryInfo(32 * GB, available))
    assert 4.8 * GB < est.total_bytes < 5 * GB
    assert est.verdict == verdict
    text = est.explain()
    assert "GB of weights" in text and "at a context of 512 tokens" in text
    words = {"fits": "room to spare", "tight": "only just", "won't fit": "won't fit"}
    assert words[verdict] in text


def test_unknown_memory_is_said_plainly():
    est = FitEstimate(1, 2, 3, 6, 0, fit.verdict_for(6, 0), 512)
    assert est.verdict == "tight" and "could not be read" in est.explain()


def test_memory_is_read_with_psutil_on_every_platform(monkeypatch):
    here = MemoryInfo.current()
    assert here is not None and 0 < here.available_bytes <= here.total_bytes
    vm = psutil.virtual_memory()
    assert here.total_bytes == vm.total
    assert abs(here.available_bytes - vm.available) < vm.total // 10  # read moments apart

    class FakeMemory:
        total, available = 16 * GB, 5 * GB

    monkeypatch.setattr(psutil, "virtual_memory", FakeMemory)
    assert MemoryInfo.current() == MemoryInfo(16 * GB, 5 * GB)


def test_memory_that_cannot_be_read_is_none(monkeypatch, caplog):
    def broken() -> None:
        raise OSError("no /proc here")

    monkeypatch.setattr(psutil, "virtual_memory", broken)
    assert MemoryInfo.current() is None
    assert "could not read this machine's memory" in caplog.text


def test_estimate_load_bytes_includes_the_kv_cache_at_the_requested_context():
    info = _info("llama", {"block_count": 4, "embedding_length": 256, "attention.head_count": 8,
                           "attention.head_count_kv": 2, "context_length": 4096},
                 weights=10**8)
    small, big = estimate_load_bytes(info, 512), estimate_load_bytes(info, 4096)
    assert small == estimate_fit(info, 512, MemoryInfo(1, 1)).total_bytes
    kv_growth = kv_cache_bytes(info, 4096)[0] - kv_cache_bytes(info, 512)[0]
    assert big - small >= kv_growth > 0
    assert estimate_load_bytes(info, 100_000) == big  # capped at the trained context


def test_the_engine_reads_available_memory_with_psutil(monkeypatch):
    from desktopchat.engine import native

    assert (native.available_memory() or 0) > 0

    class FakeMemory:
        available = 3 * GB

    monkeypatch.setattr(psutil, "virtual_memory", FakeMemory)
    assert native.available_memory() == 3 * GB


def test_a_hostile_layer_count_from_a_hub_prefix_stays_cheap():
    """Headers read from a Hub prefix are estimated before any validation: per-layer lists are
    built from at most llama.cpp's 512 layers, not from the 2^32-1 the header claims."""
    info = _info("gemma3", {"block_count": 2**32 - 1, "embedding_length": 64,
                            "attention.head_count": 1, "attention.sliding_window": 4})
    est = estimate_fit(info, 512, MemoryInfo(32 * GB, 16 * GB))
    assert est.kv_cache_bytes == 512 * kv_cache_bytes(
        _info("gemma3", {"block_count": 1, "embedding_length": 64, "attention.head_count": 1,
                         "attention.sliding_window": 4}), 512)[0]


def test_attention_scores_count_only_without_flash_attention():
    info = _info("llama", {"block_count": 2, "embedding_length": 256, "attention.head_count": 8})
    with_fa = fit.overhead_bytes(info, 4096)
    without = fit.overhead_bytes(info, 4096, flash_attn=False)
    assert without - with_fa == fit.PROMPT_CHUNK * 4096 * 8 * 4


def test_the_estimate_uses_the_engines_prompt_chunk() -> None:
    """The resident compute memory is that of one prompt chunk: fit mirrors the engine's size
    (the models package does not import the engine)."""
    from desktopchat.engine.prefill import PROMPT_CHUNK

    assert fit.PROMPT_CHUNK == PROMPT_CHUNK
