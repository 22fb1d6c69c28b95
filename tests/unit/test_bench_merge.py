"""A partial benchmark run (``run.py --only synthetic-1.5B --merge``) keeps the other models'
figures and notes from the last full run and says which run each figure comes from."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # benchmarks/ is not installed

from benchmarks import results
from benchmarks.results import Figure


def _doc(date, figs):
    return {"date": date, "machine": results.machine(), "threads": 2, "n_ctx": 8192,
            "figures": [f.as_json() for f in figs]}


def test_a_partial_run_replaces_only_its_models_figures(tmp_path):
    smol = Figure("decode", "SmolLM2-135M", 180.0, "tok/s", "llama-bench tg", 200.0, 0.9,
                  ">= 0.85", True, figure="1")
    old_syn = Figure("decode", "synthetic-1.5B", 5.0, "tok/s", "llama-bench tg", 6.0, 0.83,
                     ">= 0.97", False, figure="1")
    results.write(tmp_path, _doc("2026-11-01T00:00:00+00:00", [smol, old_syn]),
                  ["a full run took 27 minutes", "GPU: none"])
    new_syn = Figure("decode", "synthetic-1.5B", 5.9, "tok/s", "llama-bench tg", 6.0, 0.98,
                     ">= 0.97", True, figure="1")
    doc, notes = results.merge_previous(tmp_path, _doc("2026-11-30T00:00:00+00:00", [new_syn]),
                                        ["GPU: none again"])
    results.write(tmp_path, doc, notes)
    saved = json.loads((tmp_path / "results.json").read_text())
    assert [(f["model"], f["value"]) for f in saved["figures"]] == [
        ("SmolLM2-135M", 180.0), ("synthetic-1.5B", 5.9)]
    md = (tmp_path / "RESULTS.md").read_text()
    assert "a full run took 27 minutes" in md and "GPU: none again" in md
    assert "GPU: none\n" not in md  # the old run's GPU line is replaced, not repeated
    assert ("Partial run: synthetic-1.5B measured 2026-11-30T00:00:00+00:00; the other figures "
            "come from the run of 2026-11-01T00:00:00+00:00.") in md


def test_a_run_of_some_figures_replaces_only_those(tmp_path):
    """``run.py --figure "stop during prefill" --merge``: the model's other figures stay."""
    decode = Figure("decode", "SmolLM2-135M", 180.0, "tok/s", "llama-bench tg", 200.0, 0.9,
                    ">= 0.85", True, figure="1")
    stop = Figure("stop during prefill, max of 20", "SmolLM2-135M", 300.0, "ms", "", None, None,
                  "<= 100", False, figure="6")
    results.write(tmp_path, _doc("2026-11-01T00:00:00+00:00", [decode, stop]), [])
    new_stop = Figure("stop during prefill, max of 20", "SmolLM2-135M", 40.0, "ms", "", None,
                      None, "<= 100", True, figure="6")
    doc, notes = results.merge_previous(tmp_path, _doc("2026-11-30T00:00:00+00:00", [new_stop]),
                                        [], by_figure=True)
    results.write(tmp_path, doc, notes)
    saved = json.loads((tmp_path / "results.json").read_text())
    assert [(f["name"], f["value"]) for f in saved["figures"]] == [
        ("decode", 180.0), ("stop during prefill, max of 20", 40.0)]
    md = (tmp_path / "RESULTS.md").read_text()
    assert ("Partial run: the figures stop during prefill, max of 20 (SmolLM2-135M) measured "
            "2026-11-30T00:00:00+00:00") in md
