"""Everything Hub-side except the byte transfer: search, a repo's GGUF files, URLs, auth headers
and the token, through huggingface_hub (Qt-free).

huggingface_hub is imported lazily, inside the functions, so that starting the app never imports
it (and so never reads its environment or opens a connection). ``HF_ENDPOINT`` is read at call
time and passed explicitly, because huggingface_hub reads it only once, when it is imported.
Every request goes through the library's shared HTTP client (``get_session``), with the hooks of
``models.net`` so that quitting can cut a call in flight. The search request is built here (the
Hub's query parameters, with an explicit timeout and a bounded answer); the library's
``list_models`` has no timeout. Every failure leaves this module as a ``HubError`` whose ``str()``
is one sentence for the user.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from typing import Any

from desktopchat.models import names, net
from desktopchat.models.names import UnsafeName

log = logging.getLogger(__name__)

DEFAULT_ENDPOINT = "https://huggingface.co"
# The app's sort names and the Hub's (``/api/models?sort=``); the Hub sorts descending.
SORTS = {"downloads": "downloads", "likes": "likes", "recent": "lastModified"}
# The properties a search asks for (without them the Hub leaves out lastModified and gated).
SEARCH_EXPAND = ("downloads", "likes", "lastModified", "gated")
SEARCH_TIMEOUT = 30.0
MAX_SEARCH_BYTES = 8 << 20
MAX_SEARCH_RESULTS = 100
TOKEN_HINT = (
    "accept its licence on the model's Hub page, then add an access token with "
    "'desktopchat models login' (or set HF_TOKEN)"
)

# Quantization labels as they appear in GGUF file names, longest first so "Q4_K_M" wins over "Q4_K".
_QUANT_RE = re.compile(
    r"(?<![A-Za-z0-9])("
    r"IQ[1-4]_(?:XXS|XS|S|M|NL)|TQ[12]_0|MXFP4|"
    r"Q[2-8]_K_(?:XL|L|M|S)|Q[2-8]_K|Q[4-8]_[01]|Q2_K|"
    r"BF16|F16|F32|FP16|FP32"
    r")(?![A-Za-z0-9])",
    re.IGNORECASE,
)
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}")


class HubError(Exception):
    """A Hub call failed; ``str()`` is one sentence the user can act on. ``status`` is the HTTP
    status when there was one; ``retryable``: trying again later may help."""

    def __init__(self, message: str, status: int | None = None, retryable: bool = True) -> None:
        super().__init__(message)
        self.status = status
        self.retryable = retryable


class OfflineError(HubError):
    """Refused because offline mode is on (no connection was attempted)."""


@dataclass(frozen=True)
class HubRepo:
    repo_id: str
    downloads: int
    likes: int
    last_modified: str
    gated: bool


@dataclass(frozen=True)
class HubFile:
    """One file of a repo, with the Hub's LFS sha256 (empty when the Hub did not give one)."""

    path: str
    size: int
    sha256: str


@dataclass(frozen=True)
class HubModelFile:
    """One downloadable model: a single GGUF, or all parts of a split GGUF (loaded via part 1)."""

    repo_id: str
    revision: str
    name: str
    quantization: str
    parts: tuple[HubFile, ...]

    @property
    def size(self) -> int:
        return sum(p.size for p in self.parts)

    @property
    def first(self) -> HubFile:
        return self.parts[0]


@dataclass(frozen=True)
class RepoFiles:
    repo_id: str
    revision: str  # the commit sha the listing was made at (pins every download from it)
    gated: bool
    files: tuple[HubModelFile, ...]

    def find(self, filename: str) -> HubModelFile | None:
        """A model by its name, by any of its parts' paths, or by a part's base name."""
        for f in self.files:
            names_ = {f.name} | {p.path for p in f.parts} | {p.path.rsplit("/", 1)[-1]
                                                            for p in f.parts}
            if filename in names_:
                return f
        return None


# -- environment ------------------------------------------------------------------------------


def endpoint() -> str:
    """The Hub to talk to: ``HF_ENDPOINT`` (read now, not at import) or huggingface.co."""
    return (os.environ.get("HF_ENDPOINT") or DEFAULT_ENDPOINT).rstrip("/")


def env_offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "").strip().upper() in {"1", "ON", "YES", "TRUE"}


def ensure_online(offline: bool = False) -> None:
    """The app's own guard: refuse before any socket is opened while offline mode is on."""
    if offline or env_offline():
        raise OfflineError(
            "Offline mode is on, so the Hub was not contacted; turn Offline off to search or "
            "download."
        )


_OFFLINE_SET_BY_US = False


def set_offline_env(offline: bool) -> None:
    """Set ``HF_HUB_OFFLINE`` (effective for huggingface_hub only if it is not imported yet;
    ``ensure_online`` covers the rest). Turning it off only undoes what we set, never the user's
    own environment."""
    global _OFFLINE_SET_BY_US
    if offline and not env_offline():
        os.environ["HF_HUB_OFFLINE"] = "1"
        _OFFLINE_SET_BY_US = True
    elif not offline and _OFFLINE_SET_BY_US:
        os.environ.pop("HF_HUB_OFFLINE", None)
        _OFFLINE_SET_BY_US = False


# -- names --------------------------------------------------------------------------------------


def quant_label(filename: str) -> str:
    """The quantization a file name announces (``Q4_K_M``, ``IQ4_XS``, ``BF16``...), or ``?``."""
    name = filename.rsplit("/", 1)[-1]
    matches = _QUANT_RE.findall(name)
    if not matches:
        return "?"
    label = matches[-1].upper()
    return str({"FP16": "F16", "FP32": "F32"}.get(label, label))


split_info = names.split_info


def group_gguf_files(repo_id: str, revision: str, files: list[HubFile]) -> list[HubModelFile]:
    """Single GGUFs as they are; split GGUFs as one model when every part is present. A file
    whose name cannot be stored safely (``names.local_file_name``) is not offered."""
    singles: list[HubModelFile] = []
    groups: dict[tuple[str, int], dict[int, HubFile]] = {}
    for f in files:
        if not f.path.lower().endswith(".gguf"):
            continue
        try:
            names.local_file_name(f.path)
        except UnsafeName as exc:
            log.warning("%s: not offering %r: %s", repo_id, f.path[:200], exc)
            continue
        info = split_info(f.path)
        if info is None:
            singles.append(HubModelFile(repo_id, revision, f.path, quant_label(f.path), (f,)))
        else:
            base, no, count = info
            groups.setdefault((base, count), {})[no] = f
    for (base, count), parts in groups.items():
        if sorted(parts) != list(range(1, count + 1)):
            log.warning("%s: split model %s is missing parts; not offered", repo_id, base)
            continue
        ordered = tuple(parts[i] for i in range(1, count + 1))
        singles.append(HubModelFile(repo_id, revision, ordered[0].path, quant_label(base), ordered))
    return sorted(singles, key=lambda m: m.name.lower())


def install_folder_name(repo_id: str) -> str:
    """``owner/repo`` -> ``owner__repo`` (one folder per repo under the models folder); raises
    ``HubError`` for a repo id that is not a well-formed Hub name."""
    try:
        return names.repo_folder_name(repo_id)
    except UnsafeName as exc:
        raise HubError(str(exc), retryable=False) from exc


# -- calls to the Hub -----------------------------------------------------------------------------


def _api() -> Any:
    from huggingface_hub import HfApi

    http_session()  # the shared client, with the interrupt hooks
    return HfApi(endpoint=endpoint())


def search_query(query: str, sort: str = "downloads", limit: int = 30) -> dict[str, Any]:
    """The parameters of a GGUF search, as the Hub's ``/api/models`` takes them."""
    params: dict[str, Any] = {"filter": "gguf", "sort": SORTS.get(sort, "downloads"),
                              "limit": max(1, min(limit, MAX_SEARCH_RESULTS)),
                              "expand": list(SEARCH_EXPAND)}
    if query.strip():
        params["search"] = query.strip()[:200]
    return params


def search_models(
    query: str, sort: str = "downloads", limit: int = 30, offline: bool = False
) -> list[HubRepo]:
    """GGUF repos matching ``query``, most downloaded, most liked or most recent first."""
    ensure_online(offline)
    doing = f"searching the Hub for '{query[:100]}'"
    try:
        from huggingface_hub.utils import hf_raise_for_status

        with http_session().stream(
            "GET", f"{endpoint()}/api/models", params=search_query(query, sort, limit),
            headers=auth_headers(), timeout=SEARCH_TIMEOUT, follow_redirects=True,
        ) as r:
            if r.status_code >= 400:
                r.read()
                hf_raise_for_status(r)
            body = bytearray()
            for block in r.iter_bytes():
                body += block
                if len(body) > MAX_SEARCH_BYTES:
                    raise HubError(f"The Hub sent an oversized answer while {doing}.")
        import json

        items = json.loads(bytes(body))
    except Exception as exc:
        raise translate_error(exc, doing) from exc
    if not isinstance(items, list):
        raise HubError(f"The Hub sent an answer that is not a list of models while {doing}.")
    return [repo for item in items[:MAX_SEARCH_RESULTS] if (repo := _repo(item)) is not None]


def _repo(item: object) -> HubRepo | None:
    """One search result, or None for an entry with a malformed or unsafe repo id."""
    if not isinstance(item, dict):
        return None
    repo_id = item.get("id")
    if not isinstance(repo_id, str):
        return None
    try:
        names.repo_folder_name(repo_id)
    except UnsafeName:
        log.warning("ignoring a search result with an unusable repo id %r", repo_id[:200])
        return None

    def count(key: str) -> int:
        v = item.get(key)
        return v if isinstance(v, int) and not isinstance(v, bool) and v >= 0 else 0

    modified = item.get("lastModified")
    date = modified[:10] if isinstance(modified, str) and _DATE_RE.match(modified) else ""
    gated = item.get("gated")
    return HubRepo(repo_id, count("downloads"), count("likes"), date,
                   gated not in (None, False, "false", ""))


def list_repo_files(repo_id: str, revision: str | None = None, offline: bool = False) -> RepoFiles:
    """A repo's GGUF models with sizes and LFS sha256, pinned to the commit the listing saw."""
    ensure_online(offline)
    install_folder_name(repo_id)  # a malformed id is refused here, in one sentence
    try:
        info = _api().model_info(repo_id, revision=revision, files_metadata=True, timeout=30.0)
    except Exception as exc:
        raise translate_error(exc, f"listing the files of {repo_id}") from exc
    commit = info.sha or revision or "main"
    files = [
        HubFile(
            path=s.rfilename,
            size=int(s.lfs.size if s.lfs else (s.size or 0)),
            sha256=str(s.lfs.sha256 if s.lfs else ""),
        )
        for s in (info.siblings or [])
    ]
    models = tuple(group_gguf_files(repo_id, commit, files))
    return RepoFiles(repo_id, commit, bool(info.gated), models)


def resolve_url(repo_id: str, filename: str, revision: str) -> str:
    from huggingface_hub import hf_hub_url

    return str(hf_hub_url(repo_id, filename, revision=revision, endpoint=endpoint()))


def refusal(status: int, error_code: str, what: str = "access to this model") -> HubError:
    """A 401/403 in one sentence: "gated" only when the Hub says the repo is gated
    (``X-Error-Code: GatedRepo``); otherwise a plain refusal."""
    if error_code == "GatedRepo":
        return HubError(f"The Hub refused {what} because the model is gated: {TOKEN_HINT}.",
                        status)
    if error_code == "RepoNotFound":
        return HubError(f"The Hub refused {what}: it has no model by that name, or the model is "
                        "private.", status, retryable=False)
    return HubError(f"The Hub refused {what} (error {status}); the model may be private, or your "
                    "access token may not allow it.", status)


def read_remote_header(model: HubModelFile, offline: bool = False) -> Any:
    """The GGUF header of a model's first file, read with HTTP Range requests (a few MB, not
    the file), so its fit can be estimated before downloading. Returns a ``GGUFInfo``."""
    from desktopchat.models.gguf import GGUFError, GGUFIncomplete, read_gguf_prefix

    ensure_online(offline)
    url = resolve_url(model.repo_id, model.first.path, model.revision)
    want = min(model.first.size, 4 << 20)
    while True:
        headers = auth_headers()
        headers["Range"] = f"bytes=0-{want - 1}"
        try:
            data, status, code = _read_prefix(url, headers, want)
        except Exception as exc:
            raise translate_error(exc, f"reading the header of {model.name}") from exc
        if status not in (200, 206):
            if status in (401, 403):
                raise refusal(status, code, "to send the header of this model")
            raise HubError(f"The Hub answered with error {status} while reading the header of "
                           f"{model.name}.", status)
        try:
            return read_gguf_prefix(data, model.first.size, model.first.path)
        except GGUFIncomplete as exc:
            if want >= model.first.size or want >= 256 << 20:
                raise HubError(f"The header of {model.name} is too large to read.") from exc
            want = min(model.first.size, max(exc.needed + (1 << 20), want * 2))
        except GGUFError as exc:
            raise HubError(f"{model.name} is not a usable model: {exc}.") from exc


def _read_prefix(url: str, headers: dict[str, str], want: int) -> tuple[bytes, int, str]:
    """At most ``want`` bytes from the start (even if the server ignores Range)."""
    out = bytearray()
    with http_session().stream("GET", url, headers=headers, follow_redirects=True,
                               timeout=30.0) as r:
        if r.status_code in (200, 206):
            for block in r.iter_bytes():
                out += block
                if len(out) >= want:
                    break
        return bytes(out[:want]), int(r.status_code), r.headers.get("X-Error-Code", "")


def auth_headers() -> dict[str, str]:
    """The Hub client's own headers: user agent and the stored token (``get_token``)."""
    from huggingface_hub.utils import build_hf_headers

    headers = dict(build_hf_headers())
    headers["Accept-Encoding"] = "identity"  # byte offsets must be offsets in the file
    return headers


def http_session() -> Any:
    """huggingface_hub's shared HTTP client (``get_session``: same proxies and settings as the
    library's own calls), with ``models.net``'s hooks so a call in flight can be cut."""
    from huggingface_hub.utils import get_session

    return net.install(get_session())


def httpx() -> Any:
    """The HTTP library huggingface_hub is built on (``huggingface_hub.utils.httpx``: httpx in
    1.x, httpx2 in 2.x), for its exception and timeout types."""
    from huggingface_hub.utils import httpx as module

    return module


def save_token(token: str) -> None:
    """Validate a token against the Hub and store it with the Hub's own token storage."""
    ensure_online()
    from huggingface_hub import login

    http_session()
    try:
        login(token=token.strip(), add_to_git_credential=False)
    except Exception as exc:
        status = getattr(getattr(exc, "response", None), "status_code", None)
        if status in (401, 403) or isinstance(exc, ValueError):
            log.warning("the Hub rejected the token", exc_info=exc)
            raise HubError("The Hub did not accept that access token; copy it again from your "
                           "Hub settings (Access Tokens).") from exc
        raise translate_error(exc, "checking the access token") from exc


def has_token() -> bool:
    from huggingface_hub import get_token

    return get_token() is not None


def translate_error(exc: BaseException, doing: str) -> HubError:
    """One sentence for any failure of a Hub call (the traceback goes to the log)."""
    if isinstance(exc, HubError):
        return exc
    if isinstance(exc, net.Interrupted):
        return HubError(f"Stopped while {doing}.")
    log.warning("Hub call failed while %s", doing, exc_info=exc)
    from huggingface_hub import errors

    response = getattr(exc, "response", None)
    status = getattr(response, "status_code", None)
    if isinstance(exc, errors.OfflineModeIsEnabled):
        return OfflineError("Offline mode is on, so the Hub was not contacted.", retryable=False)
    if isinstance(exc, errors.HFValidationError):
        return HubError(f"That is not a valid Hub repo or file name ({doing}).", retryable=False)
    if isinstance(exc, errors.GatedRepoError):
        return HubError(f"This model is gated: {TOKEN_HINT}.", status)
    if isinstance(exc, errors.RevisionNotFoundError):
        return HubError(f"That revision does not exist on the Hub ({doing}).", status, False)
    if isinstance(exc, errors.RepositoryNotFoundError):
        return HubError(f"The Hub has no model by that name, or it is private ({doing}); "
                        "check the name.", status, retryable=False)
    if isinstance(exc, errors.EntryNotFoundError) or status == 404:
        return HubError(f"The Hub has no such model or file (404) while {doing}; check the name.",
                        status, retryable=False)
    if status in (401, 403):
        code = response.headers.get("X-Error-Code", "") if response is not None else ""
        return refusal(int(status), code)
    if status is not None:
        return HubError(f"The Hub answered with error {status} while {doing}; try again later.",
                        int(status))
    return HubError(
        f"The Hub could not be reached while {doing}; check your network connection and try again."
    )
