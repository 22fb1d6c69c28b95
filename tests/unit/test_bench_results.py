"""The benchmark's results writer: the results.json schema and the RESULTS.md table (no timing)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # benchmarks/ is not installed

from benchmarks import results
from benchmarks.results import Figure


def _doc(figs):
    return {"date": "2026-11-29T00:00:00+00:00", "machine": results.machine(), "threads": 2,
            "n_ctx": 8192, "figures": [f.as_json() for f in figs]}


def test_writes_schema_and_table(tmp_path):
    figs = [
        Figure("decode / native tg", "SmolLM2-135M", 180.123456, "tok/s", "llama-bench tg",
               199.7, 0.9019, ">= 0.85", True, figure="1"),
        Figure("Stop, max of 20", "SmolLM2-135M", 210.0, "ms", "", None, None, "<= 150", False,
               "the machine was shared"),
    ]
    results.write(tmp_path, _doc(figs), ["shared machine"])
    doc = json.loads((tmp_path / "results.json").read_text())
    results.validate(doc)
    assert set(doc["machine"]) >= {"cpu", "cores", "memory"} and doc["threads"] == 2
    assert set(doc["figures"][0]) >= set(results.FIGURE_KEYS)
    assert doc["figures"][0]["value"] == 180.1235 and doc["figures"][1]["met"] is False
    md = (tmp_path / "RESULTS.md").read_text()
    assert "| 1 | decode / native tg | SmolLM2-135M | 180 | tok/s |" in md
    assert "**no**" in md and "the machine was shared" in md and "shared machine" in md


@pytest.mark.parametrize("broken", [
    {"figures": []},
    {"date": "d", "machine": {"cpu": "x", "cores": 2}, "threads": 2, "figures": []},
    {"date": "d", "machine": {"cpu": "x", "cores": 2, "memory": "1"}, "threads": 2,
     "figures": [{"name": "n"}]},
    {"date": "d", "machine": {"cpu": "x", "cores": 2, "memory": "1"}, "threads": 2,
     "figures": [dict.fromkeys(results.FIGURE_KEYS, None)]},
])
def test_rejects_documents_outside_the_schema(tmp_path, broken):
    with pytest.raises(ValueError):
        results.write(tmp_path, broken, [])
    assert not (tmp_path / "results.json").exists()


def test_committed_results_follow_the_schema():
    path = Path(results.__file__).parent / "results.json"
    assert path.is_file(), "benchmarks/results.json is committed with every full run"
    results.validate(json.loads(path.read_text()))
