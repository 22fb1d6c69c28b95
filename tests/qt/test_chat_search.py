"""Find in chat (Ctrl+F) and search all chats (Ctrl+Shift+F) on the real window and store."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QKeySequence, QPalette
from PySide6.QtWidgets import QMenuBar

from desktopchat.app import DesktopChatApp
from desktopchat.chat.search import MARK_END, MARK_START, SearchHit
from desktopchat.paths import AppPaths
from desktopchat.ui.search import hit_terms
from desktopchat.ui.search_panel import hit_document, hit_summary
from tests.support.chat_seed import Seeded, seed


@pytest.fixture
def seeded(app_paths: AppPaths) -> Seeded:
    return seed(app_paths, filler=30)


@pytest.fixture
def app(qtbot, app_paths: AppPaths, seeded: Seeded) -> Iterator[DesktopChatApp]:
    """The real app on the seeded history; no model is loaded (nothing here generates)."""
    a = DesktopChatApp(app_paths)
    qtbot.addWidget(a.window)
    a.window.show()
    qtbot.wait_exposed(a.window)
    yield a
    a.window.close()
    a.shutdown()


def _find_results(qtbot, app: DesktopChatApp):  # type: ignore[no-untyped-def]
    return qtbot.wait_signal(app.chat_tools.search_results, timeout=10_000,
                             check_params_cb=lambda r: r.channel == "find")


def _all_results(qtbot, app: DesktopChatApp):  # type: ignore[no-untyped-def]
    return qtbot.wait_signal(app.chat_tools.search_results, timeout=10_000,
                             check_params_cb=lambda r: r.channel == "all")


def _on_screen(app: DesktopChatApp, message_id: int) -> bool:
    view = app.window.view
    row = view.row(message_id)
    if row is None or not row.isVisible():
        return False
    top = row.mapTo(view.viewport(), row.rect().topLeft()).y()
    return 0 <= top < view.viewport().height()


def test_chat_menu_actions_are_named_with_icons_shortcuts_and_tips(app):
    menu = app.chat_menu.menu
    assert menu.objectName() == "chatMenu"
    assert app.window.menuBar().findChild(type(menu), "chatMenu") is menu
    names = [a.objectName() for a in menu.actions() if not a.isSeparator()]
    tools = ["findInChat", "searchAllChats", "exportChat", "importChats",
             "backUpChats", "restoreChats", "cancelRestore", "presetMenuAction"]
    # the window's own chat actions (New chat … Quit) come first, then these, in this order
    assert names[:2] == ["new_chat", "fork_chat"] and names[-len(tools):] == tools
    for action in menu.actions():
        if action.isSeparator():
            continue
        assert action.text() and action.statusTip(), action.objectName()
        if action.objectName() in tools:
            assert not action.icon().isNull(), action.objectName()
    assert app.chat_menu.find_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Find)
    assert app.chat_menu.search_action.shortcut() == QKeySequence("Ctrl+Shift+F")
    assert not app.chat_menu.cancel_restore_action.isVisible()
    assert isinstance(app.window.menuBar(), QMenuBar)


def test_find_in_chat_counts_walks_and_marks_matches_on_the_shown_branch(qtbot, app, seeded):
    app.conversations.open(seeded.other)
    bar = app.chat_menu.find_bar
    qtbot.keyClick(app.window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert bar.isVisible()
    assert bar.field.hasFocus()
    with _find_results(qtbot, app):
        qtbot.keyClicks(bar.field, "comets")
    # 30 questions and 30 answers mention comets; the newest is current (the reader is at the
    # end), and the view shows it with the word marked.
    assert bar.count.text() == "60 of 60"
    assert _on_screen(app, bar.matches[-1].message_id)
    qtbot.keyClick(bar.field, Qt.Key.Key_Return)  # next wraps to the first
    assert bar.count.text() == "1 of 60"
    first = bar.matches[0].message_id
    assert _on_screen(app, first)
    assert not app.window.view.is_following
    qtbot.keyClick(bar.field, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert bar.count.text() == "60 of 60"
    qtbot.keyClick(bar.field, Qt.Key.Key_Escape)
    assert not bar.isVisible()
    assert app.window.view.hasFocus()


def test_find_marks_the_matched_words_in_the_message(qtbot, app, seeded):
    from desktopchat.ui.search import highlight_message

    app.conversations.open(seeded.other)
    bar = app.chat_menu.find_bar
    bar.open_bar()
    with _find_results(qtbot, app):
        bar.field.setText("moon")
    assert bar.count.text() == "1 of 1"
    # The user's "How far is the moon?" is the match; the word is marked in its text.
    assert highlight_message(app.window.view, bar.matches[0].message_id, ["moon"]) == 1


def test_find_names_matches_on_other_branches_and_says_no_matches(qtbot, app, seeded):
    app.conversations.open(seeded.fruit)
    bar = app.chat_menu.find_bar
    bar.open_bar()
    with _find_results(qtbot, app):
        bar.field.setText("orchard")
    assert bar.matches == []
    assert bar.count.text() == "No matches · 1 on other branches"
    with _find_results(qtbot, app):
        bar.field.setText("apples")
    assert [h.message_id for h in bar.matches] == [seeded.fruit_user, seeded.fruit_second]
    assert bar.count.text() == "2 of 2 · 1 on other branches"
    with _find_results(qtbot, app):
        bar.field.setText("xylophone")
    assert bar.count.text() == "No matches"


def test_find_follows_the_chat_that_opens(qtbot, app, seeded):
    app.conversations.open(seeded.fruit)
    bar = app.chat_menu.find_bar
    bar.open_bar()
    with _find_results(qtbot, app):
        bar.field.setText("apples")
    assert len(bar.matches) == 2
    with _find_results(qtbot, app):
        app.conversations.open(seeded.other)
    assert [h.message_id for h in bar.matches] == [seeded.other_reply]


def test_search_all_chats_lists_titles_snippets_and_branches(qtbot, app, seeded):
    panel = app.chat_menu.search_panel
    qtbot.keyClick(app.window, Qt.Key.Key_F,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert panel.isVisible() and panel.field.hasFocus()
    with _all_results(qtbot, app):
        qtbot.keyClicks(panel.field, "apples")
    titles = {h.conversation_title for h in panel.hits}
    assert titles == {"Fruit <b>&amp; trees</b>", "Space"}
    assert panel.status.text() == "4 matches"
    off = [h for h in panel.hits if not h.on_active_path]
    assert [h.message_id for h in off] == [seeded.fruit_first]
    assert panel.model.rowCount() == 4
    text = [panel.model.item(i).text() for i in range(4)]
    assert any("On another branch (1 of 2)" in t for t in text)
    # What a screen reader reads is the same plain summary.
    assert panel.model.item(0).data(Qt.ItemDataRole.AccessibleTextRole) == text[0]


def test_opening_a_result_on_another_branch_switches_to_it_and_scrolls(qtbot, app, seeded,
                                                                      app_paths):
    panel = app.chat_menu.search_panel
    panel.open_panel()
    with _all_results(qtbot, app):
        panel.field.setText("orchard")
    assert len(panel.hits) == 1
    hit = panel.hits[0]
    assert hit.activate_id == seeded.fruit_first
    with qtbot.wait_signal(panel.hit_opened, timeout=5000):
        qtbot.keyClick(panel.field, Qt.Key.Key_Down)  # into the list, on the first result
        qtbot.keyClick(panel.results, Qt.Key.Key_Return)
    assert app.conversations.current == seeded.fruit
    assert "Orchard apples keep well" in app.window.view.toPlainText()
    assert "Apples grow on trees" not in app.window.view.toPlainText()
    db = sqlite3.connect(app_paths.db_path)
    try:
        leaf = db.execute("SELECT active_leaf_id FROM conversations WHERE id = ?",
                          (seeded.fruit,)).fetchone()[0]
    finally:
        db.close()
    assert leaf == seeded.fruit_first
    assert _on_screen(app, seeded.fruit_first)


def test_opening_a_result_scrolls_a_long_chat_to_the_message(qtbot, app, seeded):
    app.conversations.open(seeded.fruit)
    panel = app.chat_menu.search_panel
    panel.open_panel()
    with _all_results(qtbot, app):
        panel.field.setText("moon")
    assert len(panel.hits) == 1
    qtbot.mouseClick(panel.results.viewport(), Qt.MouseButton.LeftButton,
                     pos=panel.results.visualRect(panel.model.index(0, 0)).center())
    assert app.conversations.current == seeded.other
    assert _on_screen(app, panel.hits[0].message_id)
    assert not app.window.view.is_following  # the 60 filler messages are below it
    qtbot.keyClick(panel.field, Qt.Key.Key_Escape)
    assert not panel.isVisible()


def test_only_the_latest_search_of_a_channel_is_shown(qtbot, app):
    tools = app.chat_tools
    seen = []
    tools.search_results.connect(seen.append)
    tools.search("all", "apples")
    tools.search("all", "moon")
    last = tools.search("all", "comets")
    qtbot.wait_until(lambda: any(r.request_id == last for r in seen), timeout=10_000)
    assert [r.query for r in seen] == ["comets"]


def test_search_with_fts_syntax_and_cjk_is_answered(qtbot, app):
    tools = app.chat_tools
    for query in ('"unterminated', "NEAR(a b", "*", "-moon", "月亮"):
        with qtbot.wait_signal(tools.search_results, timeout=10_000) as blocker:
            tools.search("all", query)
        assert blocker.args[0].error == ""


def test_snippets_and_titles_are_shown_as_text_never_markup():
    hit = SearchHit(1, '<img src="file:///etc/passwd"><script>x</script>', 2, "assistant",
                    f"see {MARK_START}<b>bold</b>{MARK_END} &amp; <a href='x'>y</a>", 0.0,
                    False, 2, (2, 3))
    doc = hit_document(hit, QFont(), QPalette(), 400, False)
    text = doc.toPlainText()
    assert '<img src="file:///etc/passwd">' in text
    assert "<b>bold</b>" in text and "<a href='x'>y</a>" in text
    assert "On another branch (2 of 3)" in text
    formats = []
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            formats.append(it.fragment().charFormat())
            it += 1
        block = block.next()
    assert formats and not any(f.isAnchor() or f.isImageFormat() for f in formats)
    assert "&lt;img" in doc.toHtml()  # escaped, as text
    assert sum(f.background().color().name() in ("#fde68a", "#7a5c00") for f in formats) == 1
    assert hit_terms([hit]) == ["<b>bold</b>"]
    assert "<img" in hit_summary(hit)


def test_install_joins_a_chat_menu_the_window_already_has(qtbot, app):
    from PySide6.QtWidgets import QMainWindow

    from desktopchat.ui.chat_menu import install
    from desktopchat.ui.chat_view import ChatView

    window = QMainWindow()
    qtbot.addWidget(window)
    existing = window.menuBar().addMenu("&Chat")
    existing.addAction("Rename chat")
    view = ChatView()
    window.setCentralWidget(view)
    menu = install(window, app.chat_tools, app.conversations, view)
    assert menu.menu is existing and existing.objectName() == "chatMenu"
    assert [a.text() for a in existing.actions()][:1] == ["Rename chat"]
    assert len(window.menuBar().actions()) == 1
