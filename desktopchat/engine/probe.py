"""The test load of a model file, run in a short-lived child process (the parent side, the
verdict and its cache are ``desktopchat.models.probe``).

llama.cpp aborts the whole process on some values it only asserts, and a chat template can be
written to eat all memory or loop for ever. So a file the app has not seen is first loaded here,
with the app's own engine: a small context, the chat template rendered with a sample
conversation, a few tokens generated. If that crashes, hangs or bloats, only this process dies.

Run as ``python -m desktopchat.engine.probe PATH [--n-ctx N] [--address-space BYTES]`` or, in the
frozen app, ``desktopchat --probe-model PATH ...`` (``app.py`` hands the arguments after
``--probe-model`` to ``main``). Before anything loads, the process cuts itself off the network
(a new network namespace on Linux, and an audit hook refusing Python sockets everywhere), caps
its address space where the OS can (``RLIMIT_AS``) and turns off core dumps. It prints one JSON
object per line on stdout: ``{"stage": ...}`` as it goes (so the parent can say where a crash
happened) and ``{"result": {...}}`` at the end; exit status 0 means the model answered.
"""

from __future__ import annotations

import argparse
import ctypes
import faulthandler
import json
import logging
import os
import sys
import threading
import time
from collections.abc import Sequence
from typing import Any

PROBE_CTX = 512
PROBE_TOKENS = 4
CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000
SAMPLE_CONVERSATION = (
    ("user", "Hello! Can you help me with something?"),
    ("assistant", "Of course. What do you need?"),
    ("user", "Say hello in one word."),
)
_REFUSED_EVENTS = frozenset({
    "socket.__new__", "socket.bind", "socket.connect", "socket.sendto", "socket.sendmsg",
    "socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr",
})


def emit(**fields: Any) -> None:
    """One JSON line on stdout, flushed at once (the next line of native code may abort)."""
    sys.stdout.write(json.dumps(fields) + "\n")
    sys.stdout.flush()


# -- isolation -----------------------------------------------------------------------------------


def _refuse_sockets(event: str, _args: tuple[Any, ...]) -> None:
    if event in _REFUSED_EVENTS:
        raise PermissionError(f"network access is refused in a model test load ({event})")


def cut_network() -> str:
    """No network for this process, from here on; returns how (for the log).

    A new user + network namespace (Linux, unprivileged where the kernel allows user
    namespaces) leaves only a loopback device that is down, for native code too. It must come
    before any thread starts. Python's own sockets are refused by an audit hook in any case, so
    a platform or kernel without namespaces still gets that much."""
    how = "audit hook (Python sockets refused)"
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.unshare(CLONE_NEWUSER | CLONE_NEWNET) == 0:
                how = "network namespace + " + how
            else:
                err = ctypes.get_errno()
                how += f"; no network namespace ({os.strerror(err)})"
        except (OSError, AttributeError) as exc:
            how += f"; no network namespace ({exc})"
    else:
        how += f"; no network namespace on {sys.platform}"
    sys.addaudithook(_refuse_sockets)
    return how


def cap_memory(address_space: int) -> str:
    """Cap this process's address space (and turn off core dumps); returns how, for the log.
    Without ``resource`` (Windows) or where the OS ignores ``RLIMIT_AS`` (macOS), the parent's
    watch on resident memory and its timeout remain."""
    try:
        import resource
    except ImportError:
        return "no resource limits on this platform (the parent watches memory and time)"
    notes = []
    try:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (OSError, ValueError) as exc:
        notes.append(f"core dumps left on ({exc})")
    if address_space > 0 and sys.platform.startswith("linux"):
        try:
            resource.setrlimit(resource.RLIMIT_AS, (address_space, address_space))
            notes.insert(0, f"address space capped at {address_space >> 20} MiB")
        except (OSError, ValueError, OverflowError) as exc:
            notes.insert(0, f"address space not capped ({exc})")
    else:
        notes.insert(0, f"address space not capped on {sys.platform} (the parent watches memory)")
    return "; ".join(notes)


# -- the test load -------------------------------------------------------------------------------


def run_test_load(path: str, n_ctx: int) -> dict[str, Any]:
    """Load, render the template with a sample conversation and generate a few tokens, with
    the engine the app uses. Raises on any failure; returns figures for the log."""
    from desktopchat.chat.types import ChatMessage
    from desktopchat.engine.types import GenerationParams, GenerationRequest, LoadRequest

    emit(stage="import")
    from desktopchat.engine.engine import Engine

    engine = Engine()
    started = time.perf_counter()
    emit(stage="load")
    info = engine.load(LoadRequest("probe", path, n_ctx=n_ctx, n_threads=2))
    messages = tuple(ChatMessage(role, text) for role, text in SAMPLE_CONVERSATION)
    emit(stage="render")
    prompt_tokens = len(engine.tokenize_prompt(messages))
    emit(stage="generate")
    params = GenerationParams(temperature=0.0, max_tokens=PROBE_TOKENS, seed=1)
    result = engine.generate(GenerationRequest(1, messages, params), threading.Event(),
                             lambda _text: None)
    if result.error:
        raise RuntimeError(result.error)
    emit(stage="close")
    engine.close()
    return {"architecture": info.architecture, "format": info.chat_format,
            "prompt_tokens": prompt_tokens, "tokens": result.completion_tokens,
            "seconds": round(time.perf_counter() - started, 3)}


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="desktopchat --probe-model",
                                description="Test-load a GGUF model in this process.")
    p.add_argument("path")
    p.add_argument("--n-ctx", type=int, default=PROBE_CTX)
    p.add_argument("--address-space", type=int, default=0,
                   help="cap the address space at this many bytes (Linux)")
    return p.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Test-load the model named in ``argv`` (the arguments after the program name, or after
    ``--probe-model`` in the frozen app). 0: it loaded and answered; 1: it failed with an
    error; a crash ends the process by itself."""
    args = parse_args(argv)
    network = cut_network()  # first: a namespace needs a single-threaded process
    memory = cap_memory(args.address_space)
    faulthandler.enable()  # a native crash leaves a Python traceback on stderr for the log
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr,
                        format="%(levelname)s %(name)s: %(message)s")
    emit(stage="isolated", network=network, memory=memory)
    try:
        figures = run_test_load(args.path, args.n_ctx)
    except MemoryError:
        emit(result={"ok": False, "error": "out of memory", "error_type": "MemoryError"})
        return 1
    except Exception as exc:  # noqa: BLE001 - any failure is the verdict, reported as data
        cause = exc.__cause__ if isinstance(exc.__cause__, Exception) else exc
        emit(result={"ok": False, "error": str(exc)[:2000], "error_type": type(cause).__name__})
        return 1
    emit(result={"ok": True, **figures})
    return 0


if __name__ == "__main__":
    sys.exit(main())
