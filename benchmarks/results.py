"""The benchmark's output: one ``Figure`` per figure and model, written as JSON and a table.

Kept free of Qt and llama.cpp so the smoke test can check the schema without a model.
"""

from __future__ import annotations

import json
import os
import platform
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

FIGURE_KEYS = ("name", "model", "value", "unit", "peer", "peer_value", "ratio", "goal", "met")


@dataclass(frozen=True)
class Figure:
    """One measured figure. ``ratio`` is value / peer_value (or a ratio measured directly)."""

    name: str
    model: str
    value: float | None
    unit: str
    peer: str
    peer_value: float | None
    ratio: float | None
    goal: str
    met: bool
    note: str = ""
    figure: str = ""  # the figure number (1-8)

    def as_json(self) -> dict[str, Any]:
        d = asdict(self)
        for k in ("value", "peer_value", "ratio"):
            if isinstance(d[k], float):
                d[k] = round(d[k], 4)
        return d


def machine() -> dict[str, Any]:
    """CPU model, logical cores and memory of this machine (Linux /proc, else platform)."""
    cpu = platform.processor() or platform.machine()
    mem = 0
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    mem = int(line.split()[1]) * 1024
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count() or 0, "memory": f"{mem / 2**30:.1f} GiB"}


def validate(doc: dict[str, Any]) -> None:
    """Raise ValueError unless ``doc`` has the results.json schema."""
    for key in ("date", "machine", "threads", "figures"):
        if key not in doc:
            raise ValueError(f"missing {key}")
    for key in ("cpu", "cores", "memory"):
        if key not in doc["machine"]:
            raise ValueError(f"machine lacks {key}")
    if not isinstance(doc["threads"], int) or not isinstance(doc["figures"], list):
        raise ValueError("threads must be an int and figures a list")
    for fig in doc["figures"]:
        missing = [k for k in FIGURE_KEYS if k not in fig]
        if missing:
            raise ValueError(f"figure {fig.get('name')!r} lacks {missing}")
        if not isinstance(fig["met"], bool):
            raise ValueError(f"figure {fig['name']!r}: met must be true or false")


def _fmt(v: float | None) -> str:
    if v is None:
        return "—"
    if abs(v) >= 100:
        return f"{v:.0f}"
    if abs(v) >= 10:
        return f"{v:.1f}"
    return f"{v:.3g}"


def write(out_dir: Path, doc: dict[str, Any], notes: list[str]) -> None:
    """Write results.json and RESULTS.md (atomically: temp file + rename)."""
    validate(doc)
    out_dir.mkdir(parents=True, exist_ok=True)
    _atomic(out_dir / "results.json", json.dumps(doc, indent=2) + "\n")
    m = doc["machine"]
    lines = [
        "# Benchmark results",
        "",
        f"{doc['date']} · {m['cpu']} · {m['cores']} cores · {m['memory']} · "
        f"{doc['threads']} threads · context {doc.get('n_ctx', '?')}",
        "",
        "Written by `benchmarks/run.py` (see README, Benchmarks); the peers were measured in the "
        "same run on the same GGUF files and thread count.",
        "",
        "| # | figure | model | value | unit | peer | peer value | ratio | goal | met |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for fig in doc["figures"]:
        met = "yes" if fig["met"] else "**no**"
        lines.append(
            f"| {fig.get('figure', '')} | {fig['name']} | {fig['model']} | {_fmt(fig['value'])} | "
            f"{fig['unit']} | {fig['peer'] or '—'} | {_fmt(fig['peer_value'])} | "
            f"{_fmt(fig['ratio'])} | {fig['goal']} | {met} |"
        )
    explained = [f for f in doc["figures"] if f.get("note")]
    if explained:
        lines += ["", "## Notes on figures", ""]
        lines += [f"- **{f['name']}** ({f['model']}): {f['note']}" for f in explained]
    if notes:
        lines += ["", "## About this run", ""] + [f"- {n}" for n in notes]
    _atomic(out_dir / "RESULTS.md", "\n".join(lines) + "\n")


def _atomic(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def merge_previous(out_dir: Path, doc: dict[str, Any], notes: list[str],
                   by_figure: bool = False) -> tuple[dict[str, Any], list[str]]:
    """A partial run (``run.py --only``): the previous files' figures of the models not measured
    now, and their notes, kept; the new figures and notes replace those of the models measured.
    ``by_figure`` (``run.py --figure``): only the figures measured now are replaced, each by
    model and name; the model's other figures stay. Says in a note which figures come from which
    run."""
    try:
        old = json.loads((out_dir / "results.json").read_text(encoding="utf-8"))
        old_md = (out_dir / "RESULTS.md").read_text(encoding="utf-8")
    except (OSError, ValueError):
        return doc, notes
    measured = {f["model"] for f in doc["figures"]}
    if by_figure:
        new_keys = {(f["model"], f["name"]) for f in doc["figures"]}
        kept = [f for f in old.get("figures", [])
                if (f.get("model"), f.get("name")) not in new_keys]
    else:
        kept = [f for f in old.get("figures", []) if f.get("model") not in measured]
    old_notes = []
    if "## About this run" in old_md:
        tail = old_md.split("## About this run", 1)[1]
        old_notes = [line[2:] for line in tail.splitlines() if line.startswith("- ")]
    # a run of some figures adds its line to the earlier partial runs' lines; a run of whole
    # models replaces them
    dropped = ("GPU:",) if by_figure else ("GPU:", "Partial run:")
    old_notes = [n for n in old_notes if not n.startswith(dropped)]
    merged = dict(doc, figures=kept + doc["figures"])
    what = ", ".join(sorted(measured))
    if by_figure:
        names = sorted({f["name"] for f in doc["figures"]})
        what = f"the figures {'; '.join(names)} ({what})"
    note = (f"Partial run: {what} measured {doc['date']}; the other "
            f"figures come from the run of {old.get('date', '?')}.")
    return merged, [*old_notes, *notes, note]
