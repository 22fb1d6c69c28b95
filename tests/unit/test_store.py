import sqlite3

import pytest

from desktopchat.chat.store import SCHEMA_VERSION, ChatStore, StoreError
from desktopchat.chat.types import MessageStatus


def test_wal_mode_and_schema(app_paths):
    store = ChatStore(app_paths.db_path)
    assert store.schema_version == SCHEMA_VERSION
    mode = sqlite3.connect(app_paths.db_path).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_conversation_lifecycle_persists(app_paths):
    store = ChatStore(app_paths.db_path)
    a = store.create_conversation()
    b = store.create_conversation("Second")
    store.add_message(a.id, "user", "hello")
    reply = store.add_message(a.id, "assistant", "", MessageStatus.GENERATING, model="m")
    store.update_message(reply.id, "hi there", MessageStatus.COMPLETE, {"completion_tokens": 3})
    store.rename_conversation(a.id, "  Greetings\n chat ")
    store.close()

    store = ChatStore(app_paths.db_path)
    convs = store.conversations()
    assert [c.title for c in convs] == ["Greetings chat", "Second"]  # most recently updated first
    msgs = store.messages(a.id)
    assert [(m.role, m.content, m.status) for m in msgs] == [
        ("user", "hello", MessageStatus.COMPLETE),
        ("assistant", "hi there", MessageStatus.COMPLETE),
    ]
    assert store.message_stats(reply.id) == {"completion_tokens": 3}
    store.delete_conversation(b.id)
    assert [c.id for c in store.conversations()] == [a.id]


def test_delete_cascades_messages(app_paths):
    store = ChatStore(app_paths.db_path)
    c = store.create_conversation()
    store.add_message(c.id, "user", "x")
    store.delete_conversation(c.id)
    assert store.messages(c.id) == []


def test_crash_mid_reply_is_recovered_as_interrupted(app_paths):
    store = ChatStore(app_paths.db_path)
    c = store.create_conversation()
    m = store.add_message(c.id, "assistant", "", MessageStatus.GENERATING)
    store.update_message(m.id, "partial text", MessageStatus.GENERATING)
    store.close()  # "crash": never finished
    store = ChatStore(app_paths.db_path)
    assert store.recover_interrupted() == 1
    (msg,) = store.messages(c.id)
    assert msg.content == "partial text" and msg.status is MessageStatus.INTERRUPTED


def test_migration_takes_a_backup_first(app_paths, monkeypatch):
    from desktopchat.chat import store as store_mod

    store = ChatStore(app_paths.db_path)
    c = store.create_conversation("keep me")
    store.add_message(c.id, "user", "precious")
    store.close()

    def migrate_next(db):
        db.execute("ALTER TABLE conversations ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0")

    now = SCHEMA_VERSION
    monkeypatch.setattr(store_mod, "MIGRATIONS", store_mod.MIGRATIONS + [migrate_next])
    monkeypatch.setattr(store_mod, "SCHEMA_VERSION", now + 1)
    store = ChatStore(app_paths.db_path)
    assert store.schema_version == now + 1
    assert store.messages(c.id)[0].content == "precious"
    backup = app_paths.db_path.with_name(app_paths.db_path.name + f".backup-v{now}")
    assert backup.exists()
    old = sqlite3.connect(backup)
    assert old.execute("PRAGMA user_version").fetchone()[0] == now
    assert old.execute("SELECT content FROM messages").fetchone()[0] == "precious"
    old.close()


def test_failed_migration_rolls_back(app_paths, monkeypatch):
    from desktopchat.chat import store as store_mod

    ChatStore(app_paths.db_path).close()

    def broken(db):
        db.execute("ALTER TABLE conversations ADD COLUMN x INTEGER")
        raise RuntimeError("boom")

    monkeypatch.setattr(store_mod, "MIGRATIONS", store_mod.MIGRATIONS + [broken])
    monkeypatch.setattr(store_mod, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with pytest.raises(RuntimeError):
        ChatStore(app_paths.db_path)
    db = sqlite3.connect(app_paths.db_path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    cols = [r[1] for r in db.execute("PRAGMA table_info(conversations)")]
    assert "x" not in cols
    db.close()


def test_newer_schema_is_refused_untouched(app_paths):
    ChatStore(app_paths.db_path).close()
    db = sqlite3.connect(app_paths.db_path)
    db.execute("PRAGMA user_version = 99")
    db.close()
    with pytest.raises(StoreError, match="newer"):
        ChatStore(app_paths.db_path)
    db = sqlite3.connect(app_paths.db_path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == 99
    db.close()


def test_garbage_file_is_moved_aside_not_deleted(app_paths):
    app_paths.db_path.write_bytes(b"this is not sqlite" * 100)
    store = ChatStore(app_paths.db_path)
    assert store.recovered_from is not None
    assert store.recovered_from.read_bytes().startswith(b"this is not sqlite")
    assert store.conversations() == []


def test_settings_kv(app_paths):
    store = ChatStore(app_paths.db_path)
    assert store.get_setting("k", 5) == 5
    store.set_setting("k", {"a": [1, 2]})
    store.set_setting("k", {"a": [3]})
    assert store.get_setting("k") == {"a": [3]}
