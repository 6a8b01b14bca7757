"""The conformance corpus itself: big enough, covering every row of the contract, and every
deliberate difference documented. Needs no open-webui, so it runs in the ordinary test suite."""

from __future__ import annotations

import ast
from pathlib import Path

from .cases import CASES, community_sources, sources
from .differences import (
    DELIBERATE,
    FACT_DIFFERENCES,
    KNOWN_GAPS,
    RELEASE_DIFFERENCES,
    RELEASE_FACT_DIFFERENCES,
)

CONFORMANCE_MD = Path(__file__).resolve().parents[2] / "CONFORMANCE.md"


def _kinds(source: str) -> set[str]:
    tree = ast.parse(source)
    return {node.name for node in tree.body if isinstance(node, ast.ClassDef)}


def test_corpus_has_at_least_forty_functions() -> None:
    assert len(sources()) >= 40


def test_every_case_calls_a_corpus_function_with_a_unique_name() -> None:
    names = [case.name for case in CASES]
    assert len(names) == len(set(names))
    corpus = sources()
    assert [case.name for case in CASES if case.function not in corpus] == []


def test_cases_cover_every_type_hook_and_stream_mode() -> None:
    corpus = sources()
    called = {case.function for case in CASES}
    kinds = set()
    for name in called:
        classes = _kinds(corpus[name])
        kinds |= classes & {"Action", "Filter", "Pipe", "Event"}
    assert kinds == {"Action", "Filter", "Pipe", "Event"}
    hooks = {case.kwargs.get("hook") for case in CASES if case.kwargs.get("hook")}
    assert hooks == {"inlet", "request", "stream", "outlet"}
    assert {bool(case.kwargs.get("stream")) for case in CASES} == {True, False}
    assert any(case.kwargs.get("sub_id") for case in CASES)
    assert any("replies" in case.kwargs for case in CASES)
    assert any(callable(case.kwargs.get("replies")) for case in CASES)
    assert any("user_valves" in case.kwargs for case in CASES)
    assert any("valves" in case.kwargs for case in CASES)
    assert any(case.kwargs.get("task") for case in CASES)
    assert any(isinstance(case.kwargs.get("event"), str) for case in CASES)
    assert any(isinstance(case.kwargs.get("event"), dict) for case in CASES)


def test_corpus_emits_every_event_type_of_the_contract() -> None:
    text = "\n".join(sources().values())
    for kind in (
        "status",
        "message",
        "replace",
        "files",
        "embeds",
        "source",
        "citation",
        "notification",
        "chat:title",
        "chat:tags",
        "chat:message:delta",
        "chat:message",
        "chat:message:files",
        "chat:message:embeds",
        "chat:message:error",
        "chat:message:follow_ups",
        "chat:message:favorite",
        "chat:message:tasks",
        "chat:completion",
    ):
        assert f'"type": "{kind}"' in text, kind
    for kind in ("confirmation", "input", "execute"):
        assert f'"type": "{kind}"' in text, kind


def test_every_deliberate_difference_and_known_gap_is_documented() -> None:
    text = CONFORMANCE_MD.read_text(encoding="utf-8")
    for name, fields in {**DELIBERATE, **FACT_DIFFERENCES, **KNOWN_GAPS}.items():
        for field in fields:
            assert f"`{name}`" in text and f"`{field}`" in text, (name, field)


def test_every_community_function_has_a_case_or_a_documented_reason() -> None:
    called = {case.function for case in CASES}
    uncalled = sorted(set(community_sources()) - called)
    assert community_sources()
    text = CONFORMANCE_MD.read_text(encoding="utf-8")
    assert [name for name in uncalled if f"`{name}`" not in text] == []


def test_every_difference_of_an_older_release_is_documented_with_its_host_change() -> None:
    from actionkit.releases import CHANGES_BY_ID

    text = CONFORMANCE_MD.read_text(encoding="utf-8")
    for release, changes in RELEASE_DIFFERENCES.items():
        section = text.split(f"### open-webui {release}\n", 1)[1].split("\n#", 1)[0]
        for change, cases in changes.items():
            assert change in CHANGES_BY_ID, change
            entry = section.split(f"- `{change}`:", 1)[1].split("\n- ", 1)[0]
            assert [case for case in cases if f"`{case}`" not in entry] == [], (release, change)
            assert all(case in {c.name for c in CASES} for case in cases), (release, change)
    for release, changes in RELEASE_FACT_DIFFERENCES.items():
        section = text.split(f"### open-webui {release}\n", 1)[1].split("\n#", 1)[0]
        for change, function_ids in changes.items():
            assert change in CHANGES_BY_ID, change
            entry = section.split(f"- `{change}`:", 1)[1].split("\n- ", 1)[0]
            assert [f for f in function_ids if f"`{f}`" not in entry] == [], (release, change)
            assert set(function_ids) <= set(sources()), (release, change)
