"""Code colouring with pygments, without Qt: coloured runs produced lazily (the view applies
them a few hundred at a time in idle moments) and inline-styled HTML for the small fences that
sit inside prose. Lexers are prepared ahead of need, because a lexer's first use compiles its
regular expressions (10-90 ms)."""

from __future__ import annotations

import html
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from pygments.lexer import Lexer
from pygments.lexers import TextLexer, get_lexer_by_name
from pygments.styles import get_style_by_name
from pygments.token import _TokenType
from pygments.util import ClassNotFound

HIGHLIGHT_LIMIT = 200_000  # code blocks longer than this are not highlighted

# The languages models write most. A lexer's first use compiles its regexes (5-90 ms each), so
# the view prepares them one at a time in idle moments after start-up, on the GUI thread (a
# Python thread compiling regexes while the GUI thread collects Qt objects crashed PySide6).
WARM_LANGUAGES = ("python", "bash", "javascript", "json", "cpp", "c", "typescript", "html",
                  "java", "go", "rust", "sql", "yaml", "markdown")  # not css: 120 ms alone
# Those whose preparation takes too long for an idle moment are prepared while the view is built.
EAGER_LANGUAGES = ("python", "sql", "bash")

_warmed: set[str] = set()


def cold_languages() -> list[str]:
    """The common languages whose lexers are not prepared yet in this process."""
    return [lang for lang in WARM_LANGUAGES if lang not in _warmed]


def warm_up_lexer(lang: str) -> None:
    """Prepare one language's lexer now (once per process)."""
    if lang not in _warmed:
        _warmed.add(lang)
        for _ in lexer_for(lang).get_tokens_unprocessed("x = 1\n"):
            pass


def lexer_for(lang: str) -> Lexer:
    try:
        lexer = get_lexer_by_name(lang.strip().lower()) if lang.strip() else TextLexer()
    except ClassNotFound:
        lexer = TextLexer()
    return lexer


# A coloured run of code: (start, length, colour, bold, italic). A plain tuple of atoms, which
# the garbage collector stops tracking: thousands are cached, and tracked objects made every
# full collection (50 ms, mid-scroll) longer.
Run = tuple[int, int, str, bool, bool]


@lru_cache(maxsize=8)
def _style_table(style_name: str) -> tuple[Any, dict[_TokenType, tuple[str, bool, bool] | None]]:
    return get_style_by_name(style_name), {}


def _style_of(style_name: str, ttype: _TokenType) -> tuple[str, bool, bool] | None:
    style, table = _style_table(style_name)
    if ttype not in table:
        s = style.style_for_token(ttype)
        table[ttype] = (f"#{s['color']}", bool(s["bold"]), bool(s["italic"])) \
            if s["color"] or s["bold"] or s["italic"] else None
        if table[ttype] is not None and not s["color"]:
            table[ttype] = ("", bool(s["bold"]), bool(s["italic"]))
    return table[ttype]


def highlight_runs(code: str, lang: str, style_name: str) -> Iterator[Run]:
    """Coloured runs of ``code``, lazily: the caller consumes them a few at a time, so a long
    block is highlighted across idle moments instead of in one stall."""
    if not lang or len(code) > HIGHLIGHT_LIMIT:
        return
    lexer = lexer_for(lang)
    if isinstance(lexer, TextLexer):
        return
    _warmed.add(lang.strip().lower())
    for index, ttype, value in lexer.get_tokens_unprocessed(code):
        st = _style_of(style_name, ttype)
        if st is not None and value.strip():
            yield (index, len(value), st[0], st[1], st[2])


def highlight_html(code: str, lang: str, style_name: str) -> str:
    """``code`` as escaped HTML with inline colours (for fences nested inside prose)."""
    out: list[str] = []
    pos = 0
    for start, length, colour, bold, italic in highlight_runs(code, lang, style_name):
        out.append(html.escape(code[pos:start]))
        css = f"color:{colour};" if colour else ""
        css += "font-weight:600;" if bold else ""
        css += "font-style:italic;" if italic else ""
        out.append(f'<span style="{css}">{html.escape(code[start:start + length])}</span>')
        pos = start + length
    out.append(html.escape(code[pos:]))
    return "".join(out)


def style_background(style_name: str) -> str:
    return str(get_style_by_name(style_name).background_color)
