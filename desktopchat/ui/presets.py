"""Presets in the window: choose one for the open chat, and make, change or delete your own.

``PresetMenu`` lists "Model's own settings", the presets that come with the app and the user's,
with the open chat's choice checked; its title names that choice. ``PresetEditor`` edits the
user's presets: a name, a system prompt and the sampling settings, each either set (a value
within ``ModelSettings.LIMITS``) or left to the model's own. The presets that come with the app
are shown read-only; Duplicate makes an editable copy. The generation side applies the choice
when it builds a request; this module only stores it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal, Slot
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktopchat.chat.presets import MAX_NAME_CHARS, Preset, PresetProblem
from desktopchat.chat.store import StoreError
from desktopchat.session.chat_tools import ChatTools
from desktopchat.session.conversations import ConversationController
from desktopchat.settings import ModelSettings
from desktopchat.ui import plain
from desktopchat.ui.chat_io import confirm
from desktopchat.ui.theme import current_theme, icon

# field, label, decimals, step
FIELDS: tuple[tuple[str, str, int, float], ...] = (
    ("temperature", str(QT_TRANSLATE_NOOP("Presets", "Temperature")), 2, 0.05),
    ("top_p", str(QT_TRANSLATE_NOOP("Presets", "Top-p")), 2, 0.05),
    ("top_k", str(QT_TRANSLATE_NOOP("Presets", "Top-k")), 0, 1),
    ("min_p", str(QT_TRANSLATE_NOOP("Presets", "Min-p")), 2, 0.01),
    ("repeat_penalty", str(QT_TRANSLATE_NOOP("Presets", "Repeat penalty")), 2, 0.05),
    ("max_tokens", str(QT_TRANSLATE_NOOP("Presets", "Max tokens")), 0, 64),
)
translate = QCoreApplication.translate  # the name lupdate looks for


def label(field: str) -> str:
    """A sampling setting's name, translated."""
    text = next(t for f, t, _d, _s in FIELDS if f == field)
    return QCoreApplication.translate("Presets", text)



class PresetMenu(QMenu):
    """Preset ▸ in the Chat menu.

    Signals:
        manage_requested(): "Manage presets…" was chosen.
    """

    manage_requested = Signal()

    def __init__(self, tools: ChatTools, conversations: ConversationController,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tools, self.conversations = tools, conversations
        self.setObjectName("presetMenu")
        self.setIcon(icon("sliders-horizontal"))
        self.menuAction().setObjectName("presetMenuAction")
        self.group = QActionGroup(self)
        self.group.setExclusive(True)
        self.aboutToShow.connect(self.rebuild)
        conversations.conversation_opened.connect(self._chat_opened)
        tools.preset_changed.connect(self._retitle)
        tools.presets_changed.connect(self._retitle)
        self.rebuild()

    def current(self) -> Preset | None:
        return self.tools.preset_for(self.conversations.current)

    @Slot()
    def rebuild(self) -> None:
        """The entries, with the open chat's choice checked (read when the menu opens)."""
        self.clear()
        for action in self.group.actions():
            self.group.removeAction(action)
        chosen = self.current()
        has_chat = self.conversations.current is not None
        none = self._choice("presetNone", self.tr("Model's own settings"), None,
                            chosen is None)
        none.setStatusTip(self.tr("Use the model's settings, without a preset"))
        self.addSeparator()
        presets = self.tools.presets.all()
        for group in ([p for p in presets if p.builtin], [p for p in presets if not p.builtin]):
            if group and group[0] is not presets[0]:
                self.addSeparator()
            for preset in group:
                action = self._choice(f"preset:{preset.id}", preset.name, preset.id,
                                      chosen is not None and chosen.id == preset.id)
                action.setStatusTip(_summary(preset))
        self.addSeparator()
        manage = QAction(icon("pencil"), self.tr("Manage presets…"), self)
        manage.setObjectName("managePresets")
        manage.setStatusTip(self.tr("Create, change or delete your own presets"))
        manage.triggered.connect(self.manage_requested)
        self.addAction(manage)
        for action in self.group.actions():
            action.setEnabled(has_chat)
        self._retitle()

    def _choice(self, name: str, text: str, preset_id: str | None, checked: bool) -> QAction:
        # Names come from the settings table: '&' would become a mnemonic, so it is doubled.
        action = QAction(text.replace("&", "&&"), self)
        action.setObjectName(name)
        action.setCheckable(True)
        action.setChecked(checked)
        action.setData(preset_id)
        action.triggered.connect(self._chosen)
        self.group.addAction(action)
        self.addAction(action)
        return action

    @Slot()
    def _chosen(self) -> None:
        action = self.sender()
        cid = self.conversations.current
        if isinstance(action, QAction) and cid is not None:
            self.tools.choose_preset(cid, action.data())

    @Slot(int, list)
    def _chat_opened(self, _cid: int, _messages: list[object]) -> None:
        self._retitle()

    @Slot()
    @Slot(int)
    def _retitle(self, *_args: object) -> None:
        chosen = self.current()
        name = chosen.name if chosen is not None else self.tr("Model's own")
        self.setTitle(self.tr("Preset: {name}").format(name=name.replace("&", "&&")))
        self.menuAction().setStatusTip(self.tr("The preset this chat uses: {name}")
                                       .format(name=name))


def _summary(p: Preset) -> str:
    values = ", ".join(f"{label(f).lower()} {getattr(p, f):g}" for f, _t, _d, _s in FIELDS
                       if getattr(p, f) is not None)
    return values or translate("Presets", "Only a system prompt")


class _Field:
    """One sampling setting: a check box (set it, or leave it to the model) and its value."""

    def __init__(self, parent: QWidget, name: str, text: str, decimals: int,
                 step: float) -> None:
        lo, hi = ModelSettings.LIMITS[name]
        default = getattr(ModelSettings(), name)
        self.name = name
        self.check = QCheckBox(text, parent)
        self.check.setObjectName(f"presetUse_{name}")
        self.check.setAccessibleName(translate("Presets", "Set {label}").format(label=text.lower()))
        self.check.setToolTip(translate("Presets", "Unticked: the model's own {label}").format(
            label=text.lower()))
        self.spin: QSpinBox | QDoubleSpinBox
        if decimals:
            spin = QDoubleSpinBox(parent)
            spin.setDecimals(decimals)
            spin.setRange(float(lo), float(hi))
            spin.setSingleStep(step)
            spin.setValue(float(default))
            self.spin = spin
        else:
            ispin = QSpinBox(parent)
            ispin.setRange(int(lo), int(hi))
            ispin.setSingleStep(int(step))
            ispin.setValue(int(default))
            self.spin = ispin
        self.spin.setObjectName(f"preset_{name}")
        self.spin.setAccessibleName(text)
        self.spin.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToNearestValue)
        self.spin.setEnabled(False)
        self.check.toggled.connect(self.spin.setEnabled)

    def show(self, value: float | int | None) -> None:
        self.check.setChecked(value is not None)
        if value is not None:
            self.spin.setValue(value)  # type: ignore[arg-type]

    def value(self) -> float | int | None:
        return self.spin.value() if self.check.isChecked() else None


class PresetEditor(QDialog):
    """Your presets: New, Duplicate, Delete; Save or Revert the one being changed."""

    def __init__(self, tools: ChatTools, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tools = tools
        self.setObjectName("presetEditor")
        self.setWindowTitle(self.tr("Presets"))
        self.setAccessibleName(self.tr("Presets"))
        self.resize(760, 520)
        self.editing: Preset | None = None  # what the form was filled from
        self._new = False  # the form holds a preset not saved yet
        self._filling = False

        self.list = QListWidget(self)
        self.list.setObjectName("presetList")
        self.list.setAccessibleName(self.tr("Presets"))
        self.new_button = self._button("presetNew", "plus", self.tr("New"))
        self.duplicate_button = self._button("presetDuplicate", "copy-plus",
                                             self.tr("Duplicate"))
        self.delete_button = self._button("presetDelete", "trash-2", self.tr("Delete"))
        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        row = QHBoxLayout()
        for b in (self.new_button, self.duplicate_button, self.delete_button):
            row.addWidget(b)
        left.addLayout(row)

        self.note = plain.label("", self, wrap=True)
        self.note.setObjectName("presetNote")
        self.name = self._line_edit()
        self.prompt = QPlainTextEdit(self)
        self.prompt.setObjectName("presetPrompt")
        self.prompt.setAccessibleName(self.tr("System prompt"))
        self.prompt.setPlaceholderText(self.tr("Empty: the model's own system prompt"))
        self.prompt.setTabChangesFocus(True)
        form = QFormLayout()
        form.addRow(self.tr("&Name"), self.name)
        form.addRow(self.tr("&System prompt"), self.prompt)
        self.fields = [_Field(self, f, label(f), d, s) for f, _t, d, s in FIELDS]
        for field in self.fields:
            form.addRow(field.check, field.spin)
        self.error = plain.label("", self, wrap=True)
        self.error.setObjectName("presetError")
        self.error.setAccessibleName(self.tr("Problem"))
        self.error.setStyleSheet(f"color: {current_theme().warning}")
        self.save_button = self._button("presetSave", "save", self.tr("Save"))
        self.revert_button = self._button("presetRevert", "refresh-cw", self.tr("Revert"))
        self.close_button = QPushButton(self.tr("Close"), self)
        self.close_button.setObjectName("presetClose")
        self.close_button.setAccessibleName(self.tr("Close"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.revert_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        right = QVBoxLayout()
        right.addWidget(self.note)
        right.addLayout(form, 1)
        right.addWidget(self.error)
        right.addLayout(buttons)
        outer = QHBoxLayout(self)
        outer.addLayout(left, 2)
        outer.addLayout(right, 5)

        self.list.currentItemChanged.connect(self._selected)
        self.new_button.clicked.connect(self.new_preset)
        self.duplicate_button.clicked.connect(self.duplicate)
        self.delete_button.clicked.connect(self.delete)
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.revert)
        self.close_button.clicked.connect(self.reject)
        self.name.textEdited.connect(self._changed)
        self.prompt.textChanged.connect(self._changed)
        for field in self.fields:
            field.check.toggled.connect(self._changed)
            field.spin.valueChanged.connect(self._changed)
        self.reload()

    def _button(self, name: str, icon_name: str, text: str) -> QPushButton:
        b = QPushButton(icon(icon_name), text, self)
        b.setObjectName(name)
        b.setAccessibleName(text)
        return b

    def _line_edit(self) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setObjectName("presetName")
        edit.setAccessibleName(self.tr("Name"))
        edit.setMaxLength(MAX_NAME_CHARS)
        return edit

    # -- the list -------------------------------------------------------------------------------

    def reload(self, select: str | None = None) -> None:
        """List every preset again and select ``select`` (an id), else the first one."""
        self._filling = True
        self.list.clear()
        for p in self.tools.presets.all():
            text = p.name if not p.builtin else self.tr("{name} (comes with the app)").format(
                name=p.name)
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, p.id)
            item.setToolTip(plain.tooltip(_summary(p)))
            self.list.addItem(item)
        self._filling = False
        ids = [self.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.list.count())]
        self.list.setCurrentRow(ids.index(select) if select in ids else 0)

    @Slot()
    def _selected(self, *_args: object) -> None:
        if self._filling:
            return
        item = self.list.currentItem()
        preset = self.tools.presets.get(item.data(Qt.ItemDataRole.UserRole)) if item else None
        self._fill(preset, new=False)

    def _fill(self, preset: Preset | None, new: bool) -> None:
        self._filling = True
        self.editing, self._new = preset, new
        self.name.setText(preset.name if preset else "")
        self.prompt.setPlainText(preset.system_prompt or "" if preset else "")
        for field in self.fields:
            field.show(getattr(preset, field.name) if preset else None)
        read_only = preset is not None and preset.builtin and not new
        for w in (self.name, self.prompt):
            w.setReadOnly(read_only)
        for field in self.fields:
            field.check.setEnabled(not read_only)
            field.spin.setEnabled(not read_only and field.check.isChecked())
        self.note.setText(self.tr("This preset comes with the app and cannot be changed; "
                                  "Duplicate makes a copy you can change.") if read_only
                          else "")
        self.error.setText("")
        self._filling = False
        self._set_dirty(new)

    @property
    def dirty(self) -> bool:
        return self.save_button.isEnabled()

    def _set_dirty(self, dirty: bool) -> None:
        self.save_button.setEnabled(dirty)
        self.revert_button.setEnabled(dirty)
        self.list.setEnabled(not dirty)
        editable = self.editing is not None and not self.editing.builtin
        self.new_button.setEnabled(not dirty)
        self.duplicate_button.setEnabled(not dirty and self.editing is not None)
        self.delete_button.setEnabled(not dirty and editable)

    @Slot()
    def _changed(self, *_args: object) -> None:
        if not self._filling:
            self.error.setText("")
            self._set_dirty(True)

    # -- actions --------------------------------------------------------------------------------

    def _unique(self, base: str) -> str:
        names = {p.name.casefold() for p in self.tools.presets.all()}
        if base.casefold() not in names:
            return base
        n = 2
        while f"{base} {n}".casefold() in names:
            n += 1
        return f"{base} {n}"

    @Slot()
    def new_preset(self) -> None:
        self._fill(Preset("", self._unique(self.tr("New preset"))), new=True)
        self.name.setFocus()
        self.name.selectAll()

    @Slot()
    def duplicate(self) -> None:
        if self.editing is None:
            return
        source = self.editing
        copy = Preset("", self._unique(self.tr("{name} copy").format(name=source.name)),
                      source.system_prompt, source.temperature, source.top_p, source.top_k,
                      source.min_p, source.repeat_penalty, source.max_tokens)
        self._fill(copy, new=True)
        self.name.setFocus()
        self.name.selectAll()

    def form_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name.text(),
                                "system_prompt": self.prompt.toPlainText() or None}
        if not self._new and self.editing is not None and not self.editing.builtin:
            data["id"] = self.editing.id
        for field in self.fields:
            data[field.name] = field.value()
        return data

    @Slot()
    def save(self) -> bool:
        try:
            preset = self.tools.save_preset(self.form_data())
        except (PresetProblem, StoreError) as exc:
            self.error.setText(str(exc))
            return False
        self._set_dirty(False)
        self.reload(select=preset.id)
        return True

    @Slot()
    def revert(self) -> None:
        self._set_dirty(False)
        self.reload(select=self.editing.id if self.editing and not self._new else None)

    @Slot()
    def delete(self) -> None:
        p = self.editing
        if p is None or p.builtin:
            return
        if confirm(self, self.tr("Delete preset"),
                   self.tr("Delete the preset “{name}”? Chats that use it go back to the "
                           "model's own settings.").format(name=p.name),
                   self.tr("Delete"), self.tr("Keep")):
            self.tools.delete_preset(p.id)
            self.reload()

    def reject(self) -> None:
        """Close, Esc and the title bar's close all come here (QDialog's closeEvent calls it):
        unsaved changes are not dropped without asking."""
        if self.dirty and not confirm(self, self.tr("Presets"),
                                      self.tr("Close without saving your changes?"),
                                      self.tr("Discard changes"), self.tr("Keep editing")):
            return
        super().reject()
