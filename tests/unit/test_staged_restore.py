"""A restore staged while the app runs and applied at the next start (Qt-free), and archives
damaged inside their compressed data refused in one sentence (backup and ChatGPT import)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from desktopchat.chat import staged_restore
from desktopchat.chat.backup import BackupProblem, create_backup
from desktopchat.chat.importer import ImportProblem, import_file
from desktopchat.chat.store import ChatStore
from desktopchat.paths import AppPaths


def _history(paths: AppPaths, titles: list[str]) -> None:
    store = ChatStore(paths.db_path)
    try:
        for title in titles:
            c = store.create_conversation(title)
            store.add_message(c.id, "user", f"about {title}")
    finally:
        store.close()


def _titles(paths: AppPaths) -> list[str]:
    store = ChatStore(paths.db_path)
    try:
        return sorted(c.title for c in store.conversations())
    finally:
        store.close()


@pytest.fixture
def archive(app_paths: AppPaths, tmp_path: Path) -> Path:
    _history(app_paths, ["kept one", "kept two"])
    out = tmp_path / "elsewhere" / "b.desktopchat-backup.zip"
    create_backup(app_paths.db_path, out)
    _history(app_paths, ["made later"])
    return out


def test_stage_commit_and_apply_at_the_next_start(app_paths, archive):
    data = app_paths.data_dir
    staged = staged_restore.stage(archive, data)
    assert staged.path.parent == data and staged.source_name == archive.name
    assert staged.info.conversations == 2
    archive.unlink()  # the original may be gone (a removable disk): the staged copy is used
    staged_restore.commit(staged, data)
    assert staged_restore.has_pending(data) and not staged.path.exists()
    outcome = staged_restore.apply_pending(app_paths.db_path)
    assert outcome is not None and outcome.ok
    assert outcome.sentence.startswith("Restored 2 conversation(s) with 2 message(s) from the "
                                       "backup made ")
    assert "were kept as desktopchat.sqlite3.before-restore-" in outcome.sentence
    assert _titles(app_paths) == ["kept one", "kept two"]
    assert not staged_restore.has_pending(data)
    assert staged_restore.apply_pending(app_paths.db_path) is None


def test_a_pending_restore_damaged_since_is_refused_and_kept(app_paths, archive):
    data = app_paths.data_dir
    staged_restore.commit(staged_restore.stage(archive, data), data)
    pending = staged_restore.pending_path(data)
    raw = bytearray(pending.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    pending.write_bytes(bytes(raw))
    outcome = staged_restore.apply_pending(app_paths.db_path)
    assert outcome is not None and not outcome.ok
    assert outcome.sentence.startswith("The backup waiting to be restored was refused, so your "
                                       "chats were not changed: the backup is damaged")
    assert _titles(app_paths) == ["kept one", "kept two", "made later"]
    assert not pending.exists()
    assert [p.name.startswith("restore-refused-") for p in data.iterdir()].count(True) == 1


def test_staging_a_bad_file_leaves_nothing_behind(app_paths, tmp_path):
    bad = tmp_path / "x.zip"
    bad.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(BackupProblem, match="not a desktopchat backup"):
        staged_restore.stage(bad, app_paths.data_dir)
    with pytest.raises(BackupProblem, match="could not be found"):
        staged_restore.stage(tmp_path / "missing.zip", app_paths.data_dir)
    assert [p.name for p in app_paths.data_dir.iterdir() if "restore" in p.name] == []


def test_leftover_staging_copies_go_and_cancel_forgets(app_paths, archive):
    data = app_paths.data_dir
    staged_restore.stage(archive, data)  # the app quit while asking
    assert any(p.name.startswith(staged_restore.STAGING_PREFIX) for p in data.iterdir())
    assert staged_restore.apply_pending(app_paths.db_path) is None
    assert not any(p.name.startswith(staged_restore.STAGING_PREFIX) for p in data.iterdir())
    staged_restore.commit(staged_restore.stage(archive, data), data)
    assert staged_restore.cancel_pending(data)
    assert not staged_restore.cancel_pending(data)
    assert staged_restore.apply_pending(app_paths.db_path) is None
    assert _titles(app_paths) == ["kept one", "kept two", "made later"]


def _flip_each(path: Path, step: int) -> list[bytes]:
    raw = path.read_bytes()
    out = []
    for at in range(40, len(raw) - 40, step):
        b = bytearray(raw)
        b[at] ^= 0xFF
        out.append(bytes(b))
    return out


def test_flipped_bytes_anywhere_in_a_backup_are_one_sentence(app_paths, archive, tmp_path):
    target = tmp_path / "damaged.zip"
    refused = 0
    for data in _flip_each(archive, max(1, archive.stat().st_size // 150)):
        target.write_bytes(data)
        try:
            staged = staged_restore.stage(target, app_paths.data_dir)
        except BackupProblem as exc:
            assert str(exc).endswith(".") and "\n" not in str(exc)
            refused += 1
        else:  # a byte no check depends on (a time stamp, padding): the history is intact
            assert staged.info.conversations == 2
            staged_restore.discard(staged.path)
    assert refused > 100
    assert [p.name for p in app_paths.data_dir.iterdir() if "restore" in p.name] == []


def test_flipped_bytes_in_a_chatgpt_zip_are_one_sentence(app_paths, tmp_path):
    good = tmp_path / "export.zip"
    with zipfile.ZipFile(good, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("conversations.json", json.dumps([{"title": "t", "n": list(range(5000))}]))
    store = ChatStore(app_paths.db_path)
    try:
        target = tmp_path / "damaged.zip"
        for data in _flip_each(good, max(1, good.stat().st_size // 150)):
            target.write_bytes(data)
            with pytest.raises(ImportProblem):
                import_file(store, target)
        assert store.conversations() == []
    finally:
        store.close()
