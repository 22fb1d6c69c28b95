"""Importing conversations: desktopchat's own JSON export, and other apps' exports (Qt-free).

An import file comes from anywhere, so it is hostile until proven otherwise: its size, nesting,
number of conversations and messages and the length of every text are bounded before anything
is stored; types, roles and the tree's shape (parents before children, no cycles) are checked;
and everything is written in **one transaction**, so a file that fails halfway leaves nothing
behind. A problem is reported as ``ImportProblem`` with one sentence.

Formats (``desktopchat.chat.import_formats`` reads the foreign ones):

- desktopchat's JSON (``desktopchat.chat.export``), every branch and field, strictly checked;
- ChatGPT's data export ``conversations.json`` (or the export's zip): its ``mapping`` tree,
  branches kept as branches;
- LM Studio's ``*.conversation.json``: each message's ``versions`` become sibling branches;
- Jan's thread folder: ``messages.jsonl`` (with ``thread.json`` beside it for the title).
"""

from __future__ import annotations

import datetime
import json
import math
import time
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from desktopchat.chat.export import FORMAT, FORMAT_VERSION
from desktopchat.chat.store import DEFAULT_TITLE, StoreError
from desktopchat.chat.types import MessageStatus

MAX_FILE_BYTES = 256 << 20
MAX_CONVERSATIONS = 50_000
MAX_MESSAGES = 1_000_000  # in the whole file
MAX_MESSAGES_PER_CONVERSATION = 100_000
MAX_TEXT_CHARS = 4_000_000  # one message's content or reasoning
MAX_TITLE_CHARS = 200
MAX_OPTIONS_CHARS = 64 << 10  # a conversation's options, as JSON
ROLES = ("system", "user", "assistant")
STATUSES = tuple(s.value for s in MessageStatus)


class ImportProblem(Exception):
    """Why a file cannot be imported, in one sentence."""


class _Store(Protocol):
    def transaction(self) -> Any: ...


@dataclass
class Msg:
    """A message about to be imported; ``key`` and ``parent`` are the file's own ids."""

    key: Any
    parent: Any
    role: str
    content: str
    reasoning: str = ""
    status: str = MessageStatus.COMPLETE.value
    created_at: float = 0.0
    model: str | None = None
    engine: str = ""
    thinking_seconds: float | None = None
    reasoning_expanded: bool = False
    stats: dict[str, Any] | None = None


@dataclass
class Conv:
    title: str
    messages: list[Msg] = field(default_factory=list)  # parents before children
    active_leaf: Any = None
    created_at: float = 0.0
    updated_at: float = 0.0
    title_auto: bool = False
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ImportResult:
    source: str  # "desktopchat", "ChatGPT", "LM Studio", "Jan"
    conversation_ids: tuple[int, ...]
    messages: int
    skipped: int = 0  # parts of the file with no place here (tool calls, images, hidden notes)

    def sentence(self) -> str:
        skipped = (f"; {self.skipped} item(s) with no place here (tool calls, images) were "
                   "left out" if self.skipped else "")
        return (f"Imported {len(self.conversation_ids)} conversation(s) with {self.messages} "
                f"message(s) from {self.source}{skipped}.")


# -- reading ----------------------------------------------------------------------------------

def import_file(store: _Store, path: Path) -> ImportResult:
    """Import the conversations in ``path`` (any supported format, or ChatGPT's export zip)."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ImportProblem(f"The file is too large to import ({size >> 20} MB; the limit "
                                f"is {MAX_FILE_BYTES >> 20} MB).")
        data = _from_zip(path) if zipfile.is_zipfile(path) else path.read_bytes()
    except OSError as exc:
        raise ImportProblem(f"The file could not be read ({exc.strerror or exc}).") from exc
    sidecar = None
    if path.name == "messages.jsonl":  # Jan keeps the title beside it
        thread = path.with_name("thread.json")
        try:
            if thread.is_file() and thread.stat().st_size <= 1 << 20:
                sidecar = thread.read_bytes()
        except OSError:
            sidecar = None
    return import_bytes(store, data, name=path.name, sidecar=sidecar)


def _from_zip(path: Path) -> bytes:
    """``conversations.json`` from ChatGPT's data export archive, read no further than the
    size limit whatever the archive claims."""
    try:
        with zipfile.ZipFile(path) as z:
            name = next((n for n in z.namelist()
                         if n.rsplit("/", 1)[-1] == "conversations.json"), None)
            if name is None:
                raise ImportProblem("The archive holds no conversations.json (ChatGPT's export "
                                    "has one at its top level).")
            with z.open(name) as f:
                data = f.read(MAX_FILE_BYTES + 1)
    except (zipfile.BadZipFile, EOFError, ValueError, zlib.error, RuntimeError) as exc:
        # RuntimeError: zipfile's "encrypted" and "unsupported compression" for damaged flags
        raise ImportProblem("The archive is damaged and cannot be read.") from exc
    if len(data) > MAX_FILE_BYTES:
        raise ImportProblem(f"The conversations in the archive are too large to import (the "
                            f"limit is {MAX_FILE_BYTES >> 20} MB).")
    return data


def import_bytes(store: _Store, data: bytes, name: str = "", *,
                 sidecar: bytes | None = None) -> ImportResult:
    """Import from the bytes of a file; ``sidecar`` is Jan's ``thread.json`` when known."""
    from desktopchat.chat import import_formats as formats

    if len(data) > MAX_FILE_BYTES:
        raise ImportProblem(f"The file is too large to import (the limit is "
                            f"{MAX_FILE_BYTES >> 20} MB).")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportProblem("The file is not text in UTF-8, so it is not a conversation "
                            "export.") from exc
    lines = formats.jsonl_objects(text)
    if lines is not None:
        source, convs, skipped = "Jan", *formats.read_jan(lines, parse_json(sidecar))
    else:
        doc = parse_json(text)
        source, convs, skipped = _read(doc, formats)
    return write(store, source, convs, skipped)


def parse_json(text: str | bytes | None) -> Any:
    """JSON, with the errors of a broken or absurdly nested file as one sentence."""
    if text is None:
        return None
    try:
        return json.loads(text)
    except RecursionError as exc:
        raise ImportProblem("The file is nested too deeply to be a conversation export.") \
            from exc
    except ValueError as exc:
        raise ImportProblem(f"The file is not valid JSON ({str(exc).split(':')[0]}).") from exc


def _read(doc: Any, formats: Any) -> tuple[str, list[Conv], int]:
    if isinstance(doc, dict) and doc.get("format") == FORMAT:
        return "desktopchat", read_desktopchat(doc), 0
    if isinstance(doc, list) and doc and all(isinstance(c, dict) and "mapping" in c
                                             for c in doc[:5]):
        return "ChatGPT", *formats.read_chatgpt(doc)
    if isinstance(doc, dict) and "mapping" in doc:
        return "ChatGPT", *formats.read_chatgpt([doc])
    if isinstance(doc, dict) and isinstance(doc.get("messages"), list) and any(
            isinstance(m, dict) and "versions" in m for m in doc["messages"][:5]):
        return "LM Studio", *formats.read_lmstudio(doc)
    if isinstance(doc, dict) and doc.get("object") == "thread":
        raise ImportProblem("This is Jan's thread.json, which holds no messages; import the "
                            "messages.jsonl file from the same folder.")
    raise ImportProblem("The file is not a conversation export desktopchat can read "
                        "(desktopchat, ChatGPT, LM Studio or Jan).")


# -- checking desktopchat's own format --------------------------------------------------------

def _fail(where: str, what: str) -> ImportProblem:
    return ImportProblem(f"The file cannot be imported: {where} {what}.")


def _text(value: Any, where: str, what: str, limit: int = MAX_TEXT_CHARS,
          optional: bool = False) -> str:
    if value is None and optional:
        return ""
    if not isinstance(value, str):
        raise _fail(where, f"has a {what} that is not text")
    if len(value) > limit:
        raise _fail(where, f"has a {what} longer than {limit:,} characters")
    return value


def timestamp(value: Any, default: float) -> float:
    """Seconds since 1970 from seconds, milliseconds or ISO-8601; ``default`` when absent or
    absurd."""
    if isinstance(value, str):
        try:
            dt = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return default
        if dt.tzinfo is None:
            dt = dt.replace(tzinfo=datetime.UTC)
        value = dt.timestamp()
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return default
    if value > 1e11:  # milliseconds
        value /= 1000
    return float(value) if 0 < value < 1e11 else default


def read_desktopchat(doc: dict[str, Any]) -> list[Conv]:
    version = doc.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise _fail("the file", "has no format version")
    if version > FORMAT_VERSION:
        raise ImportProblem(f"The file was exported by a newer desktopchat (format version "
                            f"{version}); update the app to import it.")
    raw = doc.get("conversations")
    if not isinstance(raw, list):
        raise _fail("the file", "has no list of conversations")
    if len(raw) > MAX_CONVERSATIONS:
        raise _fail("the file", f"holds more than {MAX_CONVERSATIONS:,} conversations")
    now = time.time()
    out = []
    for ci, c in enumerate(raw, 1):
        where = f"conversation {ci}"
        if not isinstance(c, dict):
            raise _fail(where, "is not an object")
        conv = Conv(_text(c.get("title"), where, "title", MAX_TITLE_CHARS),
                    created_at=timestamp(c.get("created_at"), now),
                    updated_at=timestamp(c.get("updated_at"), now),
                    title_auto=c.get("title_auto") is True, active_leaf=c.get("active_leaf"))
        options = c.get("options", {})
        if not isinstance(options, dict) or len(json.dumps(options)) > MAX_OPTIONS_CHARS:
            raise _fail(where, "has options that are not a small JSON object")
        conv.options = options
        msgs = c.get("messages")
        if not isinstance(msgs, list):
            raise _fail(where, "has no list of messages")
        conv.messages = [_message(m, f"message {mi} of {where}", now)
                         for mi, m in enumerate(msgs, 1)]
        out.append(conv)
    return out


def _message(m: Any, where: str, now: float) -> Msg:
    if not isinstance(m, dict):
        raise _fail(where, "is not an object")
    key, parent = m.get("id"), m.get("parent")
    if not isinstance(key, int) or isinstance(key, bool):
        raise _fail(where, "has no whole-number id")
    if parent is not None and (not isinstance(parent, int) or isinstance(parent, bool)):
        raise _fail(where, "has a parent that is not a message id")
    role = m.get("role")
    if role not in ROLES:
        raise _fail(where, f"has an unknown role ({str(role)[:20]!r})")
    status = m.get("status", MessageStatus.COMPLETE.value)
    if status not in STATUSES:
        raise _fail(where, f"has an unknown status ({str(status)[:20]!r})")
    thinking = m.get("thinking_seconds")
    if thinking is not None and (isinstance(thinking, bool) or not isinstance(thinking, int | float)
                                 or not math.isfinite(thinking) or not 0 <= thinking < 1e7):
        raise _fail(where, "has an impossible thinking time")
    stats = m.get("stats")
    if stats is not None and (not isinstance(stats, dict) or len(json.dumps(stats)) > 64 << 10):
        raise _fail(where, "has stats that are not a small JSON object")
    model = m.get("model")
    return Msg(key, parent, role, _text(m.get("content"), where, "content"),
               reasoning=_text(m.get("reasoning"), where, "reasoning", optional=True),
               status=status, created_at=timestamp(m.get("created_at"), now),
               model=_text(model, where, "model name", 1000) if model is not None else None,
               engine=_text(m.get("engine"), where, "engine name", 200, optional=True),
               thinking_seconds=float(thinking) if thinking is not None else None,
               reasoning_expanded=m.get("reasoning_expanded") is True, stats=stats)


# -- writing ----------------------------------------------------------------------------------

def check_tree(conv: Conv, where: str) -> None:
    """Ids unique, every parent listed before its child (so there is no cycle), bounded."""
    if len(conv.messages) > MAX_MESSAGES_PER_CONVERSATION:
        raise _fail(where, f"has more than {MAX_MESSAGES_PER_CONVERSATION:,} messages")
    seen: set[Any] = set()
    for i, m in enumerate(conv.messages, 1):
        if m.key in seen:
            raise _fail(f"message {i} of {where}", "repeats an id")
        if m.parent is not None and m.parent not in seen:
            raise _fail(f"message {i} of {where}", "comes before its parent or has none")
        seen.add(m.key)


def write(store: _Store, source: str, convs: list[Conv], skipped: int) -> ImportResult:
    """Store the conversations in one transaction: all of them, or (on any error) none."""
    total = sum(len(c.messages) for c in convs)
    if total > MAX_MESSAGES:
        raise _fail("the file", f"holds more than {MAX_MESSAGES:,} messages")
    for i, c in enumerate(convs, 1):
        check_tree(c, f"conversation {i}")
    if not convs:
        raise ImportProblem("The file holds no conversations.")
    ids: list[int] = []
    try:
        with store.transaction() as db:
            for c in convs:
                ids.append(_insert(db, c))
    except StoreError as exc:
        raise ImportProblem(str(exc)) from exc
    return ImportResult(source, tuple(ids), total, skipped)


def _insert(db: Any, c: Conv) -> int:
    title = " ".join(c.title.split())[:MAX_TITLE_CHARS] or DEFAULT_TITLE
    cur = db.execute("INSERT INTO conversations (title, created_at, updated_at, options, "
                     "title_auto) VALUES (?, ?, ?, ?, ?)",
                     (title, c.created_at, max(c.updated_at, c.created_at),
                      json.dumps(c.options), int(c.title_auto)))
    conv_id = int(cur.lastrowid)
    new: dict[Any, tuple[int, int]] = {}  # file id -> (row id, depth)
    for m in c.messages:
        parent = new.get(m.parent) if m.parent is not None else None
        seq = parent[1] + 1 if parent else 1
        row = db.execute(
            "INSERT INTO messages (conversation_id, parent_id, seq, role, content, status, "
            "created_at, model, stats, reasoning, thinking_seconds, reasoning_expanded, "
            "engine, active_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (conv_id, parent[0] if parent else None, seq, m.role, m.content,
             MessageStatus.INTERRUPTED.value if m.status == "generating" else m.status,
             m.created_at, m.model, json.dumps(m.stats) if m.stats is not None else None,
             m.reasoning, m.thinking_seconds, int(m.reasoning_expanded), m.engine,
             m.created_at))
        new[m.key] = (int(row.lastrowid), seq)
    leaf = new.get(c.active_leaf) if c.active_leaf is not None else None
    if leaf is None and c.messages:
        leaf = new[c.messages[-1].key]
    if leaf is not None:
        # The branch shown is the path to the leaf: the most recently active one, so flipping
        # ‹ › away and back returns to it.
        db.execute("WITH RECURSIVE up(mid) AS (SELECT ? UNION ALL SELECT m.parent_id FROM "
                   "messages m JOIN up ON m.id = up.mid WHERE m.parent_id IS NOT NULL) "
                   "UPDATE messages SET active_at = ? WHERE id IN (SELECT mid FROM up)",
                   (leaf[0], time.time()))
        db.execute("UPDATE conversations SET active_leaf_id = ? WHERE id = ?", (leaf[0], conv_id))
    return conv_id
