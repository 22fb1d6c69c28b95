"""Per-model settings: system prompt, sampling, length, context and threads."""

from __future__ import annotations

import dataclasses

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from desktopchat.settings import ModelSettings

_LABELS = {
    "temperature": "Temperature",
    "top_p": "Top P",
    "top_k": "Top K",
    "min_p": "Min P",
    "repeat_penalty": "Repeat penalty",
    "max_tokens": "Max reply tokens",
    "context_length": "Context length (tokens)",
    "threads": "CPU threads (0 = automatic)",
    "seed": "Seed (-1 = random)",
}


class ModelSettingsDialog(QDialog):
    def __init__(self, model_name: str, value: ModelSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Settings for {model_name}"[:120])  # window titles are plain text
        form = QFormLayout(self)
        self.system_prompt = QPlainTextEdit(value.system_prompt)
        self.system_prompt.setFixedHeight(90)
        form.addRow("System prompt", self.system_prompt)
        self.fields: dict[str, QSpinBox | QDoubleSpinBox] = {}
        for name, label in _LABELS.items():
            lo, hi = ModelSettings.LIMITS[name]
            current = getattr(value, name)
            box: QSpinBox | QDoubleSpinBox
            if isinstance(current, float):
                box = QDoubleSpinBox()
                box.setDecimals(2)
                box.setSingleStep(0.05)
                box.setRange(float(lo), float(hi))
                box.setValue(current)
            else:
                box = QSpinBox()
                box.setRange(int(lo), int(hi))
                box.setValue(current)
            self.fields[name] = box
            form.addRow(label, box)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.RestoreDefaults
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults).clicked.connect(self.restore)
        form.addRow(buttons)

    def restore(self) -> None:
        defaults = ModelSettings()
        self.system_prompt.setPlainText(defaults.system_prompt)
        for name, box in self.fields.items():
            box.setValue(getattr(defaults, name))

    def value(self) -> ModelSettings:
        changes = {name: box.value() for name, box in self.fields.items()}
        return dataclasses.replace(
            ModelSettings(), system_prompt=self.system_prompt.toPlainText(), **changes
        )
