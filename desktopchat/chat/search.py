"""Full-text search over conversations (Qt-free): Ctrl+F in one chat, Ctrl+Shift+F across all.

SQLite FTS5 indexes message *content* only (schema version 3), so reasoning never matches and
never shows in a snippet. Whatever the user types is turned into a safe FTS5 query: each word
(or "quoted phrase") becomes a quoted phrase, so ``*``, ``-``, ``:``, ``NEAR``, ``AND``,
parentheses and stray quotes are plain text, and the last word matches as a prefix (results
while typing). Matches are ordered newest first: in a chat history the recent mention is
usually the one wanted, and it lets FTS5 stop after ``limit`` rows.

Words are what unicode61 sees as words, so a Chinese, Japanese or Korean query (no spaces
between words) would only match at the start of a run of such characters; those queries are
answered by a substring scan instead (slower; the benchmark reports it).

Snippets mark each match with ``MARK_START`` … ``MARK_END`` (private-use characters); the view
turns them into highlight formatting and shows everything else as plain text. A message that
itself contains those characters gets a snippet without marks, so it cannot fake a highlight.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from typing import Protocol

MARK_START = "\ue000"
MARK_END = "\ue001"
ELLIPSIS = "…"
MAX_QUERY_CHARS = 256
MAX_TERMS = 16
MAX_LIMIT = 500
SNIPPET_TOKENS = 16  # words of context FTS5 puts in a snippet
SCAN_SNIPPET_CHARS = 40  # characters each side of a substring-scan match

_CJK = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_CHUNK = re.compile(r'"([^"]*)"|(\S+)')


class _HasReader(Protocol):
    def reader(self) -> sqlite3.Connection: ...


@dataclass(frozen=True)
class SearchHit:
    """One matching message.

    ``activate_id`` is None when the message is on the conversation's active path (just scroll
    to it); otherwise pass it to ``ChatStore.activate`` first to switch to its branch.
    ``branch`` is then where that branch leaves the active path: (index, count) among the
    alternatives there, for "on branch 2/3".
    """

    conversation_id: int
    conversation_title: str
    message_id: int
    role: str
    snippet: str
    created_at: float
    on_active_path: bool
    activate_id: int | None = None
    branch: tuple[int, int] | None = None

    def parts(self) -> list[tuple[str, bool]]:
        """The snippet as (text, highlighted) runs, for the view."""
        out: list[tuple[str, bool]] = []
        for i, piece in enumerate(re.split(f"[{MARK_START}{MARK_END}]", self.snippet)):
            if piece:
                out.append((piece, i % 2 == 1))
        return out


@dataclass(frozen=True)
class Query:
    """A user's search text, made safe: an FTS5 expression, or substrings to scan for."""

    fts: str | None
    substrings: tuple[str, ...] = ()


def parse_query(text: str) -> Query | None:
    """The FTS5 expression for what the user typed, or None when there is nothing to look
    for. Never raises; every FTS5 operator in the input is taken as text."""
    if not isinstance(text, str):
        return None
    text = text[:MAX_QUERY_CHARS].replace("\x00", " ")
    phrases: list[str] = []
    quoted: list[bool] = []
    for m in _CHUNK.finditer(text):
        phrase = " ".join((m.group(1) if m.group(1) is not None else m.group(2)).split())
        if any(ch.isalnum() for ch in phrase):
            phrases.append(phrase)
            quoted.append(m.group(1) is not None)
        if len(phrases) >= MAX_TERMS:
            break
    if not phrases:
        return None
    if any(_CJK.search(p) for p in phrases):
        return Query(None, tuple(phrases))
    parts = ['"' + p.replace('"', '""') + '"' for p in phrases]
    last = phrases[-1]
    if not quoted[-1] and not text[-1:].isspace() and last[-1].isalnum():
        parts[-1] += "*"  # still typing this word
    return Query(" ".join(parts))


def search(source: _HasReader | sqlite3.Connection, query: str,
           conversation_id: int | None = None, limit: int = 50) -> list[SearchHit]:
    """Messages matching ``query``, newest first; in one conversation when ``conversation_id``
    is given. ``source`` is a ``ChatStore`` or a connection to its database (a worker thread
    may open its own)."""
    db = source if isinstance(source, sqlite3.Connection) else source.reader()
    parsed = parse_query(query)
    limit = max(1, min(int(limit), MAX_LIMIT))
    if parsed is None:
        return []
    rows = _fts_rows(db, parsed.fts, conversation_id, limit) if parsed.fts \
        else _scan_rows(db, parsed.substrings, conversation_id, limit)
    paths = _ActivePaths(db)
    return [paths.hit(*row) for row in rows]


_SELECT = (
    "SELECT m.id, m.conversation_id, c.title, m.role, m.created_at, {snippet} "
    "FROM messages m JOIN conversations c ON c.id = m.conversation_id "
)


def _fts_rows(db: sqlite3.Connection, expr: str, conversation_id: int | None,
              limit: int) -> list[tuple[int, int, str, str, float, str]]:
    marked = (f"CASE WHEN instr(m.content, '{MARK_START}') OR instr(m.content, '{MARK_END}') "
              f"THEN replace(replace(snippet(messages_fts, 0, '', '', '{ELLIPSIS}', "
              f"{SNIPPET_TOKENS}), '{MARK_START}', ''), '{MARK_END}', '') "
              f"ELSE snippet(messages_fts, 0, '{MARK_START}', '{MARK_END}', '{ELLIPSIS}', "
              f"{SNIPPET_TOKENS}) END")
    select = _SELECT.format(snippet=marked)
    try:
        if conversation_id is None:
            return db.execute(
                f"{select} JOIN messages_fts ON messages_fts.rowid = m.id "
                "WHERE messages_fts MATCH ? ORDER BY messages_fts.rowid DESC LIMIT ?",
                (expr, limit)).fetchall()
        # One chat: its few hundred messages drive the join (CROSS JOIN fixes that order), each
        # looked up in the index, rather than every match in the history filtered down.
        return db.execute(
            f"{select} CROSS JOIN messages_fts ON messages_fts.rowid = m.id "
            "WHERE m.conversation_id = ? AND messages_fts MATCH ? ORDER BY m.id DESC LIMIT ?",
            (conversation_id, expr, limit)).fetchall()
    except sqlite3.OperationalError as exc:  # parse_query makes this unreachable; be safe
        if "fts5" in str(exc).lower() or "syntax" in str(exc).lower():
            return []
        raise


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _fold(text: str) -> str:
    """Lower case the way SQLite's ``lower()`` does (ASCII only), keeping every position."""
    return text.translate(_ASCII_LOWER)


def _scan_rows(db: sqlite3.Connection, needles: tuple[str, ...], conversation_id: int | None,
               limit: int) -> list[tuple[int, int, str, str, float, str]]:
    folded = tuple(_fold(n) for n in needles)
    where = " AND ".join("instr(lower(m.content), ?) > 0" if n != n.upper()  # has a letter
                         else "instr(m.content, ?) > 0" for n in folded)
    args: list[object] = list(folded)
    if conversation_id is not None:
        where += " AND m.conversation_id = ?"
        args.append(conversation_id)
    rows = db.execute(_SELECT.format(snippet="m.content") + f"WHERE {where} "
                      "ORDER BY m.id DESC LIMIT ?", (*args, limit)).fetchall()
    return [(*r[:5], _scan_snippet(r[5], folded)) for r in rows]


def _scan_snippet(content: str, needles: tuple[str, ...]) -> str:
    """A window around the first match, each match marked (overlaps merged)."""
    low = _fold(content)
    at = max(0, low.find(needles[0]))
    start = max(0, at - SCAN_SNIPPET_CHARS)
    end = min(len(content), at + len(needles[0]) + SCAN_SNIPPET_CHARS)
    window, low_window = content[start:end], low[start:end]
    if MARK_START in content or MARK_END in content:  # no marks at all, rather than fakes
        text = window.replace(MARK_START, "").replace(MARK_END, "")
    else:
        spans: list[list[int]] = []
        for n in needles:
            i = low_window.find(n)
            while i >= 0:
                spans.append([i, i + len(n)])
                i = low_window.find(n, i + 1)
        merged: list[list[int]] = []
        for a, b in sorted(spans):
            if merged and a <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], b)
            else:
                merged.append([a, b])
        pieces, pos = [], 0
        for a, b in merged:
            pieces += [window[pos:a], MARK_START, window[a:b], MARK_END]
            pos = b
        text = "".join(pieces) + window[pos:]
    prefix = ELLIPSIS if start > 0 else ""
    suffix = ELLIPSIS if end < len(content) else ""
    return f"{prefix}{text}{suffix}"


class _ActivePaths:
    """Which hits are on their conversation's active path, computed once per conversation."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        self._paths: dict[int, set[int]] = {}

    def _path(self, conversation_id: int) -> set[int]:
        if conversation_id not in self._paths:
            row = self._db.execute("SELECT active_leaf_id FROM conversations WHERE id = ?",
                                   (conversation_id,)).fetchone()
            self._paths[conversation_id] = set(self._up(row[0])) if row and row[0] else set()
        return self._paths[conversation_id]

    def _up(self, message_id: int) -> list[int]:
        """``message_id`` and its ancestors, from it up to the first message."""
        rows = self._db.execute(
            "WITH RECURSIVE up(mid, depth) AS (SELECT ?, 0 UNION ALL "
            "SELECT m.parent_id, up.depth + 1 FROM messages m JOIN up ON m.id = up.mid "
            "WHERE m.parent_id IS NOT NULL) SELECT mid FROM up ORDER BY depth",
            (message_id,)).fetchall()
        return [r[0] for r in rows]

    def hit(self, message_id: int, conversation_id: int, title: str, role: str,
            created_at: float, snippet: str) -> SearchHit:
        path = self._path(conversation_id)
        if message_id in path:
            return SearchHit(conversation_id, title, message_id, role, snippet, created_at, True)
        off = message_id  # the highest ancestor that is not on the active path
        for mid in self._up(message_id):
            if mid in path:
                break
            off = mid
        return SearchHit(conversation_id, title, message_id, role, snippet, created_at, False,
                         activate_id=message_id, branch=self._place(off))

    def _place(self, message_id: int) -> tuple[int, int]:
        row = self._db.execute("SELECT conversation_id, parent_id FROM messages WHERE id = ?",
                               (message_id,)).fetchone()
        if row[1] is None:
            ids = [r[0] for r in self._db.execute(
                "SELECT id FROM messages WHERE conversation_id = ? AND parent_id IS NULL "
                "ORDER BY id", (row[0],))]
        else:
            ids = [r[0] for r in self._db.execute(
                "SELECT id FROM messages WHERE parent_id = ? ORDER BY id", (row[1],))]
        return ids.index(message_id) + 1, len(ids)
