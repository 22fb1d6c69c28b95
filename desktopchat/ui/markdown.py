"""Markdown to the HTML subset QTextDocument understands, for untrusted model output.

markdown-it-py parses (raw HTML is escaped, never passed through; images are not rendered, so no
resource is ever fetched; only http(s) and mailto links survive) and pygments colours code blocks
with inline styles. ``BlockSplitter`` finds where a streamed reply's finished blocks end, so the
view renders each block once and appends it, never re-rendering what is already shown.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from markdown_it import MarkdownIt
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import TextLexer, get_lexer_by_name
from pygments.util import ClassNotFound

SAFE_SCHEMES = ("http://", "https://", "mailto:")
CODE_BG = "#f3f4f6"
_FORMATTER = HtmlFormatter(noclasses=True, nowrap=True, style="friendly")


def _validate_link(url: str) -> bool:
    return url.strip().lower().startswith(SAFE_SCHEMES)


def _make_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")
    md.enable("strikethrough")
    md.disable("image")
    md.validateLink = _validate_link  # type: ignore[method-assign]
    return md


_MD = _make_parser()


# The languages models write most. A lexer's first use imports its module and compiles its
# regexes (5-90 ms each). ChatView prepares them one at a time while the window is idle after
# start-up, so the first code block of a streamed reply does not stall the window
# (benchmarks/RESULTS.md, figure 5). On the GUI thread: a Python thread compiling regexes while
# the GUI thread collects Qt objects crashed PySide6.
WARM_LANGUAGES = ("python", "bash", "javascript", "json", "cpp", "c", "typescript", "html",
                  "java", "go", "rust", "sql", "yaml", "markdown")  # not css: 120 ms alone
# Those whose preparation takes too long for an idle moment (Python ~60-90 ms, SQL ~40-55 ms,
# shell ~35 ms on two cores) are prepared while the view is built, before the window shows.
EAGER_LANGUAGES = ("python", "sql", "bash")


_warmed: set[str] = set()


def cold_languages() -> list[str]:
    """The common languages whose lexers are not prepared yet in this process."""
    return [lang for lang in WARM_LANGUAGES if lang not in _warmed]


def warm_up_lexer(lang: str) -> None:
    """Prepare one language's lexer now (once per process)."""
    if lang not in _warmed:
        _warmed.add(lang)
        highlight_code("x = 1\n", lang)


def highlight_code(code: str, lang: str) -> str:
    try:
        lexer = get_lexer_by_name(lang.strip().lower()) if lang.strip() else TextLexer()
    except ClassNotFound:
        lexer = TextLexer()
    return highlight(code, lexer, _FORMATTER).rstrip("\n")


class MarkdownRenderer:
    """Renders markdown blocks; each fenced code block gets a Copy link.

    ``register_code(code) -> href`` is called for each code block and returns the link that
    copies it (the view keeps the code and handles the click).
    """

    def __init__(self, register_code: Callable[[str], str]) -> None:
        self._register_code = register_code

    def render(self, source: str) -> str:
        tokens = _MD.parse(source)
        parts: list[str] = []
        start = 0
        for i, tok in enumerate(tokens):
            if tok.type in ("fence", "code_block") and tok.level == 0:
                parts.append(_MD.renderer.render(tokens[start:i], _MD.options, {}))
                parts.append(self._code_html(tok.content, tok.info if tok.type == "fence" else ""))
                start = i + 1
        parts.append(_MD.renderer.render(tokens[start:], _MD.options, {}))
        return "".join(parts)

    def _code_html(self, code: str, info: str) -> str:
        lang = info.split()[0] if info.split() else ""
        href = self._register_code(code)
        label = html.escape(lang) if lang else "code"
        return (
            f'<table width="100%" cellpadding="6" cellspacing="0" bgcolor="{CODE_BG}">'
            f'<tr><td><span style="color:#6b7280">{label}</span>&nbsp;&nbsp;'
            f'<a href="{href}">Copy</a>'
            f'<pre style="font-family:monospace">{highlight_code(code, lang)}</pre></td></tr></table>'
        )


class BlockSplitter:
    """Tracks a growing markdown source and reports where its finished top-level blocks end.

    A block is finished after a blank line outside a code fence, or after a fence's closing
    line. Only new complete lines are scanned: O(new text) per call.
    """

    def __init__(self) -> None:
        self.source = ""
        self._scanned = 0  # source[:_scanned] is made of whole lines already examined
        self._fence: str | None = None
        self.boundary = 0  # source[:boundary] is finished blocks

    def feed(self, text: str) -> int:
        self.source += text
        src = self.source
        while True:
            nl = src.find("\n", self._scanned)
            if nl < 0:
                break
            line = src[self._scanned:nl]
            self._scanned = nl + 1
            stripped = line.strip()
            if self._fence is not None:
                if stripped.startswith(self._fence) and not stripped[len(self._fence):].strip():
                    self._fence = None
                    self.boundary = self._scanned
            elif stripped.startswith(("```", "~~~")) and len(line) - len(line.lstrip()) < 4:
                marker = stripped[0] * (len(stripped) - len(stripped.lstrip(stripped[0])))
                self._fence = marker
            elif not stripped:
                self.boundary = self._scanned
        return self.boundary
