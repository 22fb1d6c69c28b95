"""Screen readers (issue 11): every interactive widget of every window and dialog has an
accessible name and a role. The walk goes through ``QAccessible`` as assistive technology
does: from each widget's interface, down the accessibility tree, over everything on screen
(the main window with a conversation and with the welcome page, the Models page and each of
its tabs, the model's settings, Preferences and the shortcuts list), and it fails on an
unnamed control."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QAccessible, QAccessibleInterface
from PySide6.QtWidgets import QApplication, QWidget

from desktopchat.app import DesktopChatApp
from desktopchat.chat.store import ChatStore
from desktopchat.models.starter import STARTER_ID
from desktopchat.settings import Settings
from tests.support.window import idle, launch_fixture, send  # noqa: F401

Role = QAccessible.Role
INTERACTIVE = {
    Role.Button,
    Role.CheckBox, Role.RadioButton, Role.ComboBox, Role.EditableText, Role.SpinBox,
    Role.Slider, Role.ScrollBar, Role.List, Role.Table, Role.Tree, Role.PageTab,
    Role.PageTabList, Role.ButtonMenu, Role.ButtonDropDown, Role.MenuItem, Role.Link,
    Role.Switch, Role.HotkeyField, Role.Dial,
}
MAX_NODES = 20_000


def _walk(iface: QAccessibleInterface, path: str = "") -> Iterator[tuple[str,
                                                                        QAccessibleInterface]]:
    """Every node of the accessibility tree below ``iface`` that is on screen."""
    stack = [(iface, path)]
    seen = 0
    while stack:
        node, where = stack.pop()
        seen += 1
        assert seen < MAX_NODES, "the accessibility tree does not end"
        if node is None or not node.isValid() or node.state().invisible:
            continue
        yield where, node
        for i in range(node.childCount()):
            child = node.child(i)
            if child is not None:
                stack.append((child, f"{where}/{Role(child.role()).name}[{i}]"))


def unnamed(top: QWidget) -> list[str]:
    """Interactive nodes under ``top`` without an accessible name (as 'path (class)')."""
    root = QAccessible.queryAccessibleInterface(top)
    assert root is not None
    out = []
    for where, node in _walk(root, top.objectName() or type(top).__name__):
        role = node.role()
        if role in INTERACTIVE and not node.text(QAccessible.Text.Name).strip():
            obj = node.object()
            kind = type(obj).__name__ if obj is not None else "?"
            name = obj.objectName() if obj is not None else ""
            out.append(f"{where} ({kind} {name!r})")
    return out


def every_widget_has_an_interface(top: QWidget) -> list[str]:
    """Each visible widget is reachable through QAccessible with a role."""
    missing = []
    for w in [top, *top.findChildren(QWidget)]:
        if not w.isVisibleTo(top) and w is not top:
            continue
        iface = QAccessible.queryAccessibleInterface(w)
        if iface is None or not iface.isValid() or iface.role() == Role.NoRole:
            missing.append(f"{type(w).__name__} {w.objectName()!r}")
    return missing


def _check(top: QWidget) -> None:
    top.show()
    QApplication.processEvents()
    assert not unnamed(top), "unnamed interactive widgets:\n" + "\n".join(unnamed(top))
    assert not every_widget_has_an_interface(top)


@pytest.fixture
def accessible(qapp) -> Iterator[None]:
    """QAccessible active, as with a screen reader running."""
    QAccessible.setActive(True)
    yield
    QAccessible.setActive(False)


@pytest.mark.realmodel
def test_every_window_and_dialog_names_its_controls(qtbot, launch, accessible):
    app = launch()
    w = app.window
    _check(w)  # first run: the welcome page
    assert w.welcome_shown
    w.start_chatting()
    with qtbot.wait_signal(app.generation.busy_changed, timeout=60_000, check_params_cb=idle):
        send(qtbot, app, "Show a Python hello world in a code block.")
    qtbot.wait_until(lambda: w.view.is_settled, timeout=10_000)
    w.show_notice("Added a model.")
    w.show_error("Something failed.")
    _check(w)  # the conversation, its messages and their buttons, the notifications

    page = w.open_models_page()
    for i in range(page.tabs.count()):
        page.tabs.setCurrentIndex(i)
        _check(page)
    page.close()
    for dialog in (w.open_settings(), w.open_preferences(), w.show_shortcuts()):
        qtbot.addWidget(dialog)
        _check(dialog)
        dialog.close()
    for menu in (w.commands.chat_menu, w.commands.model_menu, w.commands.help_menu):
        for action in menu.actions():
            assert action.isSeparator() or action.text().replace("&", "").strip()


def test_the_walk_catches_an_unnamed_control(qtbot, accessible):
    """The check itself: a button with only an icon and no name is caught; named, it is not."""
    from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QToolButton

    box = QWidget()
    qtbot.addWidget(box)
    row = QHBoxLayout(box)
    bare = QToolButton()
    edit = QLineEdit()
    row.addWidget(bare)
    row.addWidget(edit)
    box.show()
    assert len(unnamed(box)) == 2
    bare.setAccessibleName("Do it")
    edit.setAccessibleName("What to do")
    assert unnamed(box) == []


def test_a_second_start_goes_to_the_conversation(qtbot, app_paths, accessible):
    """Not a first run: the window opens on the conversation, and it is named too."""
    store = ChatStore(app_paths.db_path)
    Settings(store).update_app(last_model_id=STARTER_ID)
    store.close()
    app = DesktopChatApp(app_paths)
    qtbot.addWidget(app.window)
    try:
        assert not app.window.welcome_shown
        _check(app.window)
    finally:
        app.window.close()
        app.shutdown()
