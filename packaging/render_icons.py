"""Render assets/desktopchat.svg into every icon the installers need, with Qt's own SVG renderer.

    python packaging/render_icons.py OUT_DIR

Writes OUT_DIR/hicolor/<N>x<N>/apps/<APP_ID>.png (Linux), OUT_DIR/desktopchat-256.png,
OUT_DIR/desktopchat.ico (Windows) and OUT_DIR/desktopchat.icns (macOS). The SVG is the only
source: nothing rendered is committed except desktopchat/resources/desktopchat.png (the window
icon, package data), which ``--resource`` rewrites.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from desktopchat import APP_ID  # noqa: E402

SVG = ROOT / "assets" / "desktopchat.svg"
HICOLOR_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def render(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def save(image: QImage, path: Path, fmt: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(path), fmt):
        raise SystemExit(f"could not write {path} ({fmt})")


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buf, "PNG")
    return bytes(data.data())


def main(argv: list[str]) -> int:
    _app = QGuiApplication(argv[:1])
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"{SVG} is not a valid SVG")
    if argv[1:] == ["--resource"]:
        save(render(renderer, 256), ROOT / "desktopchat" / "resources" / "desktopchat.png", "PNG")
        return 0
    out = Path(argv[1])
    for size in HICOLOR_SIZES:
        save(render(renderer, size), out / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png",
             "PNG")
    (out / "hicolor" / "scalable" / "apps").mkdir(parents=True, exist_ok=True)
    (out / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").write_bytes(SVG.read_bytes())
    save(render(renderer, 256), out / "desktopchat-256.png", "PNG")
    save(render(renderer, 256), out / "desktopchat.ico", "ICO")
    save(render(renderer, 512), out / "desktopchat.icns", "ICNS")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
