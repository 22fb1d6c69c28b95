"""Markdown for untrusted model output, cut into pieces whose rendering cost is bounded.

A message is split (``split_segments``) into prose, code and plain-text segments with a line
scanner that costs O(length) in C-speed string operations:

- top-level fenced code blocks become code segments (highlighted later, in idle moments, by the
  view; any size is shown, lazily laid out);
- prose between them is rendered by markdown-it-py in chunks of a few kB cut at block starts, so
  no single render stalls the window;
- prose that is too long, nested too deeply or too costly to parse (markdown-it is quadratic on
  some bracket runs) becomes a plain-text segment that says why, so content never vanishes.

Rendering is safe by construction: raw HTML is escaped, images are never emitted, only http(s)
links survive and without titles (a title would become a rich-text tooltip), and
``sanitize_html`` re-checks the result against a tag and attribute allow-list before Qt sees it.
``BlockSplitter`` finds where a streamed reply's finished blocks end, so the view renders each
block once and appends it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from markdown_it import MarkdownIt
from markdown_it.token import Token

from desktopchat.ui.syntax import highlight_html

SAFE_SCHEMES = ("http://", "https://")

PROSE_CHUNK = 4_000  # prose is rendered in chunks of about this many characters ...
CHUNK_LINES = 150  # ... or lines, cut where a block starts
PLAIN_PROSE = 48_000  # prose between two code blocks longer than this: plain text
MAX_LINE = 10_000  # a prose line longer than this: plain text (one paragraph that long)
MAX_NESTING = 24  # lists/quotes nested deeper than this: plain text
MAX_BRACKETS = 300  # markdown-it's link parser is quadratic in unmatched "[" runs
DISPLAY_LINE = 2_000  # plain and code lines are broken for display every this many characters

PLAIN_REASONS = {
    "long": "Shown as plain text because it is very long.",
    "nested": "Shown as plain text because it is nested too deeply.",
    "complex": "Shown as plain text because its formatting is too complex to show quickly.",
}

Kind = Literal["prose", "code", "plain", "text"]  # text: shown as written (what people type)


@dataclass(frozen=True)
class Segment:
    """One piece of a message: markdown prose, a fenced code block, or text shown as is."""

    kind: Kind
    text: str  # prose: markdown source; code: the code; plain: the text
    lang: str = ""  # code: the fence's language
    closed: bool = True  # code: the closing fence was seen
    reason: str = ""  # plain: a key of PLAIN_REASONS


# -- splitting ------------------------------------------------------------------------------------

_FENCE_OPEN = re.compile(r" {0,3}(`{3,}|~{3,})([^\n]*)")
_FENCE_ANY = re.compile(r"^ {0,3}(?:`{3,}|~{3,})", re.M)
_FENCE_CLOSE = re.compile(r" {0,3}(`{3,}|~{3,})[ \t]*(?:\n|$)")
_BLOCK_START = re.compile(r"\n(?=[ \t]*\n|#{1,6}[ \t]|[-+*][ \t]|\d{1,9}[.)][ \t]|>)")
_MARKERS = re.compile(r"[ \t]*(?:(?:>|[-+*]|\d{1,9}[.)])(?:[ \t]+|$))+")
_MARKER = re.compile(r">|[-+*](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$)")


def _fence_opening(source: str, pos: int) -> tuple[str, int, str] | None:
    """(marker, indent, info) when the line at ``pos`` opens a fenced code block."""
    m = _FENCE_OPEN.match(source, pos)
    if m is None:
        return None
    marker, info = m.group(1), m.group(2)
    if marker[0] == "`" and "`" in info:  # CommonMark: no backticks in a backtick fence's info
        return None
    indent = m.start(1) - pos
    return marker, indent, info.strip()


def _fence_closes(source: str, pos: int, marker: str) -> bool:
    m = _FENCE_CLOSE.match(source, pos)
    return bool(m and m.group(1)[0] == marker[0] and len(m.group(1)) >= len(marker))


def _dedent(code: str, indent: int) -> str:
    if not indent:
        return code
    return "".join(
        line[min(indent, len(line) - len(line.lstrip(" "))):]
        for line in code.splitlines(keepends=True)
    )


def split_segments(source: str) -> list[Segment]:
    """Cut a message into prose, code and plain segments (see the module docstring). Fences
    are found with regular expressions, so a 20,000-line code block costs a single search."""
    out: list[Segment] = []
    prose_start = pos = 0
    n = len(source)
    while True:
        m = _FENCE_ANY.search(source, pos)
        if m is None:
            break
        line = m.start()
        nl = source.find("\n", line)
        end = n if nl < 0 else nl + 1
        opening = _fence_opening(source, line)
        if opening is None:
            pos = end
            continue
        out += prose_segments(source[prose_start:line])
        marker, indent, info = opening
        close = re.compile(rf"^ {{0,3}}{re.escape(marker[0])}{{{len(marker)},}}[ \t]*$", re.M)
        cm = close.search(source, end) if end < n else None
        if cm is None:
            out.append(Segment("code", _dedent(source[end:], indent), _lang(info), closed=False))
            return out
        out.append(Segment("code", _dedent(source[end:cm.start()], indent), _lang(info)))
        cnl = source.find("\n", cm.end())
        prose_start = pos = n if cnl < 0 else cnl + 1
    out += prose_segments(source[prose_start:])
    return out


def _lang(info: str) -> str:
    return info.split()[0][:40] if info.split() else ""


def prose_segments(text: str) -> list[Segment]:
    """Prose cut into renderable chunks, or plain text where rendering would not be bounded."""
    if not text.strip():
        return []
    if len(text) > PLAIN_PROSE:
        return [Segment("plain", text.strip("\n"), reason="long")]
    out: list[Segment] = []
    for chunk in _chunks(text):
        reason = _plain_reason(chunk)
        if reason:
            if out and out[-1].kind == "plain" and out[-1].reason == reason:
                out[-1] = Segment("plain", out[-1].text + "\n" + chunk.strip("\n"), reason=reason)
            else:
                out.append(Segment("plain", chunk.strip("\n"), reason=reason))
        elif chunk.strip():
            out.append(Segment("prose", chunk))
    return out


def _chunks(text: str) -> Iterator[str]:
    """Pieces of about PROSE_CHUNK characters / CHUNK_LINES lines, cut where a block starts."""
    if len(text) <= PROSE_CHUNK and text.count("\n") <= CHUNK_LINES:
        yield text
        return
    start = 0
    cut = 0  # the last place a block starts, after ``start``
    lines = 0  # newlines in text[start:cut]
    for m in _BLOCK_START.finditer(text):
        at = m.start() + 1
        step = text.count("\n", cut, at)
        if (at - start > PROSE_CHUNK or lines + step > CHUNK_LINES) and cut > start:
            yield text[start:cut]
            start, lines = cut, 0
        lines += step
        cut = at
    if len(text) - start > PROSE_CHUNK and start < cut < len(text):
        yield text[start:cut]
        start = cut
    yield text[start:]


def _plain_reason(chunk: str) -> str:
    if nesting_depth(chunk) > MAX_NESTING:
        return "nested"
    if len(chunk) > 3 * PROSE_CHUNK:  # no place to cut it: one paragraph that long
        return "long"
    if max((len(line) for line in chunk.split("\n")), default=0) > MAX_LINE:
        return "long"
    if chunk.count("[") > MAX_BRACKETS:
        return "complex"
    return ""


def nesting_depth(text: str) -> int:
    """The deepest run of container markers (``>``, ``-``, ``1.``) opening any line, plus
    indentation before a list marker (two columns a level): an upper bound on how deeply
    markdown-it would nest, found without parsing."""
    deepest = 0
    for line in text.split("\n"):
        m = _MARKERS.match(line)
        if m is None:
            continue
        prefix = m.group(0)
        indent = len(prefix) - len(prefix.lstrip(" \t"))
        depth = len(_MARKER.findall(prefix)) + indent // 2
        deepest = max(deepest, depth)
    return deepest


def display_lines(text: str, width: int = DISPLAY_LINE) -> str:
    """``text`` with lines longer than ``width`` broken for display (a laid-out line costs
    time proportional to its length; the view copies the original, never this)."""
    if len(text) <= width or all(len(line) <= width for line in text.split("\n")):
        return text
    out: list[str] = []
    for line in text.split("\n"):
        out.extend(line[i:i + width] for i in range(0, max(len(line), 1), width))
    return "\n".join(out)


def break_appended(text: str, column: int, width: int = DISPLAY_LINE) -> tuple[str, int, int]:
    """``text`` appended where the last display line already holds ``column`` characters,
    with a break every ``width`` characters: (what to insert, the new column, line breaks in
    it). Streamed text stays cheap to lay out however long its lines."""
    pieces: list[str] = []
    breaks = 0
    for i, line in enumerate(text.split("\n")):
        if i:
            pieces.append("\n")
            breaks += 1
            column = 0
        while column + len(line) > width:
            room = width - column
            pieces += [line[:room], "\n"]
            breaks += 1
            line = line[room:]
            column = 0
        pieces.append(line)
        column += len(line)
    return "".join(pieces), column, breaks


def code_blocks(source: str) -> list[str]:
    return [s.text for s in split_segments(source) if s.kind == "code"]


# -- rendering ------------------------------------------------------------------------------------


def _validate_link(url: str) -> bool:
    return url.strip().lower().startswith(SAFE_SCHEMES)


def _render_link_open(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    """Only the href: a title would become a rich-text tooltip."""
    href = tokens[idx].attrGet("href") or ""
    return f'<a href="{html.escape(str(href), quote=True)}">'


def _render_image(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    """An image is never loaded: its description is shown, linked when its address is http(s)."""
    tok = tokens[idx]
    alt = html.escape(self.renderInlineAsText(tok.children or [], options, env)) or "image"
    src = str(tok.attrGet("src") or "")
    if _validate_link(src):
        return f'[image: <a href="{html.escape(src, quote=True)}">{alt}</a>]'
    return f"[image: {alt}]"


def _make_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.options["maxNesting"] = MAX_NESTING * 3  # deeper input is plain text (nesting_depth)
    md.enable("table")
    md.enable("strikethrough")
    md.validateLink = _validate_link  # type: ignore[method-assign]
    md.add_render_rule("link_open", _render_link_open)
    md.add_render_rule("image", _render_image)
    return md


_MD = _make_parser()


class MarkdownRenderer:
    """Renders prose chunks to the HTML subset QTextDocument understands, in a theme's colours.
    Fences nested in lists or quotes stay inside the prose (top-level ones are segments)."""

    def __init__(self, code_style: str = "default", code_bg: str = "#f6f8fa") -> None:
        self.code_style = code_style
        self.code_bg = code_bg
        self._md = _make_parser()

        def fence(_r: Any, tokens: Sequence[Token], idx: int, _o: Any, _e: Any) -> str:
            return self._fence_html(tokens[idx])

        self._md.add_render_rule("fence", fence)
        self._md.add_render_rule("code_block", fence)

    def _fence_html(self, tok: Token) -> str:
        code = tok.content.rstrip("\n")
        lang = _lang(tok.info) if tok.type == "fence" else ""
        body = highlight_html(code, lang, self.code_style) if len(code) < 8_000 else \
            html.escape(code)
        return f'<pre style="background-color:{self.code_bg}">{body}</pre>\n'

    def render(self, source: str) -> str:
        # No whitespace after the last block: Qt would add it to the text as a space.
        return sanitize_html(self._md.render(source)).rstrip()


# -- the allow-list ----------------------------------------------------------------------------

_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)([^<>]*)>")
_ATTR = re.compile(r'\s+([a-zA-Z-]+)="([^"]*)"')
ALLOWED_TAGS = frozenset((
    "p", "br", "hr", "em", "strong", "del", "s", "b", "i", "u", "code", "pre", "span", "div",
    "blockquote", "ul", "ol", "li", "a", "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead",
    "tbody", "tr", "th", "td",
))
_ALLOWED_ATTRS = {"href", "style", "start"}
_SAFE_STYLE = re.compile(r"^[a-zA-Z0-9#:;,.%\s-]*$")


def sanitize_html(markup: str) -> str:
    """Drop any tag or attribute outside the allow-list: no images, no resources, only http(s)
    links. Our renderer already escapes all input; this is the second wall."""

    def clean(m: re.Match[str]) -> str:
        closing, tag, attrs = m.group(1), m.group(2).lower(), m.group(3)
        if tag not in ALLOWED_TAGS:
            return ""
        if closing:
            return f"</{tag}>"
        kept = []
        for am in _ATTR.finditer(attrs):
            name, value = am.group(1).lower(), am.group(2)
            if name not in _ALLOWED_ATTRS:
                continue
            if name == "href" and not _validate_link(html.unescape(value)):
                continue
            if name == "style" and ("url" in value.lower() or not _SAFE_STYLE.match(value)):
                continue
            kept.append(f' {name}="{value}"')
        if tag == "a" and not kept:
            return "<span>"
        return f"<{tag}{''.join(kept)}>"

    out = _TAG.sub(clean, markup)
    # An <a> that lost its href was opened as <span>: close it as one too (tags nest properly
    # in markdown-it's output, so a simple balance walk is enough).
    return _rebalance_links(out) if "<span>" in out else out


def _rebalance_links(markup: str) -> str:
    stack: list[str] = []
    parts: list[str] = []
    pos = 0
    for m in re.finditer(r"<(/?)(a|span)(\s[^>]*)?>", markup):
        parts.append(markup[pos:m.start()])
        if not m.group(1):
            stack.append("span" if m.group(0) == "<span>" else m.group(2))
            parts.append(m.group(0))
        else:
            parts.append(f"</{stack.pop()}>" if stack else "")
        pos = m.end()
    parts.append(markup[pos:])
    return "".join(parts)


# -- streaming ---------------------------------------------------------------------------------


class BlockSplitter:
    """Tracks a growing markdown source and reports where its finished top-level blocks end.

    A block is finished after a blank line outside a code fence, after a fence's closing line,
    and before a fence's opening line (a fence interrupts a paragraph). While a fence is open,
    ``fence_content_start`` says where its code starts. Only new complete lines are scanned:
    O(new text) per call.
    """

    def __init__(self) -> None:
        self.source = ""
        self._scanned = 0  # source[:_scanned] is made of whole lines already examined
        self._fence: tuple[str, int, str] | None = None
        self.fence_content_start = 0
        self.boundary = 0  # source[:boundary] is finished blocks

    @property
    def in_fence(self) -> bool:
        return self._fence is not None

    @property
    def fence_lang(self) -> str:
        return _lang(self._fence[2]) if self._fence else ""

    @property
    def fence_indent(self) -> int:
        return self._fence[1] if self._fence else 0

    def feed(self, text: str) -> int:
        self.source += text
        src = self.source
        while True:
            nl = src.find("\n", self._scanned)
            if nl < 0:
                break
            start = self._scanned
            self._scanned = nl + 1
            if self._fence is not None:
                if _fence_closes(src, start, self._fence[0]):
                    self._fence = None
                    self.boundary = self._scanned
            else:
                opening = _fence_opening(src, start)
                if opening is not None:
                    self._fence = opening
                    self.fence_content_start = self._scanned
                    self.boundary = start
                elif not src[start:nl].strip():
                    self.boundary = self._scanned
        return self.boundary
