"""The local API's routes on Starlette: ``/v1/models`` and ``/v1/chat/completions`` (streaming
and not), a bearer token on every request, bounded bodies, OpenAI-style JSON errors for
everything that goes wrong (a handler's own failure included: it never reaches the app).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from desktopchat.api import protocol as proto
from desktopchat.api.activity import ActivityEntry, ActivityLog, client_label
from desktopchat.api.auth import TokenFile
from desktopchat.api.jobs import Backend, BackendBusy, Done, Job
from desktopchat.engine.detok import StopStringFilter
from desktopchat.engine.types import FinishReason, GenerationResult

log = logging.getLogger(__name__)

# Host headers accepted: a web page that rebinds its own name to 127.0.0.1 is refused (it would
# still need the token; this is a second lock).
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost"})


def _error(status: int, message: str, kind: str = "invalid_request_error",
           param: str | None = None, code: str | None = None,
           headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(proto.error_body(message, kind, param, code), status, headers=headers)


class ApiRoutes:
    """The request handlers, bound to one backend, token file and activity log."""

    def __init__(self, backend: Backend, tokens: TokenFile, activity: ActivityLog) -> None:
        self.backend = backend
        self.tokens = tokens
        self.activity = activity

    # -- plumbing ---------------------------------------------------------------------------------

    def _client(self, request: Request) -> str:
        host, port = (request.client.host, request.client.port) if request.client else ("?", 0)
        return client_label(host, port, request.headers.get("user-agent", ""))

    def _log(self, request: Request, started: float, status: int, result: GenerationResult | None
             = None, note: str = "") -> None:
        self.activity.add(ActivityEntry(
            at=time.time() - (time.perf_counter() - started), client=self._client(request),
            path=request.url.path, status=status,
            prompt_tokens=result.prompt_tokens if result else 0,
            completion_tokens=result.completion_tokens if result else 0,
            seconds=time.perf_counter() - started, note=note[:200],
        ))

    def _refusal(self, request: Request, started: float) -> JSONResponse | None:
        """A response refusing the request (wrong Host or token), or None to go on."""
        host = request.headers.get("host", "").rsplit(":", 1)[0].lower()
        if host not in LOOPBACK_HOSTS:
            self._log(request, started, 400, note="refused a foreign Host header")
            return _error(400, "This server only answers requests for 127.0.0.1.")
        if not self.tokens.check(request.headers.get("authorization")):
            self._log(request, started, 401, note="no or wrong token")
            return _error(401, "Missing or wrong API token: send 'Authorization: Bearer "
                               "<token>' with the token desktopchat shows.",
                          code="invalid_api_key", headers={"WWW-Authenticate": "Bearer"})
        return None

    @staticmethod
    async def _body(request: Request) -> bytes:
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > proto.MAX_BODY:
            raise proto.ApiError(413, f"The request body is larger than {proto.MAX_BODY} bytes.")
        chunks: list[bytes] = []
        size = 0
        async for part in request.stream():
            size += len(part)
            if size > proto.MAX_BODY:
                raise proto.ApiError(413, f"The request body is larger than {proto.MAX_BODY} "
                                          f"bytes.")
            chunks.append(part)
        return b"".join(chunks)

    # -- routes -----------------------------------------------------------------------------------

    async def models(self, request: Request) -> Response:
        started = time.perf_counter()
        if (refusal := self._refusal(request, started)) is not None:
            return refusal
        info = self.backend.model()
        self._log(request, started, 200)
        return JSONResponse(proto.model_list(info.model_id if info else None,
                                             info.n_ctx if info else 0))

    async def model(self, request: Request) -> Response:
        if (refusal := self._refusal(request, time.perf_counter())) is not None:
            return refusal
        info = self.backend.model()
        wanted = request.path_params["model_id"]
        if info is None or wanted != info.model_id:
            return _error(404, f"The model '{wanted[:100]}' is not loaded.", code="model_not_found")
        return JSONResponse(proto.model_entry(info.model_id, info.n_ctx))

    async def chat(self, request: Request) -> Response:
        started = time.perf_counter()
        if (refusal := self._refusal(request, started)) is not None:
            return refusal
        try:
            call = proto.parse_chat(proto.parse_body(await self._body(request)),
                                    self.backend.defaults())
        except proto.ApiError as exc:
            self._log(request, started, exc.status, note=exc.message)
            return JSONResponse(exc.body(), exc.status)
        info = self.backend.model()
        if info is None:
            self._log(request, started, 503, note="no model loaded")
            return _error(503, "No model is loaded in desktopchat; load one first.",
                          "server_error", code="model_not_loaded")
        job = Job(call.messages, call.params, asyncio.get_running_loop(), self._client(request))
        try:
            self.backend.submit(job)
        except BackendBusy:
            self._log(request, started, 429, note="too many waiting requests")
            return _error(429, "Too many requests are waiting for the model; try again shortly.",
                          "rate_limit_error", headers={"Retry-After": "2"})
        if call.stream:
            return StreamingResponse(self._stream(request, job, call, info.model_id, started),
                                     media_type="text/event-stream",
                                     headers={"Cache-Control": "no-cache"})
        return await self._complete(request, job, call, info.model_id, started)

    async def _complete(self, request: Request, job: Job, call: proto.ChatCall, model: str,
                        started: float) -> Response:
        waiter = asyncio.ensure_future(_disconnected(request))
        stops = StopStringFilter(call.stops)
        parts: list[str] = []
        hit = False
        result: GenerationResult | None = None
        try:
            while True:
                getter = asyncio.ensure_future(job.queue.get())
                done, _ = await asyncio.wait({getter, waiter},
                                             return_when=asyncio.FIRST_COMPLETED)
                if getter not in done:
                    getter.cancel()
                    self.backend.cancel(job)
                    self._log(request, started, 499, note="client went away")
                    return Response(status_code=499)
                item = getter.result()
                if isinstance(item, Done):
                    result = item.result
                    break
                if not hit:
                    text, hit = stops.feed(item)
                    parts.append(text)
                    if hit:
                        self.backend.cancel(job)
        finally:
            waiter.cancel()
        if not hit:
            parts.append(stops.flush())
        text = "".join(parts)
        if result is not None and result.finish_reason is FinishReason.ERROR and not hit:
            self._log(request, started, 500, result, result.error)
            return _error(500, result.error or "The model failed.", "server_error")
        self._log(request, started, 200, result)
        return JSONResponse(proto.completion(proto.completion_id(), model, text, result, hit))

    async def _stream(self, request: Request, job: Job, call: proto.ChatCall, model: str,
                      started: float) -> AsyncIterator[bytes]:
        cid = proto.completion_id()
        created = int(time.time())
        stops = StopStringFilter(call.stops)
        hit = False
        result: GenerationResult | None = None
        status, note = 200, "stream"
        try:
            yield _sse(proto.chunk(cid, model, created, {"role": "assistant", "content": ""}))
            while True:
                item = await job.queue.get()
                if isinstance(item, Done):
                    result = item.result
                    break
                if hit:
                    continue
                text, hit = stops.feed(item)
                if hit:
                    self.backend.cancel(job)
                if text:
                    yield _sse(proto.chunk(cid, model, created, {"content": text}))
            tail = "" if hit else stops.flush()
            if tail:
                yield _sse(proto.chunk(cid, model, created, {"content": tail}))
            if result is not None and result.finish_reason is FinishReason.ERROR and not hit:
                status, note = 500, result.error
                yield _sse(proto.error_body(result.error or "The model failed.", "server_error"))
            else:
                final = proto.chunk(cid, model, created, {}, proto.finish_reason(result, hit))
                final["timings"] = proto.timings(result)
                yield _sse(final)
                if call.include_usage:
                    yield _sse({"id": cid, "object": "chat.completion.chunk", "created": created,
                                "model": model, "choices": [], "usage": proto.usage(result)})
            yield b"data: [DONE]\n\n"
        except asyncio.CancelledError:
            status, note = 499, "client went away"
            raise
        finally:
            if not job.done:
                self.backend.cancel(job)
            self._log(request, started, status, result, note)


def _sse(data: dict[str, Any]) -> bytes:
    return b"data: " + json.dumps(data, ensure_ascii=False).encode() + b"\n\n"


async def _disconnected(request: Request) -> None:
    """Returns when the client disconnects (the body has been read already)."""
    while True:
        message = await request.receive()
        if message["type"] == "http.disconnect":
            return


async def _http_error(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    message = {404: "No such endpoint.", 405: "This method is not allowed here."}.get(
        status, "The request failed.")
    return _error(status, message, code=str(status))


async def _server_error(request: Request, exc: Exception) -> Response:
    log.error("the local API failed on %s", request.url.path, exc_info=exc)
    return _error(500, "The local API failed; details are in desktopchat's log.", "server_error")


def build_app(backend: Backend, tokens: TokenFile, activity: ActivityLog) -> Starlette:
    routes = ApiRoutes(backend, tokens, activity)
    return Starlette(
        routes=[
            Route("/v1/models", routes.models, methods=["GET"]),
            Route("/v1/models/{model_id:path}", routes.model, methods=["GET"]),
            Route("/v1/chat/completions", routes.chat, methods=["POST"]),
        ],
        exception_handlers={HTTPException: _http_error, Exception: _server_error},
    )
