"""Test-load a model file in a child process before the app's own process ever loads it.

llama.cpp aborts the process on some values it only asserts, and a chat template can eat all
memory or loop for ever: one bad file would otherwise take the app down at every start. So a
file the app has not seen (imported, found on disk, downloaded, or changed since) is loaded
once by ``desktopchat.engine.probe`` in a short-lived child process, under limits:

- a wall-clock timeout (the child's whole process group is killed);
- a memory cap: the parent watches the child's resident memory (psutil, every platform) and
  the child caps its own address space (``RLIMIT_AS``, Linux);
- no network (the child moves into a new network namespace on Linux and refuses Python sockets
  everywhere).

Only a file that passes is loaded in-process. The verdict is cached in a small JSON file by file
identity (size, mtime, inode and a sha256 of the first ``HEADER_HASH_BYTES``) and by the
llama.cpp and app versions, so a changed file or a new llama.cpp is checked again.

This runs for seconds: call it off the UI thread. Qt-free; it never imports llama_cpp.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path
from typing import IO, Any

import psutil

from desktopchat import __version__
from desktopchat.models.fit import estimate_load_bytes, n_vocab
from desktopchat.models.gguf import GGUFError, GGUFInfo, open_regular_file, validate_model_file

log = logging.getLogger(__name__)

CRASHED = ("This model file is damaged or uses settings llama.cpp cannot run "
           "(it crashed the test load).")
TIMED_OUT = ("This model file is damaged or uses settings llama.cpp cannot run "
             "(its test load did not finish within {seconds:g} seconds).")
TOO_BIG = ("This model file is damaged or uses settings llama.cpp cannot run "
           "(its test load used more than {size} of memory).")
CANCELLED = "The test load of this model file was cancelled."

PROBE_VERSION = 1  # bump when the test load changes what it proves
PROBE_CTX = 512
CACHE_FILE = "model-checks.json"
HEADER_HASH_BYTES = 256 * 1024
MAX_CACHE_ENTRIES = 2000
MAX_CACHE_BYTES = 4 * 1024 * 1024
TAIL_BYTES = 64 * 1024
POLL_S = 0.05
MiB = 1 << 20
MAX_ADDRESS_SPACE = 1 << 47  # what a 64-bit process can map at all
_cache_lock = threading.Lock()


@dataclass(frozen=True)
class ProbeVerdict:
    """Whether a model file may be loaded in the app's process, and what to tell the user.

    ``sentence`` is empty when ``ok``; ``detail`` is for the log (exit status, signal, stage,
    the child's error); ``duration`` is how long the test load took, in seconds."""

    ok: bool
    sentence: str
    detail: str
    duration: float
    cached: bool = False


@dataclass(frozen=True)
class FileIdentity:
    size: int
    mtime_ns: int
    inode: int
    header_sha256: str


def file_identity(path: Path) -> FileIdentity:
    """What makes a verdict stale: a new size, mtime or inode, or different first bytes.
    Raises ``GGUFError`` for anything that is not a regular file (never blocks on a FIFO)."""
    f, _size = open_regular_file(path)
    with f:
        st = os.fstat(f.fileno())
        digest = hashlib.sha256(f.read(HEADER_HASH_BYTES)).hexdigest()
    return FileIdentity(st.st_size, st.st_mtime_ns, st.st_ino, digest)


def runtime_key() -> str:
    """The llama.cpp and app versions a verdict was reached with."""
    try:
        llama = metadata.version("llama-cpp-python")
    except metadata.PackageNotFoundError:  # a frozen app without package metadata
        llama = "bundled"
    return f"llama-cpp-python {llama}; desktopchat {__version__}; probe {PROBE_VERSION}"


# -- the verdict cache -----------------------------------------------------------------------


def _cache_path(cache_dir: Path) -> Path:
    return Path(cache_dir) / CACHE_FILE


def _key(path: Path) -> str:
    return str(Path(path).resolve())


def _load_cache(cache_dir: Path) -> dict[str, Any]:
    """The cache's entries; an unreadable, oversized or foreign file counts as empty."""
    p = _cache_path(cache_dir)
    try:
        if p.stat().st_size > MAX_CACHE_BYTES:
            log.warning("ignoring an oversized model check cache %s", p)
            return {}
        data = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, RecursionError):
        log.warning("ignoring an unreadable model check cache %s", p, exc_info=True)
        return {}
    entries = data.get("entries") if isinstance(data, dict) else None
    return entries if isinstance(entries, dict) else {}


def _save_cache(cache_dir: Path, entries: dict[str, Any]) -> None:
    """Write the cache atomically (a temporary file, fsync'd, then renamed over it)."""
    if len(entries) > MAX_CACHE_ENTRIES:  # keep the most recent checks
        ordered = sorted(entries.items(), key=lambda kv: kv[1].get("checked_at", 0))
        entries = dict(ordered[-MAX_CACHE_ENTRIES:])
    cache_dir = Path(cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".model-checks.", suffix=".tmp", dir=cache_dir)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump({"version": 1, "entries": entries}, f, indent=1)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, _cache_path(cache_dir))
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _lookup(path: Path, identity: FileIdentity, cache_dir: Path) -> ProbeVerdict | None:
    with _cache_lock:
        entry = _load_cache(cache_dir).get(_key(path))
    if not isinstance(entry, dict):
        return None
    if entry.get("identity") != asdict(identity) or entry.get("runtime") != runtime_key():
        return None
    try:
        return ProbeVerdict(bool(entry["ok"]), str(entry["sentence"]), str(entry["detail"]),
                            float(entry["duration"]), cached=True)
    except (KeyError, TypeError, ValueError):
        return None


def _store(path: Path, identity: FileIdentity, verdict: ProbeVerdict, cache_dir: Path) -> None:
    entry = {"identity": asdict(identity), "runtime": runtime_key(), "ok": verdict.ok,
             "sentence": verdict.sentence, "detail": verdict.detail[:4000],
             "duration": round(verdict.duration, 3), "checked_at": time.time()}
    try:
        with _cache_lock:
            entries = _load_cache(cache_dir)
            entries[_key(path)] = entry
            _save_cache(cache_dir, entries)
    except OSError:  # a verdict that cannot be saved is only checked again next time
        log.warning("could not save the model check of %s", path, exc_info=True)


def cached_verdict(path: Path | str, cache_dir: Path | str) -> ProbeVerdict | None:
    """The cached verdict for this exact file, without running anything (None: not checked
    yet, or the file changed since). Cheap: a stat and a hash of the file's first bytes."""
    try:
        identity = file_identity(Path(path))
    except GGUFError:
        return None
    return _lookup(Path(path), identity, Path(cache_dir))


def forget_verdict(path: Path | str, cache_dir: Path | str) -> None:
    """Drop the cached verdict of ``path`` (the user's "Forget"; the next use checks again)."""
    with _cache_lock:
        entries = _load_cache(Path(cache_dir))
        if entries.pop(_key(Path(path)), None) is not None:
            _save_cache(Path(cache_dir), entries)


# -- the check -------------------------------------------------------------------------------


def default_memory_cap(info: GGUFInfo, n_ctx: int = PROBE_CTX) -> int:
    """Resident bytes the test load may use: the fit estimate at the small context (weights,
    KV cache, working memory), plus 512 MiB for the interpreter, the template and the prompt,
    and never more than this machine has. A template bomb or a runaway allocation passes it
    long before it hurts the machine."""
    cap = estimate_load_bytes(info, n_ctx) + 512 * MiB
    try:
        return min(cap, int(psutil.virtual_memory().total))
    except (OSError, psutil.Error):
        return cap


def address_space_for(info: GGUFInfo, memory_cap: int) -> int:
    """The child's ``RLIMIT_AS``: address space is reserved well beyond what becomes resident
    (measured at n_ctx 512: SmolLM2 0.68 GB of address space for 0.18 GB resident, Gemma 3 270M
    1.7 GB for 0.36 GB; the difference, ~4.5 KiB per vocabulary entry, is llama.cpp's output
    buffers, reserved for a whole batch of logits). A backstop for single huge allocations
    the parent's watch would see too late."""
    return min(memory_cap + 8 * 1024 * n_vocab(info) + 1536 * MiB, MAX_ADDRESS_SPACE)


def default_timeout(size: int) -> float:
    """A minute, plus reading the file at 50 MB/s (llama.cpp reads every weight at load)."""
    return 60.0 + size / 50e6


def probe_command(path: Path, n_ctx: int, address_space: int) -> list[str]:
    """The child's command line: the frozen app re-runs itself with ``--probe-model``."""
    args = [str(path), "--n-ctx", str(n_ctx), "--address-space", str(address_space)]
    if getattr(sys, "frozen", False):
        return [sys.executable, "--probe-model", *args]
    return [sys.executable, "-m", "desktopchat.engine.probe", *args]


def check_model(
    path: Path | str,
    *,
    cache_dir: Path | str,
    timeout_s: float | None = None,
    memory_cap: int | None = None,
    n_ctx: int = PROBE_CTX,
    cancel: threading.Event | None = None,
    use_cache: bool = True,
) -> ProbeVerdict:
    """Validate ``path`` in Python, then (unless a verdict for this exact file is cached)
    test-load it in a child process under limits. Never raises for a bad file; the verdict
    says what happened. ``memory_cap`` is in resident bytes; ``cancel`` kills the child (the
    app is quitting) and gives a verdict that is not cached."""
    path, cache_dir = Path(path), Path(cache_dir)
    started = time.monotonic()
    try:
        info = validate_model_file(path)
        identity = file_identity(path)
    except GGUFError as exc:
        sentence = f"{path.name} cannot be loaded: {exc}."
        return ProbeVerdict(False, sentence, sentence, time.monotonic() - started)
    if use_cache and (hit := _lookup(path, identity, cache_dir)) is not None:
        return hit
    cap = memory_cap if memory_cap is not None else default_memory_cap(info, n_ctx)
    timeout = timeout_s if timeout_s is not None else default_timeout(identity.size)
    cmd = probe_command(path, n_ctx, address_space_for(info, cap))
    outcome = _run_child(cmd, timeout, cap, cancel)
    verdict = _verdict(path, outcome, timeout, cap, time.monotonic() - started)
    # A cancelled check proves nothing, and a timeout may be a busy machine: neither is kept
    # (a crash or the memory cap is the file's own doing, and is).
    if outcome.stop not in ("cancelled", "timeout"):
        _store(path, identity, verdict, cache_dir)
    if verdict.ok:
        log.info("test load of %s passed: %s", path, verdict.detail)
    else:
        log.warning("test load of %s failed: %s", path, verdict.detail)
    return verdict


@dataclass(frozen=True)
class _Outcome:
    returncode: int
    stop: str  # "" (the child ended by itself), "timeout", "memory" or "cancelled"
    peak_rss: int
    stdout: str
    stderr: str


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "GGML_NO_BACKTRACE": "1",  # ggml's abort would attach gdb to print a backtrace
        "MALLOC_ARENA_MAX": "2",  # glibc reserves 64 MiB of address space per thread's arena
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "PYTHONIOENCODING": "utf-8",
        "HF_HUB_OFFLINE": "1",
    })
    return env


def _run_child(cmd: list[str], timeout: float, cap: int,
               cancel: threading.Event | None) -> _Outcome:
    """Run the child to its end or until a limit; its output goes to temporary files (a full
    pipe would block it) and only their tails are read back."""
    posix = os.name == "posix"
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        kwargs: dict[str, Any] = (
            {"start_new_session": True} if posix
            else {"creationflags": getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)}
        )
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                env=_child_env(), **kwargs)
        deadline = time.monotonic() + timeout
        stop, peak = "", 0
        try:
            watched: psutil.Process | None = psutil.Process(proc.pid)
        except psutil.Error:
            watched = None
        while True:
            try:
                proc.wait(timeout=POLL_S)
                break
            except subprocess.TimeoutExpired:
                pass
            rss = _rss(watched)
            peak = max(peak, rss)
            if cancel is not None and cancel.is_set():
                stop = "cancelled"
            elif time.monotonic() > deadline:
                stop = "timeout"
            elif rss > cap:
                stop = "memory"
            if stop:
                _kill(proc, posix)
                break
        if posix:  # anything the child left in its group goes too
            with contextlib.suppress(OSError):
                os.killpg(proc.pid, signal.SIGKILL)
        return _Outcome(proc.returncode, stop, peak, _tail(out), _tail(err))


def _rss(proc: psutil.Process | None) -> int:
    if proc is None:
        return 0
    try:
        return int(proc.memory_info().rss)
    except psutil.Error:
        return 0


def _kill(proc: subprocess.Popen[bytes], posix: bool) -> None:
    with contextlib.suppress(OSError):
        if posix:
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            proc.kill()
    proc.wait()


def _tail(f: IO[bytes]) -> str:
    f.seek(0, os.SEEK_END)
    size = f.tell()
    f.seek(max(0, size - TAIL_BYTES))
    return f.read().decode("utf-8", "replace")


def _verdict(path: Path, o: _Outcome, timeout: float, cap: int,
             duration: float) -> ProbeVerdict:
    lines = [json.loads(line) for line in o.stdout.splitlines() if _is_json(line)]
    stages = [d["stage"] for d in lines if isinstance(d, dict) and "stage" in d]
    isolated = next((d for d in lines if isinstance(d, dict) and d.get("stage") == "isolated"),
                    {})
    result: dict[str, Any] = next(
        (d["result"] for d in reversed(lines)
         if isinstance(d, dict) and isinstance(d.get("result"), dict)), {})
    stage = stages[-1] if stages else "start"
    if o.returncode is not None and o.returncode < 0:
        try:
            ended = f"killed by {signal.Signals(-o.returncode).name}"
        except ValueError:
            ended = f"killed by signal {-o.returncode}"
    else:
        ended = f"exit status {o.returncode}"
    limits = (f"network: {isolated.get('network', '?')}; memory: {isolated.get('memory', '?')};"
              f" resident cap {cap >> 20} MiB, peak seen {o.peak_rss >> 20} MiB")
    stderr = _notable(o.stderr)
    detail = f"{path.name}: {ended} during {stage}"
    if o.stop:
        detail += f" ({o.stop})"
    if result.get("error"):
        detail += f"; {result.get('error_type', 'error')}: {result['error']}"
    detail += f"; {limits}"
    if result.get("ok") and o.returncode == 0 and not o.stop:
        figures = ", ".join(f"{k} {v}" for k, v in result.items() if k != "ok")
        return ProbeVerdict(True, "", f"{path.name}: answered ({figures}); {limits}", duration)
    if stderr:
        detail += f"; stderr: {stderr}"
    if o.stop == "cancelled":
        return ProbeVerdict(False, CANCELLED, detail, duration)
    if o.stop == "timeout":
        return ProbeVerdict(False, TIMED_OUT.format(seconds=timeout), detail, duration)
    if o.stop == "memory" or result.get("error_type") == "MemoryError" or "bad_alloc" in stderr:
        return ProbeVerdict(False, TOO_BIG.format(size=_size(cap)), detail, duration)
    if result.get("error_type") in _OWN_SENTENCES and isinstance(result.get("error"), str):
        # The app's own engine refused it (the template sandbox stopped a bomb, the template
        # rejected every conversation, the prompt cannot fit): its sentence says what.
        return ProbeVerdict(False, result["error"][:300], detail, duration)
    return ProbeVerdict(False, CRASHED, detail, duration)


# Errors of the app's own engine whose message is already one sentence for the user.
_OWN_SENTENCES = frozenset({"TemplateLimitError", "TemplateRejected", "InputTooLong",
                            "EngineError"})


def _notable(stderr: str) -> str:
    """The lines of the child's stderr worth a log line: llama.cpp's assert or error, a C++
    exception, Python's fatal error, and the last few lines."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    keys = ("GGML_ASSERT", "GGML_ABORT", "error", "Error", "terminate", "Fatal Python")
    picked = [line for line in lines if any(k in line for k in keys)][:6]
    picked += [line for line in lines[-3:] if line not in picked]
    return " | ".join(line[:300] for line in picked)


def _is_json(line: str) -> bool:
    if not line.startswith("{"):
        return False
    try:
        json.loads(line)
    except ValueError:
        return False
    return True


def _size(n: int) -> str:
    return f"{n / 1e9:.1f} GB" if n >= 1e9 else f"{n / 1e6:.0f} MB"


__all__ = ["ProbeVerdict", "cached_verdict", "check_model", "forget_verdict", "probe_command"]
