"""Light and dark looks: palettes, the chat view's colours, code highlighting and icons.

The app follows the system's light or dark scheme unless the user picks one (``ThemeMode``);
``ThemeManager`` applies the choice and an app-wide font size to the QApplication and tells
widgets through ``changed``. Widgets ask ``current_theme()`` for colours, so they look right
whether or not a manager was installed (tests build bare widgets).

Icons are Lucide's (ISC licence, ``resources/icons/LICENSE-lucide.txt``), drawn in the theme's
text colour, so the same SVG serves light and dark.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from importlib import resources

from PySide6.QtCore import QByteArray, QObject, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QIcon,
    QImage,
    QPainter,
    QPalette,
    QPixmap,
)
from PySide6.QtSvg import QSvgRenderer


class ThemeMode(StrEnum):
    SYSTEM = "system"
    LIGHT = "light"
    DARK = "dark"


@dataclass(frozen=True)
class Theme:
    """Colours as ``#rrggbb`` strings (usable in Qt's HTML subset and in QColor)."""

    name: str
    dark: bool
    window: str
    base: str  # the transcript's background
    text: str
    muted: str  # labels, timestamps, reasoning
    accent: str
    link: str
    border: str
    user_bubble: str
    code_bg: str
    code_fg: str
    code_header: str
    code_border: str
    inline_code_bg: str
    warning: str
    selection: str
    code_style: str  # a pygments style readable on code_bg


LIGHT = Theme(
    name="light", dark=False, window="#f5f6f8", base="#ffffff", text="#1f2328",
    muted="#59636e", accent="#2563eb", link="#0b5cd5", border="#d8dee4",
    user_bubble="#eaf1fb", code_bg="#f6f8fa", code_fg="#1f2328", code_header="#eceff3",
    code_border="#d8dee4", inline_code_bg="#eff1f3", warning="#9a3412", selection="#cfe0fc",
    code_style="xcode",
)
DARK = Theme(
    name="dark", dark=True, window="#202124", base="#1a1b1e", text="#e6e7e9",
    muted="#a0a6ad", accent="#7aa7ff", link="#8ab4f8", border="#33363b",
    user_bubble="#2a3140", code_bg="#0d1117", code_fg="#e6edf3", code_header="#161b22",
    code_border="#30363d", inline_code_bg="#2b2e33", warning="#fdba74", selection="#264f78",
    code_style="github-dark",
)


def palette_for(theme: Theme) -> QPalette:
    """A complete palette for ``theme`` (used when the user overrides the system scheme)."""
    p = QPalette()
    c = QColor
    roles = QPalette.ColorRole
    for role, colour in (
        (roles.Window, theme.window), (roles.WindowText, theme.text), (roles.Base, theme.base),
        (roles.AlternateBase, theme.code_bg), (roles.Text, theme.text),
        (roles.Button, theme.window), (roles.ButtonText, theme.text),
        (roles.ToolTipBase, theme.base), (roles.ToolTipText, theme.text),
        (roles.PlaceholderText, theme.muted), (roles.Highlight, theme.selection),
        (roles.HighlightedText, theme.text), (roles.Link, theme.link),
        (roles.LinkVisited, theme.link), (roles.BrightText, "#ffffff"),
        (roles.Light, theme.base), (roles.Midlight, theme.border), (roles.Mid, theme.border),
        (roles.Dark, theme.muted), (roles.Shadow, "#000000"),
    ):
        p.setColor(role, c(colour))
    disabled = QPalette.ColorGroup.Disabled
    for role in (roles.WindowText, roles.Text, roles.ButtonText):
        p.setColor(disabled, role, c(theme.muted))
    return p


def palette_is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def system_is_dark() -> bool:
    """The platform's scheme when it says (Qt 6.5+), else the palette's lightness."""
    app = QGuiApplication.instance()
    if not isinstance(app, QGuiApplication):
        return False
    scheme = app.styleHints().colorScheme()
    if scheme == Qt.ColorScheme.Dark:
        return True
    if scheme == Qt.ColorScheme.Light:
        return False
    return palette_is_dark(app.palette())


_manager: ThemeManager | None = None


def current_theme() -> Theme:
    """The theme in effect: the manager's choice, else what the application palette shows."""
    if _manager is not None:
        return _manager.theme
    app = QGuiApplication.instance()
    if isinstance(app, QGuiApplication) and palette_is_dark(app.palette()):
        return DARK
    return LIGHT


class ThemeManager(QObject):
    """Applies the light/dark choice and the font size to the whole application.

    Signals:
        changed(object): the Theme now in effect (after a mode, system scheme or font change).
    """

    changed = Signal(object)

    def __init__(self, app: QGuiApplication) -> None:
        super().__init__(app)
        self._app = app
        self._system_palette = QPalette(app.palette())
        self._system_font = QFont(app.font())
        self.mode = ThemeMode.SYSTEM
        self.font_size = 0  # points; 0 is the system's size
        self.theme = DARK if system_is_dark() else LIGHT
        app.styleHints().colorSchemeChanged.connect(self._system_changed)

    def set_mode(self, mode: ThemeMode | str) -> None:
        self.mode = ThemeMode(mode)
        self._apply()

    def set_font_size(self, points: int) -> None:
        """App-wide text size in points (0: the system's). Widgets get a FontChange event."""
        self.font_size = max(0, int(points))
        font = QFont(self._system_font)
        if self.font_size:
            font.setPointSize(self.font_size)
        self._app.setFont(font)
        self.changed.emit(self.theme)

    def _system_changed(self, _scheme: Qt.ColorScheme) -> None:
        if self.mode == ThemeMode.SYSTEM:
            self._apply()

    def _apply(self) -> None:
        hints = self._app.styleHints()
        if self.mode == ThemeMode.SYSTEM:
            hints.unsetColorScheme()
            self._app.setPalette(self._system_palette)
            self.theme = DARK if system_is_dark() else LIGHT
        else:
            self.theme = DARK if self.mode == ThemeMode.DARK else LIGHT
            hints.setColorScheme(Qt.ColorScheme.Dark if self.theme.dark else Qt.ColorScheme.Light)
            self._app.setPalette(palette_for(self.theme))
        _icon.cache_clear()
        self.changed.emit(self.theme)


def theme_manager(app: QGuiApplication | None = None) -> ThemeManager:
    """The application's ThemeManager, created on first use."""
    global _manager
    if _manager is None:
        inst = app or QGuiApplication.instance()
        assert isinstance(inst, QGuiApplication), "a QApplication must exist first"
        _manager = ThemeManager(inst)
        _manager.destroyed.connect(_forget_manager)
    return _manager


def manager_if_any() -> ThemeManager | None:
    """The ThemeManager if one was made (the app makes one only when the user overrides the
    system's look or text size)."""
    return _manager


def _forget_manager() -> None:
    global _manager
    _manager = None


# -- icons ----------------------------------------------------------------------------------------

ICON_SIZES = (16, 24)  # at 1x and 2x; Qt scales others and draws the disabled look


@lru_cache(maxsize=64)
def _svg(name: str) -> str:
    return resources.files("desktopchat.resources").joinpath(f"icons/{name}.svg").read_text()


@lru_cache(maxsize=256)
def _icon(name: str, colour: str) -> QIcon:
    out = QIcon()
    renderer = QSvgRenderer(QByteArray(_svg(name).replace("currentColor", colour).encode()))
    for size in ICON_SIZES:
        for scale in (1, 2):
            img = QImage(size * scale, size * scale, QImage.Format.Format_ARGB32_Premultiplied)
            img.fill(0)
            painter = QPainter(img)
            renderer.render(painter, QRectF(0, 0, size * scale, size * scale))
            painter.end()
            pm = QPixmap.fromImage(img)
            pm.setDevicePixelRatio(scale)
            out.addPixmap(pm)
    return out


def icon(name: str, theme: Theme | None = None, colour: str | None = None) -> QIcon:
    """Lucide icon ``name`` (e.g. "copy") drawn in ``theme``'s icon colour (default: the
    current theme's), or in ``colour``."""
    return _icon(name, colour or (theme or current_theme()).muted)


def icon_names() -> list[str]:
    folder = resources.files("desktopchat.resources").joinpath("icons")
    return sorted(p.name[:-4] for p in folder.iterdir() if p.name.endswith(".svg"))
