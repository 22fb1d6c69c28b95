"""Per-model settings: system prompt, sampling, length, context, threads and where the model
runs (a device and an optional layer count), plus the app-wide GPU memory limit."""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from desktopchat.settings import AppSettings, ModelSettings
from desktopchat.ui.i18n import QT_TRANSLATE_NOOP, translate

N = QT_TRANSLATE_NOOP  # the labels of this dialog, translated where they are shown

_LABELS = {
    "temperature": N("ModelSettingsDialog", "Temperature"),
    "top_p": N("ModelSettingsDialog", "Top P"),
    "top_k": N("ModelSettingsDialog", "Top K"),
    "min_p": N("ModelSettingsDialog", "Min P"),
    "repeat_penalty": N("ModelSettingsDialog", "Repeat penalty"),
    "max_tokens": N("ModelSettingsDialog", "Max reply tokens"),
    "context_length": N("ModelSettingsDialog", "Context length (tokens)"),
    "threads": N("ModelSettingsDialog", "CPU threads (0 = automatic)"),
    "seed": N("ModelSettingsDialog", "Seed (-1 = random)"),
    "gpu_layers": N("ModelSettingsDialog", "GPU layers (-1 = as many as fit)"),
}
DEVICE_LABEL = N("ModelSettingsDialog", "Run on")
GPU_CAP_LABEL = N("ModelSettingsDialog", "GPU memory limit for all models (MB, 0 = none)")


class ModelSettingsDialog(QDialog):
    """``devices``: (name, one-line description) of each GPU llama.cpp sees
    (``desktopchat.engine.devices``); ``app``: the app-wide settings, for the GPU memory limit
    (left out when None)."""

    def __init__(self, model_name: str, value: ModelSettings, parent: QWidget | None = None,
                 devices: list[tuple[str, str]] | None = None,
                 app: AppSettings | None = None) -> None:
        super().__init__(parent)
        title = translate("ModelSettingsDialog", "Settings for {name}").format(name=model_name)
        self.setWindowTitle(title[:120])  # window titles are plain text
        form = QFormLayout(self)
        self.system_prompt = QPlainTextEdit(value.system_prompt)
        self.system_prompt.setFixedHeight(90)
        form.addRow(translate("ModelSettingsDialog", "System prompt"), self.system_prompt)
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
            text = translate("ModelSettingsDialog", label)
            box.setAccessibleName(text)
            self.fields[name] = box
            form.addRow(text, box)
        self.device = QComboBox()
        device_label = translate("ModelSettingsDialog", DEVICE_LABEL)
        self.device.setAccessibleName(device_label)
        self.device.addItem(
            translate("ModelSettingsDialog", "Automatic (the best GPU, else the CPU)"), "auto")
        self.device.addItem(translate("ModelSettingsDialog", "CPU only"), "cpu")
        for name, text in devices or []:
            self.device.addItem(text, name)
        if self.device.findData(value.device) < 0:
            self.device.addItem(translate("ModelSettingsDialog", "{device} (not present now)")
                                .format(device=value.device), value.device)
        self.device.setCurrentIndex(self.device.findData(value.device))
        form.addRow(device_label, self.device)
        self._app = app
        self.gpu_cap = QSpinBox()
        cap_label = translate("ModelSettingsDialog", GPU_CAP_LABEL)
        self.gpu_cap.setAccessibleName(cap_label)
        self.gpu_cap.setRange(*(int(v) for v in AppSettings.LIMITS["gpu_memory_cap_mb"]))
        if app is not None:
            self.gpu_cap.setValue(app.gpu_memory_cap_mb)
            form.addRow(cap_label, self.gpu_cap)
        else:
            self.gpu_cap.hide()
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
        self.device.setCurrentIndex(self.device.findData(defaults.device))

    def value(self) -> ModelSettings:
        changes: dict[str, Any] = {name: box.value() for name, box in self.fields.items()}
        return dataclasses.replace(
            ModelSettings(), system_prompt=self.system_prompt.toPlainText(),
            device=str(self.device.currentData()), **changes
        )

    def app_value(self) -> AppSettings | None:
        """The app-wide settings with the GPU memory limit as edited (None: not shown)."""
        if self._app is None:
            return None
        return dataclasses.replace(self._app, gpu_memory_cap_mb=self.gpu_cap.value())
