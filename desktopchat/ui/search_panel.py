"""Search across every chat (Ctrl+Shift+F): a dock with the results and how each is drawn.

Results show the chat's title, who wrote the message, the snippet with the matched words
marked, the date and, for a message on another branch, which one. A result is laid out with a
text cursor from plain strings (``hit_document``): nothing in a title or snippet is markup.
Choosing a result opens that chat on that branch and scrolls to the message.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QDateTime,
    QEvent,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPalette,
    QStandardItem,
    QStandardItemModel,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QDockWidget,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from desktopchat.chat.search import SearchHit
from desktopchat.session.chat_tools import SEARCH_LIMIT, ChatTools
from desktopchat.session.chat_tools_worker import SearchResults
from desktopchat.ui import plain
from desktopchat.ui.chat_view import ChatView
from desktopchat.ui.search import DEBOUNCE_MS, KeyField, hit_terms, mark_colour, show_hit
from desktopchat.ui.theme import current_theme
from desktopchat.ui.transcript import clean_text

translate = QCoreApplication.translate  # the name lupdate looks for

HIT_ROLE = Qt.ItemDataRole.UserRole + 1
ROLE_NAMES = {"user": str(QT_TRANSLATE_NOOP("Search", "You")),
              "assistant": str(QT_TRANSLATE_NOOP("Search", "Assistant")),
              "system": str(QT_TRANSLATE_NOOP("Search", "System"))}


def when(ts: float) -> str:
    """A short local date: the time today, day and month this year, else the date."""
    dt = QDateTime.fromSecsSinceEpoch(int(ts))
    today = QDateTime.currentDateTime().date()
    locale = QLocale()
    if dt.date() == today:
        return locale.toString(dt.time(), QLocale.FormatType.ShortFormat)
    if dt.date().year() == today.year():
        return locale.toString(dt.date(), "d MMM")
    return locale.toString(dt.date(), QLocale.FormatType.ShortFormat)



def role_name(role: str) -> str:
    return QCoreApplication.translate("Search", ROLE_NAMES[role]) if role in ROLE_NAMES \
        else role


def branch_text(hit: SearchHit) -> str:
    if hit.on_active_path:
        return ""
    if hit.branch is not None:
        return translate("Search", "On another branch ({i} of {n})").format(
            i=hit.branch[0], n=hit.branch[1])
    return translate("Search", "On another branch")


def hit_summary(hit: SearchHit) -> str:
    """The result as one line of plain text (what a screen reader reads)."""
    snippet = "".join(text for text, _ in hit.parts())
    parts = [clean_text(hit.conversation_title), f"{role_name(hit.role)}: "
             f"{clean_text(snippet)}", when(hit.created_at), branch_text(hit)]
    return " — ".join(p for p in parts if p)


def hit_document(hit: SearchHit, font: QFont, palette: QPalette, width: int,
                 selected: bool) -> QTextDocument:
    """A result laid out as text: title and date, the snippet with its matches marked, and the
    branch note. Built with a cursor from plain strings: nothing in a hit is markup."""
    doc = QTextDocument()
    doc.setDefaultFont(font)
    doc.setDocumentMargin(6)
    doc.setTextWidth(max(80, width))
    group = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
    text_colour = palette.color(group)
    muted = QColor(text_colour)
    muted.setAlphaF(0.72)
    cur = QTextCursor(doc)
    base = QTextCharFormat()
    base.setForeground(text_colour)
    title = QTextCharFormat(base)
    title.setFontWeight(QFont.Weight.DemiBold)
    quiet = QTextCharFormat(base)
    quiet.setForeground(muted)
    mark = QTextCharFormat(base)
    mark.setFontWeight(QFont.Weight.Bold)
    mark.setBackground(QColor(mark_colour()))
    mark.setForeground(QColor(current_theme().text))
    bold = QFont(font)
    bold.setWeight(QFont.Weight.DemiBold)
    one_line = " ".join(clean_text(hit.conversation_title).split())[:300]
    cur.insertText(QFontMetrics(bold).elidedText(one_line, Qt.TextElideMode.ElideRight,
                                                 max(40, width - 16)), title)
    cur.insertBlock()
    cur.insertText(f"{role_name(hit.role)}: ", quiet)
    for text, marked in hit.parts():
        cur.insertText(clean_text(text).replace("\n", " "), mark if marked else base)
    cur.insertBlock()
    cur.insertText(when(hit.created_at), quiet)
    note = branch_text(hit)
    if note:
        italic = QTextCharFormat(quiet)
        italic.setFontItalic(True)
        cur.insertText(" · " + note, italic)
    return doc


class HitDelegate(QStyledItemDelegate):
    """Paints a result from its ``SearchHit`` (laid out by ``hit_document``)."""

    def __init__(self, view: QListView) -> None:
        super().__init__(view)
        self._view = view

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        hit = index.data(HIT_ROLE)
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        if not isinstance(hit, SearchHit):
            return
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        doc = hit_document(hit, opt.font, opt.palette, opt.rect.width(), selected)
        painter.save()
        painter.translate(opt.rect.topLeft())
        ctx = QAbstractTextDocumentLayout.PaintContext()
        ctx.clip = QRectF(0, 0, opt.rect.width(), opt.rect.height())
        doc.documentLayout().draw(painter, ctx)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        hit = index.data(HIT_ROLE)
        if not isinstance(hit, SearchHit):
            return super().sizeHint(option, index)
        width = self._view.viewport().width() or option.rect.width() or 300
        doc = hit_document(hit, option.font, option.palette, width, False)
        return QSize(width, int(doc.size().height()) + 2)


class SearchPanel(QDockWidget):
    """Ctrl+Shift+F: search every chat; choosing a result opens it there.

    Signals:
        hit_opened(SearchHit): a result was opened (its chat shown, scrolled to it).
    """

    hit_opened = Signal(object)

    def __init__(self, tools: ChatTools, view: ChatView, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Search all chats"), parent)
        self.tools, self.view = tools, view
        self.setObjectName("searchPanel")
        self.setAccessibleName(self.tr("Search all chats"))
        self.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetClosable
                         | QDockWidget.DockWidgetFeature.DockWidgetMovable)
        body = QWidget(self)
        body.setObjectName("searchPanelBody")
        self.field = KeyField(body)
        self.field.setObjectName("searchAllField")
        self.field.setAccessibleName(self.tr("Search all chats"))
        self.field.setPlaceholderText(self.tr("Search all chats"))
        self.field.setClearButtonEnabled(True)
        self.field.setMaxLength(256)
        self.status = plain.label("", body, wrap=True)
        self.status.setObjectName("searchAllStatus")
        self.status.setAccessibleName(self.tr("Search status"))
        self.model = QStandardItemModel(self)
        self.results = QListView(body)
        self.results.setObjectName("searchResults")
        self.results.setAccessibleName(self.tr("Search results"))
        self.results.setModel(self.model)
        self.results.setItemDelegate(HitDelegate(self.results))
        self.results.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        self.results.setUniformItemSizes(False)
        self.results.setWordWrap(True)
        self.results.setResizeMode(QListView.ResizeMode.Adjust)
        self.results.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.field)
        layout.addWidget(self.status)
        layout.addWidget(self.results, 1)
        self.setWidget(body)
        self.setMinimumWidth(280)
        self.hits: list[SearchHit] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._run)
        self.field.textChanged.connect(self._typed)
        self.field.key.connect(self._key)
        self.results.clicked.connect(self._activated)  # Enter: eventFilter
        self.results.installEventFilter(self)
        tools.search_results.connect(self._results)
        self.visibilityChanged.connect(self._visibility)
        self.hide()

    def open_panel(self) -> None:
        self.show()
        self.raise_()
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()

    @Slot(bool)
    def _visibility(self, visible: bool) -> None:
        if not visible:
            self._timer.stop()
            self.tools.cancel_search("all")

    @Slot(str)
    def _typed(self, _text: str) -> None:
        self._timer.start()

    @Slot()
    def _run(self) -> None:
        self._timer.stop()
        query = self.field.text()
        if not query.strip():
            self.tools.cancel_search("all")
            self._show([], "")
            return
        self.status.setText(self.tr("Searching…"))
        self.tools.search("all", query, None, SEARCH_LIMIT)

    @Slot(object)
    def _results(self, res: SearchResults) -> None:
        if res.channel != "all":
            return
        if res.error:
            self._show([], res.error)
            return
        n = len(res.hits)
        if not n:
            status = self.tr("No chat mentions that.")
        elif res.truncated:
            status = self.tr("The {n} newest matches").format(n=n)
        elif n == 1:
            status = self.tr("1 match")
        else:
            status = self.tr("{n} matches").format(n=n)
        self._show(list(res.hits), status)

    def _show(self, hits: list[SearchHit], status: str) -> None:
        self.hits = hits
        self.status.setText(status)
        self.model.clear()
        for hit in hits:
            item = QStandardItem(hit_summary(hit))
            item.setData(hit, HIT_ROLE)
            item.setData(hit_summary(hit), Qt.ItemDataRole.AccessibleTextRole)
            item.setEditable(False)
            self.model.appendRow(item)
        if hits:
            self.results.setCurrentIndex(self.model.index(0, 0))

    @Slot(QModelIndex)
    def _activated(self, index: QModelIndex) -> None:
        hit = index.data(HIT_ROLE)
        if isinstance(hit, SearchHit):
            self.open_hit(hit)

    def open_hit(self, hit: SearchHit) -> bool:
        if not self.tools.open_hit(hit):
            return False
        show_hit(self.view, hit.message_id, hit_terms([hit]))
        self.hit_opened.emit(hit)
        return True

    @Slot(int, bool)
    def _key(self, key: int, _shift: bool) -> None:
        if key == Qt.Key.Key_Escape:
            self.close_panel()
        elif key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.hits:
            self.results.setFocus(Qt.FocusReason.OtherFocusReason)
            row = self.results.currentIndex().row()
            step = 1 if key == Qt.Key.Key_Down else -1
            target = max(0, min(len(self.hits) - 1, row + step if row >= 0 else 0))
            self.results.setCurrentIndex(self.model.index(target, 0))
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self._timer.isActive():
                self._run()
                return
            current = self.results.currentIndex()
            if current.isValid():
                self._activated(current)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and watched is getattr(self, "results", None):
            key = event.key()  # type: ignore[attr-defined]
            if key == Qt.Key.Key_Escape:
                self.close_panel()
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._activated(self.results.currentIndex())
                return True
        return super().eventFilter(watched, event)

    def close_panel(self) -> None:
        self.hide()
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)
