"""The reliability suite's network figures, with a handful of faults (the suite runs 50+)."""

from __future__ import annotations

from benchmarks.reliability_downloads import run


def test_downloads_hold_under_injected_faults(tmp_path):
    figures = run(8, tmp_path, seed=1)
    assert set(figures) >= {"download_faults", "corrupt_installs", "max_resent_bytes"}
    assert all(isinstance(v, int) for v in figures.values())
    assert figures["download_faults"] >= 8
    assert figures["corrupt_installs"] == 0
    # A drop, stall, server error or size lie costs at most the extra bytes a lying server
    # sends (64 kB here); every byte that arrived before the fault is kept.
    assert figures["max_resent_bytes_resumable"] <= 64 << 10
    assert figures["user_retries"] >= 1  # the flipped byte: deleted, then fetched again
