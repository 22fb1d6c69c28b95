"""Find in the open chat (Ctrl+F) and search across every chat (Ctrl+Shift+F).

Both ask ``ChatTools`` for a search, which runs on its own thread; typing is debounced and an
answer to anything but the latest request never shows. Snippets and titles are data: a hit's
highlighted runs become formatting applied through a text cursor on plain text, never HTML.

- ``FindBar`` floats over the transcript's top right: "3 of 12", Enter / Shift+Enter for the
  next / previous match, Esc to close. It walks the matches on the branch shown, in reading
  order, and says how many more are on other branches (the panel opens those).
- ``SearchPanel`` is a dock: results with the chat's title, the date, the snippet and, for a
  message on another branch, which one; choosing a result opens that chat on that branch and
  scrolls to the message.
"""

from __future__ import annotations

from collections.abc import Sequence

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
    QKeyEvent,
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
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktopchat.chat.search import SearchHit
from desktopchat.session.chat_tools import FIND_LIMIT, SEARCH_LIMIT, ChatTools
from desktopchat.session.chat_tools_worker import SearchResults
from desktopchat.session.conversations import ConversationController
from desktopchat.ui import plain
from desktopchat.ui.chat_view import ChatView
from desktopchat.ui.theme import current_theme, icon
from desktopchat.ui.transcript import clean_text

translate = QCoreApplication.translate  # the name lupdate looks for

DEBOUNCE_MS = 150
MAX_MARKS = 300  # highlighted places in one message
HIT_ROLE = Qt.ItemDataRole.UserRole + 1
MARK_LIGHT, MARK_DARK = "#fde68a", "#7a5c00"  # the background of a matched word
ROLE_NAMES = {"user": str(QT_TRANSLATE_NOOP("Search", "You")),
              "assistant": str(QT_TRANSLATE_NOOP("Search", "Assistant")),
              "system": str(QT_TRANSLATE_NOOP("Search", "System"))}


def mark_colour() -> str:
    return MARK_DARK if current_theme().dark else MARK_LIGHT


def hit_terms(hits: Sequence[SearchHit]) -> list[str]:
    """The words the search matched (the snippets' highlighted runs), longest first."""
    terms: dict[str, str] = {}
    for hit in hits:
        for text, marked in hit.parts():
            text = text.strip()
            if marked and text and len(terms) < 32:
                terms.setdefault(text.casefold(), text)
    return sorted(terms.values(), key=len, reverse=True)


def highlight_message(view: ChatView, message_id: int, terms: Sequence[str]) -> int:
    """Mark ``terms`` in a message's text on screen (its row must be built); the count."""
    row = view.row(message_id)
    if row is None:
        return 0
    fmt = QTextCharFormat()
    fmt.setBackground(QColor(mark_colour()))
    fmt.setForeground(QColor(current_theme().text))
    found = 0
    edits: list[QTextEdit | QPlainTextEdit] = [*row.findChildren(QTextEdit),
                                               *row.findChildren(QPlainTextEdit)]
    for edit in edits:
        selections: list[QTextEdit.ExtraSelection] = []
        doc = edit.document()
        for term in terms:
            cursor = doc.find(term, 0)
            while not cursor.isNull() and len(selections) < MAX_MARKS:
                sel = QTextEdit.ExtraSelection()
                sel.cursor = cursor  # type: ignore[attr-defined]
                sel.format = fmt  # type: ignore[attr-defined]
                selections.append(sel)
                cursor = doc.find(term, cursor)
        edit.setExtraSelections(selections)  # type: ignore[union-attr]
        found += len(selections)
    return found


def clear_highlights(view: ChatView, message_id: int | None) -> None:
    row = view.row(message_id) if message_id is not None else None
    if row is not None:
        edits: list[QTextEdit | QPlainTextEdit] = [*row.findChildren(QTextEdit),
                                                   *row.findChildren(QPlainTextEdit)]
        for edit in edits:
            edit.setExtraSelections([])


def show_hit(view: ChatView, message_id: int, terms: Sequence[str]) -> bool:
    """Scroll the transcript to a message and mark what matched in it."""
    if not view.scroll_to_message(message_id):
        return False
    highlight_message(view, message_id, terms)
    return True


def tool_button(parent: QWidget, name: str, icon_name: str, tip: str) -> QToolButton:
    b = QToolButton(parent)
    b.setObjectName(name)
    b.setIcon(icon(icon_name))
    b.setToolTip(tip)
    b.setAccessibleName(tip)
    b.setAutoRaise(True)
    b.setFocusPolicy(Qt.FocusPolicy.TabFocus)
    return b


class _KeyField(QLineEdit):
    """A search field that hands Enter, Shift+Enter, Esc and the arrows to its owner."""

    key = Signal(int, bool)  # the key, Shift held

    KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape, Qt.Key.Key_Down,
            Qt.Key.Key_Up)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in self.KEYS:
            shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            self.key.emit(int(event.key()), shift)
            return
        super().keyPressEvent(event)


# -- find in the open chat -----------------------------------------------------------------------

class FindBar(QFrame):
    """Ctrl+F over the transcript.

    Signals:
        closed(): the bar was closed (Esc or its button); focus went back to the transcript.
    """

    closed = Signal()

    def __init__(self, tools: ChatTools, conversations: ConversationController,
                 view: ChatView) -> None:
        super().__init__(view)
        self.tools, self.conversations, self.view = tools, conversations, view
        self.setObjectName("findBar")
        self.setAccessibleName(self.tr("Find in chat"))
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.field = _KeyField(self)
        self.field.setObjectName("findField")
        self.field.setAccessibleName(self.tr("Find in chat"))
        self.field.setPlaceholderText(self.tr("Find in chat"))
        self.field.setClearButtonEnabled(True)
        self.field.setMaxLength(256)
        self.count = plain.label("", self)
        self.count.setObjectName("findCount")
        self.count.setAccessibleName(self.tr("Matches"))
        self.prev_button = tool_button(self, "findPrevious", "chevron-up",
                                       self.tr("Previous match (Shift+Enter)"))
        self.next_button = tool_button(self, "findNext", "chevron-down",
                                       self.tr("Next match (Enter)"))
        self.close_button = tool_button(self, "findClose", "x", self.tr("Close (Esc)"))
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 4, 4)
        row.setSpacing(4)
        row.addWidget(self.field, 1)
        row.addWidget(self.count)
        for b in (self.prev_button, self.next_button, self.close_button):
            row.addWidget(b)
        self.matches: list[SearchHit] = []
        self.other_branches = 0
        self.index = -1
        self._terms: list[str] = []
        self._shown: int | None = None  # the message whose words are marked
        self._truncated = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._run)
        self.field.textChanged.connect(self._typed)
        self.field.key.connect(self._key)
        self.prev_button.clicked.connect(self.previous)
        self.next_button.clicked.connect(self.next)
        self.close_button.clicked.connect(self.close_bar)
        tools.search_results.connect(self._results)
        conversations.conversation_opened.connect(self._chat_opened)
        view.installEventFilter(self)
        self._update_count()
        self.hide()

    # -- opening and closing --------------------------------------------------------------------

    def open_bar(self) -> None:
        self.show()
        self._place()
        self.raise_()
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()
        if self.field.text().strip() and not self.matches:
            self._run()

    @Slot()
    def close_bar(self) -> None:
        self._timer.stop()
        self.tools.cancel_search("find")
        clear_highlights(self.view, self._shown)
        self._shown = None
        self.hide()
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)
        self.closed.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # getattr: while a window is torn down, Python may clear this object's attributes
        # before Qt stops calling its filter.
        if event.type() == QEvent.Type.Resize and watched is getattr(self, "view", None) \
                and self.isVisible():
            self._place()
        return super().eventFilter(watched, event)

    def _place(self) -> None:
        vp = self.view.viewport().geometry()
        width = max(240, min(460, vp.width() - 24))
        self.resize(width, self.sizeHint().height())
        self.move(vp.right() - width - 12, vp.top() + 8)

    # -- searching ------------------------------------------------------------------------------

    @Slot(str)
    def _typed(self, _text: str) -> None:
        self._timer.start()

    @Slot()
    def _run(self) -> None:
        self._timer.stop()
        query = self.field.text()
        cid = self.conversations.current
        if not query.strip() or cid is None:
            self.tools.cancel_search("find")
            self._set_matches([], 0, False)
            return
        self.tools.search("find", query, cid, FIND_LIMIT)

    @Slot(int, list)
    def _chat_opened(self, _cid: int, _messages: list[object]) -> None:
        self._shown = None
        if self.isVisible() and self.field.text().strip():
            self._run()
        else:
            self._set_matches([], 0, False)

    @Slot(object)
    def _results(self, res: SearchResults) -> None:
        if res.channel != "find" or res.conversation_id != self.conversations.current:
            return
        if res.error:
            self.count.setText(self.tr("Search failed"))
            self.count.setToolTip(plain.tooltip(res.error))
            return
        shown = sorted((h for h in res.hits if h.on_active_path), key=lambda h: h.message_id)
        self._set_matches(shown, len(res.hits) - len(shown), res.truncated)

    def _set_matches(self, matches: list[SearchHit], others: int, truncated: bool) -> None:
        clear_highlights(self.view, self._shown)
        self._shown = None
        self.matches, self.other_branches, self._truncated = matches, others, truncated
        self._terms = hit_terms(matches)
        self.index = len(matches) - 1  # the newest first: the reader is at the end
        if matches:
            self._go(self.index)
        self._update_count()

    def _update_count(self) -> None:
        n = len(self.matches)
        more = "+" if self._truncated else ""
        if not self.field.text().strip():
            text = ""
        elif n:
            text = self.tr("{i} of {n}").format(i=self.index + 1, n=f"{n}{more}")
        else:
            text = self.tr("No matches")
        if self.other_branches:
            text += self.tr(" · {n} on other branches").format(n=self.other_branches)
        self.count.setText(text)
        self.count.setToolTip(self.tr("Search all chats (Ctrl+Shift+F) lists the matches on "
                                      "other branches") if self.other_branches else "")
        self.prev_button.setEnabled(n > 1)
        self.next_button.setEnabled(n > 1)

    # -- moving between matches -----------------------------------------------------------------

    @Slot()
    def next(self) -> None:
        if self.matches:
            self._go((self.index + 1) % len(self.matches))

    @Slot()
    def previous(self) -> None:
        if self.matches:
            self._go((self.index - 1) % len(self.matches))

    def _go(self, index: int) -> None:
        self.index = index
        clear_highlights(self.view, self._shown)
        hit = self.matches[index]
        self._shown = hit.message_id if show_hit(self.view, hit.message_id, self._terms) \
            else None
        self._update_count()

    @Slot(int, bool)
    def _key(self, key: int, shift: bool) -> None:
        if key == Qt.Key.Key_Escape:
            self.close_bar()
            return
        if self._timer.isActive():  # Enter right after typing: search now
            self._run()
            return
        if key == Qt.Key.Key_Up or (key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and shift):
            self.previous()
        else:
            self.next()


# -- search across chats --------------------------------------------------------------------------

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
        self.field = _KeyField(body)
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
