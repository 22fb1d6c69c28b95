"""The model settings dialog's device fields: where the model runs, how many layers, and the
app-wide GPU memory limit, each reachable by its accessible name."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QSpinBox

from desktopchat.settings import AppSettings, ModelSettings
from desktopchat.ui.settings_dialog import DEVICE_LABEL, GPU_CAP_LABEL, ModelSettingsDialog

DEVICES = [("Vulkan0", "Vulkan0: AMD Radeon RX 7600 (Vulkan, GPU, 7.5 GB free of 8.0 GB)")]


def _by_name(dialog, cls, name):
    found = [w for w in dialog.findChildren(cls) if w.accessibleName() == name]
    assert len(found) == 1, [w.accessibleName() for w in dialog.findChildren(cls)]
    return found[0]


def test_device_choice_layers_and_cap_round_trip(qtbot):
    start = ModelSettings(device="Vulkan0", gpu_layers=20)
    d = ModelSettingsDialog("Qwen3", start, devices=DEVICES, app=AppSettings(gpu_memory_cap_mb=0))
    qtbot.addWidget(d)
    assert d.value() == start
    device = _by_name(d, QComboBox, DEVICE_LABEL)
    assert [device.itemData(i) for i in range(device.count())] == ["auto", "cpu", "Vulkan0"]
    assert device.itemText(2) == DEVICES[0][1]
    device.setCurrentIndex(device.findData("cpu"))
    _by_name(d, QSpinBox, "GPU layers (-1 = as many as fit)").setValue(-1)
    _by_name(d, QSpinBox, GPU_CAP_LABEL).setValue(1500)
    v = d.value()
    assert (v.device, v.gpu_layers) == ("cpu", -1)
    assert d.app_value() == AppSettings(gpu_memory_cap_mb=1500)
    d.restore()
    assert d.value() == ModelSettings()


def test_a_device_that_is_gone_stays_selected_and_says_so(qtbot):
    d = ModelSettingsDialog("Qwen3", ModelSettings(device="CUDA1"), devices=DEVICES)
    qtbot.addWidget(d)
    device = _by_name(d, QComboBox, DEVICE_LABEL)
    assert device.currentText() == "CUDA1 (not present now)"
    assert d.value().device == "CUDA1"
    assert d.app_value() is None  # no app settings given: the limit is not shown
