"""The chat history and settings in one SQLite file: WAL mode, versioned schema, migrations.

User data is sacred: every schema change runs in a transaction after a backup copy of the file is
taken, a database written by a newer version is refused rather than touched, and a file that is
not a database is moved aside (kept, never deleted) before a fresh one is started.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from desktopchat.chat.types import Conversation, MessageStatus, StoredMessage

log = logging.getLogger(__name__)


DEFAULT_TITLE = "New chat"  # a conversation's title until its first message names it


class StoreError(Exception):
    """A history problem the user must be told about, in one sentence."""


def _run_script(db: sqlite3.Connection, script: str) -> None:
    """Run statements one by one: ``executescript`` would commit the migration's transaction."""
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


def _migrate_1(db: sqlite3.Connection) -> None:
    _run_script(
        db,
        """
        CREATE TABLE conversations (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            title TEXT NOT NULL,
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL
        );
        CREATE TABLE messages (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
            seq INTEGER NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('system', 'user', 'assistant')),
            content TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'complete',
            created_at REAL NOT NULL,
            model TEXT,
            stats TEXT,
            UNIQUE (conversation_id, seq)
        );
        CREATE INDEX messages_by_conversation ON messages(conversation_id, seq);
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        """
    )


# Index i migrates from version i to i + 1. Append, never edit.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_migrate_1]
SCHEMA_VERSION = len(MIGRATIONS)


class ChatStore:
    """Conversations, messages and settings. Used from the UI thread only."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.recovered_from: Path | None = None  # set when a broken file was moved aside
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = self._open(path)
        except sqlite3.DatabaseError as exc:
            if "file is not a database" not in str(exc) and "malformed" not in str(exc):
                raise StoreError(f"The chat history at {path} could not be opened: {exc}.") from exc
            aside = path.with_name(f"{path.name}.unreadable-{int(time.time())}")
            log.exception("history file unreadable; moving it aside to %s", aside)
            path.rename(aside)
            for suffix in ("-wal", "-shm"):
                side = path.with_name(path.name + suffix)
                if side.exists():
                    side.rename(aside.with_name(aside.name + suffix))
            self.recovered_from = aside
            self._db = self._open(path)

    # -- schema -----------------------------------------------------------------------------

    def _open(self, path: Path) -> sqlite3.Connection:
        db = sqlite3.connect(path, isolation_level=None, timeout=10)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA foreign_keys=ON")
            self._migrate(db, path)
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
            with sqlite3.connect(backup) as dst:
                db.backup(dst)
            dst.close()
            log.info("backed up history schema v%d to %s before migrating", version, backup)
        for target in range(version, SCHEMA_VERSION):
            db.execute("BEGIN IMMEDIATE")
            try:
                MIGRATIONS[target](db)
                db.execute(f"PRAGMA user_version = {target + 1}")
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise

    @property
    def schema_version(self) -> int:
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    def close(self) -> None:
        self._db.close()

    # -- conversations ------------------------------------------------------------------------

    def conversations(self) -> list[Conversation]:
        rows = self._db.execute(
            "SELECT id, title, created_at, updated_at FROM conversations "
            "ORDER BY updated_at DESC, id DESC"
        ).fetchall()
        return [Conversation(*r) for r in rows]

    def conversation(self, conversation_id: int) -> Conversation | None:
        row = self._db.execute(
            "SELECT id, title, created_at, updated_at FROM conversations WHERE id = ?",
            (conversation_id,),
        ).fetchone()
        return Conversation(*row) if row else None

    def create_conversation(self, title: str = DEFAULT_TITLE) -> Conversation:
        now = time.time()
        cur = self._db.execute(
            "INSERT INTO conversations (title, created_at, updated_at) VALUES (?, ?, ?)",
            (title, now, now),
        )
        assert cur.lastrowid is not None
        return Conversation(cur.lastrowid, title, now, now)

    def rename_conversation(self, conversation_id: int, title: str) -> None:
        title = " ".join(title.split()) or "Untitled chat"
        self._db.execute(
            "UPDATE conversations SET title = ? WHERE id = ?", (title[:200], conversation_id)
        )

    def delete_conversation(self, conversation_id: int) -> None:
        self._db.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))

    def _touch(self, conversation_id: int) -> None:
        self._db.execute(
            "UPDATE conversations SET updated_at = ? WHERE id = ?", (time.time(), conversation_id)
        )

    # -- messages -------------------------------------------------------------------------------

    def messages(self, conversation_id: int) -> list[StoredMessage]:
        rows = self._db.execute(
            "SELECT id, conversation_id, seq, role, content, status, created_at, model "
            "FROM messages WHERE conversation_id = ? ORDER BY seq",
            (conversation_id,),
        ).fetchall()
        return [
            StoredMessage(r[0], r[1], r[2], r[3], r[4], MessageStatus(r[5]), r[6], r[7])
            for r in rows
        ]

    def message(self, message_id: int) -> StoredMessage | None:
        r = self._db.execute(
            "SELECT id, conversation_id, seq, role, content, status, created_at, model "
            "FROM messages WHERE id = ?",
            (message_id,),
        ).fetchone()
        return StoredMessage(r[0], r[1], r[2], r[3], r[4], MessageStatus(r[5]), r[6], r[7]) if r else None

    def add_message(
        self,
        conversation_id: int,
        role: str,
        content: str,
        status: MessageStatus = MessageStatus.COMPLETE,
        model: str | None = None,
    ) -> StoredMessage:
        now = time.time()
        self._db.execute("BEGIN IMMEDIATE")
        try:
            seq = self._db.execute(
                "SELECT COALESCE(MAX(seq), 0) + 1 FROM messages WHERE conversation_id = ?",
                (conversation_id,),
            ).fetchone()[0]
            cur = self._db.execute(
                "INSERT INTO messages (conversation_id, seq, role, content, status, created_at, model)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (conversation_id, seq, role, content, status.value, now, model),
            )
            self._touch(conversation_id)
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        assert cur.lastrowid is not None
        return StoredMessage(cur.lastrowid, conversation_id, seq, role, content, status, now, model)

    def update_message(
        self,
        message_id: int,
        content: str,
        status: MessageStatus,
        stats: dict[str, Any] | None = None,
    ) -> None:
        self._db.execute(
            "UPDATE messages SET content = ?, status = ?, stats = COALESCE(?, stats) WHERE id = ?",
            (content, status.value, json.dumps(stats) if stats is not None else None, message_id),
        )

    def message_stats(self, message_id: int) -> dict[str, Any] | None:
        row = self._db.execute("SELECT stats FROM messages WHERE id = ?", (message_id,)).fetchone()
        return json.loads(row[0]) if row and row[0] else None

    def delete_messages_from(self, conversation_id: int, seq: int) -> None:
        """Delete the message at ``seq`` and every later one (edit-and-resend, regenerate)."""
        self._db.execute(
            "DELETE FROM messages WHERE conversation_id = ? AND seq >= ?", (conversation_id, seq)
        )

    def recover_interrupted(self) -> int:
        """Mark replies left 'generating' by a crash as interrupted; their text is kept."""
        cur = self._db.execute(
            "UPDATE messages SET status = ? WHERE status = ?",
            (MessageStatus.INTERRUPTED.value, MessageStatus.GENERATING.value),
        )
        return cur.rowcount

    # -- settings -------------------------------------------------------------------------------

    def get_setting(self, key: str, default: Any = None) -> Any:
        row = self._db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        if row is None:
            return default
        try:
            return json.loads(row[0])
        except json.JSONDecodeError:
            log.warning("setting %r is not valid JSON; using the default", key)
            return default

    def set_setting(self, key: str, value: Any) -> None:
        self._db.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, json.dumps(value)),
        )
