"""Import (drop, file dialog), the Models page (listing, delete versus forget, fit badge) and an
imported model answering through the real window and engine."""

from __future__ import annotations

import logging
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from desktopchat.app import DesktopChatApp
from desktopchat.chat.store import ChatStore
from desktopchat.models.starter import STARTER_ID
from desktopchat.settings import ModelSettings, Settings
from desktopchat.ui.models_page import FIT_LABEL, ModelsPage

SHORT = ModelSettings(temperature=0.0, max_tokens=24, context_length=1024, threads=2, seed=1)


@pytest.fixture
def make_app(qtbot, app_paths) -> Iterator[Callable[[], DesktopChatApp]]:
    """The real app on the test's data dir; nothing is loaded until a test asks."""
    apps: list[DesktopChatApp] = []

    def _make() -> DesktopChatApp:
        app = DesktopChatApp(app_paths)
        apps.append(app)
        qtbot.addWidget(app.window)
        app.window.show()
        qtbot.wait_exposed(app.window)
        return app

    yield _make
    for app in apps:
        app.window.close()
        app.shutdown()


@pytest.fixture
def outside_copy(tmp_path, smollm2_path) -> Path:
    """A real model outside the data dir, as a user's Downloads folder would hold it."""
    dest = tmp_path / "Downloads" / "SmolLM2-imported.gguf"
    dest.parent.mkdir()
    shutil.copy(smollm2_path, dest)
    return dest


def _mime(*paths: Path) -> QMimeData:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    return mime


def _drag_and_drop(target, mime: QMimeData) -> bool:
    """Enter then drop on ``target``; returns whether the enter was accepted."""
    pos = target.rect().center()
    enter = QDragEnterEvent(pos, Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, enter)
    if not enter.isAccepted():
        return False
    drop = QDropEvent(QPointF(pos), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, drop)
    return True


def _picker_names(app: DesktopChatApp) -> list[str]:
    p = app.window.model_picker
    return [p.itemText(i) for i in range(p.count())]


def _picker_paths(app: DesktopChatApp) -> list[str]:
    """The files the picker offers (names come from the files' metadata and can repeat)."""
    p = app.window.model_picker
    ids = [p.itemData(i) for i in range(p.count())]
    return [m.path for m in app.library.models if m.model_id in ids]


def _listed(qtbot, app: DesktopChatApp, path: Path, present: bool = True) -> None:
    """Wait until the library's listing (made on its own thread) has ``path`` (or not)."""
    qtbot.wait_until(lambda: (str(path) in _picker_paths(app)) == present, timeout=20_000)


def _row_of(page: ModelsPage, path: Path) -> int:
    return next(i for i, m in enumerate(page._rows) if m.path == str(path))


def test_dropping_a_gguf_on_the_window_adds_it_to_the_picker(qtbot, make_app, outside_copy,
                                                            app_paths):
    app = make_app()
    assert _drag_and_drop(app.window, _mime(outside_copy))
    _listed(qtbot, app, outside_copy)
    assert app.window.last_notice.startswith("Added Smollm2 135M")  # the file's own name
    assert outside_copy.is_file()
    assert not any(app_paths.models_dir.rglob("*.gguf"))  # used in place, not copied
    # Dropped on the composer, a .gguf is imported too (not pasted as a path).
    other = outside_copy.with_name("Second.gguf")
    shutil.copy(outside_copy, other)
    assert _drag_and_drop(app.window.composer.viewport(), _mime(other))
    _listed(qtbot, app, other)
    assert app.window.composer.toPlainText() == ""
    assert app.window.composer.toPlainText() == ""


def test_drag_of_other_files_is_refused(make_app, tmp_path):
    app = make_app()
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    assert not _drag_and_drop(app.window, _mime(text))


def test_a_bad_file_gets_one_sentence_and_a_traceback_in_the_log(qtbot, make_app, tmp_path,
                                                                caplog):
    app = make_app()
    qtbot.wait_until(lambda: app.library.listed_once, timeout=20_000)
    before = _picker_names(app)
    bad = tmp_path / "broken.gguf"
    bad.write_bytes(b"GGUF\x03\x00\x00\x00" + b"\xff" * 40)
    with caplog.at_level(logging.WARNING, logger="desktopchat.session"), \
            qtbot.wait_signal(app.library.error, timeout=20_000):
        assert _drag_and_drop(app.window, _mime(bad))
    assert app.window.last_error.startswith("broken.gguf cannot be used: ")
    assert app.window.last_error.endswith(".") and app.window.last_error.count(". ") == 0
    assert any(r.exc_info for r in caplog.records), "no traceback was logged"
    assert _picker_names(app) == before


def test_import_dialog_answer_goes_through_the_same_import(qtbot, make_app, outside_copy,
                                                           app_paths):
    app = make_app()
    app.window.import_files([str(outside_copy)])  # what the file dialog's answer calls
    _listed(qtbot, app, outside_copy)
    page = app.window.open_models_page()
    page.copy_box.setChecked(True)
    copy_src = outside_copy.with_name("AsCopy.gguf")
    shutil.copy(outside_copy, copy_src)
    copied = app_paths.models_dir / "imported" / "AsCopy.gguf"
    page.import_paths([str(copy_src)])  # the page's dialog answer, with "copy" ticked
    _listed(qtbot, app, copied)
    assert page.status.text().startswith("Added Smollm2 135M")
    assert page.selected_model() is not None and page.selected_model().path == str(copied)
    # A second copy of a file with the same name never overwrites the first.
    page.import_paths([str(copy_src)])
    _listed(qtbot, app, copied.with_name("AsCopy-2.gguf"))
    assert copied.is_file()


def _row(page: ModelsPage, name: str) -> int:
    return next(i for i, r in enumerate(page.row_texts()) if r[0].startswith(name))


def test_models_page_lists_and_deletes_or_forgets_with_the_right_question(
    qtbot, make_app, app_paths, outside_copy, smollm2_path
):
    owned = app_paths.models_dir / "Owned-Q4_1.gguf"
    shutil.copy(smollm2_path, owned)
    app = make_app()
    app.window.import_files([str(outside_copy)])
    _listed(qtbot, app, outside_copy)
    app.window.models_action.trigger()
    page = app.window.models_page
    assert page is not None and page.isVisible()
    texts = page.row_texts()
    owned_row, imported_row = _row_of(page, owned), _row_of(page, outside_copy)
    assert texts[owned_row][1:5] == ["Q4_1", "98.4 MB", "Models folder", "never"]
    assert texts[imported_row][3] == "Imported (in place)"
    assert texts[_row(page, "SmolLM2 135M Instruct (starter)")][3] == "Starter model"
    for r in texts:
        assert r[5] in FIT_LABEL.values()
    fit_item = page.table.item(owned_row, 5)
    default_ctx = ModelSettings().context_length  # the fit is at this model's context setting
    assert "MB of weights" in fit_item.toolTip()
    assert f"at a context of {default_ctx} tokens" in fit_item.toolTip()

    asked: list[str] = []
    answers = iter([False, True, True])
    page.confirm = lambda q: (asked.append(q), next(answers))[1]  # type: ignore[method-assign]

    page.table.selectRow(_row_of(page, owned))
    assert page.remove_button.text() == "Delete"
    page.remove_button.click()  # answered No: nothing happens
    assert owned.is_file() and asked[-1].startswith("Delete Smollm2 135M")
    assert "The file (98.4 MB)" in asked[-1]
    with qtbot.wait_signal(app.library.notice, timeout=20_000):
        page.remove_button.click()
    assert not owned.exists()
    _listed(qtbot, app, owned, present=False)
    assert str(owned) not in [m.path for m in page._rows]
    assert page.status.text().startswith("Deleted Smollm2 135M")
    assert "and freed 98.4 MB" in page.status.text()

    page.table.selectRow(_row_of(page, outside_copy))
    assert page.remove_button.text() == "Forget"
    page.remove_button.click()
    assert asked[-1].startswith("Forget Smollm2 135M") and "not deleted" in asked[-1]
    _listed(qtbot, app, outside_copy, present=False)
    assert outside_copy.is_file()


def test_add_tab_adds_a_page(make_app):
    from PySide6.QtWidgets import QLabel

    page = make_app().window.open_models_page()
    page.add_tab(QLabel("more here"), "More")
    # The composition root adds the Hub's two tabs; add_tab appends after them.
    assert [page.tabs.tabText(i) for i in range(page.tabs.count())] == [
        "Installed", "Get models", "Downloads", "More"]


@pytest.mark.realmodel
def test_imported_model_loads_in_the_engine_and_answers(qtbot, make_app, app_paths, outside_copy):
    store = ChatStore(app_paths.db_path)
    Settings(store).save_model(STARTER_ID, SHORT)
    store.close()
    app = make_app()
    app.window.import_files([str(outside_copy)])
    _listed(qtbot, app, outside_copy)
    model = next(m for m in app.library.models if m.path == str(outside_copy))
    app.settings.save_model(model.model_id, SHORT)
    page = app.window.open_models_page()
    page.table.selectRow(_row_of(page, outside_copy))
    with qtbot.wait_signal(app.session.model_state, timeout=120_000,
                           check_params_cb=lambda s, _d: s == "ready"):
        page.load_button.click()
    assert app.session.model is not None and app.session.model.model_id == model.model_id
    assert app.window.model_picker.currentData() == model.model_id
    assert page.row_texts()[_row_of(page, outside_copy)][4] == "just now"
    with qtbot.wait_signal(app.generation.busy_changed, timeout=120_000,
                           check_params_cb=lambda busy: busy is False):
        qtbot.keyClicks(app.window.composer, "Say hello.")
        qtbot.keyClick(app.window.composer, Qt.Key.Key_Return)
    db = sqlite3.connect(app_paths.db_path)
    try:
        role, content, model_name = db.execute(
            "SELECT role, content, model FROM messages ORDER BY id DESC LIMIT 1").fetchone()
    finally:
        db.close()
    assert role == "assistant" and content.strip() and model_name == model.name
    assert content.split()[0] in app.window.view.toPlainText()
    # The loaded model cannot be deleted from under the engine.
    assert app.library.remove_model(model.model_id) is False
    assert "unload it" in app.window.last_error
    assert Path(outside_copy).is_file()

