"""The reliability suite: hostile files, hostile output, kill -9, a full disk and network faults,
one command, a table on the terminal and ``benchmarks/reliability.json``.

    python benchmarks/reliability.py [--quick] [--out DIR] [--only PART ...]

Parts (each in README's "Reliability" section):

- ``files``: at least 1,000 hostile GGUF files (``--quick``: 40) through import and the window's
  load path in the real app (``benchmarks/reliability_files.py``): 0 crashes of the app's
  process, 0 hangs, each file refused with a reason or loaded and answering;
- ``outputs``: hostile model output in the real chat view (``ui_bench.hostile_outputs``):
  0 resources loaded, 0 navigations, and the maximum GUI stall;
- ``kills``: at least 100 (``--quick``: 8) kill -9 at random points of a real chat driven
  through the real window (``benchmarks/reliability_kill.py``): integrity, lost messages,
  partial replies kept and marked, restarts;
- ``disk``: a disk that fills while chatting and while downloading (a private tmpfs);
- ``network``: at least 50 (``--quick``: 10) injected download faults
  (``benchmarks/reliability_downloads.py``).

The figures are integer counts (``reliability.json``); CI runs ``--quick`` through the test
suite (tests/integration/test_reliability_suite.py), the full run's file is committed.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

FULL = {"files": 1000, "kills": 100, "network": 50}
QUICK = {"files": 40, "kills": 8, "network": 10}
FIGURES = ("hostile_files_tried", "hostile_files_crashed", "hostile_files_hung",
           "hostile_outputs_tried", "resources_loaded", "navigations", "kills", "lost_messages",
           "integrity_failures", "failed_restarts", "download_faults", "corrupt_installs",
           "max_resent_bytes")
GOALS = {"hostile_files_crashed": 0, "hostile_files_hung": 0, "resources_loaded": 0,
         "navigations": 0, "lost_messages": 0, "integrity_failures": 0, "failed_restarts": 0,
         "corrupt_installs": 0, "hostile_files_unexplained": 0, "disk_failures": 0}


def part_files(n: int, work: Path) -> dict[str, Any]:
    from benchmarks import reliability_files

    return reliability_files.run(n, work / "files", seed=7)


def part_outputs() -> dict[str, Any]:
    from benchmarks import ui_bench

    got = ui_bench.hostile_outputs()
    return {k: v for k, v in got.items() if k in ("hostile_outputs_tried", "resources_loaded",
                                                  "navigations", "rich_tooltips",
                                                  "max_stall_ms")}


def part_kills(n: int, work: Path) -> dict[str, Any]:
    from benchmarks import reliability_kill

    return reliability_kill.run(n, work / "kills", seed=11)


def part_disk(work: Path) -> dict[str, Any]:
    """Both full-disk scenarios, each in its own process on a private tmpfs."""
    from desktopchat.models.starter import starter_model_path
    from tests.support.hub import HubServer

    results: dict[str, Any] = {"disk_scenarios": 0, "disk_failures": 0}
    model = starter_model_path()
    assert model is not None
    with HubServer() as hub:
        hub.add_repo("bench/SmolLM2-GGUF", {"SmolLM2.gguf": model})
        for size, args in ((24, []), (160, ["download", hub.url, "bench/SmolLM2-GGUF",
                                            "SmolLM2.gguf"])):
            mount = Path(tempfile.mkdtemp(dir=work))
            cmd = (f"mount -t tmpfs -o size={size}m tmpfs {mount} && exec {sys.executable} -m "
                   f"tests.support.full_disk {mount} " + " ".join(args))
            out = subprocess.run(["unshare", "-r", "-m", "sh", "-c", cmd], capture_output=True,
                                 text=True, timeout=900, cwd=ROOT)
            results["disk_scenarios"] += 1
            ok = out.returncode == 0
            if ok:
                got = json.loads(out.stdout.strip().splitlines()[-1])
                ok = str(got.get("error_when_full", "")).startswith("The disk is full") and (
                    got.get("answered_after_freeing") or got.get("installed"))
                results[f"disk_{'download' if args else 'chat'}"] = got
            if not ok:
                results["disk_failures"] += 1
                print(out.stderr[-2000:], file=sys.stderr)
    return results


def part_network(n: int, work: Path) -> dict[str, Any]:
    from benchmarks import reliability_downloads

    return reliability_downloads.run(n, work / "network", seed=3)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="reduced counts (what CI runs)")
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    ap.add_argument("--only", action="append", default=[],
                    choices=["files", "outputs", "kills", "disk", "network"])
    args = ap.parse_args(argv)
    size = QUICK if args.quick else FULL
    parts = args.only or ["files", "outputs", "kills", "disk", "network"]
    figures: dict[str, Any] = {}
    seconds: dict[str, float] = {}
    failed: list[str] = []
    with tempfile.TemporaryDirectory(prefix="dc-reliability-") as tmp:
        work = Path(tmp)
        runs = {
            "files": lambda: part_files(size["files"], work),
            "outputs": part_outputs,
            "kills": lambda: part_kills(size["kills"], work),
            "disk": lambda: part_disk(work),
            "network": lambda: part_network(size["network"], work),
        }
        for name in parts:
            started = time.monotonic()
            print(f"[{name}] …", flush=True)
            try:
                figures.update(runs[name]())
            except Exception as exc:  # noqa: BLE001 - one part failing must not hide the others
                traceback.print_exc()
                failed.append(f"{name}: {exc}")
            seconds[name] = round(time.monotonic() - started, 1)
            print(f"[{name}] done in {seconds[name]} s", flush=True)
    missed = {k: figures[k] for k, goal in GOALS.items() if k in figures and figures[k] != goal}
    doc = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "quick": args.quick, "parts": parts, "seconds": seconds, "failed_parts": failed,
        **{k: figures.get(k) for k in FIGURES},
        "details": {k: v for k, v in figures.items() if k not in FIGURES},
        "missed": missed,
    }
    _print_table(doc)
    out = args.out / "reliability.json"
    if args.quick and args.out == Path(__file__).resolve().parent:
        out = args.out / "reliability-quick.json"  # the committed file is the full run's
    tmp_out = out.with_suffix(".tmp")
    tmp_out.write_text(json.dumps(doc, indent=1, default=str) + "\n", encoding="utf-8")
    os.replace(tmp_out, out)
    print(f"wrote {out}")
    return 1 if failed or missed else 0


def _print_table(doc: dict[str, Any]) -> None:
    rows = [(k, doc.get(k)) for k in FIGURES] + sorted(
        (k, v) for k, v in doc["details"].items() if isinstance(v, (int, float)))
    width = max(len(k) for k, _ in rows)
    print()
    for key, value in rows:
        goal = GOALS.get(key)
        mark = "" if goal is None or value is None else ("  ok" if value == goal else "  MISSED")
        print(f"{key:<{width}}  {value!s:>12}{mark}")
    if doc["failed_parts"]:
        print("failed parts:", "; ".join(doc["failed_parts"]))


if __name__ == "__main__":
    sys.exit(main())
