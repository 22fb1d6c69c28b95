"""Everything Hub-side except the byte transfer: search, a repo's GGUF files, URLs, metadata,
auth headers and the token, through huggingface_hub (Qt-free).

huggingface_hub is imported lazily, inside the functions, so that starting the app never imports
it (and so never reads its environment or opens a connection). ``HF_ENDPOINT`` is read at call
time and passed explicitly, because huggingface_hub reads it only once, when it is imported.
Every failure leaves this module as a ``HubError`` whose ``str()`` is one sentence for the user.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)

DEFAULT_ENDPOINT = "https://huggingface.co"
SORTS = {"downloads": "downloads", "likes": "likes", "recent": "last_modified"}
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
_SPLIT_RE = re.compile(r"^(?P<base>.+)-(?P<no>\d{5})-of-(?P<count>\d{5})\.gguf$", re.IGNORECASE)


class HubError(Exception):
    """A Hub call failed; ``str()`` is one sentence the user can act on."""


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
            names = {f.name} | {p.path for p in f.parts} | {p.path.rsplit("/", 1)[-1] for p in f.parts}
            if filename in names:
                return f
        return None


@dataclass(frozen=True)
class RemoteFile:
    url: str
    size: int | None
    etag: str
    commit: str


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
    return {"FP16": "F16", "FP32": "F32"}.get(label, label)


def split_info(path: str) -> tuple[str, int, int] | None:
    """``(base, part number, part count)`` for ``x-00001-of-00003.gguf``, else None."""
    m = _SPLIT_RE.match(path)
    if not m:
        return None
    return m["base"], int(m["no"]), int(m["count"])


def group_gguf_files(repo_id: str, revision: str, files: list[HubFile]) -> list[HubModelFile]:
    """Single GGUFs as they are; split GGUFs as one model when every part is present."""
    singles: list[HubModelFile] = []
    groups: dict[tuple[str, int], dict[int, HubFile]] = {}
    for f in files:
        if not f.path.lower().endswith(".gguf"):
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
    """``owner/repo`` -> ``owner__repo`` (one folder per repo under the models folder)."""
    return repo_id.replace("/", "__")


# -- calls to the Hub -----------------------------------------------------------------------------


def _api() -> Any:
    from huggingface_hub import HfApi

    return HfApi(endpoint=endpoint())


def search_models(
    query: str, sort: str = "downloads", limit: int = 30, offline: bool = False
) -> list[HubRepo]:
    """GGUF repos matching ``query`` (sort: downloads, likes or recent)."""
    ensure_online(offline)
    try:
        items = _api().list_models(
            search=query or None, filter="gguf", sort=SORTS.get(sort, "downloads"), limit=limit
        )
        return [
            HubRepo(
                repo_id=m.id,
                downloads=int(m.downloads or 0),
                likes=int(m.likes or 0),
                last_modified=m.last_modified.date().isoformat() if m.last_modified else "",
                gated=bool(m.gated),
            )
            for m in items
        ]
    except Exception as exc:
        raise translate_error(exc, f"searching the Hub for '{query}'") from exc


def list_repo_files(repo_id: str, revision: str | None = None, offline: bool = False) -> RepoFiles:
    """A repo's GGUF models with sizes and LFS sha256, pinned to the commit the listing saw."""
    ensure_online(offline)
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


def file_metadata(url: str, offline: bool = False) -> RemoteFile:
    """HEAD the resolve URL: size (``X-Linked-Size``), ETag and the commit it resolved to."""
    ensure_online(offline)
    from huggingface_hub import get_hf_file_metadata

    try:
        meta = get_hf_file_metadata(url, endpoint=endpoint(), retry_on_errors=True)
    except Exception as exc:
        raise translate_error(exc, "asking the Hub about the file") from exc
    return RemoteFile(url=url, size=meta.size, etag=meta.etag or "", commit=meta.commit_hash or "")


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
            data, status = _read_prefix(url, headers, want)
        except Exception as exc:
            raise translate_error(exc, f"reading the header of {model.name}") from exc
        if status not in (200, 206):
            if status in (401, 403):
                raise HubError(f"This model is gated: {TOKEN_HINT}.")
            raise HubError(f"The Hub answered with error {status} while reading the header of "
                           f"{model.name}.")
        try:
            return read_gguf_prefix(data, model.first.size, model.first.path)
        except GGUFIncomplete as exc:
            if want >= model.first.size or want >= 256 << 20:
                raise HubError(f"The header of {model.name} is too large to read.") from exc
            want = min(model.first.size, max(exc.needed + (1 << 20), want * 2))
        except GGUFError as exc:
            raise HubError(f"{model.name} is not a usable model: {exc}.") from exc


def _read_prefix(url: str, headers: dict[str, str], want: int) -> tuple[bytes, int]:
    """At most ``want`` bytes from the start (even if the server ignores Range)."""
    out = bytearray()
    with http_session().stream("GET", url, headers=headers, follow_redirects=True,
                               timeout=30.0) as r:
        if r.status_code in (200, 206):
            for block in r.iter_bytes(1 << 20):
                out += block
                if len(out) >= want:
                    break
        return bytes(out[:want]), int(r.status_code)


def auth_headers() -> dict[str, str]:
    """The Hub client's own headers: user agent and the stored token (``get_token``)."""
    from huggingface_hub.utils import build_hf_headers

    headers = dict(build_hf_headers())
    headers["Accept-Encoding"] = "identity"  # byte offsets must be offsets in the file
    return headers


def http_session() -> Any:
    """huggingface_hub's shared httpx client: same proxies, offline hook and redirect rules."""
    from huggingface_hub.utils import get_session

    return get_session()


def save_token(token: str) -> None:
    """Validate a token against the Hub and store it with the Hub's own token storage."""
    ensure_online()
    from huggingface_hub import login

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
    log.warning("Hub call failed while %s", doing, exc_info=exc)
    from huggingface_hub import errors

    if isinstance(exc, errors.OfflineModeIsEnabled):
        return OfflineError("Offline mode is on, so the Hub was not contacted.")
    if isinstance(exc, errors.GatedRepoError):
        return HubError(f"This model is gated: {TOKEN_HINT}.")
    status = getattr(getattr(exc, "response", None), "status_code", None)
    if status in (401, 403):
        return HubError(f"The Hub refused access ({status}) while {doing}: {TOKEN_HINT}.")
    if isinstance(exc, errors.RevisionNotFoundError):
        return HubError(f"That revision does not exist on the Hub ({doing}).")
    not_found = (errors.RepositoryNotFoundError, errors.EntryNotFoundError)
    if isinstance(exc, not_found) or status == 404:
        return HubError(f"The Hub has no such model or file (404) while {doing}; check the name.")
    if status is not None:
        return HubError(f"The Hub answered with error {status} while {doing}; try again later.")
    return HubError(
        f"The Hub could not be reached while {doing}; check your network connection and try again."
    )
