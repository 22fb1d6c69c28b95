"""Figures 7 and 8, each in a fresh process: start-up to window shown (and the model loading only
after it), and resident memory over a 200-turn soak in the real app.

Run as ``python -m benchmarks.proc_bench startup|soak ...`` by ``benchmarks/run.py``; each prints
one JSON line.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path


def rss_parts() -> dict[str, int]:
    """VmRSS, RssAnon and RssFile of this process, in bytes (Linux)."""
    out: dict[str, int] = {}
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            key = line.split(":", 1)[0]
            if key in ("VmRSS", "RssAnon", "RssFile"):
                out[key] = int(line.split()[1]) * 1024
    return out


def model_bytes(model: str) -> int:
    """Resident bytes of the model's weights: the mapped file's (from /proc/self/smaps), or,
    where the engine read the weights into memory (engine.hugepages: nothing of the file is
    mapped), the tensor bytes it read."""
    mapped = mapped_model_bytes(model)
    if mapped:
        return mapped
    from desktopchat.models.gguf import read_gguf

    return read_gguf(model).tensor_bytes


def mapped_model_bytes(model: str) -> int:
    """Resident bytes of the mapped model file (from /proc/self/smaps)."""
    total = 0
    inside = False
    real = os.path.realpath(model)
    with open("/proc/self/smaps", encoding="utf-8", errors="replace") as f:
        for line in f:
            if "-" in line.split(" ", 1)[0] and len(line.split()) >= 5:
                inside = line.rstrip().endswith(real)
            elif inside and line.startswith("Rss:"):
                total += int(line.split()[1]) * 1024
    return total


def make_library(models_dir: Path, n: int, vocab: int = 150_000) -> None:
    """``n`` small synthetic GGUFs with ``vocab``-token vocabularies in ``models_dir`` (their
    headers are what listing walks; the weights are one narrow token embedding, one row per
    token as the model checks require)."""
    import numpy as np
    from gguf import GGUFWriter

    models_dir.mkdir(parents=True, exist_ok=True)
    tokens = [f"tok{i:06d}" for i in range(vocab)]
    for k in range(n):
        path = models_dir / f"synthetic-{k:02d}-Q8_0.gguf"
        if path.exists():
            continue
        w = GGUFWriter(str(path), "llama")
        w.add_name(f"Synthetic {k:02d}")
        w.add_block_count(1)
        w.add_context_length(4096)
        w.add_embedding_length(16)
        w.add_feed_forward_length(32)
        w.add_head_count(4)
        w.add_token_list(tokens)
        w.add_tensor("token_embd.weight", np.zeros((vocab, 16), dtype=np.float16))
        w.write_header_to_file()
        w.write_kv_data_to_file()
        w.write_tensors_to_file()
        w.close()


def _child_startup(data_dir: str, t_parent: float) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtGui import QWindow
    from PySide6.QtWidgets import QApplication

    from benchmarks.ui_bench import Heartbeat

    marks: dict[str, float] = {}
    qapp = QApplication(["desktopchat"])
    beat = Heartbeat()

    class Watch(QObject):
        """The first Expose of the main window's native window: it is on screen."""

        def eventFilter(self, obj: QObject, ev: QEvent) -> bool:
            if ev.type() == QEvent.Type.Expose and isinstance(obj, QWindow) \
                    and obj.objectName().startswith("mainWindow") and obj.isExposed() \
                    and "shown" not in marks:
                marks["shown"] = time.time()
                beat.start()  # the GUI's stalls while the library is listed
            return False

    watch = Watch()
    qapp.installEventFilter(watch)
    import desktopchat.app as appmod

    orig_init = appmod.DesktopChatApp.__init__

    def init(self, *a, **kw):  # type: ignore[no-untyped-def]
        orig_init(self, *a, **kw)
        self.window.setObjectName("mainWindow")
        self.session.model_state.connect(on_state)
        self.library.listing_done.connect(on_listed)

    def on_listed() -> None:
        if "listed" not in marks:
            marks["listed"] = time.time()
            beat.stop()
            marks["stall_max_ms"], marks["stall_p99_ms"] = (x + t_parent for x in beat.stalls())

    def on_state(state: str, _detail: str) -> None:
        if state == "loading" and "load_started" not in marks:
            marks["load_started"] = time.time()
        if state in ("ready", "failed"):
            marks["ready"] = time.time()
            QTimer.singleShot(0, qapp.quit)

    appmod.DesktopChatApp.__init__ = init  # type: ignore[method-assign]
    appmod.main(["--data-dir", data_dir])
    print(json.dumps({k: v - t_parent for k, v in marks.items()}))


def startup(data_dir: Path, n_models: int = 0) -> dict[str, float]:
    """Times (s after the parent asked) for the window shown, the library listed, the model
    load started and ready, and the GUI's max/p99 stall (ms) while the library was listed.
    ``n_models`` synthetic 150k-vocabulary models are put in the models folder first."""
    if n_models:
        make_library(data_dir / "models", n_models)
    t = time.time()
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.proc_bench", "startup", str(data_dir), repr(t)],
        capture_output=True, text=True, timeout=600, cwd=Path(__file__).parent.parent,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _child_soak(model: str, turns: int, per_conv: int, threads: int, n_ctx: int) -> None:
    import threading

    from desktopchat.chat.types import ChatMessage
    from desktopchat.engine.engine import Engine
    from desktopchat.engine.types import GenerationParams, GenerationRequest, LoadRequest

    # The real app's objects: the Qt window is not needed to measure the engine's memory, but
    # Qt is imported (as in the app) so its libraries are counted.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from benchmarks.harness import Driver

    _ = QApplication.instance() or QApplication(["bench"])
    driver = Driver()
    driver.load(LoadRequest("soak", model, n_ctx=n_ctx, n_threads=threads))
    kv = _kv_bytes(model, n_ctx)
    samples: list[dict[str, int]] = []
    msgs: list[ChatMessage] = []
    for turn in range(1, turns + 1):
        if (turn - 1) % per_conv == 0:
            msgs = [ChatMessage("system", "You are a helpful assistant.")]
        msgs.append(ChatMessage("user", f"Say something short about the number {turn}."))
        rec = driver.generate(msgs, GenerationParams(max_tokens=24, seed=turn),
                              conversation_id=1 + turn // per_conv)
        assert rec.result is not None
        msgs.append(ChatMessage("assistant", rec.result.text))
        if turn in (per_conv, turns):
            samples.append({"turn": turn, **rss_parts(), "model": model_bytes(model)})
    driver.close()
    del Engine, threading, GenerationRequest
    print(json.dumps({"samples": samples, "kv": kv}))


def _kv_bytes(model: str, n_ctx: int) -> int:
    """The KV cache llama.cpp allocates: n_ctx x layers x (K + V per token), f16."""
    from desktopchat.models.gguf import read_gguf

    meta = read_gguf(Path(model)).metadata
    arch = meta["general.architecture"]
    layers = int(meta[f"{arch}.block_count"])
    heads = int(meta[f"{arch}.attention.head_count"])
    kv_heads = int(meta.get(f"{arch}.attention.head_count_kv", heads))
    emb = int(meta[f"{arch}.embedding_length"])
    k_len = int(meta.get(f"{arch}.attention.key_length", emb // heads))
    v_len = int(meta.get(f"{arch}.attention.value_length", emb // heads))
    return n_ctx * layers * kv_heads * (k_len + v_len) * 2


def soak(model: Path, turns: int, per_conv: int, threads: int, n_ctx: int) -> dict:  # type: ignore[type-arg]
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.proc_bench", "soak", str(model), str(turns),
         str(per_conv), str(threads), str(n_ctx)],
        capture_output=True, text=True, timeout=3600, cwd=Path(__file__).parent.parent,
    )
    if out.returncode:
        raise RuntimeError(out.stderr[-2000:])
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


if __name__ == "__main__":
    if sys.argv[1] == "startup":
        _child_startup(sys.argv[2], float(sys.argv[3]))
    else:
        _child_soak(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]),
                    int(sys.argv[6]))
