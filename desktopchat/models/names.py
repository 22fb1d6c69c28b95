"""Names from outside, made safe to use on disk, and the few name rules shared by the library and
the Hub code (Qt-free, no third-party imports).

A Hub file name is data chosen by a stranger: it may hold ``\\``, ``:``, ``..``, control
characters, a reserved Windows device name (``CON``, ``NUL``, ``COM1``...), or 300 characters.
``local_file_name`` refuses the dangerous ones and turns the rest into one bounded file name, so a
path built from it always stays inside the folder it is meant for (``inside`` checks that too).
Files in repo subfolders keep their folders in the name (``Q4_K_M/x.gguf`` becomes
``Q4_K_M__x.gguf``), so two files with the same base name never share a local file.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

# Local file names stay well below NAME_MAX (255 bytes on common file systems), leaving room for
# the repo folder prefix of a partial download and suffixes such as ``.part.lock``.
MAX_NAME_BYTES = 150
MAX_HUB_PATH = 1000  # longer Hub paths are refused outright
MAX_REPO_PART = 96  # the Hub's own limit for an owner or a repo name

# ``x-00001-of-00003`` (a file stem): one pattern for split GGUFs, used by the Hub listing and the
# local library alike; ``split_info`` applies it to a full file name.
SPLIT_PATTERN = re.compile(r"^(?P<base>.+)-(?P<idx>\d{5})-of-(?P<total>\d{5})$")

_FORBIDDEN = frozenset('\\:<>"|?*')
_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "CLOCK$"}
    | {f"{dev}{n}" for dev in ("COM", "LPT") for n in "123456789¹²³"}
)
_REPO_PART = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$")


class UnsafeName(ValueError):
    """A name from outside that cannot be used on disk; ``str()`` is one sentence."""


def human_size(n: float) -> str:
    """Sizes (and speeds) the way file managers show them: decimal units, ``98.4 MB``."""
    value = float(n)
    sign = "-" if value < 0 else ""
    value = abs(value)
    for unit in ("bytes", "kB", "MB", "GB"):
        if value < 1000:
            return f"{sign}{value:.0f} {unit}" if unit in ("bytes", "kB") else \
                f"{sign}{value:.1f} {unit}"
        value /= 1000
    return f"{sign}{value:.1f} TB"


def split_info(name: str) -> tuple[str, int, int] | None:
    """``(base, part number, part count)`` for ``x-00001-of-00003.gguf``, else None."""
    if not name.lower().endswith(".gguf"):
        return None
    m = SPLIT_PATTERN.match(name[: -len(".gguf")])
    if not m:
        return None
    return m["base"], int(m["idx"]), int(m["total"])


def _bad_char(ch: str) -> bool:
    return ch in _FORBIDDEN or unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp")


def check_component(part: str, what: str = "name") -> str:
    """One path component that is safe on every platform, or ``UnsafeName``."""
    if part in ("", ".", ".."):
        raise UnsafeName(f"The {what} has an empty, '.' or '..' part.")
    if any(_bad_char(ch) for ch in part):
        raise UnsafeName(f"The {what} contains a character that is not allowed in file names "
                         "(a backslash, a colon, a control character or one of <>\"|?*).")
    if part[-1] in ". ":
        raise UnsafeName(f"The {what} ends in a dot or a space.")
    if part.split(".")[0].rstrip(" ").upper() in _RESERVED:
        raise UnsafeName(f"The {what} is a reserved device name on Windows ({part}).")
    return part


def hub_path_parts(path: str) -> list[str]:
    """The folders and file name of a Hub file path, each checked; ``UnsafeName`` otherwise."""
    if not path or len(path) > MAX_HUB_PATH:
        raise UnsafeName("The Hub file name is empty or too long.")
    if path.startswith("/"):
        raise UnsafeName("The Hub file name is an absolute path.")
    return [check_component(p, "Hub file name") for p in path.split("/")]


def bound(text: str, limit: int, key: str, tail: int = 24) -> str:
    """``text`` if it fits in ``limit`` UTF-8 bytes; else its start, a short hash of ``key`` (so
    two long names that share a start stay distinct) and its last ``tail`` characters (where
    model names keep their quantization)."""
    raw = text.encode("utf-8")
    if len(raw) <= limit:
        return text
    tag = "~" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:10]
    end = text[-tail:] if tail > 0 else ""
    if limit - len(tag) - len(end.encode("utf-8")) < 16:  # too tight: keep the start only
        end = ""
    room = max(1, limit - len(tag) - len(end.encode("utf-8")))
    head = raw[:room].decode("utf-8", "ignore").rstrip(" .")
    return head + tag + end


def local_file_name(hub_path: str, limit: int = MAX_NAME_BYTES) -> str:
    """The file name a Hub file is stored under: folders joined with ``__``, bounded in length,
    keeping ``.gguf`` and the split suffix, so every part of a split model keeps one prefix
    (llama.cpp finds parts 2..N from part 1's name)."""
    parts = hub_path_parts(hub_path)
    flat = "__".join(parts)
    split = split_info(flat)
    if split is not None:
        base, idx, total = split
        suffix = f"-{idx:05d}-of-{total:05d}{flat[-5:]}"
        stem, key = base, "/".join([*parts[:-1], base])  # the same for every part
    else:
        dot = flat.rfind(".")
        ext = flat[dot:] if dot > 0 and len(flat) - dot <= 16 else ""
        stem, suffix, key = flat[: len(flat) - len(ext)], ext, hub_path
    name = bound(stem, limit - len(suffix.encode("utf-8")), key) + suffix
    return check_component(name, "local file name")


def repo_folder_name(repo_id: str) -> str:
    """``owner/repo`` -> ``owner__repo`` (one folder per repo), for a well-formed Hub repo id
    only; anything else is ``UnsafeName``."""
    owner, sep, name = repo_id.partition("/")
    for part in (owner, name):
        if (not sep or len(part) > MAX_REPO_PART or not _REPO_PART.match(part) or "--" in part
                or ".." in part):
            raise UnsafeName(f"'{repo_id[:100]}' is not a valid Hub repo name.")
    return check_component(f"{owner}__{name}", "repo name")


def inside(path: Path, folder: Path) -> Path:
    """``path``, after checking that it resolves to a place inside ``folder``."""
    resolved = path.resolve()
    if not resolved.is_relative_to(folder.resolve()) or resolved == folder.resolve():
        raise UnsafeName(f"The name {path.name[:100]} would be stored outside {folder}.")
    return path
