"""App-wide preferences: light, dark or the system's look, the text size, the language.

The look and the size apply at once, to every window; the language applies at the next start
(widgets are built in one language). Choices are saved in the app settings as they are made
(``apply_preferences`` applies them at start-up, before any widget exists).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktopchat.chat.store import StoreError
from desktopchat.settings import AppSettings, Settings
from desktopchat.ui import i18n
from desktopchat.ui.i18n import translate
from desktopchat.ui.theme import ThemeMode, manager_if_any, theme_manager

log = logging.getLogger(__name__)

FONT_MIN, FONT_MAX = 7, 32  # points; 0 is the system's size


def font_size(value: int) -> int:
    """A saved text size made safe: 0 (the system's) or FONT_MIN..FONT_MAX."""
    return 0 if value <= 0 else max(FONT_MIN, min(FONT_MAX, value))


def theme_mode(value: str) -> ThemeMode:
    try:
        return ThemeMode(value)
    except ValueError:
        return ThemeMode.SYSTEM


def apply_preferences(app_settings: AppSettings) -> str:
    """At start-up, before the window is built: the language, the look and the text size.
    Returns the language in effect."""
    language = i18n.install(i18n.known(app_settings.language))
    mode, size = theme_mode(app_settings.theme), font_size(app_settings.font_size)
    if mode != ThemeMode.SYSTEM or size or manager_if_any() is not None:
        # The system's look needs no manager: widgets follow the platform's palette.
        manager = theme_manager(QApplication.instance())  # type: ignore[arg-type]
        manager.set_mode(mode)
        if size != manager.font_size:
            manager.set_font_size(size)
    return language


class PreferencesDialog(QDialog):
    """Look, text size and language; each change is saved and applied as it is made.

    Signals:
        look_changed(): the look or the text size was just applied.
        reasoning_changed(): reasoning is now shown or hidden (the open chat is shown again).
    """

    look_changed = Signal()
    reasoning_changed = Signal()

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle(translate("PreferencesDialog", "Preferences"))
        current = settings.app()

        self.looks = QButtonGroup(self)
        look_row = QHBoxLayout()
        self.look_buttons: dict[ThemeMode, QRadioButton] = {}
        for mode, text in ((ThemeMode.SYSTEM, translate("PreferencesDialog", "Like the system")),
                           (ThemeMode.LIGHT, translate("PreferencesDialog", "Light")),
                           (ThemeMode.DARK, translate("PreferencesDialog", "Dark"))):
            button = QRadioButton(text)
            button.setObjectName(f"look_{mode.value}")
            self.looks.addButton(button)
            self.look_buttons[mode] = button
            look_row.addWidget(button)
        look_row.addStretch(1)
        self.look_buttons[theme_mode(current.theme)].setChecked(True)
        self.looks.buttonToggled.connect(self._look_changed)

        self.font_size = QSpinBox()
        self.font_size.setObjectName("fontSize")
        self.font_size.setRange(FONT_MIN - 1, FONT_MAX)
        self.font_size.setSpecialValueText(translate("PreferencesDialog", "System size"))
        self.font_size.setSuffix(translate("PreferencesDialog", " pt"))
        self.font_size.setValue(font_size(current.font_size) or FONT_MIN - 1)
        self.font_size.setAccessibleName(translate("PreferencesDialog", "Text size"))
        self.font_size.valueChanged.connect(self._font_changed)

        self.language = QComboBox()
        self.language.setObjectName("language")
        self.language.setAccessibleName(translate("PreferencesDialog", "Language"))
        self.language.addItem(translate("PreferencesDialog", "Like the system"), i18n.SYSTEM)
        for code, name in i18n.LANGUAGES:
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(i18n.known(
            current.language))))
        self.language.currentIndexChanged.connect(self._language_changed)
        self.language_note = QLabel("")
        self.language_note.setWordWrap(True)
        self.language_note.setObjectName("languageNote")

        self.hide_reasoning = QCheckBox(translate(
            "PreferencesDialog", "Hide the models' reasoning (\u201cThought for …\u201d sections)"))
        self.hide_reasoning.setObjectName("hideReasoning")
        self.hide_reasoning.setChecked(current.hide_reasoning)
        self.hide_reasoning.setToolTip(translate(
            "PreferencesDialog", "Reasoning is still kept with each reply; it is only not shown"))
        self.hide_reasoning.toggled.connect(self._hide_reasoning_changed)

        form = QFormLayout()
        look_label = QLabel(translate("PreferencesDialog", "Look:"))
        form.addRow(look_label, look_row)
        form.addRow(translate("PreferencesDialog", "Text size:"), self.font_size)
        form.addRow(translate("PreferencesDialog", "Language:"), self.language)
        form.addRow("", self.language_note)
        form.addRow(translate("PreferencesDialog", "Reasoning:"), self.hide_reasoning)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.look_buttons[theme_mode(current.theme)].setFocus(Qt.FocusReason.OtherFocusReason)

    def _save(self, **changes: object) -> None:
        try:
            self.settings.update_app(**changes)
        except StoreError:
            log.warning("could not save the preferences %s", ", ".join(changes), exc_info=True)

    @Slot()
    def _look_changed(self) -> None:
        mode = next(m for m, b in self.look_buttons.items() if b.isChecked())
        theme_manager(QApplication.instance()).set_mode(mode)  # type: ignore[arg-type]
        self._save(theme=mode.value)
        self.look_changed.emit()

    @Slot(int)
    def _font_changed(self, value: int) -> None:
        size = font_size(value if value >= FONT_MIN else 0)
        theme_manager(QApplication.instance()).set_font_size(size)  # type: ignore[arg-type]
        self._save(font_size=size)
        self.look_changed.emit()

    @Slot(bool)
    def _hide_reasoning_changed(self, hide: bool) -> None:
        self._save(hide_reasoning=hide)
        self.reasoning_changed.emit()

    @Slot(int)
    def _language_changed(self, _index: int) -> None:
        code = str(self.language.currentData())
        self._save(language=code)
        self.language_note.setText(translate(
            "PreferencesDialog", "The new language is used the next time desktopchat starts."))

    def choose(self, look: ThemeMode | None = None, size: int | None = None,
               language: str | None = None) -> None:
        """What a user clicking does (for keyboard-less callers and tests)."""
        if look is not None:
            self.look_buttons[look].setChecked(True)
        if size is not None:
            self.font_size.setValue(size if size else FONT_MIN - 1)
        if language is not None:
            self.language.setCurrentIndex(self.language.findData(language))
