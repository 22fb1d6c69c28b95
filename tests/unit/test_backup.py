"""Backup and restore: a consistent snapshot while the app writes, a manifest with checksums,
restore refused (one sentence, nothing touched) for damaged, foreign or newer archives, and the
current history kept aside when a restore replaces it."""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import zipfile
from pathlib import Path

import pytest

from desktopchat.chat.backup import (
    DATABASE,
    MANIFEST,
    SUFFIX,
    BackupProblem,
    create_backup,
    default_name,
    read_manifest,
    restore_backup,
    verify_backup,
)
from desktopchat.chat.schema import MIGRATIONS
from desktopchat.chat.search import search
from desktopchat.chat.store import SCHEMA_VERSION, ChatStore


def _fill(store: ChatStore, n: int = 3) -> None:
    for i in range(n):
        c = store.create_conversation(f"chat {i}")
        store.add_message(c.id, "user", f"question {i}")
        store.add_message(c.id, "assistant", f"answer {i}")
    store.set_setting("app", {"offline": True})
    store.set_setting("zzzkeyzzz", 1)


@pytest.fixture
def store(app_paths):
    s = ChatStore(app_paths.db_path)
    _fill(s)
    yield s
    s.close()


def test_backup_then_restore_brings_back_chats_and_settings(store, app_paths, tmp_path):
    archive = tmp_path / default_name()
    info = create_backup(store, archive)
    assert archive.name.endswith(SUFFIX)
    assert (info.conversations, info.messages, info.schema) == (3, 6, SCHEMA_VERSION)
    with zipfile.ZipFile(archive) as z:
        assert sorted(z.namelist()) == [DATABASE, MANIFEST]
        manifest = json.loads(z.read(MANIFEST))
        assert manifest["files"][DATABASE]["sha256"] == hashlib.sha256(
            z.read(DATABASE)).hexdigest()
    assert read_manifest(archive) == info == verify_backup(archive)
    # the app goes on: more chats, a changed setting, then a restore
    store.create_conversation("after the backup")
    store.set_setting("app", {"offline": False})
    store.close()
    result = restore_backup(archive, app_paths.db_path)
    assert result.info == info and result.kept_aside is not None
    restored = ChatStore(app_paths.db_path)
    try:
        assert sorted(c.title for c in restored.conversations()) == ["chat 0", "chat 1",
                                                                     "chat 2"]
        assert restored.get_setting("app") == {"offline": True}
        assert search(restored, "answer")  # the index came along
    finally:
        restored.close()
    kept = ChatStore(result.kept_aside)
    try:
        assert "after the backup" in [c.title for c in kept.conversations()]
    finally:
        kept.close()


def test_a_backup_is_a_consistent_snapshot_of_uncommitted_wal(store, tmp_path):
    """Writes still in the WAL are in the snapshot: it is taken through SQLite, not by copying
    the file."""
    c = store.create_conversation("in the wal")
    store.add_message(c.id, "user", "fresh")
    assert Path(f"{store.path}-wal").stat().st_size > 0
    info = create_backup(store, tmp_path / "b.zip")
    assert info.conversations == 4


def test_a_worker_can_back_up_from_the_path(store, tmp_path):
    info = create_backup(store.path, tmp_path / "b.zip")
    assert info.messages == 6


def _rezip(src: Path, dst: Path, *, manifest=None, db: bytes | None = None,
           extra: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(src) as z:
        m = json.loads(z.read(MANIFEST))
        data = z.read(DATABASE)
    if manifest is not None:
        m = manifest(m)
    with zipfile.ZipFile(dst, "w") as z:
        z.writestr(MANIFEST, json.dumps(m))
        z.writestr(DATABASE, data if db is None else db)
        for name, blob in (extra or {}).items():
            z.writestr(name, blob)
    return dst


def _flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1:]


def _damaged_pages(data: bytes) -> bytes:
    """The same database with garbage written over a b-tree page's header."""
    page = int.from_bytes(data[16:18], "big")
    return data[:page * 2] + b"\xee" * 64 + data[page * 2 + 64:]


def _index_mismatch(data: bytes) -> bytes:
    """A key changed in the settings table but not in its index: SQLite opens and reads the
    file happily, and only integrity_check finds the damage."""
    at = data.index(b"zzzkeyzzz")
    return data[:at] + b"zzzkeyzzy" + data[at + 9:]


def _with_sha(db: bytes):
    def edit(m):
        m["files"][DATABASE] = {"size": len(db), "sha256": hashlib.sha256(db).hexdigest()}
        return m
    return edit


def _newer_db(tmp_path: Path) -> bytes:
    p = tmp_path / "newer.sqlite3"
    s = ChatStore(p)
    s.close()
    db = sqlite3.connect(p)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    return p.read_bytes()


def _refusals(tmp_path: Path, good: Path) -> list[tuple[Path, str]]:
    data = zipfile.ZipFile(good).read(DATABASE)
    not_zip = tmp_path / "notzip.zip"
    not_zip.write_bytes(b"PK\x03\x04 this is not really a zip")
    truncated = tmp_path / "truncated.zip"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    foreign_db = tmp_path / "foreign.sqlite3"
    sqlite3.connect(foreign_db).execute("CREATE TABLE x (y)").connection.commit()
    foreign = foreign_db.read_bytes()
    damaged = _damaged_pages(data)
    mismatch = _index_mismatch(data)
    newer = _newer_db(tmp_path)
    return [
        (not_zip, "not a readable zip"),
        (truncated, "not a readable zip"),
        (tmp_path / "missing.zip", "could not be found"),
        (_rezip(good, tmp_path / "flip.zip", db=_flip(data, len(data) // 2)), "checksum"),
        (_rezip(good, tmp_path / "short.zip", db=data[:-10]), "not the size"),
        (_rezip(good, tmp_path / "pages.zip", db=damaged, manifest=_with_sha(damaged)),
         "damaged"),  # SQLite's own checks (integrity_check, or "malformed" on open)
        (_rezip(good, tmp_path / "index.zip", db=mismatch, manifest=_with_sha(mismatch)),
         "integrity check"),
        (_rezip(good, tmp_path / "foreign.zip", db=foreign, manifest=_with_sha(foreign)),
         "not a desktopchat history"),
        (_rezip(good, tmp_path / "newerdb.zip", db=newer, manifest=_with_sha(newer)),
         "newer desktopchat"),
        (_rezip(good, tmp_path / "newer.zip", manifest=lambda m: {**m, "schema": 99}),
         "newer desktopchat"),
        (_rezip(good, tmp_path / "fmt.zip", manifest=lambda m: {**m, "version": 2}),
         "newer desktopchat"),
        (_rezip(good, tmp_path / "theirs.zip", manifest=lambda m: {**m, "format": "zip"}),
         "not ours"),
        (_rezip(good, tmp_path / "nosha.zip", manifest=lambda m: {**m, "files": {}}),
         "manifest is damaged"),
        (_rezip(good, tmp_path / "extra.zip", extra={"../../evil.sh": b"rm -rf"}),
         "exactly a manifest"),
    ]


def test_damaged_foreign_or_newer_archives_are_refused_and_nothing_changes(store, app_paths,
                                                                             tmp_path):
    good = tmp_path / "good.zip"
    create_backup(store, good)
    store.close()
    before = {p.name: p.read_bytes() for p in app_paths.db_path.parent.iterdir()
              if p.is_file()}
    for archive, phrase in _refusals(tmp_path, good):
        with pytest.raises(BackupProblem) as info:
            restore_backup(archive, app_paths.db_path)
        text = str(info.value)
        assert re.search(phrase, text), (archive.name, text)
        assert text.endswith(".") and "\n" not in text
        after = {p.name: p.read_bytes() for p in app_paths.db_path.parent.iterdir()
                 if p.is_file()}
        assert after == before, archive.name
    restore_backup(good, app_paths.db_path)  # and a good one still restores


def test_an_older_backup_is_migrated_when_opened(tmp_path, app_paths):
    old = tmp_path / "v2.sqlite3"
    db = sqlite3.connect(old, isolation_level=None)
    for migrate in MIGRATIONS[:2]:
        migrate(db)
    db.execute("PRAGMA user_version = 2")
    db.execute("INSERT INTO conversations (title, created_at, updated_at) VALUES ('v2', 1, 1)")
    db.execute("INSERT INTO messages (conversation_id, seq, role, content, created_at) "
               "VALUES (1, 1, 'user', 'from the past', 1)")
    db.execute("UPDATE conversations SET active_leaf_id = 1")
    db.close()
    archive = tmp_path / "v2.zip"
    info = create_backup(old, archive)
    assert info.schema == 2
    restore_backup(archive, app_paths.db_path)
    store = ChatStore(app_paths.db_path)
    try:
        assert store.schema_version == SCHEMA_VERSION
        assert search(store, "past")
    finally:
        store.close()


def test_backup_to_an_unwritable_place_is_one_sentence(store, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(BackupProblem, match="could not be written"):
        create_backup(store, blocker / "sub" / "b.zip")
