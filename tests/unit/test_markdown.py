from desktopchat.ui.markdown import BlockSplitter, MarkdownRenderer


def _renderer():
    codes = []

    def register(code):
        codes.append(code)
        return f"act:copy/{len(codes) - 1}"

    return MarkdownRenderer(register), codes


def test_raw_html_is_escaped_not_passed_through():
    r, _ = _renderer()
    out = r.render('<script>alert(1)</script> <img src="http://evil/x.png"> <b>bold</b>')
    assert "<script" not in out and "<img" not in out and "<b>" not in out
    assert "&lt;script&gt;" in out


def test_only_http_links_survive():
    r, _ = _renderer()
    out = r.render("[a](https://example.org) [b](javascript:alert(1)) [c](file:///etc/passwd) "
                   "[d](data:text/html,x)")
    assert 'href="https://example.org"' in out
    assert "javascript:" not in out.split("[b]")[0] or 'href="javascript' not in out
    assert 'href="javascript' not in out and 'href="file' not in out and 'href="data' not in out


def test_images_are_not_rendered():
    r, _ = _renderer()
    out = r.render("![tracker](https://example.org/pixel.png)")
    assert "<img" not in out


def test_code_block_highlighted_with_copy_link():
    r, codes = _renderer()
    out = r.render("Intro\n\n```python\ndef f():\n    return 1\n```\n")
    assert codes == ["def f():\n    return 1\n"]
    assert 'href="act:copy/0"' in out
    assert "<span style=" in out  # pygments inline colours
    assert "Intro" in out


def test_block_splitter_boundaries():
    s = BlockSplitter()
    assert s.feed("Hello wor") == 0
    assert s.feed("ld.\n") == 0
    b = s.feed("\nNext")
    assert s.source[:b] == "Hello world.\n\n"
    b = s.feed(" para\n\n```py\nx = 1\n\ny = 2\n")
    assert s.source[:b].endswith("Next para\n\n")  # the blank line inside the fence is no boundary
    b = s.feed("```\nafter")
    assert s.source[:b].endswith("y = 2\n```\n")


def test_block_splitter_is_incremental():
    s = BlockSplitter()
    for _ in range(2000):
        s.feed("word ")
    s.feed("\n\n")
    assert s.boundary == len(s.source)
