"""The history database's schema and its migrations (Qt-free).

Index i of ``MIGRATIONS`` migrates from version i to i + 1; migrations are appended, never
edited. ``ChatStore`` runs them in a transaction after taking a backup copy of the file.

Version 2 turned each conversation into a **tree** of messages: every message has a parent (none
for the first), a regenerated reply or an edited message is a sibling of the one it replaces,
and the conversation remembers its active leaf; the active path (leaf to root) is what the
window shows, what the model is sent and what the saved KV state is keyed on.

Version 3 added full-text search (``desktopchat.chat.search``): an FTS5 index over message
content, maintained by triggers.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable


def run_script(db: sqlite3.Connection, script: str) -> None:
    """Run statements one by one: ``executescript`` would commit the migration's transaction."""
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


def _migrate_1(db: sqlite3.Connection) -> None:
    run_script(
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


def _migrate_2(db: sqlite3.Connection) -> None:
    """Messages as a tree: ``parent_id``, the reply's reasoning, which engine answered, when a
    branch was last active; conversations get their active leaf and per-chat options."""
    run_script(
        db,
        """
        CREATE TABLE messages_tree (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
            parent_id INTEGER REFERENCES messages_tree(id) ON DELETE CASCADE,
            seq INTEGER NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('system', 'user', 'assistant')),
            content TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'complete',
            created_at REAL NOT NULL,
            model TEXT,
            stats TEXT,
            reasoning TEXT NOT NULL DEFAULT '',
            thinking_seconds REAL,
            reasoning_expanded INTEGER NOT NULL DEFAULT 0,
            engine TEXT NOT NULL DEFAULT '',
            active_at REAL NOT NULL DEFAULT 0
        );
        INSERT INTO messages_tree (id, conversation_id, parent_id, seq, role, content, status,
                                   created_at, model, stats, active_at)
            SELECT m.id, m.conversation_id,
                   (SELECT p.id FROM messages p WHERE p.conversation_id = m.conversation_id
                      AND p.seq < m.seq ORDER BY p.seq DESC LIMIT 1),
                   m.seq, m.role, m.content, m.status, m.created_at, m.model, m.stats,
                   m.created_at
            FROM messages m ORDER BY m.conversation_id, m.seq;
        DROP TABLE messages;
        ALTER TABLE messages_tree RENAME TO messages;
        CREATE INDEX messages_by_parent ON messages(conversation_id, parent_id);
        ALTER TABLE conversations ADD COLUMN active_leaf_id INTEGER;
        ALTER TABLE conversations ADD COLUMN options TEXT NOT NULL DEFAULT '{}';
        ALTER TABLE conversations ADD COLUMN title_auto INTEGER NOT NULL DEFAULT 1;
        UPDATE conversations SET active_leaf_id = (
            SELECT m.id FROM messages m WHERE m.conversation_id = conversations.id
            ORDER BY m.seq DESC LIMIT 1);
        UPDATE conversations SET title_auto = 0 WHERE title NOT IN ('New chat', 'Untitled chat')
        """
    )


def _migrate_3(db: sqlite3.Connection) -> None:
    """Full-text search over what messages *say* (``content``, never ``reasoning``): an FTS5
    index that reads its text from ``messages`` (external content, so nothing is stored twice),
    kept current by triggers, and built here for the messages already stored. Words are matched
    without regard to case or accents; ``prefix`` indexes make search-as-you-type fast. Also an
    index of messages by parent, which branch lookups and deletes need on a large history."""
    db.execute(
        "CREATE VIRTUAL TABLE messages_fts USING fts5(content, content='messages', "
        "content_rowid='id', tokenize='unicode61 remove_diacritics 2', prefix='2 3')")
    # Trigger bodies hold ';', so they are not run through run_script.
    db.execute("CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN "
               "INSERT INTO messages_fts(rowid, content) VALUES (new.id, new.content); END")
    db.execute("CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN "
               "INSERT INTO messages_fts(messages_fts, rowid, content) "
               "VALUES ('delete', old.id, old.content); END")
    db.execute("CREATE TRIGGER messages_fts_update AFTER UPDATE OF content ON messages BEGIN "
               "INSERT INTO messages_fts(messages_fts, rowid, content) "
               "VALUES ('delete', old.id, old.content); "
               "INSERT INTO messages_fts(rowid, content) VALUES (new.id, new.content); END")
    db.execute("INSERT INTO messages_fts(messages_fts) VALUES ('rebuild')")
    # Children of a message (siblings, branches, ON DELETE CASCADE) were found by a scan of
    # every message: with 200,000 of them, each lookup cost milliseconds.
    db.execute("CREATE INDEX messages_by_parent_id ON messages(parent_id)")


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_migrate_1, _migrate_2, _migrate_3]
