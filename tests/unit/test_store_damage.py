"""The history survives damage: flipped bytes in a page, a read-only file or folder, a full
disk and absurd settings values never stop the app; what can be read is kept."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from desktopchat.chat.store import ChatStore, StoreError
from desktopchat.chat.types import MessageStatus
from desktopchat.settings import Settings


def _fill(path: Path, chats: int = 30, per_chat: int = 20) -> None:
    store = ChatStore(path)
    for c in range(chats):
        conv = store.create_conversation(f"Chat {c}")
        for i in range(per_chat):
            role = "user" if i % 2 == 0 else "assistant"
            store.add_message(conv.id, role, f"chat {c} message {i} " + "lorem ipsum " * 20)
    Settings(store).update_app(last_model_id="m")
    store._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()


def _flip_page_of(path: Path, needle: bytes) -> None:
    """Flip four bytes of the b-tree header of the page that holds ``needle``."""
    data = bytearray(path.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    at = data.index(needle)
    page = at // page_size * page_size
    for k in range(4):
        data[page + k] ^= 0xFF
    path.write_bytes(bytes(data))


def test_a_damaged_page_is_detected_moved_aside_and_the_rest_recovered(app_paths):
    path = app_paths.db_path
    _fill(path)
    _flip_page_of(path, b"chat 17 message 5 ")
    store = ChatStore(path)  # quick_check at start finds it; nothing raises
    assert store.recovered_from is not None and store.recovered_from.exists()
    report = store.recovery_report
    assert report is not None and report.conversations == 30
    assert 500 <= report.messages < 600  # one page of messages lost, the rest kept
    assert "were saved" in report.sentence()
    titles = {c.title for c in store.conversations()}
    assert "Chat 0" in titles and "Chat 29" in titles
    first = next(c for c in store.conversations() if c.title == "Chat 0")
    assert len(store.messages(first.id)) == 20
    assert store.recover_interrupted() == 0  # the start-up recovery that used to abort
    assert Settings(store).app().last_model_id == "m"
    # The recovered history is a working one.
    store.add_message(first.id, "user", "still here")
    store.close()
    assert ChatStore(path).recovered_from is None


def test_garbage_is_moved_aside_and_a_fresh_history_starts(app_paths):
    app_paths.db_path.write_bytes(b"\x00garbage" * 4096)
    store = ChatStore(app_paths.db_path)
    assert store.recovered_from is not None
    assert store.recovered_from.read_bytes().startswith(b"\x00garbage")
    assert store.conversations() == []


def test_a_read_only_history_opens_read_only_and_says_so(app_paths, monkeypatch):
    """SQLite refuses to write (a read-only file or folder; CI runs as root, which ignores
    permissions, so the refusal is SQLite's own error, injected)."""
    _fill(app_paths.db_path, chats=2, per_chat=2)
    real_connect = sqlite3.connect

    def connect(target, *a, **kw):  # type: ignore[no-untyped-def]
        if not str(target).startswith("file:"):
            raise sqlite3.OperationalError("attempt to write a readonly database")
        return real_connect(target, *a, **kw)

    monkeypatch.setattr(sqlite3, "connect", connect)
    store = ChatStore(app_paths.db_path)
    assert store.read_only and "read-only" in store.problem
    assert [c.title for c in store.conversations()] == ["Chat 1", "Chat 0"]
    with pytest.raises(StoreError, match="read-only"):
        store.add_message(store.conversations()[0].id, "user", "x")
    assert store.recover_interrupted() == 0


def test_a_full_disk_says_so_and_hides_nothing(app_paths):
    store = ChatStore(app_paths.db_path)
    conv = store.create_conversation()
    store.add_message(conv.id, "user", "before")
    pages = store._db.execute("PRAGMA page_count").fetchone()[0]
    store._db.execute(f"PRAGMA max_page_count = {pages}")  # SQLite's own "disk is full"
    with pytest.raises(StoreError) as err:
        store.add_message(conv.id, "assistant", "x" * 100_000)
    assert str(err.value).startswith("The disk is full")
    assert "rollback" not in str(err.value)
    assert [m.content for m in store.messages(conv.id)] == ["before"]
    store._db.execute("PRAGMA max_page_count = 1073741823")  # space freed: it works again
    store.add_message(conv.id, "assistant", "after")
    assert [m.content for m in store.messages(conv.id)] == ["before", "after"]


def test_absurd_settings_values_fall_back_to_defaults(app_paths):
    store = ChatStore(app_paths.db_path)
    nested = "[" * 100_000 + "]" * 100_000
    store._db.execute("INSERT INTO settings (key, value) VALUES ('app', ?)", (nested,))
    store._db.execute("INSERT INTO settings (key, value) VALUES ('model:x', ?)",
                      (json.dumps({"temperature": 1e308, "top_k": "lots"}),))
    settings = Settings(store)
    assert settings.app().offline is False  # defaults, no RecursionError
    assert settings.model("x").top_k == 40


def test_a_history_that_cannot_be_created_lives_in_memory_for_the_session(tmp_path,
                                                                         monkeypatch):
    real_connect = sqlite3.connect

    def connect(target, *a, **kw):  # type: ignore[no-untyped-def]
        if target != ":memory:":
            raise sqlite3.OperationalError("unable to open database file")
        return real_connect(target, *a, **kw)

    monkeypatch.setattr(sqlite3, "connect", connect)
    store = ChatStore(tmp_path / "nowhere" / "h.sqlite3")
    assert "will not be saved" in store.problem and not store.read_only
    conv = store.create_conversation()
    store.add_message(conv.id, "user", "hi")
    assert [m.content for m in store.messages(conv.id)] == ["hi"]
    assert MessageStatus.COMPLETE is store.messages(conv.id)[0].status
