"""The hostile file generator (tests/support/hostile.py): 1,000 seeded, reproducible cases in
reasonable time and disk; every file is either refused by the Python checks with one sentence
or readable; and a sample goes through the test load in a child process, which refuses or
passes each without this process ever crashing or waiting past the timeout."""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from pathlib import Path

import pytest

from desktopchat.models.gguf import GGUFError, validate_model_file
from desktopchat.models.probe import check_model
from tests.support.hostile import ASSERTED, LOADED, REJECTED, TEMPLATES, generate


def _digest(path: Path) -> str:
    if path.is_symlink() or not path.is_file():
        return f"special:{path.name}"
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(autouse=True)
def quiet_gguf_writer():
    logging.getLogger("gguf").setLevel(logging.WARNING)


def test_a_thousand_cases_every_one_refused_in_a_sentence_or_readable(tmp_path):
    cases = generate(tmp_path / "h", 1000, seed=11, base_models=[])
    assert len(cases) >= 1000 and len({c.path for c in cases}) == len(cases)
    kinds = Counter(c.kind for c in cases)
    for fixed in [*ASSERTED, *TEMPLATES, "fifo", "symlink-to-fifo", "device", "folder",
                  "control"]:
        assert kinds[fixed] >= 1, fixed
    assert len(kinds) >= 35
    outcomes = Counter()
    for case in cases:
        try:
            validate_model_file(case.path)
            outcomes["readable"] += 1
            assert case.expected != REJECTED or case.kind.startswith("template"), case
        except GGUFError as exc:
            outcomes["refused"] += 1
            assert "\n" not in str(exc) and str(exc), case
            assert case.expected != LOADED, (case, str(exc))
    assert outcomes["refused"] > 300 and outcomes["readable"] > 200, outcomes
    used = sum(p.stat().st_size for p in (tmp_path / "h").rglob("*")
               if p.is_file() and not p.is_symlink())
    assert used < 1_000_000_000


def test_the_same_seed_gives_the_same_files(tmp_path):
    one = generate(tmp_path / "a", 80, seed=5, base_models=[])
    two = generate(tmp_path / "b", 80, seed=5, base_models=[])
    other = generate(tmp_path / "c", 80, seed=6, base_models=[])
    assert [(c.kind, c.note, _digest(c.path)) for c in one] == \
        [(c.kind, c.note, _digest(c.path)) for c in two]
    assert [c.note for c in one] != [c.note for c in other]


@pytest.mark.realmodel
def test_a_sample_through_the_test_load(tmp_path, smollm2_path):
    """Fixed classes that pass the Python checks (templates, controls) and readable mutations,
    on the tiny model and on SmolLM2: each gets a verdict; none crashes this process."""
    cases = generate(tmp_path / "h", 60, seed=2, base_models=[smollm2_path], real_cases=2)
    readable = []
    for case in cases:
        try:
            validate_model_file(case.path)
        except GGUFError:
            continue
        readable.append(case)
    real = [c for c in readable if c.base == smollm2_path.name]
    assert real
    sample = [c for c in readable if c.expected is not None][:10] + \
        [c for c in readable if c.expected is None and c not in real][:6] + real[:2]
    for case in sample:
        verdict = check_model(case.path, cache_dir=tmp_path / "cache", timeout_s=30)
        assert verdict.sentence or verdict.ok, case
        if case.expected == LOADED:
            assert verdict.ok, (case, verdict.detail)
        if case.expected == REJECTED:
            assert not verdict.ok and verdict.sentence.startswith(
                ("This model file", "This model's chat template")), \
                (case, verdict.detail)
