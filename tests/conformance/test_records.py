"""Normalisation and diffs of the conformance comparison (no open-webui needed)."""

from __future__ import annotations

from ._records import differences, normalise


def test_normalise_replaces_uuid4_ids_and_clock_fields_only() -> None:
    value = {
        "id": "pipe-3100461b-c3b3-4353-a541-306b5087980c",
        "created": 1795530456,
        "nested": [{"timestamp": 7, "count": 7}],
        "flag": True,
        "text": "kept as is",
    }
    assert normalise(value) == {
        "id": "pipe-<uuid>",
        "created": 0,
        "nested": [{"timestamp": 0, "count": 7}],
        "flag": True,
        "text": "kept as is",
    }


def test_normalise_rewrites_clocks_and_ids_inside_sse_lines() -> None:
    line = 'data: {"id":"m-3100461b-c3b3-4353-a541-306b5087980c","created":1795530456,"n":5}\n\n'
    assert normalise(line) == 'data: {"id":"m-<uuid>","created":0,"n":5}\n\n'


def test_normalise_drops_only_the_pydantic_version_of_error_links() -> None:
    text = "For further information visit https://errors.pydantic.dev/2.13/v/missing"
    assert normalise(text) == "For further information visit https://errors.pydantic.dev/<version>/v/missing"


def test_differences_give_one_readable_diff_per_differing_field_and_skip_deliberate_ones() -> None:
    real = {"ok": True, "result": {"a": 1}, "error": None}
    ours = {"ok": True, "result": {"a": 2}, "error": "x"}
    found = differences("case", real, ours, {"error": "documented"})
    assert len(found) == 1
    assert "`result` differs" in found[0]
    assert '-  "a": 1' in found[0] or '- "a": 1' in found[0]
    assert differences("case", real, dict(real), {}) == []
