"""Recovering a damaged chat database: detect damaged pages, copy out whatever can be read.

A few flipped bytes in one page make SQLite answer "database disk image is malformed" to any
query that touches that page, and before this module the start-up recovery of interrupted
replies hit it and took the app down at every launch. ``is_damaged`` runs SQLite's own
``PRAGMA quick_check``; ``salvage`` copies the readable rows of the damaged file (opened
read-only) into the fresh database, table by table and, where a range of rows cannot be read,
row by row, so one bad page costs only the rows stored in it. Rows whose parent was lost are
re-attached to the nearest readable ancestor on their conversation, or become roots.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

CHUNK = 256  # rows read at a time; a chunk that fails is read row by row


@dataclass(frozen=True)
class RecoveryReport:
    conversations: int
    messages: int
    settings: int
    unreadable_rows: int

    def sentence(self) -> str:
        lost = (f"; {self.unreadable_rows} damaged row(s) could not be read"
                if self.unreadable_rows else "")
        return (f"{self.conversations} conversation(s) with {self.messages} message(s) and "
                f"{self.settings} setting(s) were saved{lost}")


def is_damaged(db: sqlite3.Connection) -> bool:
    """SQLite's own check of every page's structure (a few ms for a typical history)."""
    try:
        rows = db.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as exc:
        log.error("quick_check failed: %s", exc)
        return True
    ok = rows == [("ok",)]
    if not ok:
        log.error("quick_check found damage: %s", "; ".join(str(r[0]) for r in rows[:10]))
    return not ok


def _rowids(src: sqlite3.Connection, table: str) -> tuple[int, int] | None:
    try:
        row = src.execute(f"SELECT MIN(rowid), MAX(rowid) FROM {table}").fetchone()
    except sqlite3.DatabaseError:
        row = None
    if row is None or row[0] is None:
        return None
    return int(row[0]), int(row[1])


def _read_rows(src: sqlite3.Connection, table: str, columns: list[str]) -> tuple[list[tuple], int]:  # type: ignore[type-arg]
    """Every readable row of ``table`` (only ``columns`` that exist there), and how many rows
    (or row numbers) could not be read."""
    have = set()
    with contextlib.suppress(sqlite3.DatabaseError):
        have = {r[1] for r in src.execute(f"PRAGMA table_info({table})")}
    cols = [c for c in columns if c in have]
    if not cols:
        return [], 0
    select = f"SELECT {', '.join(cols)} FROM {table}"
    try:
        rows = src.execute(f"{select} ORDER BY rowid").fetchall()
        return [_pad(cols, columns, r) for r in rows], 0
    except sqlite3.DatabaseError:
        pass
    bounds = _rowids(src, table)
    if bounds is None:
        return [], 1
    out: list[tuple] = []  # type: ignore[type-arg]
    bad = 0
    lo, hi = bounds
    for start in range(lo, hi + 1, CHUNK):
        end = min(hi, start + CHUNK - 1)
        try:
            out += src.execute(f"{select} WHERE rowid BETWEEN ? AND ? ORDER BY rowid",
                               (start, end)).fetchall()
            continue
        except sqlite3.DatabaseError:
            pass
        for rid in range(start, end + 1):
            try:
                out += src.execute(f"{select} WHERE rowid = ?", (rid,)).fetchall()
            except sqlite3.DatabaseError:
                bad += 1
    return [_pad(cols, columns, r) for r in out], bad


def _pad(have: list[str], want: list[str], row: tuple) -> tuple:  # type: ignore[type-arg]
    values = dict(zip(have, row, strict=True))
    return tuple(values.get(c) for c in want)


_CONV_COLS = ["id", "title", "created_at", "updated_at", "active_leaf_id", "options", "title_auto"]
_MSG_COLS = ["id", "conversation_id", "parent_id", "seq", "role", "content", "status",
             "created_at", "model", "stats", "reasoning", "thinking_seconds",
             "reasoning_expanded", "engine", "active_at"]


def salvage(damaged: Path, dst: sqlite3.Connection) -> RecoveryReport:
    """Copy what can be read from ``damaged`` into ``dst`` (a fresh database at the current
    schema)."""
    try:
        src = sqlite3.connect(f"{damaged.as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        log.exception("the damaged history %s cannot be opened at all", damaged)
        return RecoveryReport(0, 0, 0, 0)
    with contextlib.closing(src):
        try:
            version = int(src.execute("PRAGMA user_version").fetchone()[0])
        except sqlite3.DatabaseError:
            version = 0
        convs, bad_c = _read_rows(src, "conversations", _CONV_COLS)
        msgs, bad_m = _read_rows(src, "messages", _MSG_COLS)
        settings, bad_s = _read_rows(src, "settings", ["key", "value"])
    if version <= 1:  # a tree from the old flat order
        msgs = _tree_from_seq(msgs)
    conv_ids = {c[0] for c in convs if c[0] is not None}
    # Messages of a conversation whose row was lost get a conversation again.
    orphans = sorted({m[1] for m in msgs if m[1] not in conv_ids and m[1] is not None})
    dst.execute("BEGIN IMMEDIATE")
    try:
        for c in convs:
            if c[0] is None:
                continue
            dst.execute("INSERT OR IGNORE INTO conversations (id, title, created_at, updated_at, "
                        "active_leaf_id, options, title_auto) VALUES (?, ?, ?, ?, NULL, ?, ?)",
                        (c[0], c[1] or "Recovered chat", c[2] or 0.0, c[3] or 0.0,
                         c[5] or "{}", 0))
        for cid in orphans:
            dst.execute("INSERT OR IGNORE INTO conversations (id, title, created_at, updated_at, "
                        "title_auto) VALUES (?, 'Recovered chat', 0, 0, 0)", (cid,))
        kept = _insert_messages(dst, msgs)
        for conv in {m[1] for m in msgs if m[0] in kept}:
            leaf = dst.execute("SELECT id FROM messages WHERE conversation_id = ? "
                               "ORDER BY active_at DESC, seq DESC, id DESC LIMIT 1",
                               (conv,)).fetchone()
            dst.execute("UPDATE conversations SET active_leaf_id = ? WHERE id = ?",
                        (leaf[0] if leaf else None, conv))
        n_settings = 0
        for key, value in settings:
            if isinstance(key, str) and isinstance(value, str):
                dst.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                            (key, value))
                n_settings += 1
        dst.execute("COMMIT")
    except BaseException:
        if dst.in_transaction:
            dst.execute("ROLLBACK")
        raise
    return RecoveryReport(len(conv_ids) + len(orphans), len(kept), n_settings,
                          bad_c + bad_m + bad_s)


def _tree_from_seq(msgs: list[tuple]) -> list[tuple]:  # type: ignore[type-arg]
    """Rows of the flat (version 1) schema: each message's parent is the one before it."""
    out = []
    last: dict[int, int] = {}
    for m in sorted(msgs, key=lambda r: (r[1] or 0, r[3] or 0, r[0] or 0)):
        row = list(m)
        row[2] = last.get(m[1])
        last[m[1]] = m[0]
        out.append(tuple(row))
    return out


def _insert_messages(dst: sqlite3.Connection, msgs: list[tuple]) -> set[int]:  # type: ignore[type-arg]
    """Insert parents before children; a message whose parent was lost hangs from the
    nearest earlier message kept on its conversation (or is a root)."""
    kept: set[int] = set()
    by_id = {m[0]: m for m in msgs if m[0] is not None}
    last_kept: dict[int, int] = {}
    for m in sorted(by_id.values(), key=lambda r: (r[1] or 0, r[3] or 0, r[0])):
        if m[4] not in ("system", "user", "assistant") or not isinstance(m[5], str):
            continue
        parent = m[2] if m[2] in kept else last_kept.get(m[1])
        status = m[6] if m[6] in ("complete", "generating", "stopped", "length", "error",
                                  "interrupted") else "interrupted"
        seq = 1 if parent is None else dst.execute(
            "SELECT seq FROM messages WHERE id = ?", (parent,)).fetchone()[0] + 1
        dst.execute(
            "INSERT INTO messages (id, conversation_id, parent_id, seq, role, content, status, "
            "created_at, model, stats, reasoning, thinking_seconds, reasoning_expanded, engine, "
            "active_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (m[0], m[1], parent, seq, m[4], m[5], status, m[7] or 0.0, m[8], m[9],
             m[10] or "", m[11], m[12] or 0, m[13] or "", m[14] or m[7] or 0.0))
        kept.add(m[0])
        last_kept[m[1]] = m[0]
    return kept
