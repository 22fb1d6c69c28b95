"""The chat history and settings in one SQLite file: WAL mode, versioned schema, migrations.

User data is sacred:
- every schema change runs in a transaction after a backup copy of the file is taken; a
  database written by a newer version is refused rather than touched;
- a file that is not a database, or one whose pages are damaged (``PRAGMA quick_check`` at every
  start), is moved aside (kept, never deleted) and what can still be read is copied into a fresh
  one (``desktopchat.chat.recovery``); ``recovered_from`` and ``recovery_report`` say so;
- a read-only file or folder opens read-only (``read_only``): everything can be read, nothing is
  written, and every write raises a ``StoreError`` with one sentence;
- a failed write (disk full, locked, read-only) raises ``StoreError`` with the real reason in
  one sentence; a failed transaction is rolled back without hiding the error that failed it.

Conversations are trees of messages (``desktopchat.chat.schema``, version 2): the active path
is what ``messages()`` returns.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from desktopchat.chat.errors import StoreError as StoreError  # the history's one error type
from desktopchat.chat.errors import unreadable, write_failure_sentence
from desktopchat.chat.recovery import RecoveryReport, is_damaged, salvage
from desktopchat.chat.schema import MIGRATIONS
from desktopchat.chat.types import Conversation, MessageStatus, StoredMessage

log = logging.getLogger(__name__)

SCHEMA_VERSION = len(MIGRATIONS)
DEFAULT_TITLE = "New chat"  # a conversation's title until its first message names it
MAX_SETTING_JSON = 1 << 20  # a settings value larger than this is not parsed (a default is used)

_MSG_COLUMNS = ("id, conversation_id, seq, role, content, status, created_at, model, parent_id, "
                "reasoning, thinking_seconds, reasoning_expanded, engine")


def _row_message(r: tuple[Any, ...], index: int = 1, count: int = 1) -> StoredMessage:
    return StoredMessage(r[0], r[1], r[2], r[3], r[4], MessageStatus(r[5]), r[6], r[7],
                         parent_id=r[8], reasoning=r[9] or "", thinking_seconds=r[10],
                         reasoning_expanded=bool(r[11]), engine=r[12] or "",
                         sibling_index=index, sibling_count=count)


class ChatStore:
    """Conversations, message trees and settings. Used from the UI thread only."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.recovered_from: Path | None = None  # set when a broken file was moved aside
        self.recovery_report: RecoveryReport | None = None  # what was saved from it
        self.read_only = False
        self.problem = ""  # one sentence for the user when the history is not fully usable
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            log.warning("cannot create %s: %s", path.parent, exc)
        try:
            self._db = self._open(path)
            damaged = is_damaged(self._db)
        except sqlite3.DatabaseError as exc:
            if not unreadable(exc):
                raise StoreError(f"The chat history at {path} could not be opened: {exc}.") from exc
            damaged = True
            self._db = None  # type: ignore[assignment]
        if damaged:
            if self._db is not None:
                self._db.close()
            self._recover(path)

    # -- opening ----------------------------------------------------------------------------

    def _open(self, path: Path) -> sqlite3.Connection:
        """Open read-write; a file that cannot be written opens read-only, and a history that
        cannot even be created lives in memory for this session (``problem`` says so)."""
        try:
            return self._connect(str(path), read_only=False)
        except sqlite3.OperationalError as exc:
            text = str(exc).lower()
            if not any(s in text for s in ("readonly", "read-only", "unable to open",
                                           "disk i/o")):
                raise
            log.warning("cannot open %s for writing: %s", path, exc)
        self.read_only = True
        if path.exists():
            self.problem = ("The chat history cannot be written (the file or its folder is "
                            "read-only), so it is open read-only: your chats can be read, but "
                            "nothing new is saved.")
            try:
                return self._connect(f"{path.as_uri()}?mode=ro", read_only=True)
            except sqlite3.OperationalError:  # WAL without -shm in a read-only folder
                return self._connect(f"{path.as_uri()}?mode=ro&immutable=1", read_only=True)
        self.read_only = False
        self.problem = (f"The data folder {path.parent} cannot be written, so this session's "
                        "chats will not be saved.")
        return self._connect(":memory:", read_only=False)

    def _connect(self, target: str, read_only: bool) -> sqlite3.Connection:
        db = sqlite3.connect(target, uri=target.startswith("file:"), isolation_level=None,
                             timeout=10)
        try:
            if not read_only:
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA foreign_keys=ON")
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if read_only:
                if version != SCHEMA_VERSION:
                    raise StoreError(f"The chat history at {self.path} is read-only and needs "
                                     "an update this app cannot write; make it writable.")
            else:
                self._migrate(db, self.path)
        except BaseException:
            db.close()
            raise
        return db

    @staticmethod
    def _migrate(db: sqlite3.Connection, path: Path) -> None:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"The chat history at {path} was written by a newer desktopchat "
                f"(schema {version}); update the app to open it."
            )
        if version == SCHEMA_VERSION:
            return
        if version > 0:
            backup = path.with_name(f"{path.name}.backup-v{version}")
            with contextlib.closing(sqlite3.connect(backup)) as dst:
                db.backup(dst)
            log.info("backed up history schema v%d to %s before migrating", version, backup)
        for target in range(version, SCHEMA_VERSION):
            db.execute("BEGIN IMMEDIATE")
            try:
                MIGRATIONS[target](db)
                db.execute(f"PRAGMA user_version = {target + 1}")
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise

    def _recover(self, path: Path) -> None:
        """Move the damaged file (and its WAL) aside, start a fresh one and copy into it what
        can still be read."""
        aside = path.with_name(f"{path.name}.damaged-{int(time.time())}")
        log.error("the history file %s is damaged; keeping it as %s and recovering", path, aside)
        path.rename(aside)
        for suffix in ("-wal", "-shm"):
            side = path.with_name(path.name + suffix)
            if side.exists():
                side.rename(aside.with_name(aside.name + suffix))
        self.recovered_from = aside
        self._db = self._open(path)
        self.recovery_report = salvage(aside, self._db)
        log.info("recovered from %s: %s", aside, self.recovery_report.sentence())

    @property
    def schema_version(self) -> int:
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    def close(self) -> None:
        self._db.close()

    # -- writing ----------------------------------------------------------------------------

    @contextlib.contextmanager
    def _writing(self, transaction: bool = False) -> Iterator[sqlite3.Connection]:
        """Every write goes through here: refused when read-only, errors as one sentence, a
        failed transaction rolled back without hiding what failed it."""
        if self.read_only:
            raise StoreError(write_failure_sentence(sqlite3.OperationalError("readonly")))
        db = self._db
        try:
            if transaction:
                db.execute("BEGIN IMMEDIATE")
            yield db
            if transaction:
                db.execute("COMMIT")
        except sqlite3.Error as exc:
            if db.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    db.execute("ROLLBACK")
            log.error("history write failed: %s", exc, exc_info=True)
            raise StoreError(write_failure_sentence(exc)) from exc
        except BaseException:
            if db.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    db.execute("ROLLBACK")
            raise

    # -- conversations ------------------------------------------------------------------------

    _CONV = ("SELECT id, title, created_at, updated_at, active_leaf_id, title_auto "
             "FROM conversations")

    def conversations(self) -> list[Conversation]:
        rows = self._db.execute(f"{self._CONV} ORDER BY updated_at DESC, id DESC").fetchall()
        return [Conversation(r[0], r[1], r[2], r[3], r[4], bool(r[5])) for r in rows]

    def conversation(self, conversation_id: int) -> Conversation | None:
        r = self._db.execute(f"{self._CONV} WHERE id = ?", (conversation_id,)).fetchone()
        return Conversation(r[0], r[1], r[2], r[3], r[4], bool(r[5])) if r else None

    def create_conversation(self, title: str = DEFAULT_TITLE) -> Conversation:
        now = time.time()
        with self._writing() as db:
            cur = db.execute(
                "INSERT INTO conversations (title, created_at, updated_at, title_auto) "
                "VALUES (?, ?, ?, ?)", (title, now, now, int(title == DEFAULT_TITLE)))
        assert cur.lastrowid is not None
        return Conversation(cur.lastrowid, title, now, now, None, title == DEFAULT_TITLE)

    def rename_conversation(self, conversation_id: int, title: str, auto: bool = False) -> None:
        """Rename; a rename by the user (``auto=False``) is never replaced by an automatic
        title afterwards."""
        title = " ".join(title.split()) or "Untitled chat"
        with self._writing() as db:
            db.execute("UPDATE conversations SET title = ?, title_auto = ? WHERE id = ?",
                       (title[:200], int(auto), conversation_id))

    def delete_conversation(self, conversation_id: int) -> None:
        with self._writing() as db:
            db.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))

    def conversation_options(self, conversation_id: int) -> dict[str, Any]:
        """Per-chat options (preset, thinking on/off …), as saved."""
        row = self._db.execute("SELECT options FROM conversations WHERE id = ?",
                               (conversation_id,)).fetchone()
        return _loads(row[0], {}) if row else {}

    def set_conversation_options(self, conversation_id: int, options: dict[str, Any]) -> None:
        with self._writing() as db:
            db.execute("UPDATE conversations SET options = ? WHERE id = ?",
                       (json.dumps(options), conversation_id))

    # -- messages: the active path ----------------------------------------------------------

    def messages(self, conversation_id: int) -> list[StoredMessage]:
        """The active path, first message first, each with its place among its siblings."""
        conv = self.conversation(conversation_id)
        if conv is None or conv.active_leaf_id is None:
            return []
        return self.path_to(conv.active_leaf_id)

    def path_to(self, message_id: int) -> list[StoredMessage]:
        """The messages from the first one down to ``message_id``."""
        rows = self._db.execute(
            f"WITH RECURSIVE up(mid) AS (SELECT ? UNION ALL "
            f"SELECT m.parent_id FROM messages m JOIN up ON m.id = up.mid "
            f"WHERE m.parent_id IS NOT NULL) "
            f"SELECT {_MSG_COLUMNS} FROM messages WHERE id IN (SELECT mid FROM up) ORDER BY seq",
            (message_id,)).fetchall()
        return [_row_message(r, *self._sibling_place(r[1], r[8], r[0])) for r in rows]

    def _siblings(self, conversation_id: int, parent_id: int | None) -> list[int]:
        if parent_id is None:
            rows = self._db.execute("SELECT id FROM messages WHERE conversation_id = ? AND "
                                    "parent_id IS NULL ORDER BY id", (conversation_id,))
        else:
            rows = self._db.execute("SELECT id FROM messages WHERE parent_id = ? ORDER BY id",
                                    (parent_id,))
        return [r[0] for r in rows]

    def _sibling_place(self, conversation_id: int, parent_id: int | None,
                       message_id: int) -> tuple[int, int]:
        ids = self._siblings(conversation_id, parent_id)
        return (ids.index(message_id) + 1 if message_id in ids else 1), max(1, len(ids))

    def message(self, message_id: int) -> StoredMessage | None:
        r = self._db.execute(f"SELECT {_MSG_COLUMNS} FROM messages WHERE id = ?",
                             (message_id,)).fetchone()
        return _row_message(r, *self._sibling_place(r[1], r[8], r[0])) if r else None

    def add_message(
        self,
        conversation_id: int,
        role: str,
        content: str,
        status: MessageStatus = MessageStatus.COMPLETE,
        model: str | None = None,
        *,
        parent_id: int | None | bool = True,
        engine: str = "",
    ) -> StoredMessage:
        """Add a message and make it the conversation's active leaf. By default it continues
        the active path; ``parent_id`` names another parent (a branch), None for a new root."""
        now = time.time()
        with self._writing(transaction=True) as db:
            if parent_id is True:
                row = db.execute("SELECT active_leaf_id FROM conversations WHERE id = ?",
                                 (conversation_id,)).fetchone()
                parent = row[0] if row else None
            else:
                parent = parent_id if isinstance(parent_id, int) else None
            seq = 1
            if parent is not None:
                seq = db.execute("SELECT seq FROM messages WHERE id = ?",
                                 (parent,)).fetchone()[0] + 1
            cur = db.execute(
                "INSERT INTO messages (conversation_id, parent_id, seq, role, content, status, "
                "created_at, model, engine, active_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (conversation_id, parent, seq, role, content, status.value, now, model, engine,
                 now))
            db.execute("UPDATE conversations SET active_leaf_id = ?, updated_at = ? WHERE id = ?",
                       (cur.lastrowid, now, conversation_id))
        assert cur.lastrowid is not None
        index, count = self._sibling_place(conversation_id, parent, cur.lastrowid)
        return StoredMessage(cur.lastrowid, conversation_id, seq, role, content, status, now,
                             model, parent_id=parent, engine=engine, sibling_index=index,
                             sibling_count=count)

    def update_message(
        self,
        message_id: int,
        content: str,
        status: MessageStatus,
        stats: dict[str, Any] | None = None,
        *,
        reasoning: str | None = None,
        thinking_seconds: float | None = None,
    ) -> None:
        with self._writing() as db:
            db.execute(
                "UPDATE messages SET content = ?, status = ?, stats = COALESCE(?, stats), "
                "reasoning = COALESCE(?, reasoning), "
                "thinking_seconds = COALESCE(?, thinking_seconds) WHERE id = ?",
                (content, status.value, json.dumps(stats) if stats is not None else None,
                 reasoning, thinking_seconds, message_id))

    def set_reasoning_expanded(self, message_id: int, expanded: bool) -> None:
        with self._writing() as db:
            db.execute("UPDATE messages SET reasoning_expanded = ? WHERE id = ?",
                       (int(expanded), message_id))

    def message_stats(self, message_id: int) -> dict[str, Any] | None:
        row = self._db.execute("SELECT stats FROM messages WHERE id = ?", (message_id,)).fetchone()
        value = _loads(row[0], None) if row and row[0] else None
        return value if isinstance(value, dict) else None

    # -- branches ---------------------------------------------------------------------------

    def switch_branch(self, message_id: int, delta: int) -> int | None:
        """Make the sibling ``delta`` places from ``message_id`` active (‹ / › in the view),
        continuing down the branch it was last on. Returns the new active leaf."""
        msg = self.message(message_id)
        if msg is None:
            return None
        ids = self._siblings(msg.conversation_id, msg.parent_id)
        target = ids[max(0, min(len(ids) - 1, ids.index(message_id) + delta))]
        return self.activate(target)

    def activate(self, message_id: int) -> int | None:
        """Make the branch through ``message_id`` active: down to the leaf it was last on."""
        row = self._db.execute("SELECT conversation_id FROM messages WHERE id = ?",
                               (message_id,)).fetchone()
        if row is None:
            return None
        leaf = message_id
        while True:
            child = self._db.execute("SELECT id FROM messages WHERE parent_id = ? "
                                     "ORDER BY active_at DESC, id DESC LIMIT 1",
                                     (leaf,)).fetchone()
            if child is None:
                break
            leaf = child[0]
        now = time.time()
        path = [m.id for m in self.path_to(leaf)]
        with self._writing(transaction=True) as db:
            db.executemany("UPDATE messages SET active_at = ? WHERE id = ?",
                           [(now, mid) for mid in path])
            db.execute("UPDATE conversations SET active_leaf_id = ? WHERE id = ?",
                       (leaf, row[0]))
        return leaf

    def delete_message(self, message_id: int) -> None:
        """Delete a message and everything after it on every branch; the active path moves to
        a sibling's branch, else ends at the parent."""
        msg = self.message(message_id)
        if msg is None:
            return
        conv = self.conversation(msg.conversation_id)
        on_path = conv is not None and conv.active_leaf_id is not None and any(
            m.id == message_id for m in self.path_to(conv.active_leaf_id))
        with self._writing() as db:
            db.execute("DELETE FROM messages WHERE id = ?", (message_id,))
        if not on_path:
            return
        rest = [i for i in self._siblings(msg.conversation_id, msg.parent_id) if i != message_id]
        if rest:
            self.activate(rest[-1])
        else:
            with self._writing() as db:
                db.execute("UPDATE conversations SET active_leaf_id = ? WHERE id = ?",
                           (msg.parent_id, msg.conversation_id))

    def fork(self, message_id: int) -> Conversation | None:
        """A new conversation holding the path up to ``message_id`` (copied, so each goes its
        own way), titled after the original."""
        msg = self.message(message_id)
        if msg is None:
            return None
        source = self.conversation(msg.conversation_id)
        path = self.path_to(message_id)
        title = f"{source.title if source else 'Chat'} (fork)"
        now = time.time()
        with self._writing(transaction=True) as db:
            cur = db.execute("INSERT INTO conversations (title, created_at, updated_at, "
                             "title_auto) VALUES (?, ?, ?, 0)", (title[:200], now, now))
            conv = cur.lastrowid
            parent = None
            for m in path:
                stats = db.execute("SELECT stats FROM messages WHERE id = ?",
                                   (m.id,)).fetchone()[0]
                row = db.execute(
                    "INSERT INTO messages (conversation_id, parent_id, seq, role, content, "
                    "status, created_at, model, stats, reasoning, thinking_seconds, engine, "
                    "active_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (conv, parent, m.seq, m.role, m.content, m.status.value, m.created_at,
                     m.model, stats, m.reasoning, m.thinking_seconds, m.engine, now))
                parent = row.lastrowid
            db.execute("UPDATE conversations SET active_leaf_id = ? WHERE id = ?",
                       (parent, conv))
        assert conv is not None
        return self.conversation(conv)

    def recover_interrupted(self) -> int:
        """Mark replies left 'generating' by a crash as interrupted; their text is kept."""
        if self.read_only:
            return 0
        with self._writing() as db:
            cur = db.execute("UPDATE messages SET status = ? WHERE status = ?",
                             (MessageStatus.INTERRUPTED.value, MessageStatus.GENERATING.value))
        return cur.rowcount

    # -- settings -------------------------------------------------------------------------------

    def get_setting(self, key: str, default: Any = None) -> Any:
        row = self._db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        if row is None:
            return default
        return _loads(row[0], default, key)

    def set_setting(self, key: str, value: Any) -> None:
        with self._writing() as db:
            db.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, json.dumps(value)),
            )

    def reader(self) -> sqlite3.Connection:  # for chat/ queries that only read (search, export)
        return self._db

    def transaction(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        """One write transaction for bulk writers (import), through ``_writing``."""
        return self._writing(transaction=True)


def _loads(text: str, default: Any, what: str = "value") -> Any:
    """JSON from the database, or ``default`` when it is damaged, huge or absurdly nested."""
    if not isinstance(text, str) or len(text) > MAX_SETTING_JSON:
        log.warning("setting %r is too large or not text; using the default", what)
        return default
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        log.warning("setting %r is not valid JSON; using the default", what)
        return default
