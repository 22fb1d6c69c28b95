"""A Hugging Face Hub on loopback that answers like the real one, for tests (pure stdlib; nothing in
the app imports it).

Two origins, as on huggingface.co: the Hub (``HubServer.url``) answers the API (model search with
``search``, ``author``, ``filter``, ``sort``, ``limit``, ``full`` and ``expand``; repo info with LFS
sizes and sha256 when ``blobs=true``; ``whoami-v2``) and answers ``HEAD``/``GET
/<repo>/resolve/<revision>/<file>`` with a **302** to a second server on another port, the CDN
(``HubServer.cdn_url``), carrying ``X-Linked-Etag`` (the sha256), ``X-Linked-Size``,
``X-Repo-Commit`` and ``Location``. The CDN serves the bytes from an mmap with its *own* strong
ETag (not the sha256), ``Accept-Ranges``, Range (206, ``Content-Range``, 416) and ``If-Range``
against that ETag. Sorting is always descending, as on the real Hub since ``direction`` stopped
doing anything (huggingface_hub no longer sends it); ``direction`` is recorded and ignored.

``HubServer.faults`` injects failures (most on the CDN, where the bytes flow; ``fired`` counts
them); what the client asked for is recorded (``requests``, ``cdn_requests``, ``ranges``,
``search_queries``).
"""

from __future__ import annotations

import hashlib
import json
import mmap
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlsplit

COMMIT = "0123456789abcdef0123456789abcdef01234567"
SEND_BLOCK = 256 << 10
SORT_KEYS = {"downloads": "downloads", "likes": "likes", "lastModified": "lastModified",
             "createdAt": "createdAt", "trendingScore": "trendingScore"}
_COMPACT = ("likes", "downloads", "tags", "private", "pipeline_tag", "library_name", "createdAt",
            "trendingScore")


@dataclass
class Faults:
    """Failures to inject. ``*_after`` faults fire once, then clear themselves."""

    drop_after: int | None = None  # CDN: close the connection after this many body bytes
    drop_every: int | None = None  # CDN: close every response after this many body bytes
    stall_after: int | None = None  # CDN: stop sending after this many body bytes (until stop)
    hold_after: int | None = None  # CDN: wait after this many body bytes until ``release()``
    status: int | None = None  # Hub: answer resolve requests with this status (no error code)
    status_count: int | None = None  # ...only this many times (None: every time)
    cdn_status: int | None = None  # CDN: answer with this status (an expired link: 403)
    cdn_status_count: int | None = None  # ...only this many times (None: every time)
    size_lie: int = 0  # Hub: add this to every size it announces (listing and X-Linked-Size)
    linked_size_lie: int = 0  # Hub: add this to X-Linked-Size only
    extra_bytes: int = 0  # CDN: send this many bytes beyond the file (Content-Length says so)
    flip_byte_at: int | None = None  # CDN: corrupt the byte at this file offset
    ignore_range: bool = False  # CDN: answer Range requests with the whole file (200)
    rate: int = 0  # CDN: bytes per second per response (0: as fast as possible)
    hang_api: bool = False  # Hub: API calls (search, repo info) never answer (until stop)


@dataclass
class HostedFile:
    path: str
    source: Path
    sha256: str = ""
    size: int = 0


@dataclass
class HostedRepo:
    repo_id: str
    files: list[HostedFile] = field(default_factory=list)
    gated: bool = False
    downloads: int = 1000
    likes: int = 10
    last_modified: str = "2025-01-01T00:00:00.000Z"
    tags: tuple[str, ...] = ("gguf",)


class HubServer:
    """``with HubServer() as hub: os.environ['HF_ENDPOINT'] = hub.url``."""

    def __init__(self) -> None:
        self.repos: dict[str, HostedRepo] = {}
        self.faults = Faults()
        self.valid_token = "hf_test_token"
        self.bytes_served = 0  # CDN body bytes
        self.requests: list[str] = []  # "GET /path" on the Hub, "CDN GET /path" on the CDN
        self.cdn_requests: list[dict[str, str]] = []  # method, path, range, if_range, etag sent
        self.ranges: list[str] = []  # the Range header of each CDN GET ('' for none)
        self.search_queries: list[dict[str, list[str]]] = []
        self.fired: Counter[str] = Counter()  # how often each fault actually happened
        self.etag_generation = 0  # bump to make the CDN's ETag change (a re-uploaded object)
        self.stalled = threading.Event()
        self.held = threading.Event()
        self._release = threading.Event()
        self._unstall = threading.Event()
        self._lock = threading.Lock()
        self._maps: dict[Path, tuple[object, mmap.mmap]] = {}
        self._httpd = _Server(("127.0.0.1", 0), _HubHandler)
        self._cdn = _Server(("127.0.0.1", 0), _CdnHandler)
        self._httpd.hub = self._cdn.hub = self  # type: ignore[attr-defined]
        self._threads = [threading.Thread(target=s.serve_forever, name=f"test-hub-{n}",
                                          kwargs={"poll_interval": 0.05})
                         for n, s in (("api", self._httpd), ("cdn", self._cdn))]

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def cdn_url(self) -> str:
        """Another host name for the same loopback address: a different host and port, as a CDN
        is (huggingface_hub before 2.4 follows a redirect to the same host name)."""
        port = self._cdn.server_address[1]
        return f"http://localhost:{port}"

    def add_repo(self, repo_id: str, files: dict[str, Path], gated: bool = False,
                 downloads: int = 1000, likes: int = 10, last_modified: str | None = None,
                 tags: tuple[str, ...] = ("gguf",)) -> HostedRepo:
        hosted = []
        for name, src in files.items():
            digest = hashlib.sha256()
            with src.open("rb") as f:
                while block := f.read(1 << 20):
                    digest.update(block)
            hosted.append(HostedFile(name, src, digest.hexdigest(), src.stat().st_size))
        repo = HostedRepo(repo_id, hosted, gated, downloads, likes,
                          last_modified or "2025-01-01T00:00:00.000Z", tags)
        self.repos[repo_id] = repo
        return repo

    def cdn_etag(self, hosted: HostedFile) -> str:
        """The CDN's own ETag for a file: strong, stable, and not the sha256."""
        tag = hashlib.md5(f"{hosted.sha256}:{self.etag_generation}".encode()).hexdigest()
        return f'"{tag}-1"'

    def release(self) -> None:
        """Let a response held by ``faults.hold_after`` continue."""
        self._release.set()

    def start(self) -> HubServer:
        for t in self._threads:
            t.start()
        return self

    def stop(self) -> None:
        self._unstall.set()
        self._release.set()
        for s in (self._httpd, self._cdn):
            s.shutdown()
            s.server_close()
        for t in self._threads:
            t.join()
        for f, m in self._maps.values():
            m.close()
            f.close()  # type: ignore[attr-defined]
        self._maps.clear()

    def __enter__(self) -> HubServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def data(self, src: Path) -> mmap.mmap:
        with self._lock:
            if src not in self._maps:
                f = src.open("rb")
                self._maps[src] = (f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ))
            return self._maps[src][1]

    def count(self, n: int) -> None:
        with self._lock:
            self.bytes_served += n

    def fire(self, fault: str) -> None:
        with self._lock:
            self.fired[fault] += 1

    def find_blob(self, sha256: str) -> HostedFile | None:
        return next((f for r in self.repos.values() for f in r.files if f.sha256 == sha256), None)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that went away mid-file (pause, cancel, stall timeout) is expected


class _Base(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: ThreadingHTTPServer

    def log_message(self, format: str, *args: object) -> None:
        pass

    @property
    def hub(self) -> HubServer:
        return self.server.hub  # type: ignore[attr-defined]

    def do_HEAD(self) -> None:
        self._route(head=True)

    def do_GET(self) -> None:
        self._route(head=False)

    def _route(self, head: bool) -> None:  # each origin's own
        raise NotImplementedError

    def _json(self, payload: object, status: int = 200, code: str = "", message: str = "") -> None:
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        if code:
            self.send_header("X-Error-Code", code)
            self.send_header("X-Error-Message", message)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: int, message: str, code: str = "") -> None:
        self._json({"error": message}, status, code, message)


class _HubHandler(_Base):
    """huggingface.co: the API and the resolve redirects."""

    def _route(self, head: bool) -> None:
        self.hub.requests.append(f"{self.command} {self.path}")
        parts = urlsplit(self.path)
        path, query = unquote(parts.path), parse_qs(parts.query, keep_blank_values=True)
        if path.startswith("/api/") and self.hub.faults.hang_api:
            self.hub._unstall.wait()  # a server that accepted the request and never answers
            self.close_connection = True
            return None
        if path == "/api/models":
            return self._search(query)
        if path == "/api/whoami-v2":
            if self._authorized():
                return self._json({"name": "tester", "auth": {"accessToken": {
                    "displayName": "test", "role": "read"}}})
            return self._error(401, "Invalid credentials in Authorization header")
        if path.startswith("/api/models/"):
            return self._info(path[len("/api/models/"):], query)
        if "/resolve/" in path:
            repo_id, rest = path.lstrip("/").split("/resolve/", 1)
            revision, _, filename = rest.partition("/")
            return self._resolve(repo_id, revision, filename)
        return self._error(404, "Not found")

    # -- API ----------------------------------------------------------------------------------

    def _search(self, query: dict[str, list[str]]) -> None:
        self.hub.search_queries.append(query)
        one = {k: v[-1] for k, v in query.items()}
        sort = one.get("sort", "")
        if sort and sort not in SORT_KEYS:
            return self._error(400, f"Invalid sort parameter: {sort}")
        expand = query.get("expand", []) + query.get("expand[]", [])
        full = one.get("full", "").lower() in ("1", "true")
        if expand and full:
            return self._error(400, "expand cannot be combined with full")
        text = one.get("search", "").lower()
        repos = [r for r in self.hub.repos.values()
                 if text in r.repo_id.lower()
                 and all(t in r.tags for t in query.get("filter", []))
                 and one.get("author", r.repo_id.split("/")[0]) == r.repo_id.split("/")[0]]
        if sort:  # always descending: the real Hub ignores ``direction`` now
            repos.sort(key=lambda r: _fields(r)[SORT_KEYS[sort]], reverse=True)
        limit = min(int(one.get("limit") or 1000), 1000)
        out = []
        for r in repos[:limit]:
            allf = _fields(r)
            keep = expand or (list(allf) if full else list(_COMPACT))
            item: dict[str, object] = {"_id": hashlib.md5(r.repo_id.encode()).hexdigest()[:24],
                                       "id": r.repo_id}
            if not expand:
                item["modelId"] = r.repo_id
            item.update({k: allf[k] for k in keep if k in allf})
            out.append(item)
        return self._json(out)

    def _info(self, rest: str, query: dict[str, list[str]]) -> None:
        repo_id = rest.split("/revision/")[0]
        repo = self.hub.repos.get(repo_id)
        if repo is None:
            return self._error(401, "Repository not found", "RepoNotFound")
        blobs = (query.get("blobs") or [""])[-1].lower() in ("1", "true")
        lie = self.hub.faults.size_lie
        if lie and blobs:
            self.hub.fire("size_lie")
        siblings: list[dict[str, object]] = []
        for f in repo.files:
            s: dict[str, object] = {"rfilename": f.path}
            if blobs:
                s.update({"size": f.size + lie, "blobId": f.sha256[:40],
                          "lfs": {"sha256": f.sha256, "size": f.size + lie, "pointerSize": 134}})
            siblings.append(s)
        info = {**_fields(repo), "id": repo.repo_id, "modelId": repo.repo_id, "sha": COMMIT,
                "siblings": siblings}
        return self._json(info)

    def _authorized(self) -> bool:
        return self.headers.get("Authorization", "") == f"Bearer {self.hub.valid_token}"

    # -- resolve: a redirect to the CDN ---------------------------------------------------------

    def _resolve(self, repo_id: str, revision: str, filename: str) -> None:
        hub, faults = self.hub, self.hub.faults
        repo = hub.repos.get(repo_id)
        if repo is None:
            return self._error(401, "Repository not found", "RepoNotFound")
        if repo.gated and not self._authorized():
            return self._error(401, f"Access to model {repo_id} is restricted. You must have "
                               "access to it and be authenticated to access it.", "GatedRepo")
        if faults.status is not None:
            hub.fire("status")
            status = faults.status
            if faults.status_count is not None:
                faults.status_count -= 1
                if faults.status_count <= 0:
                    faults.status, faults.status_count = None, None
            return self._error(status, "Injected failure")
        hosted = next((f for f in repo.files if f.path == filename), None)
        if hosted is None:
            return self._error(404, "Entry not found", "EntryNotFound")
        location = (f"{hub.cdn_url}/repos/{hosted.sha256[:2]}/{hosted.sha256}"
                    f"?X-Amz-Expires=3600&X-Amz-Signature={time.monotonic_ns():x}"
                    f"&response-content-disposition={quote(filename.rsplit('/', 1)[-1])}")
        if faults.linked_size_lie:
            hub.fire("linked_size_lie")
        body = f"Found. Redirecting to {location}".encode()
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("ETag", f'W/"{hashlib.md5(body).hexdigest()[:16]}"')
        self.send_header("X-Linked-Etag", f'"{hosted.sha256}"')
        self.send_header("X-Linked-Size", str(hosted.size + faults.size_lie
                                              + faults.linked_size_lie))
        self.send_header("X-Repo-Commit", COMMIT)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def _fields(r: HostedRepo) -> dict[str, object]:
    """A repo's properties as the Hub names them (what ``full`` or ``expand`` can return)."""
    return {"downloads": r.downloads, "likes": r.likes, "lastModified": r.last_modified,
            "createdAt": "2024-06-01T00:00:00.000Z", "trendingScore": r.likes // 2,
            "gated": "manual" if r.gated else False, "private": False, "tags": list(r.tags),
            "pipeline_tag": "text-generation", "library_name": "gguf", "sha": COMMIT}


class _CdnHandler(_Base):
    """The CDN: bytes with Range, against its own ETag."""

    def _route(self, head: bool) -> None:
        hub, faults = self.hub, self.hub.faults
        hub.requests.append(f"CDN {self.command} {self.path}")
        path = urlsplit(self.path).path
        hosted = hub.find_blob(path.rsplit("/", 1)[-1]) if path.startswith("/repos/") else None
        rng = self.headers.get("Range") or ""
        if_range = self.headers.get("If-Range") or ""
        etag = hub.cdn_etag(hosted) if hosted else ""
        hub.cdn_requests.append({"method": self.command, "path": path, "range": rng,
                                 "if_range": if_range, "etag": etag})
        if not head:
            hub.ranges.append(rng)
        if hosted is None:
            return self._error(404, "NoSuchKey")
        if faults.cdn_status is not None:
            hub.fire("cdn_status")
            status = faults.cdn_status
            if faults.cdn_status_count is not None:
                faults.cdn_status_count -= 1
                if faults.cdn_status_count <= 0:
                    faults.cdn_status, faults.cdn_status_count = None, None
            return self._error(status, "Injected CDN failure")
        size = hosted.size
        start, stop, status = 0, size, 200
        if rng and faults.ignore_range and not head:
            hub.fire("ignore_range")
        if (rng.startswith("bytes=") and not faults.ignore_range
                and (not if_range or if_range == etag)):
            first, _, last = rng[len("bytes="):].partition("-")
            start = int(first or 0)
            stop = min(size, int(last) + 1) if last else size
            if start >= size:
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{size}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            status = 206
        extra = 0 if head or stop < size else faults.extra_bytes
        self.send_response(status)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("ETag", etag)
        self.send_header("Content-Length", str(stop - start + extra))
        self.send_header("Content-Disposition",
                         f'attachment; filename="{hosted.path.rsplit("/", 1)[-1][:100]}"')
        if status == 206:
            self.send_header("Content-Range", f"bytes {start}-{stop - 1}/{size}")
        self.end_headers()
        if not head:
            self._send_body(hub.data(hosted.source), start, stop, extra)
        return None

    def _send_body(self, data: mmap.mmap, start: int, stop: int, extra: int) -> None:
        hub, faults = self.hub, self.hub.faults
        pos, sent, began = start, 0, time.monotonic()
        while pos < stop:
            if faults.rate:  # a network of this speed: never ahead of rate x elapsed
                ahead = sent / faults.rate - (time.monotonic() - began)
                if ahead > 0:
                    time.sleep(ahead)
            end = min(stop, pos + SEND_BLOCK)
            if faults.drop_every is not None and sent + (end - pos) >= faults.drop_every:
                self._write(data, pos, pos + max(0, faults.drop_every - sent))
                return self._drop()
            if faults.drop_after is not None and end >= faults.drop_after > pos:
                end, faults.drop_after = faults.drop_after, None
                self._write(data, pos, end)
                return self._drop()
            if faults.stall_after is not None and end >= faults.stall_after > pos:
                end, faults.stall_after = faults.stall_after, None
                self._write(data, pos, end)
                self.wfile.flush()
                hub.fire("stall")
                hub.stalled.set()
                hub._unstall.wait()
                self.close_connection = True
                return None
            if faults.hold_after is not None and end >= faults.hold_after > pos:
                end, faults.hold_after = faults.hold_after, None
                self._write(data, pos, end)
                self.wfile.flush()
                hub.held.set()
                hub._release.wait()
                hub._release.clear()
                sent, pos = sent + end - pos, end
                continue
            self._write(data, pos, end)
            sent, pos = sent + end - pos, end
        if extra:
            hub.fire("extra_bytes")
            self.wfile.write(b"\0" * extra)
            hub.count(extra)
        return None

    def _drop(self) -> None:
        self.hub.fire("drop")
        self.wfile.flush()
        self.connection.shutdown(socket.SHUT_RDWR)
        self.close_connection = True

    def _write(self, data: mmap.mmap, pos: int, end: int) -> None:
        if end <= pos:
            return
        block = bytearray(data[pos:end])
        flip = self.hub.faults.flip_byte_at
        if flip is not None and pos <= flip < end:
            self.hub.fire("flip_byte")
            block[flip - pos] ^= 0xFF
        try:
            self.wfile.write(block)
        except OSError:
            self.close_connection = True
            raise
        self.hub.count(len(block))


if __name__ == "__main__":  # ``python -m tests.support.hub``: see tests/support/hub_process.py
    from tests.support.hub_process import main

    raise SystemExit(main())
