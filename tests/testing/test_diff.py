from __future__ import annotations

import copy

from actionkit.sim import empty_message
from actionkit.testing import simulation_diff


def snapshot(**changes) -> dict:
    data = {
        "function_id": "f",
        "kind": "action",
        "hook": "action",
        "sub_id": None,
        "stream": False,
        "ok": True,
        "error": None,
        "timed_out": False,
        "result": {"n": 1},
        "events": [{"type": "status", "data": {"description": "a", "done": True}}],
        "event_calls": [],
        "chunks": [],
        "content": "x",
        "message": {**empty_message(), "content": "x", "statusHistory": [{"description": "a", "done": True}]},
        "warnings": [],
    }
    data.update(changes)
    return data


def test_equal_snapshots_have_no_diff_even_with_tuples_and_key_order() -> None:
    expected = snapshot()
    actual = dict(reversed(list(copy.deepcopy(expected).items())))
    actual["result"] = {"n": 1}
    assert simulation_diff(expected, actual) == []


def test_scalar_changes_are_one_line_each() -> None:
    diff = simulation_diff(snapshot(), snapshot(ok=False, error="Error: boom"))
    assert diff == ["ok: true -> false", 'error: null -> "Error: boom"']


def test_changed_event_shows_as_minus_plus_lines_without_repeating_the_message() -> None:
    changed = snapshot(events=[{"type": "status", "data": {"description": "b", "done": True}}])
    changed["message"]["statusHistory"] = [{"description": "b", "done": True}]
    assert simulation_diff(snapshot(), changed) == [
        "events (1 expected, 1 now):",
        "  -status: a (done)",
        "  +status: b (done)",
    ]


def test_message_change_with_the_same_events_is_shown() -> None:
    changed = snapshot()
    changed["message"]["title"] = "New title"
    diff = simulation_diff(snapshot(), changed)
    assert diff[0] == "message:"
    assert '  -  "title": null' in diff and '  +  "title": "New title"' in diff


def test_result_change_is_a_small_json_diff() -> None:
    diff = simulation_diff(snapshot(result={"n": 1, "m": 2}), snapshot(result={"n": 3, "m": 2}))
    assert diff == ["result:", '     "m": 2,', '  -  "n": 1', '  +  "n": 3', "   }"]


def test_long_diffs_are_cut_with_a_count() -> None:
    many = [{"type": "message", "data": {"content": str(i)}} for i in range(200)]
    diff = simulation_diff(snapshot(events=[]), snapshot(events=many), limit=10)
    assert len(diff) == 10 and diff[-1] == "… 192 more lines"
