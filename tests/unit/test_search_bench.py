"""The search benchmark builds a history the app can open and search, and reports its figures
in the results schema (small size; the real figure is benchmarks/run.py's)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # benchmarks/ is not installed

from benchmarks import results, search_bench
from desktopchat.chat.search import search
from desktopchat.chat.store import ChatStore


def test_the_built_history_is_a_real_one(tmp_path):
    path = tmp_path / "h.sqlite3"
    built = search_bench.build(path, 30, 6)
    assert built["messages"] == 30 * 6 + 3  # plus a regenerated reply in every tenth chat
    store = ChatStore(path)
    try:
        assert len(store.conversations()) == 30
        assert len(store.messages(10)) == 6 and store.messages(10)[-1].sibling_count == 2
        for _label, query, conv in search_bench.queries(path):
            search(store, query, conversation_id=conv)
        assert search(store, "the")
    finally:
        store.close()


def test_figures_fit_the_results_schema(monkeypatch):
    monkeypatch.setattr(search_bench, "REPS", 1)
    figs = search_bench.figures(quick=True)
    doc = {"date": "2026-11-29T00:00:00+00:00", "machine": results.machine(), "threads": 2,
           "figures": [f.as_json() for f in figs]}
    results.validate(doc)
    assert [f.unit for f in figs] == ["ms", "ms", "ms"]
    assert all(f.value is not None and f.value > 0 for f in figs)
