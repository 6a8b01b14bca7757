"""The Tools corpus itself: big enough, covering the facts the suite must prove, every deliberate
difference documented. Needs no open-webui, so it runs in the ordinary test suite."""

from __future__ import annotations

import ast
from pathlib import Path

from .differences import TOOL_FACT_DIFFERENCES, TOOL_TURN_DIFFERENCES
from .tool_cases import PIPES, TOOL_CASES, TOOL_GROUPS, TURN_CASES, WORKER_CASES, tool_sources

CONFORMANCE_MD = Path(__file__).resolve().parents[2] / "CONFORMANCE.md"


def _text() -> str:
    return "\n".join(tool_sources().values())


def test_the_corpus_has_at_least_fifteen_tools_and_every_case_names_one() -> None:
    corpus = tool_sources()
    assert len(corpus) >= 15
    assert [c.name for c in TOOL_CASES if c.tool not in corpus] == []
    assert [t.name for t in TURN_CASES if not set(t.tools) <= set(corpus)] == []
    assert [t.name for t in TURN_CASES if t.pipe is not None and t.pipe not in PIPES] == []
    assert all(set(group) <= set(corpus) for group in TOOL_GROUPS)
    assert sorted(set(WORKER_CASES) - {c.name for c in TOOL_CASES}) == []


def test_every_tool_defines_a_tools_class_or_is_a_load_failure_on_purpose() -> None:
    for name, source in tool_sources().items():
        try:
            tree = ast.parse(source)
        except SyntaxError:
            assert name == "syntax_error"
            continue
        classes = {node.name for node in tree.body if isinstance(node, ast.ClassDef)}
        assert "Tools" in classes or name == "no_tools_class", name


def test_the_sources_exercise_the_spec_facts() -> None:
    text = _text()
    for fragment in (
        "Optional[",  # Optional collapses
        "**kwargs",  # a required kwargs string
        "*args",
        "__user__: dict",  # reserved arguments vanish
        ":param ",  # reST parameter descriptions
        "Args:",  # Google style is not read
        "@staticmethod",
        "@classmethod",
        "class Address(BaseModel)",  # nested models inlined
        "Literal[",
        "Enum",
        "yankee = bravo",  # an alias clashes within the tool
    ):
        assert fragment in text, fragment


def test_the_calls_cover_results_statuses_and_what_rides_on_them() -> None:
    names = {case.name for case in TOOL_CASES}
    for needed in (
        "returns_none",
        "returns_dict",
        "returns_list",
        "returns_tuple",
        "raises",
        "raises_empty_message",
        "html_inline",
        "html_with_text_context",
        "html_client_error",
        "image_data_uri",
        "data_uris_in_list",
        "unparsable_arguments",
        "arguments_not_an_object",
        "unknown_method",
        "coercions",
        "valves_and_user_valves",
        "events_and_call",
        "confirmation_yes",
        "instance_lives_on",
        "get_tools_fails",
    ):
        assert needed in names, needed
    statuses = [c for c in TOOL_CASES if c.tool == "errors_status"]
    assert len(statuses) >= 15
    assert any(kwargs.get("replies") for case in TOOL_CASES for kwargs in case.calls)
    assert any(callable(kwargs.get("replies")) for case in TOOL_CASES for kwargs in case.calls)


def test_the_turns_cover_rounds_batches_clashes_images_and_pipes() -> None:
    names = {turn.name for turn in TURN_CASES}
    assert {"two_rounds", "two_calls_one_round", "clashing_names", "images_go_to_the_model"} <= names
    assert any(turn.pipe for turn in TURN_CASES)
    assert any(turn.valves and turn.user_valves for turn in TURN_CASES)


def test_every_tool_difference_is_documented() -> None:
    text = CONFORMANCE_MD.read_text(encoding="utf-8")
    for name, fields in {**TOOL_FACT_DIFFERENCES, **TOOL_TURN_DIFFERENCES}.items():
        for field in fields:
            assert f"`{name}`" in text and f"`{field}`" in text, (name, field)
