"""The benchmark: the app against llama.cpp itself, in one run. See README, "Benchmarks".

    python benchmarks/run.py [--model PATH ...] [--quick] [--out DIR]

Runs every figure on SmolLM2-135M-Instruct, Gemma 3 270M and any ``--model`` GGUF, measures the
peers (llama-bench, llama-server, llama-cpp-python) in the same run with the same threads, and
writes ``RESULTS.md`` and ``results.json`` (``--quick``: small sizes, for the smoke test).
"""

from __future__ import annotations

import argparse
import datetime
import logging
import math
import os
import sys
import tempfile
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from benchmarks import results
from benchmarks.results import Figure

THREADS = 2
N_CTX = 8192
DOWNLOAD_RATE = 25 << 20  # bytes/s: a fast home connection
REPS = 3  # speed figures (1, 2) take the best of this many runs, the app's and the peers'

FULL = dict(decode=256, long=3000, seg=1000, pp=512, turns=20, chat=4000, ui=4000, stops=20,
            soak=200, per_conv=20, prefill_prompt=3000, prefill_stops=20)
QUICK = dict(decode=32, long=0, seg=0, pp=64, turns=3, chat=300, ui=600, stops=2,
             soak=4, per_conv=2, prefill_prompt=1000, prefill_stops=5)


def _ratio(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or not b or math.isnan(a) or math.isnan(b):
        return None
    return a / b


def models(extra: list[Path], quick: bool,
           synthetic_model: bool = False) -> list[tuple[str, Path, float]]:
    """(label, path, decode goal) for each model of the run."""
    from desktopchat.models.starter import starter_model_path

    out: list[tuple[str, Path, float]] = []
    smol = starter_model_path()
    if smol:
        out.append(("SmolLM2-135M", smol, 0.85))
    if not quick:
        from tests.support.models import gemma_model_path

        cache = Path(os.environ.get("DESKTOPCHAT_TEST_MODELS", Path(tempfile.gettempdir()) /
                                    "desktopchat-bench-models"))
        out.append(("Gemma-3-270M", gemma_model_path(cache), 0.95))
    if synthetic_model:
        from benchmarks import synthetic

        # 1.5B parameters, random weights (benchmarks/synthetic.py): built once, cached
        out.append((synthetic.LABEL, synthetic.build(), 0.97))
    out += [(p.stem, p, 0.95) for p in extra]
    return out


# Models on which only some figures run (by the name given to ``safely``): the speed figures
# against llama-bench; the rest would take hours on a 1.5B model on two cores. A figure meant
# for "the largest model the benchmark has" adds its name here.
SPEED_ONLY = {"synthetic-1.5B"}
SPEED_ONLY_FIGURES = {"decode", "prompt processing", "stop during prefill"}


def gpu_note() -> str:
    """Which devices the engine offloads to in this run (figures 1 and 2 compare the app and
    llama-bench on the same backend: both offload every layer when a GPU is present)."""
    from desktopchat.engine.devices import list_devices

    gpus = [d.label() for d in list_devices() if d.usable and not d.software]
    if not gpus:
        return ("GPU: no GPU machine was available for this run; every figure is on the CPU. "
                "No GPU figure is estimated.")
    return f"GPU: the app and llama-bench offload to {', '.join(gpus)}."


def _best(a: float | None, b: float | None) -> float | None:
    return max((v for v in (a, b) if v is not None), default=None)


OWN_PEER = "llama-bench built from llama-cpp-python's llama.cpp"


def bench_model(label: str, path: Path, goal: float, size: dict[str, int], peers: bool,
                figs: list[Figure], notes: list[str], figures: tuple[str, ...] = ()) -> None:
    from benchmarks import engine_bench as eb
    from benchmarks import peers as pr
    from benchmarks import proc_bench, ui_bench
    from benchmarks.harness import Driver
    from desktopchat.engine.types import LoadRequest

    req = LoadRequest(label, str(path), n_ctx=N_CTX, n_threads=THREADS)

    def add(fid: str, name: str, value, unit, peer, peer_value, ratio, goal_s, met, note=""):  # type: ignore[no-untyped-def]
        figs.append(Figure(name, label, value, unit, peer, peer_value, ratio, goal_s, bool(met),
                           note, fid))
        print(f"[{label}] {fid} {name}: {value} {unit} (peer {peer_value}, ratio {ratio}) "
              f"goal {goal_s} met={bool(met)}", flush=True)

    speed_only = label in SPEED_ONLY

    def safely(fid: str, name: str, fn) -> None:  # type: ignore[no-untyped-def]
        if figures and not any(o.lower() in name.lower() for o in figures):
            return
        if speed_only and name not in SPEED_ONLY_FIGURES:
            return
        try:
            fn()
        except Exception as exc:  # noqa: BLE001 - one failing figure must not lose the others
            traceback.print_exc()
            add(fid, name, None, "", "", None, None, "measured", False,
                f"not measured: {type(exc).__name__}: {exc}")

    # Native decode speed where the long reply's first and last segments run: a tg run of the
    # app's decode length centred on each segment's middle depth (after a ~40-token prompt).
    n_long, seg = size["long"], size["seg"]
    mid_first = 40 + seg // 2 - size["decode"] // 2
    mid_last = 40 + n_long - seg // 2 - size["decode"] // 2
    native: dict = {}  # type: ignore[type-arg]
    if peers:
        depths = (0,) if not n_long or speed_only else (0, mid_first, mid_last)
        try:
            native = pr.llama_bench(path, THREADS, size["pp"], size["decode"], depths)
        except Exception as exc:  # noqa: BLE001
            traceback.print_exc()
            notes.append(f"llama-bench failed on {label}: {exc}")
    # The same, from a llama-bench built on the llama.cpp the app itself runs: what the app
    # adds, apart from what a newer llama.cpp gains.
    own: dict[tuple[str, int], float] = {}
    exe = pr.app_llama_bench() if peers else None
    if peers:
        try:
            if exe is None:
                raise FileNotFoundError("could not build llama-bench from llama-cpp-python")
            # pp only: figure 1 measures its tg itself, at the reply's depth
            own = pr.llama_bench(path, THREADS, size["pp"], 0, (0,), exe=exe)
        except Exception as exc:  # noqa: BLE001
            traceback.print_exc()
            notes.append(f"llama-bench of the app's own llama.cpp failed on {label}: {exc}")
    tg = native.get(("tg", 0))
    pp = native.get(("pp", 0))
    own_tg, own_pp = own.get(("tg", 0)), own.get(("pp", 0))

    driver = Driver()
    try:
        driver.load(req)

        def f1() -> None:
            # Best of REPS on every side: a shared machine's noise only ever slows a run. Each
            # of the app's runs is followed by one run of each llama-bench, so that a slow
            # minute of the machine falls on both sides. The peers decode at the depth the
            # app's reply starts at (after its ~30-token prompt): both attend over the same
            # cache (llama-bench's tg256 at depth 33 is 1-2% slower than at depth 0 here).
            nonlocal tg, own_tg
            tg_peers = {"bench extra": None, "own": exe} if peers else {}
            best: dict[str, float | None] = dict.fromkeys(tg_peers)
            rates = []
            depth = 0
            for _ in range(REPS):
                rate_i, _b, _t, depth = eb.decode_at(driver, size["decode"])
                rates.append(rate_i)
                for which, build in tg_peers.items():
                    if which == "own" and build is None:
                        continue  # not built: said above
                    try:
                        got = pr.llama_bench(path, THREADS, 0, size["decode"], (depth,),
                                             reps=1, exe=build).get(("tg", depth))
                    except Exception as exc:  # noqa: BLE001
                        notes.append(f"llama-bench ({which}) failed on {label}: {exc}")
                        continue
                    best[which] = _best(best[which], got)
            if peers:
                tg, own_tg = best["bench extra"], best["own"]
            rate = max(rates)
            r = _ratio(rate, tg)
            at = f"the reply and llama-bench's tg{size['decode']} start at depth {depth}"
            add("1", "decode through the worker thread / native tg", rate, "tok/s",
                "llama-bench tg", tg, r, f">= {goal}", r is not None and r >= goal, at)
            if own_tg is not None:
                r = _ratio(rate, own_tg)
                add("1", "decode through the worker thread / native tg of the app's own "
                    "llama.cpp", rate, "tok/s", OWN_PEER + " tg", own_tg, r, f">= {goal}",
                    r is not None and r >= goal, at)
            msgs = [{"role": "system", "content": eb.SYSTEM.content},
                    {"role": "user", "content": eb.STORY.content}]
            samp = {k: v for k, v in eb.SAMPLING.items()}
            if peers and not speed_only:
                for peer_name, fn in (("llama-cpp-python stream", pr.python_stream),
                                      ("llama-server stream (HTTP)", pr.server_stream)):
                    try:
                        pv = max(fn(path, THREADS, N_CTX, msgs, size["decode"], samp)
                                 for _ in range(REPS))
                    except Exception as exc:  # noqa: BLE001
                        notes.append(f"{peer_name} failed on {label}: {exc}")
                        continue
                    r2 = _ratio(rate, pv)
                    add("1", f"decode vs {peer_name}", rate, "tok/s", peer_name, pv, r2,
                        ">= 1.0", r2 is not None and r2 >= 1.0)

        safely("1", "decode", f1)

        def f1b() -> None:
            if not size["long"]:
                return
            n = n_long
            _rate, batches, text = eb.decode(driver, n)
            first, last = eb.segment_rates(batches, text, n, seg)
            n_first = native.get(("tg", mid_first))
            n_last = native.get(("tg", mid_last))
            rf, rl = _ratio(first, n_first), _ratio(last, n_last)
            drift = _ratio(rl, rf)
            add("1", f"last {seg} / first {seg} tokens of a {n}-token reply, each relative to "
                "native tg at that depth", drift, "ratio", "llama-bench tg at depth",
                None if n_last is None else n_last, drift, ">= 1.0 (no slower)",
                drift is not None and drift >= 0.97,
                f"app first {first:.1f} tok/s vs native {n_first}, last {last:.1f} vs "
                f"native {n_last}; within 3% counts as no slower (run-to-run noise)")

        safely("1", "long reply", f1b)

        def f2() -> None:
            rate, n = eb.prompt_speed(driver, path, req, size["pp"])
            r = _ratio(rate, pp)
            pp_goal = max(0.95, goal)  # the synthetic model's goal is 0.97 on both
            add("2", f"prompt processing ({n}-token chat, from time to first token) / native "
                f"pp{size['pp']}", rate, "tok/s", "llama-bench pp", pp, r, f">= {pp_goal}",
                r is not None and r >= pp_goal)
            if own_pp is not None:
                r = _ratio(rate, own_pp)
                add("2", f"prompt processing / native pp{size['pp']} of the app's own llama.cpp",
                    rate, "tok/s", OWN_PEER + " pp", own_pp, r, f">= {pp_goal}",
                    r is not None and r >= pp_goal)

        safely("2", "prompt processing", f2)

        def f3() -> None:
            ttfts, evaluated, full, depths = eb.followups(driver, req, size["turns"])
            r = ttfts[-1] / ttfts[1]
            curve = ", ".join(f"{t * 1000:.0f}" for t in ttfts)
            native_note = ""
            if peers:
                # llama.cpp itself: the same number of new tokens at turn 2's and the last
                # turn's depth; attention over a deeper cache costs more in any engine.
                n_new = sorted(evaluated[1:])[len(evaluated[1:]) // 2]
                try:
                    at = pr.llama_pp_at_depths(path, THREADS, n_new, (depths[1], depths[-1]))
                    nat = (n_new / at[depths[-1]]) / (n_new / at[depths[1]])
                    native_note = (f"; llama-bench pp{n_new} at depth {depths[1]} vs "
                                   f"{depths[-1]}: {at[depths[1]]:.0f} vs "
                                   f"{at[depths[-1]]:.0f} tok/s, so native llama.cpp's own "
                                   f"turn {len(ttfts)} / turn 2 cost is {nat:.2f}x")
                except Exception as exc:  # noqa: BLE001
                    notes.append(f"llama-bench at depth failed on {label}: {exc}")
            add("3", f"follow-up TTFT turn {len(ttfts)} / turn 2, message sent at once",
                ttfts[-1] * 1000, "ms", "turn 2", ttfts[1] * 1000, r, "<= 1.3", r <= 1.3,
                f"TTFT per turn (ms): {curve}; prompt tokens evaluated per turn: "
                f"{evaluated} at depths {depths}; re-reading the whole chat at the last turn "
                f"instead: {full * 1000:.0f} ms{native_note}")
            ttfts, evaluated, _full, _d = eb.followups(driver, req, size["turns"], typed=True)
            r = ttfts[-1] / ttfts[1]
            curve = ", ".join(f"{t * 1000:.0f}" for t in ttfts)
            add("3", f"follow-up TTFT turn {len(ttfts)} / turn 2, message typed (the draft is "
                "read ahead as the user pauses)", ttfts[-1] * 1000, "ms", "turn 2",
                ttfts[1] * 1000, r, "<= 1.3", r <= 1.3,
                f"TTFT per turn (ms): {curve}; prompt tokens evaluated after Send per turn: "
                f"{evaluated}")

        safely("3", "follow-up TTFT", f3)

        def f9() -> None:  # the local API (benchmarks/api_bench.py)
            from benchmarks import api_bench

            api_bench.figures(driver, path, THREADS, N_CTX, size["decode"],
                              max(3, size["turns"] // 2), 1 if size is QUICK else REPS, peers,
                              add)

        safely("9", "local API", f9)
        def f6p() -> None:
            lat, n, chunk_ms = eb.stop_during_prefill(driver, path, req, size["prefill_prompt"],
                                                      size["prefill_stops"])
            med, mx = eb.median(lat), max(lat)
            note = (f"Stop at a random point while a {n}-token prompt is read, until the reply's "
                    f"end reaches the GUI thread; each of {len(lat)} stops (ms): "
                    f"{', '.join(f'{v:.0f}' for v in lat)}; one {eb.PROMPT_CHUNK}-token chunk, "
                    f"what a Stop waited for before the abort callback, takes {chunk_ms:.0f} ms")
            add("6", f"stop during prefill, median of {len(lat)}", med, "ms", "", None, None,
                "<= 100", med <= 100, note)
            add("6", f"stop during prefill, max of {len(lat)}", mx, "ms", "", None, None,
                "<= 100", mx <= 100)

        safely("6", "stop during prefill", f6p)
    finally:
        driver.close()

    def f4() -> None:
        res = eb.reopen(path, req, size["chat"])
        r = res["restore_ttft"] / res["reread_ttft"]
        add("4", f"reopen a {res['chat_tokens']:.0f}-token chat: TTFT restored / re-read",
            res["restore_ttft"] * 1000, "ms", "re-read (no saved state)",
            res["reread_ttft"] * 1000, r, "<= 0.1", r <= 0.1,
            f"state {res['state_mb']:.0f} MB saved in {res['save_s']:.2f} s; prompt tokens "
            f"evaluated: {res['restore_evaluated']:.0f} restored vs {res['reread_evaluated']:.0f}")

    safely("4", "reopen", f4)

    def f5() -> None:
        rate = tg or 200.0
        ui = ui_bench.stream_into_view(size["ui"], rate)
        n = size["ui"]
        add("5", f"GUI stall max, streaming {n} tokens of markdown into ChatView",
            ui["stall_max_ms"], "ms", "", None, None, "<= 50", ui["stall_max_ms"] <= 50)
        add("5", "GUI stall p99 while streaming", ui["stall_p99_ms"], "ms", "", None, None,
            "<= 16", ui["stall_p99_ms"] <= 16)
        rc = _ratio(ui["render_last_us"], ui["render_first_us"])
        add("5", "render cost per token, last 500 / first 500", ui["render_last_us"], "µs/token",
            "first 500", ui["render_first_us"], rc, "<= 1.5", rc is not None and rc <= 1.5)
        add("5", "repaints while streaming", ui["paints_per_s"], "per s", "", None, None,
            "<= 60", ui["paints_per_s"] <= 60, f"flushes {ui['flushes_per_s']:.0f}/s at "
            f"{rate:.0f} tok/s")
        add("5", "GUI stall max while the view prepares code highlighting (once per run, "
            "idle moments after start-up)", ui["warm_max_ms"], "ms", "", None, None, "<= 50",
            ui["warm_max_ms"] <= 50, f"p99 {ui['warm_p99_ms']:.1f} ms")
        from benchmarks import view_bench

        lc = view_bench.long_chat(1000 if size is FULL else 100)
        add("5", f"open a {lc['messages']}-message chat and show its end", lc["open_max_ms"],
            "ms", "", None, None, "<= 300", lc["open_max_ms"] <= 300,
            f"median {lc['open_median_ms']:.0f} ms, GUI CPU {lc['open_cpu_ms']:.0f} ms")
        add("5", "GUI stall max scrolling it end to end, a page a frame",
            lc["scroll_stall_max_ms"], "ms", "", None, None, "<= 50",
            lc["scroll_stall_max_ms"] <= 50, f"p99 {lc['scroll_stall_p99_ms']:.1f} ms; GUI CPU "
            f"between ticks max {lc['scroll_cpu_stall_max_ms']:.1f} ms")
        long_ui = ui_bench.stream_into_view(n, rate, view_bench.chat_messages(lc["messages"]))
        add("5", "GUI stall max, streaming below that chat", long_ui["stall_max_ms"], "ms", "",
            None, None, "<= 50", long_ui["stall_max_ms"] <= 50,
            f"p99 {long_ui['stall_p99_ms']:.1f} ms")
        fmax, fp99 = ui_bench.during_first_load(req)
        add("5", "GUI stall max during the first model load of a process (start-up)", fmax,
            "ms", "", None, None, "<= 50", fmax <= 50, f"p99 {fp99:.1f} ms")
        lmax, lp99 = ui_bench.during_load(path, req)
        add("5", "GUI stall max during a later model load (a switch)", lmax, "ms", "", None,
            None, "<= 50", lmax <= 50, f"p99 {lp99:.1f} ms")
        add("5", "GUI stall p99 during model load", max(fp99, lp99), "ms", "", None, None,
            "<= 16", max(fp99, lp99) <= 16)
        with tempfile.TemporaryDirectory() as d:
            dl = ui_bench.during_download(Path(d), path, DOWNLOAD_RATE)
        speed = (f"{dl['mb_per_s']:.0f} MB/s from a loopback Hub limited to "
                 f"{DOWNLOAD_RATE / 2**20:.0f} MB/s, {dl['seconds']:.1f} s, Downloads tab shown")
        add("5", "GUI stall max during a download", dl["stall_max_ms"], "ms", "", None, None,
            "<= 50", dl["stall_max_ms"] <= 50, speed)
        add("5", "GUI stall p99 during a download", dl["stall_p99_ms"], "ms", "", None, None,
            "<= 16", dl["stall_p99_ms"] <= 16)
        add("5", "window repaints during a download", dl["repaints_per_s"], "per s", "", None,
            None, "<= 60", dl["repaints_per_s"] <= 60)

    if label == "SmolLM2-135M" or size is QUICK:
        safely("5", "UI smoothness", f5)

    def f6() -> None:
        with tempfile.TemporaryDirectory() as d:
            lat = ui_bench.stop_latency(Path(d), path, size["stops"], THREADS, N_CTX)
        med, mx = eb.median(lat), max(lat)
        add("6", f"Stop to last token shown, median of {len(lat)}", med, "ms", "", None, None,
            "<= 150", med <= 150)
        add("6", f"Stop to last token shown, max of {len(lat)}", mx, "ms", "", None, None,
            "<= 150", mx <= 150)

    safely("6", "Stop", f6)

    def f7() -> None:
        if label != "SmolLM2-135M":
            return
        with tempfile.TemporaryDirectory() as d:
            marks = proc_bench.startup(Path(d))
        shown = marks["shown"]
        after = marks.get("load_started", 0) >= shown
        add("7", "process start to window shown", shown * 1000, "ms", "", None, None,
            "<= 1500, model loads after", shown <= 1.5 and after,
            f"model load started at {marks.get('load_started', float('nan')) * 1000:.0f} ms, "
            f"ready at {marks.get('ready', float('nan')) * 1000:.0f} ms")

    safely("7", "start-up", f7)

    def f7b() -> None:
        if label != "SmolLM2-135M":
            return
        with tempfile.TemporaryDirectory() as d:
            for when in ("first start", "second start, headers cached"):
                marks = proc_bench.startup(Path(d), n_models=50)
                shown = marks["shown"]
                add("7", f"window shown with 50 models in the library, {when}", shown * 1000,
                    "ms", "", None, None, "<= 1000", shown <= 1.0,
                    f"all listed at {marks.get('listed', float('nan')) * 1000:.0f} ms")
                stall = marks.get("stall_max_ms", float("nan"))
                add("7", f"GUI stall max while 50 models are listed, {when}", stall, "ms", "",
                    None, None, "<= 50", stall <= 50,
                    f"p99 {marks.get('stall_p99_ms', float('nan')):.1f} ms")

    safely("7", "start-up with 50 models", f7b)

    def f8() -> None:
        res = proc_bench.soak(path, size["soak"], size["per_conv"], THREADS, N_CTX)
        s0, s1 = res["samples"][0], res["samples"][-1]
        beyond = (s0["VmRSS"] - s0["model"] - res["kv"]) / 2**20
        growth = (s1["VmRSS"] - s0["VmRSS"]) / s0["VmRSS"]
        add("8", "resident memory beyond mapped model + KV cache", beyond, "MB", "", None, None,
            "<= 300", beyond <= 300, f"RSS {s0['VmRSS'] / 2**20:.0f} MB, model resident "
            f"{s0['model'] / 2**20:.0f} MB, KV {res['kv'] / 2**20:.0f} MB (n_ctx {N_CTX})")
        add("8", f"RSS growth turn {s0['turn']} -> turn {s1['turn']} of a soak", growth * 100,
            "%", "", None, None, "< 5", growth < 0.05)

    safely("8", "memory", f8)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", type=Path, action="append", default=[], help="another GGUF file")
    ap.add_argument("--quick", action="store_true", help="tiny sizes, SmolLM2 only (smoke test)")
    ap.add_argument("--no-peers", action="store_true", help="skip llama.cpp and its servers")
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    ap.add_argument("--note", action="append", default=[], help="a line for RESULTS.md")
    ap.add_argument("--figure", action="append", default=[],
                    help="run only the figures whose name contains this (repeatable)")
    ap.add_argument("--synthetic", action=argparse.BooleanOptionalAction, default=None,
                    help="the synthetic 1.5B model's speed figures (default: on in full runs)")
    ap.add_argument("--only", action="append", default=[], metavar="LABEL",
                    help="measure only this model (e.g. synthetic-1.5B); with --merge the other "
                         "models' figures and notes stay as the last run wrote them")
    ap.add_argument("--merge", action="store_true",
                    help="keep the figures of models not measured now from the existing files")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    size = QUICK if args.quick else FULL
    m = results.machine()
    print(f"machine: {m['cpu']}, {m['cores']} cores, {m['memory']}; threads {THREADS}; "
          f"context {N_CTX}", flush=True)
    figs: list[Figure] = []
    notes = list(args.note)
    notes.append(gpu_note())
    synth = args.synthetic if args.synthetic is not None else not args.quick
    for label, path, goal in models(args.model, args.quick, synth or "synthetic-1.5B" in args.only):
        if args.only and label not in args.only:
            continue
        bench_model(label, path, goal, size, not args.no_peers, figs, notes, tuple(args.figure))
    try:  # issue 12: search over a big history (no model needed)
        from benchmarks import search_bench

        if (not args.only and not args.figure) or any("search" in o for o in args.figure):
            figs += search_bench.figures(args.quick)
    except Exception as exc:  # noqa: BLE001 - one failing figure must not lose the others
        traceback.print_exc()
        notes.append(f"search figures failed: {exc}")
    if args.quick:
        notes.append("--quick run: tiny sizes; the figures are not meaningful.")
    doc = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": m, "threads": THREADS, "n_ctx": N_CTX,
        "figures": [f.as_json() for f in figs],
    }
    if args.merge:
        doc, notes = results.merge_previous(args.out, doc, notes, by_figure=bool(args.figure))
    results.write(args.out, doc, notes)
    print(f"wrote {args.out / 'RESULTS.md'} and {args.out / 'results.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
