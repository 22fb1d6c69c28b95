"""The Downloads panel: each transfer with a progress bar, speed, ETA, Pause/Resume/Cancel, and
a failure in one sentence with Retry. It shows what the download worker reports and forwards
what the user presses; it holds no transfer state of its own.

Model and repo names come from the Hub, so every label here is plain text (never rich text, which
would render ``<img>`` or ``<b>`` in a name) and every tooltip is escaped HTML.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktopchat.models.download import DownloadJob, DownloadProgress
from desktopchat.models.names import human_size
from desktopchat.session.hub_workers import DownloadFailed, DownloadFinished, DownloadPausedInfo
from desktopchat.ui.i18n import QT_TRANSLATE_NOOP, translate

OFFLINE_PAUSED = QT_TRANSLATE_NOOP(
    "DownloadsPanel", "Paused because Offline mode is on; it continues when Offline is turned "
                      "off (or press Resume then).")


def plain_label(text: str = "") -> QLabel:
    """A label that shows its text as it is: never as rich text."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    return label


def tooltip_html(text: str) -> str:
    """A tooltip that shows ``text`` as it is (escaped, inside a tag so Qt reads it as HTML)."""
    return "<p>" + html.escape(text).replace("\n", "<br>") + "</p>"


def _eta_text(eta: float | None) -> str:
    if eta is None:
        return translate("DownloadsPanel", "ETA {time}").format(time="--:--")
    eta = int(eta)
    shown = f"{eta // 3600}:{eta // 60 % 60:02d}:{eta % 60:02d}" if eta >= 3600 else \
        f"{eta // 60}:{eta % 60:02d}"
    return translate("DownloadsPanel", "ETA {time}").format(time=shown)


class DownloadRow(QWidget):
    """One transfer: name, bar, status line and its buttons."""

    def __init__(self, job: DownloadJob) -> None:
        super().__init__()
        self.job = job
        self.state = "queued"
        self.name = plain_label(f"{job.name} — {job.repo_id}")
        font = self.name.font()
        font.setBold(True)
        self.name.setFont(font)
        self.name.setToolTip(tooltip_html(f"{job.name}\n" + translate(
            "DownloadsPanel", "from {repo} at {revision}").format(repo=job.repo_id,
                                                                   revision=job.revision)))
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setAccessibleName(translate("DownloadsPanel", "Download progress of {name}")
                                   .format(name=job.name))
        self.status = plain_label(translate("DownloadsPanel", "Waiting…"))
        self.status.setWordWrap(True)
        self.pause_button = QPushButton(translate("DownloadsPanel", "Pause"))
        self.resume_button = QPushButton(translate("DownloadsPanel", "Resume"))
        self.cancel_button = QPushButton(translate("DownloadsPanel", "Cancel"))
        self.retry_button = QPushButton(translate("DownloadsPanel", "Retry"))
        for b in (self.pause_button, self.resume_button, self.cancel_button, self.retry_button):
            b.setAccessibleName(f"{b.text()}: {job.name}")
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        for b in (self.pause_button, self.resume_button, self.retry_button, self.cancel_button):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addWidget(self.name)
        layout.addWidget(self.bar)
        layout.addLayout(buttons)
        self.set_state("queued")

    def set_state(self, state: str, text: str | None = None) -> None:
        self.state = state
        self.pause_button.setVisible(state in ("queued", "running"))
        self.resume_button.setVisible(state == "paused")
        self.retry_button.setVisible(state == "failed")
        self.cancel_button.setVisible(state in ("queued", "running", "paused", "failed"))
        if state != "failed":
            self.retry_button.setEnabled(True)
        if text is not None:
            self.status.setText(text)

    def set_fraction(self, done: int, total: int) -> None:
        self.bar.setValue(int(1000 * done / total) if total else 0)


class DownloadsPanel(QWidget):
    """Signals:
        pause_requested(str job_id), resume_requested(str job_id), cancel_requested(str job_id),
        retry_requested(str job_id): what the user pressed.
        changed(str job_id, str state): a row changed state (queued, running, paused, done,
            failed, cancelled); emitted on the UI thread.
    """

    pause_requested = Signal(str)
    resume_requested = Signal(str)
    cancel_requested = Signal(str)
    retry_requested = Signal(str)
    changed = Signal(str, str)

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, DownloadRow] = {}
        self._list = QVBoxLayout()
        self.empty = plain_label(translate(
            "DownloadsPanel", "No downloads yet. Pick a model in “Get models” and press "
                              "Download."))
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addLayout(self._list)
        layout.addStretch(1)

    def row(self, job_id: str) -> DownloadRow | None:
        return self.rows.get(job_id)

    def _set(self, job_id: str, state: str, text: str | None = None) -> DownloadRow | None:
        row = self.rows.get(job_id)
        if row is None:
            return None
        row.set_state(state, text)
        self.changed.emit(job_id, state)
        return row

    @Slot(object)
    def on_queued(self, job: DownloadJob) -> None:
        row = self.rows.get(job.job_id)
        if row is None:
            row = DownloadRow(job)
            jid = job.job_id
            row.pause_button.clicked.connect(lambda: self.pause_requested.emit(jid))
            row.resume_button.clicked.connect(lambda: self.resume_requested.emit(jid))
            row.cancel_button.clicked.connect(lambda: self.cancel_requested.emit(jid))
            row.retry_button.clicked.connect(lambda: self.retry_requested.emit(jid))
            self.rows[jid] = row
            self._list.insertWidget(0, row)
            self.empty.hide()
        self._set(job.job_id, "queued", translate("DownloadsPanel", "Waiting… ({size})").format(
            size=human_size(job.total)))

    @Slot(str)
    def on_started(self, job_id: str) -> None:
        self._set(job_id, "running", translate("DownloadsPanel", "Starting…"))

    @Slot(object)
    def on_progress(self, p: DownloadProgress) -> None:
        row = self.rows.get(p.job_id)
        if row is None or row.state not in ("running", "queued"):
            return
        row.set_fraction(p.done, p.total)
        row.status.setText(translate("DownloadsPanel", "{done} of {total} · {speed}/s · {eta}")
                           .format(done=human_size(p.done), total=human_size(p.total),
                                   speed=human_size(p.speed), eta=_eta_text(p.eta)))

    @Slot(object)
    def on_paused(self, info: DownloadPausedInfo) -> None:
        text = translate("DownloadsPanel", OFFLINE_PAUSED) if info.offline else translate(
            "DownloadsPanel", "Paused at {done} of {total}; Resume continues from there (also "
                              "after a restart).").format(done=human_size(info.done),
                                                         total=human_size(info.total))
        row = self._set(info.job_id, "paused", text)
        if row is not None:
            row.set_fraction(info.done, info.total)

    @Slot(object)
    def on_finished(self, done: DownloadFinished) -> None:
        row = self._set(done.job_id, "done", translate(
            "DownloadsPanel", "Installed and verified; pick it in the model list."))
        if row is not None:
            row.bar.setValue(1000)

    @Slot(object)
    def on_failed(self, failure: DownloadFailed) -> None:
        row = self._set(failure.job_id, "failed", failure.message)
        if row is not None:
            row.retry_button.setEnabled(failure.retryable)

    @Slot(str)
    def on_cancelled(self, job_id: str) -> None:
        row = self._set(job_id, "cancelled", translate(
            "DownloadsPanel", "Cancelled; the partial file was removed."))
        if row is not None:
            row.set_fraction(0, 1)
