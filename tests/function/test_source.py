from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from actionkit.errors import FunctionLoadError
from actionkit.function import (
    extract_frontmatter,
    id_from_title,
    normalize_id,
    parse_requirements,
    rewrite_imports,
)


def test_frontmatter_is_read_only_when_first_line_is_exactly_triple_quotes() -> None:
    assert extract_frontmatter('"""\ntitle: A\n"""\n') == {"title": "A"}
    assert extract_frontmatter('  """  \ntitle: A\n"""') == {"title": "A"}
    assert extract_frontmatter('r"""\ntitle: A\n"""') == {}
    assert extract_frontmatter('\n"""\ntitle: A\n"""') == {}
    assert extract_frontmatter('"""title: A\n"""') == {}
    assert extract_frontmatter('#!/usr/bin/env python\n"""\ntitle: A\n"""') == {}


def test_frontmatter_stops_at_line_containing_closing_quotes_and_ignores_it() -> None:
    src = '"""\ntitle: A\nversion: 1 """\nauthor: after\n'
    assert extract_frontmatter(src) == {"title": "A"}


def test_frontmatter_later_keys_win_and_values_are_stripped_strings() -> None:
    src = '"""\ntitle: First\n  TITLE:   Second  \nversion: 0.1\n"""'
    assert extract_frontmatter(src) == {"title": "First", "TITLE": "Second", "version": "0.1"}
    assert extract_frontmatter('"""\ntitle: A\ntitle: B\n"""') == {"title": "B"}


def test_frontmatter_ignores_non_matching_lines_but_parses_lookalike_continuations() -> None:
    src = '"""\ndescription: long text\n  that wraps here\nnote: this: has colons\nbad-key: x\n"""'
    assert extract_frontmatter(src) == {"description": "long text", "note": "this: has colons"}


def test_frontmatter_without_closing_quotes_reads_to_the_end() -> None:
    assert extract_frontmatter('"""\ntitle: A\nversion: 2') == {"title": "A", "version": "2"}


def test_import_rewriting_is_the_hosts_naive_substring_replacement() -> None:
    src = "from utils.misc import x\nfrom mainframe import y\nfrom config import z\n"
    assert rewrite_imports(src) == (
        "from open_webui.utils.misc import x\nfrom open_webui.mainframe import y\n"
        "from open_webui.config import z\n"
    )
    assert rewrite_imports("from apps.webui import q") == "from open_webui.apps.webui import q"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("My Cool Action", "my_cool_action"),
        ("Résumé -- Helper!", "resume_helper"),
        ("  spaced  out  ", "spaced_out"),
        ("already_ok", "already_ok"),
    ],
)
def test_id_is_derived_from_title_like_the_editor(title: str, expected: str) -> None:
    assert id_from_title(title) == expected


def test_ids_must_be_identifiers_and_are_lower_cased() -> None:
    assert normalize_id("My_Action") == "my_action"
    for bad in ("my-action", "my.action", "1action", "", "has space"):
        with pytest.raises(FunctionLoadError, match="Python identifiers"):
            normalize_id(bad)


def test_requirements_are_comma_separated_specs() -> None:
    assert parse_requirements({"requirements": "httpx, requests>=2.0 ,, bs4"}) == [
        "httpx",
        "requests>=2.0",
        "bs4",
    ]
    assert parse_requirements({}) == []


_HOST_LINE = re.compile(r"^\s*([a-z_]+):\s*(.*)\s*$", re.IGNORECASE)


def _host_frontmatter(content: str) -> dict[str, str]:
    """``open_webui.utils.plugin.extract_frontmatter`` of 0.12.4, which splits the whole source."""
    frontmatter: dict[str, str] = {}
    lines = content.splitlines()
    if len(lines) < 1 or lines[0].strip() != '"""':
        return {}
    for line in lines[1:]:
        if '"""' in line:
            break
        match = _HOST_LINE.match(line)
        if match:
            key, value = match.groups()
            frontmatter[key.strip()] = value.strip()
    return frontmatter


PIECES = [
    '"""',
    '"',
    "\n",
    "\r\n",
    "\r",
    "\u2028",
    "\x0c",
    "title: A",
    " version: 1",
    "x:y",
    "  ",
    '""" end',
    "a",
]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=14))
def test_frontmatter_reads_what_the_host_reads_for_any_line_breaks_and_quotes(pieces: list[str]) -> None:
    content = "".join(pieces)
    assert extract_frontmatter(content) == _host_frontmatter(content)
