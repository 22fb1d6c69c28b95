"""Light and dark looks: code stays readable in both, the app can override the system, and
the font size applies everywhere (issue 11, problem 5 and "Looks, themes")."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources

import pytest
from pygments.styles import get_style_by_name
from PySide6.QtGui import QColor, QGuiApplication, QPalette

from desktopchat.chat.types import MessageStatus, StoredMessage
from desktopchat.ui.blocks import ProseBlock
from desktopchat.ui.chat_view import ChatView
from desktopchat.ui.text_boxes import CodeBlock
from desktopchat.ui.theme import (
    DARK,
    LIGHT,
    Theme,
    ThemeManager,
    ThemeMode,
    current_theme,
    icon,
    icon_names,
    palette_for,
    theme_manager,
)


def _luminance(colour: str) -> float:
    c = QColor(colour)

    def lin(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * lin(c.redF()) + 0.7152 * lin(c.greenF()) + 0.0722 * lin(c.blueF())


def contrast(a: str, b: str) -> float:
    la, lb = _luminance(a), _luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


@pytest.fixture
def themes(qapp) -> Iterator[ThemeManager]:
    manager = theme_manager(qapp)
    yield manager
    manager.set_mode(ThemeMode.SYSTEM)
    manager.set_font_size(0)


def _code_block(qtbot) -> tuple[ChatView, CodeBlock]:
    v = ChatView()
    qtbot.addWidget(v)
    v.resize(700, 500)
    v.show()
    v.show_messages([StoredMessage(1, 1, 1, "assistant", "Text.\n\n```python\nx = 1  # one\n```",
                                   MessageStatus.COMPLETE, 0.0, "m")])
    qtbot.wait_until(lambda: v.is_settled, timeout=5000)
    row = v.row(1)
    assert row is not None
    return v, next(p for p in row.body.pieces if isinstance(p, CodeBlock))


@pytest.mark.parametrize("theme", [LIGHT, DARK], ids=["light", "dark"])
def test_code_colours_are_readable_on_their_background(theme: Theme):
    assert contrast(theme.code_fg, theme.code_bg) >= 7
    assert contrast(theme.text, theme.base) >= 7
    assert contrast(theme.muted, theme.base) >= 4.5
    assert contrast(theme.link, theme.base) >= 4.5
    assert contrast(theme.text, theme.user_bubble) >= 7
    style = get_style_by_name(theme.code_style)
    for ttype, s in style:
        if s["color"] and "Error" not in str(ttype):
            assert contrast(f"#{s['color']}", theme.code_bg) >= 3, (theme.name, ttype)


def test_a_dark_system_palette_makes_code_blocks_dark_too(qtbot, qapp):
    """Problem 5: the code background stayed light while its text followed the dark palette."""
    before = QPalette(qapp.palette())
    qapp.setPalette(palette_for(DARK))  # what a dark desktop gives the app
    try:
        assert current_theme() is DARK
        _, block = _code_block(qtbot)
        pal = block.text.palette()
        bg = pal.color(QPalette.ColorRole.Base).name()
        fg = pal.color(QPalette.ColorRole.Text).name()
        assert bg == DARK.code_bg and contrast(fg, bg) >= 7
    finally:
        qapp.setPalette(before)


def _code_bg(v: ChatView) -> str:
    row = v.row(1)
    blocks = [p for p in row.body.pieces if isinstance(p, CodeBlock)] if row else []
    return blocks[0].text.palette().color(QPalette.ColorRole.Base).name() if blocks else ""


def test_override_follows_and_restyles_the_open_view(qtbot, themes):
    v, block = _code_block(qtbot)
    themes.set_mode(ThemeMode.DARK)
    assert themes.theme is DARK and current_theme() is DARK
    assert QGuiApplication.palette().color(QPalette.ColorRole.Window).name() == DARK.window
    qtbot.wait_until(lambda: _code_bg(v) == DARK.code_bg, timeout=5000)  # palette events
    row = v.row(1)
    assert row is not None
    prose = next(p for p in row.body.pieces if isinstance(p, ProseBlock))
    assert prose.palette().color(QPalette.ColorRole.Text).name() == DARK.text
    themes.set_mode(ThemeMode.LIGHT)
    qtbot.wait_until(lambda: _code_bg(v) == LIGHT.code_bg, timeout=5000)
    themes.set_mode(ThemeMode.SYSTEM)
    assert themes.mode is ThemeMode.SYSTEM


def test_code_is_highlighted_in_the_theme_style(qtbot, themes):
    themes.set_mode(ThemeMode.DARK)
    _, block = _code_block(qtbot)
    colours = set()
    b = block.text.document().begin()
    while b.isValid():
        it = b.begin()
        while not it.atEnd():
            colours.add(it.fragment().charFormat().foreground().color().name())
            it += 1
        b = b.next()
    style_colours = {f"#{s['color']}".lower() for _, s in get_style_by_name(DARK.code_style)
                     if s["color"]}
    assert colours & style_colours  # coloured, and in the dark style's colours


def test_font_size_applies_to_the_view(qtbot, themes):
    v, _ = _code_block(qtbot)
    themes.set_font_size(15)

    def prose_size() -> int:
        row = v.row(1)
        prose = [p for p in row.body.pieces if isinstance(p, ProseBlock)] if row else []
        return prose[0].document().defaultFont().pointSize() if prose else 0

    qtbot.wait_until(lambda: prose_size() == 15, timeout=5000)
    themes.set_font_size(0)


def test_icons_are_bundled_with_their_licence_and_draw_in_both_themes(qapp):
    names = icon_names()
    assert {"copy", "check", "pencil", "trash-2", "chevron-left", "chevron-right",
            "arrow-down", "settings", "sun", "moon"} <= set(names)
    licence = resources.files("desktopchat.resources").joinpath("icons/LICENSE-lucide.txt")
    assert "ISC License" in licence.read_text()
    for theme in (LIGHT, DARK):
        for name in names:
            img = icon(name, theme).pixmap(24, 24).toImage()
            drawn = [img.pixelColor(x, y) for x in range(24) for y in range(24)
                     if img.pixelColor(x, y).alpha() > 200]
            assert drawn, f"{name} draws nothing"
            assert all(contrast(c.name(), theme.base) >= 3 for c in drawn[:20]), name


def test_a_theme_change_mid_reply_keeps_the_reply_whole(qtbot, themes):
    v = ChatView()
    qtbot.addWidget(v)
    v.resize(700, 500)
    v.show()
    v.begin_reply(1, "m")
    v.append_stream("Before.\n\n```python\nx = 1\n")
    v.flush()
    themes.set_mode(ThemeMode.DARK)
    qtbot.wait_until(lambda: v.row(1) is not None and v.row(1).ctx.theme is DARK, timeout=5000)
    v.append_stream("y = 2\n```\n\nAfter.")
    v.end_reply(MessageStatus.COMPLETE)
    qtbot.wait_until(lambda: v.is_settled, timeout=5000)
    row = v.row(1)
    assert row is not None and row.ctx.theme is DARK
    assert v.code_blocks() == ["x = 1\ny = 2\n"]
    text = row.plain_text()
    assert text.startswith("Before.") and text.endswith("After.") and "y = 2" in text
