"""Message content renders as the Open WebUI page renders it, and never runs what a function wrote."""

from __future__ import annotations

from actionkit.view import markdown_html, source_titles


def test_bold_lists_code_and_line_breaks_render_as_on_the_page() -> None:
    out = markdown_html("**Published:** yes\nsecond line\n\n- one\n- two\n\n```python\nprint('hi')\n```")
    assert "<strong>Published:</strong>" in out
    assert "yes<br />\nsecond line" in out  # the page renders single newlines as breaks
    assert "<li>one</li>" in out
    assert '<code class="language-python">' in out
    assert "\\n" not in out and "**" not in out


def test_tables_and_strikethrough_render() -> None:
    out = markdown_html("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~gone~~")
    assert "<table>" in out and "<td>1</td>" in out
    assert "<s>gone</s>" in out


def test_raw_html_from_a_function_is_shown_as_text_never_run() -> None:
    out = markdown_html('<script>alert(1)</script> <img src=x onerror="alert(2)"> <b>bold</b>')
    assert "<script>" not in out and "<img" not in out and "<b>" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out


def test_javascript_links_are_not_made_clickable() -> None:
    out = markdown_html("[click](javascript:alert(1)) and [ok](https://example.com)")
    assert 'href="javascript' not in out
    assert '<a href="https://example.com" target="_blank" rel="noopener noreferrer">ok</a>' in out


def test_citations_become_chips_naming_their_source() -> None:
    titles = ["https://www.example.com/post", "Manual"]
    out = markdown_html("As said [1], see also [2,1].", titles)
    assert '<span class="cite" title="source 1">example.com</span>' in out
    assert 'title="source 2, 1">Manual <span class="more">+1</span></span>' in out
    assert "[1]" not in out


def test_citations_without_sources_stay_text_and_links_stay_links() -> None:
    assert "[1]" in markdown_html("note [1]")
    assert '<a href="https://a.b" target="_blank" rel="noopener noreferrer">1</a>' in markdown_html(
        "[1](https://a.b)", ["x"]
    )


def test_reasoning_details_fold_as_thought_for_n_seconds() -> None:
    text = '<details type="reasoning" done="true" duration="3">\n<summary>Thought</summary>\n> **why**\n</details>\nAnswer'
    out = markdown_html(text)
    assert '<details class="akdetails"><summary>Thought for 3 seconds</summary>' in out
    assert "<strong>why</strong>" in out
    assert out.endswith("<p>Answer</p>\n")
    thinking = markdown_html('<details type="reasoning" done="false">\n<summary>x</summary>\nhmm\n</details>')
    assert "<summary>Thinking…</summary>" in thinking


def test_an_unclosed_details_block_is_text() -> None:
    out = markdown_html("<details>\n<summary>open</summary>\nstill streaming")
    assert "&lt;details&gt;" in out and "<details" not in out


def test_source_titles_number_distinct_documents_as_the_page_does() -> None:
    sources = [
        {
            "source": {"name": "Doc", "id": "d1"},
            "document": ["a", "b", "c"],
            "metadata": [
                {"source": "x.pdf", "name": "X file"},
                {"source": "https://a.org/b"},
                {"source": "x.pdf"},
            ],
        },
        {"source": {"name": "Web"}, "document": ["w"]},
        {"source": {"name": "no documents"}},
    ]
    assert source_titles(sources) == ["X file", "https://a.org/b", "Web"]
