"""Export, import, backup and restore through the Chat menu on the real app and store.

File dialogs and questions are the module's ``ask_save_path``, ``ask_open_path`` and
``confirm`` (replaced here with the answers a user would give); everything after them is real:
the worker thread, the exporters, the importer, the archive and the restart that restores it.
"""

from __future__ import annotations

import json
import sqlite3
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from desktopchat.app import DesktopChatApp
from desktopchat.chat.backup import verify_backup
from desktopchat.chat.staged_restore import pending_path
from desktopchat.paths import AppPaths
from desktopchat.session.chat_tools import default_export_path, sanitize_file_name
from desktopchat.ui import chat_io
from tests.support.chat_seed import Seeded, seed


@pytest.fixture
def seeded(app_paths: AppPaths) -> Seeded:
    return seed(app_paths)


@pytest.fixture
def launch(qtbot, app_paths: AppPaths) -> Iterator[Callable[[], DesktopChatApp]]:
    apps: list[DesktopChatApp] = []

    def _launch() -> DesktopChatApp:
        a = DesktopChatApp(app_paths)
        apps.append(a)
        qtbot.addWidget(a.window)
        a.window.show()
        qtbot.wait_exposed(a.window)
        return a

    yield _launch
    for a in apps:
        a.window.close()
        a.shutdown()


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """What the file dialogs and questions answer; records what they were asked."""
    given: dict[str, object] = {"save": "", "open": "", "confirm": [], "asked": []}

    def save(_parent, caption, start, filters):  # type: ignore[no-untyped-def]
        given["asked"].append(("save", caption, start, filters))  # type: ignore[union-attr]
        return given["save"]

    def open_(_parent, caption, start, filters):  # type: ignore[no-untyped-def]
        given["asked"].append(("open", caption, start, filters))  # type: ignore[union-attr]
        return given["open"]

    def confirm(_parent, title, text, yes, no):  # type: ignore[no-untyped-def]
        given["asked"].append(("confirm", title, text, yes))  # type: ignore[union-attr]
        return given["confirm"].pop(0)  # type: ignore[union-attr]

    monkeypatch.setattr(chat_io, "ask_save_path", save)
    monkeypatch.setattr(chat_io, "ask_open_path", open_)
    monkeypatch.setattr(chat_io, "confirm", confirm)
    return given


def choose_export(monkeypatch: pytest.MonkeyPatch, fmt: str, reasoning: bool) -> None:
    """The export dialog, answered with the keyboard's result: a format and the check box."""
    def exec_(self: chat_io.ExportDialog) -> int:
        self.choices[fmt].setChecked(True)
        assert self.reasoning.isEnabled() == (fmt != "json")
        self.reasoning.setChecked(reasoning)
        return 1

    monkeypatch.setattr(chat_io.ExportDialog, "exec", exec_)


def _notice(qtbot, app: DesktopChatApp):  # type: ignore[no-untyped-def]
    return qtbot.wait_signal(app.chat_tools.notice, timeout=20_000)


def _error(qtbot, app: DesktopChatApp):  # type: ignore[no-untyped-def]
    return qtbot.wait_signal(app.chat_tools.error, timeout=20_000)


def _titles(paths: AppPaths) -> list[str]:
    db = sqlite3.connect(paths.db_path)
    try:
        return [r[0] for r in db.execute("SELECT title FROM conversations ORDER BY id")]
    finally:
        db.close()


def _with_reasoning(paths: AppPaths, message_id: int, reasoning: str) -> None:
    db = sqlite3.connect(paths.db_path)
    try:
        db.execute("UPDATE messages SET reasoning = ? WHERE id = ?", (reasoning, message_id))
        db.commit()
    finally:
        db.close()


# -- export -------------------------------------------------------------------------------------

def test_file_names_from_titles_are_safe_everywhere(tmp_path):
    assert sanitize_file_name('a/b\\c:d*e?f"g<h>i|j') == "a b c d e f g h i j"
    assert sanitize_file_name("../../etc/passwd") == "etc passwd"
    assert sanitize_file_name("  ..  ") == "chat"
    assert sanitize_file_name("CON") == "CON_"
    assert sanitize_file_name("x" * 300) == "x" * 80
    assert sanitize_file_name("line\nbreak\x00") == "line break"
    assert default_export_path(tmp_path, "Fruit <b>", "html") == tmp_path / "Fruit b.html"


def test_export_markdown_with_reasoning_writes_the_file_atomically(qtbot, launch, seeded,
                                                                   answers, monkeypatch,
                                                                   tmp_path, app_paths):
    _with_reasoning(app_paths, seeded.fruit_second, "Think about orchards first.")
    app = launch()
    app.conversations.open(seeded.fruit)
    choose_export(monkeypatch, "markdown", reasoning=True)
    target = tmp_path / "out" / "fruit"
    target.parent.mkdir()
    answers["save"] = str(target)
    with _notice(qtbot, app) as blocker:
        app.chat_menu.export_action.trigger()
    # The suggested name comes from the title; the format's suffix is added when typed without.
    assert Path(answers["asked"][0][2]).name == "Fruit b &amp; trees b.md"
    written = tmp_path / "out" / "fruit.md"
    assert blocker.args == ["Exported the chat to fruit.md."]
    text = written.read_text(encoding="utf-8")
    assert text.startswith("# Fruit <b>&amp; trees</b>")
    assert "Apples grow on trees, and so do pears." in text
    assert "> Think about orchards first." in text
    assert "Orchard apples" not in text  # another branch: Markdown shows the chat as shown
    assert sorted(p.name for p in written.parent.iterdir()) == ["fruit.md"]  # no .part left


def test_export_html_without_reasoning_and_json_complete(qtbot, launch, seeded, answers,
                                                         monkeypatch, tmp_path, app_paths):
    _with_reasoning(app_paths, seeded.fruit_second, "Secret thoughts.")
    app = launch()
    app.conversations.open(seeded.fruit)
    choose_export(monkeypatch, "html", reasoning=False)
    answers["save"] = str(tmp_path / "fruit.html")
    with _notice(qtbot, app):
        app.chat_menu.export_action.trigger()
    page = (tmp_path / "fruit.html").read_text(encoding="utf-8")
    assert "<script" not in page and "Secret thoughts" not in page
    assert "Fruit &lt;b&gt;&amp;amp; trees&lt;/b&gt;" in page

    choose_export(monkeypatch, "json", reasoning=False)
    answers["save"] = str(tmp_path / "fruit.json")
    with _notice(qtbot, app):
        app.chat_menu.export_action.trigger()
    doc = json.loads((tmp_path / "fruit.json").read_text(encoding="utf-8"))
    (conv,) = doc["conversations"]
    contents = {m["content"] for m in conv["messages"]}
    assert "Apples are red fruit. Orchard apples keep well." in contents  # every branch
    assert "Secret thoughts." in {m["reasoning"] for m in conv["messages"]}


def test_export_failure_is_one_sentence_and_leaves_nothing(qtbot, launch, seeded, answers,
                                                           monkeypatch, tmp_path):
    app = launch()
    choose_export(monkeypatch, "markdown", reasoning=False)
    answers["save"] = str(tmp_path / "missing-folder" / "x.md")
    with _error(qtbot, app) as blocker:
        app.chat_menu.export_action.trigger()
    sentence = blocker.args[0]
    assert sentence.startswith("The chat could not be saved as x.md (")
    assert sentence.count(".") >= 1 and "\n" not in sentence
    assert not (tmp_path / "missing-folder").exists()


def test_cancelled_save_dialog_exports_nothing(qtbot, launch, seeded, answers, monkeypatch):
    app = launch()
    choose_export(monkeypatch, "markdown", reasoning=False)
    answers["save"] = ""
    with qtbot.assert_not_emitted(app.chat_tools.job_started):
        app.chat_menu.export_action.trigger()


# -- import -------------------------------------------------------------------------------------

def test_json_export_imports_back_and_opens(qtbot, launch, seeded, answers, monkeypatch,
                                            tmp_path, app_paths):
    app = launch()
    app.conversations.open(seeded.fruit)
    choose_export(monkeypatch, "json", reasoning=False)
    answers["save"] = str(tmp_path / "fruit.json")
    with _notice(qtbot, app):
        app.chat_menu.export_action.trigger()
    answers["open"] = str(tmp_path / "fruit.json")
    changed = []
    app.conversations.conversations_changed.connect(lambda: changed.append(True))
    with _notice(qtbot, app) as blocker:
        app.chat_menu.import_action.trigger()
    assert blocker.args == ["Imported 1 conversation(s) with 3 message(s) from desktopchat."]
    assert changed
    assert _titles(app_paths).count("Fruit <b>&amp; trees</b>") == 2
    new_id = max(c.id for c in app.conversations.conversations())
    assert app.conversations.current == new_id
    assert "Fruit <b>&amp; trees</b>" in app.window.sidebar.titles()
    assert "Apples grow on trees" in app.window.view.toPlainText()


def test_chatgpt_export_zip_imports(qtbot, launch, seeded, answers, tmp_path, app_paths):
    mapping = {
        "root": {"id": "root", "message": None, "parent": None, "children": ["u"]},
        "u": {"id": "u", "parent": "root", "children": ["a"], "message": {
            "author": {"role": "user"}, "content": {"content_type": "text",
                                                    "parts": ["What is a quokka?"]},
            "create_time": 1700000000}},
        "a": {"id": "a", "parent": "u", "children": [], "message": {
            "author": {"role": "assistant"}, "content": {"content_type": "text",
                                                         "parts": ["A small marsupial."]},
            "create_time": 1700000001}},
    }
    archive = tmp_path / "chatgpt-export.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("conversations.json", json.dumps([{
            "title": "Quokkas", "create_time": 1700000000, "update_time": 1700000001,
            "mapping": mapping, "current_node": "a"}]))
    app = launch()
    answers["open"] = str(archive)
    with _notice(qtbot, app) as blocker:
        app.chat_menu.import_action.trigger()
    assert "from ChatGPT" in blocker.args[0]
    assert "Quokkas" in _titles(app_paths)
    assert "A small marsupial." in app.window.view.toPlainText()


@pytest.mark.parametrize("content", [
    b"{not json",
    b'{"format": "desktopchat.conversations", "version": 1, "conversations": '
    b'[{"title": "ok", "messages": [{"id": 1, "parent": null, "role": "user", '
    b'"content": "fine"}]}, {"title": "bad", "messages": [{"id": 1, "parent": 7, '
    b'"role": "user", "content": "orphan"}]}]}',
    b"\xff\xfe\x00garbage",
    b"[" * 100_000,
])
def test_broken_or_hostile_imports_are_one_sentence_and_import_nothing(
        qtbot, launch, seeded, answers, tmp_path, app_paths, content):
    bad = tmp_path / "hostile.json"
    bad.write_bytes(content)
    before = _titles(app_paths)
    app = launch()
    answers["open"] = str(bad)
    with _error(qtbot, app) as blocker:
        app.chat_menu.import_action.trigger()
    sentence = blocker.args[0]
    assert sentence.startswith("hostile.json was not imported: ")
    assert sentence.endswith(".") and "\n" not in sentence and "Traceback" not in sentence
    assert _titles(app_paths) == before  # nothing half-imported


# -- backup and restore -------------------------------------------------------------------------

def test_backup_writes_a_sound_archive_of_chats_and_settings(qtbot, launch, seeded, answers,
                                                             tmp_path):
    app = launch()
    app.chat_tools.choose_preset(seeded.fruit, "coding")
    answers["save"] = str(tmp_path / "mine")
    with _notice(qtbot, app) as blocker:
        app.chat_menu.backup_action.trigger()
    archive = tmp_path / "mine.desktopchat-backup.zip"
    assert blocker.args == [f"Backed up 2 conversation(s) with 5 message(s) and your settings "
                            f"to {archive.name}."]
    assert Path(answers["asked"][0][2]).name.endswith(".desktopchat-backup.zip")
    info = verify_backup(archive)
    assert (info.conversations, info.messages) == (2, 5)


def test_restore_is_verified_staged_and_applied_at_the_next_start(qtbot, launch, seeded,
                                                                  answers, tmp_path,
                                                                  app_paths):
    app = launch()
    answers["save"] = str(tmp_path / "b.desktopchat-backup.zip")
    with _notice(qtbot, app):
        app.chat_menu.backup_action.trigger()
    app.conversations.new()
    app.conversations.rename(app.conversations.current, "Made after the backup")
    assert "Made after the backup" in _titles(app_paths)

    answers["open"] = answers["save"]
    answers["confirm"] = [True, False]  # restore at next start; don't quit now
    with qtbot.wait_signal(app.chat_tools.restore_pending_changed, timeout=20_000):
        app.chat_menu.restore_action.trigger()
    question = answers["asked"][-2][2]
    assert "2 conversation(s) with 5 message(s)" in question
    assert pending_path(app_paths.data_dir).is_file()
    assert app.chat_menu.cancel_restore_action.isVisible()
    assert "Made after the backup" in _titles(app_paths)  # nothing changes until the restart
    app.window.close()
    app.shutdown()

    again = launch()
    assert "Made after the backup" not in _titles(app_paths)
    assert sorted(_titles(app_paths)) == ["Fruit <b>&amp; trees</b>", "Space"]
    assert not pending_path(app_paths.data_dir).exists()
    assert again.window.last_notice.startswith("Restored 2 conversation(s) with 5 message(s)")
    kept = [p.name for p in app_paths.data_dir.iterdir() if ".before-restore-" in p.name]
    assert kept, "the replaced history is kept aside"
    assert not again.chat_menu.cancel_restore_action.isVisible()


def test_restore_declined_or_cancelled_changes_nothing(qtbot, launch, seeded, answers,
                                                       tmp_path, app_paths):
    app = launch()
    answers["save"] = str(tmp_path / "b.desktopchat-backup.zip")
    with _notice(qtbot, app):
        app.chat_menu.backup_action.trigger()
    answers["open"] = answers["save"]
    answers["confirm"] = [False]
    with qtbot.wait_signal(app.chat_tools.restore_ready, timeout=20_000):
        app.chat_menu.restore_action.trigger()
    leftovers = [p.name for p in app_paths.data_dir.iterdir() if "restore" in p.name]
    assert leftovers == []

    answers["confirm"] = [True, False]
    with qtbot.wait_signal(app.chat_tools.restore_pending_changed, timeout=20_000):
        app.chat_menu.restore_action.trigger()
    with _notice(qtbot, app):
        app.chat_menu.cancel_restore_action.trigger()
    assert not pending_path(app_paths.data_dir).exists()
    assert not app.chat_menu.cancel_restore_action.isVisible()


@pytest.mark.parametrize("damage", ["not-zip", "flipped", "foreign"])
def test_a_damaged_backup_is_refused_in_one_sentence(qtbot, launch, seeded, answers,
                                                     tmp_path, app_paths, damage):
    app = launch()
    good = tmp_path / "b.desktopchat-backup.zip"
    answers["save"] = str(good)
    with _notice(qtbot, app):
        app.chat_menu.backup_action.trigger()
    bad = tmp_path / "damaged.desktopchat-backup.zip"
    if damage == "not-zip":
        bad.write_bytes(b"hello")
    elif damage == "flipped":
        data = bytearray(good.read_bytes())
        data[len(data) // 2] ^= 0xFF
        bad.write_bytes(bytes(data))
    else:
        with zipfile.ZipFile(bad, "w") as z:
            z.writestr("manifest.json", "{}")
            z.writestr("history.sqlite3", b"x")
    answers["open"] = str(bad)
    with _error(qtbot, app) as blocker:
        app.chat_menu.restore_action.trigger()
    sentence = blocker.args[0]
    assert sentence.endswith(".") and "\n" not in sentence
    assert "backup" in sentence.lower()
    assert [a for a in answers["asked"] if a[0] == "confirm"] == []  # never asked
    assert [p.name for p in app_paths.data_dir.iterdir() if "restore" in p.name] == []
