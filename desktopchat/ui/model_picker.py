"""The model picker: each model with its size, quantization and fit badge, and a warning mark on
base models (no chat template).

The fit is computed once per listing (``set_models``), never while painting. Choosing a model
loads it, so the picker only changes when the user picks from its list: typing, arrow keys and
the mouse wheel on the closed picker do nothing (a user who launched the app and typed "good
morning" into it once switched models and lost the text).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QKeyEvent, QPainter, QPalette, QWheelEvent
from PySide6.QtWidgets import (
    QComboBox,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionComboBox,
    QStyleOptionViewItem,
    QStylePainter,
    QWidget,
)

from desktopchat.models.fit import FitEstimate
from desktopchat.models.local import LocalModel
from desktopchat.models.names import human_size
from desktopchat.ui import plain
from desktopchat.ui.i18n import translate
from desktopchat.ui.theme import Theme, current_theme, icon

DETAILS_ROLE = Qt.ItemDataRole.UserRole + 1
VERDICT_ROLE = Qt.ItemDataRole.UserRole + 2
BASE_ROLE = Qt.ItemDataRole.UserRole + 3  # True: no chat template
MIN_WIDTH, MAX_WIDTH = 220, 460
_OPEN_KEYS = {Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_Space, Qt.Key.Key_Return,
              Qt.Key.Key_Enter, Qt.Key.Key_F4}


def fit_label(verdict: str) -> str:
    return {
        "fits": translate("ModelPicker", "Fits"),
        "tight": translate("ModelPicker", "Tight fit"),
        "won't fit": translate("ModelPicker", "Won't fit"),
    }.get(verdict, "")


def fit_colour(verdict: str, theme: Theme) -> str:
    if verdict == "fits":
        return "#3fb950" if theme.dark else "#1a7f37"
    if verdict == "tight":
        return "#d29922" if theme.dark else "#9a6700"
    return theme.warning


def no_template_warning() -> str:
    return translate("ModelPicker",
                     "This model has no chat template; it will not follow instructions well.")


def details_text(size: int, quantization: str, verdict: str) -> str:
    """"98.4 MB · Q4_1 · Fits" (parts that are not known are left out)."""
    return " · ".join(x for x in (human_size(size) if size else "", quantization,
                                  fit_label(verdict)) if x)


@dataclass(frozen=True)
class PickerItem:
    model_id: str
    name: str
    details: str
    verdict: str
    base_model: bool
    path: str

    @classmethod
    def of(cls, m: LocalModel, fit: FitEstimate | None) -> PickerItem:
        verdict = fit.verdict if fit is not None else ""
        return cls(m.model_id, m.name, details_text(m.size, m.quantization, verdict), verdict,
                   not m.has_chat_template, m.path)


class PickerDelegate(QStyledItemDelegate):
    """Two lines per model: its name, then size · quantization · fit (the fit in colour)."""

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        fm = option.fontMetrics
        return QSize(max(320, fm.horizontalAdvance(str(index.data()) or "") + 60),
                     fm.lineSpacing() * 2 + 14)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        theme = current_theme()
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        painter.save()
        if selected:
            painter.fillRect(opt.rect, opt.palette.color(QPalette.ColorRole.Highlight))
        rect = opt.rect.adjusted(10, 6, -10, -6)
        line = opt.fontMetrics.lineSpacing()
        name = str(index.data() or "")
        base = bool(index.data(BASE_ROLE))
        if base:
            mark = icon("circle-alert", theme, theme.warning)
            mark.paint(painter, QRect(rect.right() - 16, rect.top(), 16, 16))
        bold = QFont(opt.font)
        bold.setWeight(QFont.Weight.DemiBold)
        painter.setFont(bold)
        painter.setPen(QColor(theme.text))
        room = rect.width() - (22 if base else 0)
        painter.drawText(QRect(rect.left(), rect.top(), room, line), 0,
                         opt.fontMetrics.elidedText(name, Qt.TextElideMode.ElideRight, room))
        painter.setFont(opt.font)
        details = str(index.data(DETAILS_ROLE) or "")
        verdict = str(index.data(VERDICT_ROLE) or "")
        badge = fit_label(verdict)
        head = details[: -len(badge)] if badge and details.endswith(badge) else details
        painter.setPen(QColor(theme.muted))
        y = rect.top() + line
        painter.drawText(QRect(rect.left(), y, rect.width(), line), 0, head)
        if badge and head != details:
            painter.setPen(QColor(fit_colour(verdict, theme)))
            x = rect.left() + opt.fontMetrics.horizontalAdvance(head)
            painter.drawText(QRect(x, y, rect.right() - x, line), 0, badge)
        painter.restore()


class ModelPicker(QComboBox):
    """The toolbar's list of models. It loads nothing itself: ``activated`` says what the user
    picked (the window asks the model session)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("modelPicker")
        self.setAccessibleName(translate("ModelPicker", "Model"))
        self.setToolTip(translate("ModelPicker", "The model that answers; pick another to "
                                                 "load it"))
        self.setPlaceholderText(translate("ModelPicker", "Choose a model…"))
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(18)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setItemDelegate(PickerDelegate(self))
        self.items: list[PickerItem] = []

    def sizeHint(self) -> QSize:
        """Room for the name and its details (within bounds: the toolbar must fit 800 px)."""
        hint = super().sizeHint()
        fm = self.fontMetrics()
        widest = max((fm.horizontalAdvance(f"{it.name}    {it.details}") for it in self.items),
                     default=fm.horizontalAdvance(self.placeholderText()))
        return QSize(max(MIN_WIDTH, min(MAX_WIDTH, widest + 56)), hint.height())

    def minimumSizeHint(self) -> QSize:
        return QSize(MIN_WIDTH, super().minimumSizeHint().height())

    def set_models(self, items: Sequence[PickerItem], selected_id: str) -> None:
        self.items = list(items)
        self.blockSignals(True)
        try:
            self.clear()
            for it in self.items:
                self.addItem(it.name, it.model_id)
                i = self.count() - 1
                self.setItemData(i, it.details, DETAILS_ROLE)
                self.setItemData(i, it.verdict, VERDICT_ROLE)
                self.setItemData(i, it.base_model, BASE_ROLE)
                tip = f"{it.name}\n{it.details}\n{it.path}"
                if it.base_model:
                    tip += "\n" + no_template_warning()
                self.setItemData(i, plain.tooltip(tip), Qt.ItemDataRole.ToolTipRole)
                spoken = f"{it.name}, {it.details}"
                if it.base_model:
                    spoken += ", " + no_template_warning()
                self.setItemData(i, spoken, Qt.ItemDataRole.AccessibleTextRole)
            if not self.items:
                self.addItem(translate("ModelPicker", "No models yet: download or import one"),
                             "")
            self.select(selected_id)
        finally:
            self.blockSignals(False)
        self._describe()
        self.updateGeometry()

    def select(self, model_id: str) -> None:
        """Show ``model_id`` as the current one ("" or unknown: nothing chosen)."""
        idx = self.findData(model_id) if model_id else -1
        self.setCurrentIndex(idx if idx >= 0 else (0 if not self.items else -1))
        self._describe()

    def current_item(self) -> PickerItem | None:
        model_id = self.currentData()
        return next((it for it in self.items if it.model_id == model_id), None)

    def _describe(self) -> None:
        it = self.current_item()
        self.setAccessibleDescription(it.details if it is not None else "")

    # Picking needs the list: keys open it, the wheel does nothing.
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in _OPEN_KEYS and not (event.modifiers()
                                              & Qt.KeyboardModifier.ControlModifier):
            self.showPopup()
            event.accept()
            return
        event.ignore()

    def wheelEvent(self, event: QWheelEvent) -> None:
        event.ignore()

    def paintEvent(self, _event: object) -> None:
        """The closed picker: the name, then its size · quantization · fit, muted."""
        painter = QStylePainter(self)
        opt = QStyleOptionComboBox()
        self.initStyleOption(opt)
        it = self.current_item()
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, opt)
        field = self.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, opt,
                                            QStyle.SubControl.SC_ComboBoxEditField, self)
        theme = current_theme()
        fm = self.fontMetrics()
        flags = int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft)
        x, right = field.left() + 4, field.right() - 2
        if it is not None and it.base_model:
            icon("circle-alert", theme, theme.warning).paint(
                painter, QRect(x, field.center().y() - 8, 16, 16))
            x += 22
        text = opt.currentText if self.currentIndex() >= 0 else self.placeholderText()
        painter.setPen(QColor(theme.text if self.currentIndex() >= 0 else theme.muted))
        name = fm.elidedText(text, Qt.TextElideMode.ElideRight, max(0, right - x))
        painter.drawText(QRect(x, field.top(), right - x, field.height()), flags, name)
        if it is not None and it.details:
            x += fm.horizontalAdvance(name) + 10
            if right - x > 40:
                painter.setPen(QColor(theme.muted))
                details = fm.elidedText(it.details, Qt.TextElideMode.ElideRight, right - x)
                painter.drawText(QRect(x, field.top(), right - x, field.height()), flags,
                                 details)
