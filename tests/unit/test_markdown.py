"""Markdown for untrusted model output: safe HTML, bounded pieces, and streaming boundaries."""

from __future__ import annotations

import pytest

from desktopchat.ui.markdown import (
    MAX_NESTING,
    BlockSplitter,
    MarkdownRenderer,
    Segment,
    display_lines,
    nesting_depth,
    sanitize_html,
    split_segments,
)
from desktopchat.ui.syntax import highlight_runs


def _render(source: str) -> str:
    return MarkdownRenderer().render(source)


def test_raw_html_is_escaped_not_passed_through():
    out = _render('<script>alert(1)</script> <img src="http://evil/x.png"> <b>bold</b> '
                  '<iframe src="file:///etc/passwd"></iframe>')
    assert "<script" not in out and "<img" not in out and "<b>" not in out
    assert "<iframe" not in out and "&lt;script&gt;" in out


def test_only_http_links_survive_and_without_titles():
    out = _render('[a](https://example.org "<img src=file:///etc/passwd>") '
                  "[b](javascript:alert(1)) [c](file:///etc/passwd) [d](data:text/html,x) "
                  "[e](mailto:a@example.org) <mailto:b@example.org> [f](http://example.org/f)")
    assert '<a href="https://example.org">a</a>' in out
    assert '<a href="http://example.org/f">f</a>' in out
    for bad in ('href="javascript', 'href="file', 'href="data', 'href="mailto', "title="):
        assert bad not in out
    assert "&lt;img" not in out  # the title is gone, not merely escaped


def test_images_become_their_description():
    out = _render("![tracker](https://example.org/pixel.png) ![local](file:///etc/passwd)")
    assert "<img" not in out
    assert '[image: <a href="https://example.org/pixel.png">tracker</a>]' in out
    assert "![local](file:///etc/passwd)" in out  # not a link, not an image: text


def test_sanitizer_is_a_second_wall():
    dirty = ('<p onclick="x">a<img src="file:///x"><a href="javascript:1">j</a>'
             '<a href="https://ok.org">ok</a><span style="background-image:url(file:///x)">'
             's</span><object data="x"></object><pre style="color:#fff">c</pre></p>')
    assert sanitize_html(dirty) == ('<p>a<span>j</span><a href="https://ok.org">ok</a>'
                                    '<span>s</span><pre style="color:#fff">c</pre></p>')


def test_nested_code_fences_are_highlighted_inside_prose():
    out = _render("1. Install:\n\n    ```python\n    import os\n    ```\n")
    assert "<pre" in out and "import" in out and "<span style=" in out


def test_split_segments_cuts_code_from_prose():
    segs = split_segments("Intro\n```python\nx = 1\n```\nAfter\n\n   ~~~\n   y\n   ~~~\n"
                          "``` a`b\nnot a fence\n```js\nopen")
    assert [(s.kind, s.lang, s.closed) for s in segs] == [
        ("prose", "", True), ("code", "python", True), ("prose", "", True),
        ("code", "", True), ("prose", "", True), ("code", "js", False)]
    assert segs[1].text == "x = 1\n" and segs[3].text == "y\n" and segs[5].text == "open"
    assert segs[4].text.startswith("``` a`b")  # backticks in the info: not a fence


def test_a_long_fence_needs_a_long_closing_fence():
    segs = split_segments("````md\n```\ninner\n```\n````\nafter")
    assert segs[0] == Segment("code", "```\ninner\n```\n", "md")
    assert segs[1].text == "after"


@pytest.mark.parametrize(("source", "reason"), [
    ("- " * 10_000 + "x", "nested"),
    ("> " * 10_000 + "x", "nested"),
    ("word " * 200_000, "long"),
    ("".join(f"- item {i}\n" for i in range(10_000)), "long"),
    ("[" * 5_000, "complex"),
    ("x" * 20_000, "long"),
])
def test_what_cannot_be_rendered_quickly_is_plain_text_not_lost(source, reason):
    segs = split_segments(source)
    assert [s.kind for s in segs] == ["plain"] and segs[0].reason == reason
    assert segs[0].text.strip() == source.strip()


def test_long_prose_is_cut_into_chunks_at_block_starts():
    para = "A sentence that goes on for a while. " * 10 + "\n\n"
    source = para * 60 + "".join(f"- point {i}\n" for i in range(400))
    segs = split_segments(source)
    assert len(segs) > 5 and all(s.kind == "prose" for s in segs)
    assert "".join(s.text for s in segs) == source
    assert all(len(s.text) <= 4_000 + len(para) for s in segs)


def test_nesting_depth_counts_containers():
    assert nesting_depth("plain text") == 0
    assert nesting_depth("- a\n  - b\n    - c") == 3
    assert nesting_depth("> > > quoted") == 3
    assert nesting_depth("1. - > x") == 3
    assert nesting_depth("- " * (MAX_NESTING + 1) + "x") > MAX_NESTING


def test_deep_but_allowed_nesting_is_rendered_in_full():
    source = "- " * 12 + "deepest"
    assert split_segments(source)[0].kind == "prose"
    assert "deepest" in _render(source)


def test_display_lines_break_only_long_lines():
    assert display_lines("short\nlines") == "short\nlines"
    shown = display_lines("a" * 5000 + "\nb", width=2000)
    assert shown.split("\n") == ["a" * 2000, "a" * 2000, "a" * 1000, "b"]


def test_highlight_runs_point_into_the_code():
    code = "def f(x):\n    return x + 1  # one\n"
    runs = list(highlight_runs(code, "python", "xcode"))
    assert runs and all(code[start:start + n].strip() for start, n, *_ in runs)
    assert any(code[start:start + n] == "def" for start, n, *_ in runs)
    assert list(highlight_runs(code, "", "xcode")) == []
    assert list(highlight_runs(code, "no-such-language", "xcode")) == []


def test_block_splitter_boundaries():
    s = BlockSplitter()
    assert s.feed("Hello wor") == 0
    assert s.feed("ld.\n") == 0
    b = s.feed("\nNext")
    assert s.source[:b] == "Hello world.\n\n"
    b = s.feed(" para\n\n```py\nx = 1\n\ny = 2\n")
    assert s.source[:b].endswith("Next para\n\n")  # the blank line inside the fence is no boundary
    assert s.in_fence and s.fence_lang == "py"
    assert s.source[s.fence_content_start:] == "x = 1\n\ny = 2\n"
    b = s.feed("```\nafter")
    assert s.source[:b].endswith("y = 2\n```\n") and not s.in_fence


def test_a_fence_interrupts_a_paragraph():
    s = BlockSplitter()
    b = s.feed("Look:\n```sh\nls\n")
    assert s.source[:b] == "Look:\n" and s.in_fence


def test_block_splitter_is_incremental():
    s = BlockSplitter()
    for _ in range(2000):
        s.feed("word ")
    s.feed("\n\n")
    assert s.boundary == len(s.source)
