"""The test load's limits stay sane whatever a header claims (no child process is run here;
tests/integration/test_probe.py runs them)."""

from __future__ import annotations

import sys
from pathlib import Path

import psutil

from desktopchat.models import probe
from desktopchat.models.gguf import GGUFInfo, TensorInfo


def _info(**meta: int) -> GGUFInfo:
    md = {"general.architecture": "llama", **{f"llama.{k}": v for k, v in meta.items()}}
    return GGUFInfo(Path("m.gguf"), 3, 10**6, md, [TensorInfo("w", (1000,), 0, 0, 4000)])


def test_the_memory_cap_is_the_estimate_plus_room_and_never_more_than_the_machine():
    small = probe.default_memory_cap(_info(block_count=2, embedding_length=64,
                                           **{"attention.head_count": 4}))
    assert 512 * probe.MiB < small < 600 * probe.MiB
    absurd = probe.default_memory_cap(_info(block_count=2, embedding_length=64,
                                            feed_forward_length=2**62))
    assert absurd == psutil.virtual_memory().total


def test_the_address_space_cap_stays_mappable():
    info = _info(block_count=2, embedding_length=64)
    assert probe.address_space_for(info, 2**62) == probe.MAX_ADDRESS_SPACE
    assert probe.address_space_for(info, 600 * probe.MiB) < 4 * 2**30


def test_the_frozen_app_runs_itself_with_probe_model(monkeypatch, tmp_path):
    path = tmp_path / "m.gguf"
    cmd = probe.probe_command(path, 512, 2**30)
    assert cmd[:3] == [sys.executable, "-m", "desktopchat.engine.probe"]
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    cmd = probe.probe_command(path, 512, 2**30)
    assert cmd == [sys.executable, "--probe-model", str(path), "--n-ctx", "512",
                   "--address-space", str(2**30)]
