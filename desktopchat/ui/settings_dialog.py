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
    "gpu_layers": "GPU layers (-1 = as many as fit)",
}
DEVICE_LABEL = "Run on"
GPU_CAP_LABEL = "GPU memory limit for all models (MB, 0 = none)"


class ModelSettingsDialog(QDialog):
    """``devices``: (name, one-line description) of each GPU llama.cpp sees
    (``desktopchat.engine.devices``); ``app``: the app-wide settings, for the GPU memory limit
    (left out when None)."""

    def __init__(self, model_name: str, value: ModelSettings, parent: QWidget | None = None,
                 devices: list[tuple[str, str]] | None = None,
                 app: AppSettings | None = None) -> None:
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
            box.setAccessibleName(label)
            self.fields[name] = box
            form.addRow(label, box)
        self.device = QComboBox()
        self.device.setAccessibleName(DEVICE_LABEL)
        self.device.addItem("Automatic (the best GPU, else the CPU)", "auto")
        self.device.addItem("CPU only", "cpu")
        for name, text in devices or []:
            self.device.addItem(text, name)
        if self.device.findData(value.device) < 0:
            self.device.addItem(f"{value.device} (not present now)", value.device)
        self.device.setCurrentIndex(self.device.findData(value.device))
        form.addRow(DEVICE_LABEL, self.device)
        self._app = app
        self.gpu_cap = QSpinBox()
        self.gpu_cap.setAccessibleName(GPU_CAP_LABEL)
        self.gpu_cap.setRange(*(int(v) for v in AppSettings.LIMITS["gpu_memory_cap_mb"]))
        if app is not None:
            self.gpu_cap.setValue(app.gpu_memory_cap_mb)
            form.addRow(GPU_CAP_LABEL, self.gpu_cap)
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
