"""A real Hugging Face Hub on loopback, for tests (pure stdlib; nothing in the app imports it).

It speaks the parts of the Hub protocol the app uses: model search (``/api/models``), repo info
with LFS sha256 and sizes (``/api/models/<repo>[/revision/<rev>]?blobs=true``), ``whoami-v2``,
and ``HEAD``/``GET /<repo>/resolve/<revision>/<file>`` with ``ETag``, ``X-Repo-Commit``,
``X-Linked-Size``, ``X-Linked-Etag`` and Range (206, ``Content-Range``, ``If-Range``). Files are
served from an mmap. ``HubServer.faults`` injects one failure at a time: drop the connection
mid-file, stall, refuse (401/403/404), lie about the size, send extra bytes, flip a byte.
"""

from __future__ import annotations

import hashlib
import json
import mmap
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

COMMIT = "0123456789abcdef0123456789abcdef01234567"
SEND_BLOCK = 256 << 10


@dataclass
class Faults:
    """Failures to inject; each ``*_after`` fault fires once, then clears itself."""

    drop_after: int | None = None  # close the connection after this many body bytes
    stall_after: int | None = None  # stop sending after this many body bytes (until shutdown)
    hold_after: int | None = None  # wait after this many body bytes until ``release()``
    status: int | None = None  # answer every resolve request with this status
    size_lie: int = 0  # add this to the size the headers announce (HEAD and GET)
    extra_bytes: int = 0  # send this many bytes more than the file (Content-Length says so)
    flip_byte_at: int | None = None  # corrupt the byte at this file offset in GET bodies
    ignore_range: bool = False  # answer Range requests with the whole file (200), as some do
    rate: int = 0  # bytes per second each file body is sent at (0: as fast as possible)


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


class HubServer:
    """``with HubServer() as hub: os.environ['HF_ENDPOINT'] = hub.url``."""

    def __init__(self) -> None:
        self.repos: dict[str, HostedRepo] = {}
        self.faults = Faults()
        self.valid_token = "hf_test_token"
        self.bytes_served = 0
        self.requests: list[str] = []
        self.ranges: list[str] = []  # the Range header of each GET of a file ('' for none)
        self.stalled = threading.Event()
        self.held = threading.Event()
        self._release = threading.Event()
        self._unstall = threading.Event()
        self._lock = threading.Lock()
        self._maps: dict[Path, tuple[object, mmap.mmap]] = {}
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.hub = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="test-hub",
                                        kwargs={"poll_interval": 0.05})

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def add_repo(self, repo_id: str, files: dict[str, Path], gated: bool = False,
                 downloads: int = 1000, likes: int = 10) -> HostedRepo:
        hosted = []
        for name, src in files.items():
            digest = hashlib.sha256()
            with src.open("rb") as f:
                while block := f.read(1 << 20):
                    digest.update(block)
            hosted.append(HostedFile(name, src, digest.hexdigest(), src.stat().st_size))
        repo = HostedRepo(repo_id, hosted, gated, downloads, likes)
        self.repos[repo_id] = repo
        return repo

    def release(self) -> None:
        """Let a response held by ``faults.hold_after`` continue."""
        self._release.set()

    def start(self) -> HubServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._unstall.set()
        self._release.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()
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


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that went away mid-file (pause, cancel, stall timeout) is expected


class _Handler(BaseHTTPRequestHandler):
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

    def _route(self, head: bool) -> None:
        self.hub.requests.append(f"{self.command} {self.path}")
        parts = urlsplit(self.path)
        path, query = unquote(parts.path), parse_qs(parts.query)
        if path == "/api/models":
            return self._search(query)
        if path == "/api/whoami-v2":
            if self._authorized():
                return self._json({"name": "tester", "auth": {"accessToken": {
                    "displayName": "test", "role": "read"}}})
            return self._error(401, "Invalid credentials")
        if path.startswith("/api/models/"):
            return self._info(path[len("/api/models/"):])
        if "/resolve/" in path:
            repo_id, rest = path.lstrip("/").split("/resolve/", 1)
            revision, _, filename = rest.partition("/")
            return self._resolve(repo_id, revision, filename, head)
        self._error(404, "Not found")

    # -- API ----------------------------------------------------------------------------------

    def _search(self, query: dict[str, list[str]]) -> None:
        text = (query.get("search") or [""])[0].lower()
        sort = (query.get("sort") or ["downloads"])[0]
        limit = int((query.get("limit") or ["1000"])[0])
        repos = [r for r in self.hub.repos.values() if text in r.repo_id.lower()]
        key = {"likes": lambda r: r.likes, "lastModified": lambda r: r.last_modified}.get(
            sort, lambda r: r.downloads)
        repos.sort(key=key, reverse=True)
        self._json([{"id": r.repo_id, "modelId": r.repo_id, "downloads": r.downloads,
                     "likes": r.likes, "lastModified": r.last_modified, "gated": r.gated,
                     "tags": ["gguf"], "private": False} for r in repos[:limit]])

    def _info(self, rest: str) -> None:
        repo_id = rest.split("/revision/")[0]
        repo = self.hub.repos.get(repo_id)
        if repo is None:
            return self._error(404, "Repository not found", "RepoNotFound")
        siblings = [{"rfilename": f.path, "size": f.size, "blobId": f.sha256[:40],
                     "lfs": {"sha256": f.sha256, "size": f.size, "pointerSize": 134}}
                    for f in repo.files]
        self._json({"id": repo.repo_id, "modelId": repo.repo_id, "sha": COMMIT,
                    "gated": "manual" if repo.gated else False, "private": False,
                    "downloads": repo.downloads, "likes": repo.likes, "tags": ["gguf"],
                    "siblings": siblings, "lastModified": repo.last_modified})

    def _authorized(self) -> bool:
        return self.headers.get("Authorization", "") == f"Bearer {self.hub.valid_token}"

    # -- files --------------------------------------------------------------------------------

    def _resolve(self, repo_id: str, revision: str, filename: str, head: bool) -> None:
        hub, faults = self.hub, self.hub.faults
        repo = hub.repos.get(repo_id)
        if repo is None:
            return self._error(404, "Repository not found", "RepoNotFound")
        if repo.gated and not self._authorized():
            return self._error(403, "Access to this model is restricted", "GatedRepo")
        if faults.status is not None:
            return self._error(faults.status, "Injected failure")
        hosted = next((f for f in repo.files if f.path == filename), None)
        if hosted is None:
            return self._error(404, "Entry not found", "EntryNotFound")
        data = hub.data(hosted.source)
        size = hosted.size
        announced = size + faults.size_lie
        start, stop, status = 0, size, 200
        rng = self.headers.get("Range")
        if not head:
            self.hub.ranges.append(rng or "")
        if_range = self.headers.get("If-Range", "").strip('"')
        if (rng and rng.startswith("bytes=") and not faults.ignore_range
                and (not if_range or if_range == hosted.sha256)):
            first, _, last = rng[len("bytes="):].partition("-")
            start = int(first or 0)
            stop = min(size, int(last) + 1) if last else size
            if start >= size:
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{size}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            status = 206
        extra = 0 if head or stop < size else faults.extra_bytes
        length = (announced if stop == size else stop) - start + extra
        self.send_response(status)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("ETag", f'"{hosted.sha256}"')
        self.send_header("X-Linked-Etag", f'"{hosted.sha256}"')
        self.send_header("X-Linked-Size", str(announced))
        self.send_header("X-Repo-Commit", COMMIT)
        self.send_header("Content-Length", str(length))
        if status == 206:
            self.send_header("Content-Range", f"bytes {start}-{stop - 1}/{size}")
        self.end_headers()
        if not head:
            self._send_body(data, start, stop, extra)

    def _send_body(self, data: mmap.mmap, start: int, size: int, extra: int) -> None:
        faults = self.hub.faults
        pos = start
        began = time.monotonic()
        while pos < size:
            if faults.rate:  # a network of this speed: never ahead of rate x elapsed
                ahead = (pos - start) / faults.rate - (time.monotonic() - began)
                if ahead > 0:
                    time.sleep(ahead)
            end = min(size, pos + SEND_BLOCK)
            if faults.drop_after is not None and end >= faults.drop_after > pos:
                end = faults.drop_after
                faults.drop_after = None
                self._write(data, pos, end)
                self.wfile.flush()
                self.connection.shutdown(socket.SHUT_RDWR)
                self.close_connection = True
                return
            if faults.stall_after is not None and end >= faults.stall_after > pos:
                end = faults.stall_after
                faults.stall_after = None
                self._write(data, pos, end)
                self.wfile.flush()
                self.hub.stalled.set()
                self.hub._unstall.wait()
                self.close_connection = True
                return
            if faults.hold_after is not None and end >= faults.hold_after > pos:
                end = faults.hold_after
                faults.hold_after = None
                self._write(data, pos, end)
                self.wfile.flush()
                self.hub.held.set()
                self.hub._release.wait()
                self.hub._release.clear()
                pos = end
                continue
            self._write(data, pos, end)
            pos = end
        if extra:
            self.wfile.write(b"\0" * extra)
            self.hub.count(extra)

    def _write(self, data: mmap.mmap, pos: int, end: int) -> None:
        block = bytearray(data[pos:end])
        flip = self.hub.faults.flip_byte_at
        if flip is not None and pos <= flip < end:
            block[flip - pos] ^= 0xFF
        try:
            self.wfile.write(block)
        except OSError:
            self.close_connection = True
            raise
        self.hub.count(len(block))

    # -- helpers ------------------------------------------------------------------------------

    def _json(self, payload: object) -> None:
        body = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: int, message: str, code: str = "") -> None:
        body = json.dumps({"error": message}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        if code:
            self.send_header("X-Error-Code", code)
            self.send_header("X-Error-Message", message)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def main(argv: list[str] | None = None) -> int:
    """``python -m tests.support.hub --file REPO/NAME=PATH [--rate BYTES_PER_S]``: serve on
    127.0.0.1 in this process (for benchmarks: the Hub's work stays out of the app's process),
    print the URL, and stop when stdin closes."""
    import argparse
    import sys

    ap = argparse.ArgumentParser(description=main.__doc__)
    ap.add_argument("--file", action="append", default=[], help="owner/repo/name=path")
    ap.add_argument("--rate", type=int, default=0, help="bytes per second (0: unlimited)")
    args = ap.parse_args(argv)
    server = HubServer()
    server.faults.rate = args.rate
    repos: dict[str, dict[str, Path]] = {}
    for spec in args.file:
        target, _, src = spec.partition("=")
        owner, repo, name = target.split("/", 2)
        repos.setdefault(f"{owner}/{repo}", {})[name] = Path(src)
    for repo_id, files in repos.items():
        server.add_repo(repo_id, files)
    with server:
        print(server.url, flush=True)
        sys.stdin.read()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

