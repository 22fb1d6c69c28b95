"""OpenAI-compatible servers on loopback for the remote-engine tests.

- ``LlamaPyServer``: llama-cpp-python's own server (``python -m llama_cpp.server``) on a real
  GGUF, as a child process that a test can kill mid-stream.
- ``ScriptedServer``: a small Starlette app that misbehaves on purpose, one way per model name
  (stalls, 429, 500, drops, reasoning fields, a strict API) and can answer with Ollama's
  recorded response shapes (``/api/tags``, ``owned_by: library``, ``reasoning`` deltas).
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from desktopchat.api.server import ServerThread


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LlamaPyServer:
    """``python -m llama_cpp.server`` on 127.0.0.1 serving ``model`` as ``alias``."""

    def __init__(self, model: Path, alias: str = "smollm2", api_key: str = "",
                 n_ctx: int = 2048, n_threads: int = 1) -> None:
        self.port = free_port()
        self.alias = alias
        cmd = [sys.executable, "-m", "llama_cpp.server", "--model", str(model),
               "--model_alias", alias, "--host", "127.0.0.1", "--port", str(self.port),
               "--n_ctx", str(n_ctx), "--n_threads", str(n_threads),
               "--n_threads_batch", str(n_threads)]
        if api_key:
            cmd += ["--api_key", api_key]
        self._cmd = cmd
        self.proc: subprocess.Popen[bytes] | None = None
        self._watcher: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self, timeout: float = 120.0) -> LlamaPyServer:
        self.proc = subprocess.Popen(self._cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                     env={**os.environ, "PYTHONUNBUFFERED": "1"})
        ready = threading.Event()
        assert self.proc.stderr is not None
        stderr = self.proc.stderr

        def watch() -> None:  # uvicorn says when it listens; keep draining the pipe after
            with stderr:
                for line in stderr:
                    if b"Uvicorn running on" in line:
                        ready.set()
            ready.set()

        self._watcher = threading.Thread(target=watch, daemon=True)
        self._watcher.start()
        if not ready.wait(timeout) or self.proc.poll() is not None:
            self.stop()
            raise RuntimeError("llama_cpp.server did not start")
        return self

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(30)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.kill()
        if self._watcher is not None:
            self._watcher.join(30)  # it closes the pipe at its end

    def __enter__(self) -> LlamaPyServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _chunk(delta: dict[str, Any], finish: str | None = None, model: str = "m") -> bytes:
    body = {"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1, "model": model,
            "system_fingerprint": "fp_ollama",
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
    return b"data: " + json.dumps(body).encode() + b"\n\n"


# Ollama 0.x's /api/tags, as its API documentation records it (one model).
OLLAMA_TAGS = {"models": [{
    "name": "deepseek-r1:latest", "model": "deepseek-r1:latest",
    "modified_at": "2025-05-10T08:06:48.639712648-07:00", "size": 4683075271,
    "digest": "0a8c266910232fd3291e71e5ba1e058cc5af9d411192cf88b6d30e92b6e73163",
    "details": {"parent_model": "", "format": "gguf", "family": "qwen2", "families": ["qwen2"],
                "parameter_size": "7.6B", "quantization_level": "Q4_K_M"},
}]}


class ScriptedServer:
    """A misbehaving OpenAI-compatible server; the model name picks the behaviour."""

    MODELS = ("echo", "stall", "stall-headers", "rate", "boom", "think", "think-inline",
              "strict", "drop")

    def __init__(self, api_key: str = "", ollama: bool = False) -> None:
        self.api_key = api_key
        self.ollama = ollama
        self.requests: list[tuple[str, dict[str, str], Any]] = []  # (path, headers, body)
        self.disconnected = threading.Event()  # a stalled stream's client went away
        self.release = threading.Event()  # ends the stalls (set by the test at the end)
        self._server = ServerThread(self._app(), port=0, name="test-scripted-server")

    @property
    def url(self) -> str:
        return self._server.url

    def __enter__(self) -> ScriptedServer:
        self._server.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self._server.stop()

    def _denied(self, request: Request) -> Response | None:
        if self.api_key and request.headers.get("authorization") != f"Bearer {self.api_key}":
            return JSONResponse({"error": {"message": "Invalid API key", "type": "auth"}}, 401)
        return None

    def _app(self) -> Starlette:
        async def models(request: Request) -> Response:
            self.requests.append((request.url.path, dict(request.headers), None))
            if (denied := self._denied(request)) is not None:
                return denied
            if self.ollama:
                return JSONResponse({"object": "list", "data": [
                    {"id": m["model"], "object": "model", "created": 1746889608,
                     "owned_by": "library"} for m in OLLAMA_TAGS["models"]]})
            return JSONResponse({"object": "list", "data": [
                {"id": m, "object": "model", "owned_by": "test", "max_model_len": 4096}
                for m in self.MODELS]})

        async def tags(request: Request) -> Response:
            self.requests.append((request.url.path, dict(request.headers), None))
            if not self.ollama:
                return JSONResponse({"detail": "Not Found"}, 404)
            return JSONResponse(OLLAMA_TAGS)

        async def chat(request: Request) -> Response:
            body = await request.json()
            self.requests.append((request.url.path, dict(request.headers), body))
            if (denied := self._denied(request)) is not None:
                return denied
            model = body.get("model", "")
            if self.ollama:
                model = "think" if model == "deepseek-r1:latest" else model
            if model == "rate":
                return JSONResponse({"error": {"message": "Rate limit reached"}}, 429,
                                    headers={"Retry-After": "7"})
            if model == "boom":
                return JSONResponse({"error": {"message": "CUDA out of memory"}}, 500)
            if model == "strict" and "top_k" in body:
                return JSONResponse({"error": {
                    "message": "Unrecognized request argument supplied: top_k"}}, 400)
            if model == "stall-headers":
                await self._wait_release()
            if model not in self.MODELS:
                return JSONResponse({"error": {"message": f"model '{model}' not found"}}, 404)
            return StreamingResponse(self._stream(model, body), media_type="text/event-stream")

        return Starlette(routes=[
            Route("/v1/models", models), Route("/api/tags", tags),
            Route("/v1/chat/completions", chat, methods=["POST"]),
        ])

    async def _wait_release(self) -> None:
        while not self.release.is_set():
            await asyncio.sleep(0.05)

    async def _stream(self, model: str, body: dict[str, Any]) -> Any:
        reasoning_key = "reasoning" if self.ollama else "reasoning_content"
        try:
            yield _chunk({"role": "assistant", "content": ""})
            if model in ("think",):
                yield _chunk({reasoning_key: "Let me think."})
                yield _chunk({reasoning_key: " Two plus two."})
                yield _chunk({"content": "It is 4."})
            elif model == "think-inline":
                yield _chunk({"content": "<think>hmm</think>"})
                yield _chunk({"content": "Answer."})
            else:
                yield _chunk({"content": "Hello"})
                yield _chunk({"content": " world"})
            if model == "stall":
                await self._wait_release()
            if model == "drop":
                raise ConnectionResetError("the test server drops the stream")
            yield _chunk({}, "stop")
            if (body.get("stream_options") or {}).get("include_usage"):
                usage = {"prompt_tokens": 12, "completion_tokens": 3, "total_tokens": 15,
                         "prompt_tokens_details": {"cached_tokens": 10}}
                yield (b"data: " + json.dumps({"id": "c", "object": "chat.completion.chunk",
                                               "choices": [], "usage": usage}).encode()
                       + b"\n\n")
            yield b"data: [DONE]\n\n"
        except asyncio.CancelledError:
            self.disconnected.set()
            raise
