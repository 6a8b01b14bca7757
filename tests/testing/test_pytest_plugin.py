from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import actionkit
from actionkit.sim import save_case

pytest_plugins = ["pytester"]

ACTION = '''"""
title: Greeter
"""
from pydantic import BaseModel


class Action:
    class Valves(BaseModel):
        greeting: str = "Hello"

    def __init__(self):
        self.valves = self.Valves()

    async def action(self, body, __event_emitter__=None):
        await __event_emitter__({"type": "status", "data": {"description": "greeting", "done": True}})
        await __event_emitter__({"type": "message", "data": {"content": f"{self.valves.greeting}!"}})
        return {"greeted": True}
'''

TEST_WITH_SNAPSHOT = f"""
import actionkit

SOURCE = {ACTION!r}
BODY = {{"model": "m", "messages": [{{"role": "user", "content": "hi"}}]}}


def test_greeting(snapshot, simulate):
    snapshot(simulate(SOURCE, BODY))


def test_two_snapshots(assert_snapshot, simulate):
    assert_snapshot(simulate(SOURCE, BODY))
    assert_snapshot(simulate(SOURCE, BODY, valves={{"greeting": "Hi"}}), name="hi")
"""


def test_configure_sets_a_temporary_store_and_static_rendering() -> None:
    assert os.environ["ACTIONKIT_RENDER"] == "static"
    assert "actionkit-test-" in os.environ["ACTIONKIT_STORE"]


def test_actionkit_store_is_fresh_and_the_default_store(actionkit_store) -> None:
    assert actionkit_store.list() == []
    assert os.environ["ACTIONKIT_STORE"] == actionkit_store.path


def test_simulate_fixture_resolves_ids_in_the_isolated_store(simulate, actionkit_store) -> None:
    actionkit_store.save(actionkit.load(ACTION))
    actionkit_store.set_valves("greeter", {"greeting": "Howdy"})
    sim = simulate("greeter", {"model": "m", "messages": [{"role": "user", "content": "x"}]})
    assert sim.content == "Howdy!"


def test_missing_snapshot_fails_with_how_to_write_it(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_snap=TEST_WITH_SNAPSHOT)
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "-k", "test_greeting")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*snapshot __snapshots__/test_snap/test_greeting.json does not exist yet*"])
    result.stdout.fnmatch_lines(["*--actionkit-update*"])


def test_update_writes_readable_json_snapshots_next_to_the_test(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_snap=TEST_WITH_SNAPSHOT)
    written = pytester.runpytest_inprocess("-p", "no:cacheprovider", "--actionkit-update")
    written.assert_outcomes(passed=2)
    written.stdout.fnmatch_lines(["actionkit: 3 snapshot(s) or case(s) written:"])
    folder = pytester.path / "__snapshots__" / "test_snap"
    assert sorted(p.name for p in folder.iterdir()) == [
        "test_greeting.json",
        "test_two_snapshots--hi.json",
        "test_two_snapshots.json",
    ]
    data = json.loads((folder / "test_greeting.json").read_text())
    assert data["events"][1] == {"type": "message", "data": {"content": "Hello!"}}
    assert (folder / "test_greeting.json").read_text().startswith('{\n  "function_id": "greeter",')
    again = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    again.assert_outcomes(passed=2)


def test_changed_behaviour_fails_with_a_short_diff_until_updated(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_snap=TEST_WITH_SNAPSHOT)
    pytester.runpytest_inprocess("-p", "no:cacheprovider", "--actionkit-update").assert_outcomes(passed=2)
    pytester.makepyfile(
        test_snap=TEST_WITH_SNAPSHOT.replace('greeting: str = "Hello"', 'greeting: str = "Hey"')
    )
    failed = pytester.runpytest_inprocess("-p", "no:cacheprovider", "-k", "test_greeting")
    failed.assert_outcomes(failed=1)
    failed.stdout.fnmatch_lines(
        [
            "*snapshot __snapshots__/test_snap/test_greeting.json differs (- expected, + now)*",
            "*events (2 expected, 2 now):",
            "*status: greeting (done)",
            '*-message: "Hello!"',
            '*+message: "Hey!"',
            '*content: "Hello!" -> "Hey!"',
        ]
    )
    assert "Traceback" not in failed.stdout.str()
    pytester.runpytest_inprocess("-p", "no:cacheprovider", "--actionkit-update").assert_outcomes(passed=2)
    pytester.runpytest_inprocess("-p", "no:cacheprovider").assert_outcomes(passed=2)


def test_snapshot_of_plain_json_data_diffs_the_json(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_data="""
import os
def test_data(snapshot):
    snapshot({"a": 1, "b": [1, 2]} if os.environ.get("FIRST") else {"a": 2, "b": [1, 2]})
"""
    )
    os.environ["FIRST"] = "1"
    try:
        pytester.runpytest_inprocess("-p", "no:cacheprovider", "--actionkit-update").assert_outcomes(passed=1)
    finally:
        del os.environ["FIRST"]
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*a: 1 -> 2*"])


def test_recorded_case_files_are_collected_and_replayed(pytester: pytest.Pytester, tmp_path: Path) -> None:
    fn = actionkit.load(ACTION)
    sim = actionkit.simulate(fn, {"model": "m", "messages": [{"role": "user", "content": "hi"}]})
    good = save_case(sim, pytester.path / "cases" / "greet.case.json", function=fn)
    data = json.loads(good.read_text())
    data["expected"]["content"] = "Bye!"
    (pytester.path / "cases" / "stale.case.json").write_text(json.dumps(data))
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "-v", "cases")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*greet.case.json::greet PASSED*", "*stale.case.json::stale FAILED*"])
    result.stdout.fnmatch_lines(
        ["FAIL stale.case.json (greeter, recorded source)", '  content: "Bye!" -> "Hello!"']
    )


def test_case_collection_can_be_switched_off(pytester: pytest.Pytester) -> None:
    fn = actionkit.load(ACTION)
    sim = actionkit.simulate(fn, {"model": "m", "messages": [{"role": "user", "content": "hi"}]})
    save_case(sim, pytester.path / "greet.case.json", function=fn)
    pytester.makeini("[pytest]\nactionkit_cases = false\n")
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED


def test_nested_sessions_restore_the_outer_environment(pytester: pytest.Pytester) -> None:
    outer = os.environ["ACTIONKIT_STORE"]
    pytester.makepyfile(
        test_env="import os\ndef test_env():\n    assert 'actionkit-test-' in os.environ['ACTIONKIT_STORE']\n"
    )
    pytester.runpytest_inprocess("-p", "no:cacheprovider").assert_outcomes(passed=1)
    assert os.environ["ACTIONKIT_STORE"] == outer


def test_update_flag_re_records_failing_case_files(pytester: pytest.Pytester) -> None:
    fn = actionkit.load(ACTION)
    sim = actionkit.simulate(fn, {"model": "m", "messages": [{"role": "user", "content": "hi"}]})
    path = save_case(sim, pytester.path / "greet.case.json", function=fn)
    data = json.loads(path.read_text())
    data["expected"]["content"] = "Bye!"
    path.write_text(json.dumps(data))
    updated = pytester.runpytest_inprocess("-p", "no:cacheprovider", "--actionkit-update")
    updated.assert_outcomes(passed=1)
    updated.stdout.fnmatch_lines(["actionkit: 1 snapshot(s) or case(s) written:", "  greet.case.json"])
    assert json.loads(path.read_text())["expected"]["content"] == "Hello!"
