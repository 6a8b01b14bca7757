from __future__ import annotations

import json
from pathlib import Path

import pytest

import actionkit
from actionkit import Store
from actionkit.errors import CaseError
from actionkit.sim import case_from_simulation, load_case, save_case
from actionkit.testing import find_cases, replay, run_cases
from tests._sources import COMMUNITY

CONFIRMED_COUNT = '''"""
title: Word Count
"""
from pydantic import BaseModel, Field


class Action:
    class Valves(BaseModel):
        prefix: str = "Words:"
        api_key: str = Field("", json_schema_extra={"input": {"type": "password"}})

    def __init__(self):
        self.valves = self.Valves()

    async def action(self, body, __event_emitter__=None, __event_call__=None):
        text = body["messages"][-1]["content"]
        ok = await __event_call__({"type": "confirmation", "data": {"title": "Count?", "message": text}})
        if ok is not True:
            return {"cancelled": True}
        await __event_emitter__({"type": "status", "data": {"description": "counting", "done": True}})
        await __event_emitter__({"type": "message", "data": {"content": f"{self.valves.prefix} {len(text.split())}"}})
        return {"words": len(text.split())}
'''

BODY = {"model": "m", "messages": [{"role": "user", "content": "one two three"}]}


@pytest.fixture
def fn() -> actionkit.Function:
    return actionkit.load(CONFIRMED_COUNT)


def changed(old: str, new: str) -> actionkit.Function:
    return actionkit.load(CONFIRMED_COUNT.replace(old, new))


def record(fn: actionkit.Function, folder: Path, **kwargs) -> Path:
    sim = actionkit.simulate(fn, BODY, **kwargs)
    return save_case(sim, folder, function=fn)


def test_case_file_holds_function_source_inputs_and_expected_outcome(fn, tmp_path: Path) -> None:
    path = record(fn, tmp_path, replies=[True], valves={"prefix": "N:"})
    data = json.loads(path.read_text())
    assert path.name.startswith("word_count-") and path.name.endswith(".case.json")
    assert data["actionkit_case"] == 1
    assert data["function"]["content"] == CONFIRMED_COUNT
    assert data["function"]["content_hash"] == fn.content_hash
    assert data["call"]["replies"] == [True]
    assert data["call"]["valves"] == {"prefix": "N:"}
    assert data["call"]["body"]["messages"] == BODY["messages"]
    assert data["expected"]["result"] == {"words": 3}
    assert data["expected"]["content"] == "N: 3"


def test_recording_the_same_call_twice_gives_the_same_file(fn, tmp_path: Path) -> None:
    first = record(fn, tmp_path, replies=[True])
    second = record(fn, tmp_path, replies=[True])
    other = record(fn, tmp_path, replies=[False])
    assert first == second and first != other
    assert sorted(find_cases([tmp_path])) == sorted([first, other])


def test_replay_of_an_unchanged_function_passes(fn, tmp_path: Path) -> None:
    result = replay(record(fn, tmp_path, replies=[True]))
    assert result.passed and result.diff == [] and result.source == "recorded"
    assert not result.content_changed
    assert result.headline().startswith("PASS word_count-")


def test_replay_against_a_changed_function_fails_with_a_readable_diff(fn, tmp_path: Path) -> None:
    path = record(fn, tmp_path, replies=[True])
    result = replay(path, function=changed("Words:", "Count:"))
    assert not result.passed and result.content_changed and result.source == "given"
    assert "the function changed since this case was recorded" in result.headline()
    assert result.diff == [
        "events (2 expected, 2 now):",
        "   status: counting (done)",
        '  -message: "Words: 3"',
        '  +message: "Count: 3"',
        'content: "Words: 3" -> "Count: 3"',
    ]


def test_changed_source_with_the_same_behaviour_passes_and_says_it_changed(fn, tmp_path: Path) -> None:
    path = record(fn, tmp_path, replies=[True])
    result = replay(path, function=changed("text = body", "text  =  body"))
    assert result.passed and result.content_changed


def test_replay_uses_the_store_version_when_the_store_holds_the_function(fn, tmp_path: Path) -> None:
    path = record(fn, tmp_path, replies=[True])
    with Store(tmp_path / "s.db") as store:
        store.save(changed('"Words:"', '"Total:"'))
        result = replay(path, store=store)
        assert (result.passed, result.source, result.content_changed) == (False, "store", True)
        with Store(tmp_path / "empty.db") as empty:
            assert replay(path, store=empty).source == "recorded"


def test_replies_cancel_and_missing_browser_are_replayed_faithfully(fn, tmp_path: Path) -> None:
    cancelled = replay(record(fn, tmp_path, replies=[False]))
    assert cancelled.passed and cancelled.case.expected["result"] == {"cancelled": True}
    no_browser = load_case(record(fn, tmp_path))
    assert no_browser.call["replies"] is None
    assert any("disconnected" in w.lower() or "ran out" in w for w in no_browser.expected["warnings"])
    assert replay(no_browser).passed


def test_callable_replies_are_recorded_as_the_answers_they_gave(fn, tmp_path: Path) -> None:
    case = load_case(record(fn, tmp_path, replies=lambda call: call["type"] == "confirmation"))
    assert case.call["replies"] == [True]
    assert replay(case).passed


def test_secret_valves_are_stored_masked(fn, tmp_path: Path) -> None:
    path = record(fn, tmp_path, replies=[True], valves={"api_key": "sk-very-secret"})
    assert "sk-very-secret" not in path.read_text()
    assert replay(path).passed


def test_a_failing_function_is_recorded_with_its_error_and_replays(tmp_path: Path) -> None:
    broken = actionkit.load(CONFIRMED_COUNT.replace('text = body["messages"][-1]["content"]', "text = 1 / 0"))
    sim = actionkit.simulate(broken, BODY)
    path = save_case(sim, tmp_path / "broken.case.json", function=broken)
    assert path == tmp_path / "broken.case.json"
    assert load_case(path).expected["ok"] is False
    assert replay(path).passed
    fixed = replay(path, function=actionkit.load(CONFIRMED_COUNT))
    assert not fixed.passed and fixed.diff[0] == "ok: false -> true"


def test_filter_and_streaming_pipe_cases_keep_hook_and_stream(tmp_path: Path) -> None:
    filt = actionkit.load(
        '"""\ntitle: Shout\n"""\nclass Filter:\n    def outlet(self, body):\n'
        '        body["messages"][-1]["content"] = body["messages"][-1]["content"].upper()\n        return body\n'
    )
    pipe = actionkit.load(
        '"""\ntitle: Echo\n"""\nclass Pipe:\n    def pipe(self, body):\n        yield "a"\n        yield "b"\n'
    )
    body = {
        "model": "m",
        "messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "yo"}],
    }
    f_case = load_case(save_case(actionkit.simulate(filt, body, hook="outlet"), tmp_path, function=filt))
    p_case = load_case(save_case(actionkit.simulate(pipe, body, stream=True), tmp_path, function=pipe))
    assert f_case.call["hook"] == "outlet" and p_case.call["stream"] is True
    assert replay(f_case).passed and replay(p_case).passed


def test_simulation_without_its_source_needs_the_function_argument(fn) -> None:
    sim = actionkit.simulate(fn, BODY, replies=[True])
    if getattr(sim, "function", None) is None and "content" not in sim.inputs:
        with pytest.raises(CaseError, match="does not say which source ran"):
            case_from_simulation(sim)
    assert case_from_simulation(sim, fn).function["id"] == "word_count"


def test_unreadable_and_foreign_files_are_clear_case_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.case.json"
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(CaseError, match="cannot read case"):
        load_case(bad)
    foreign = tmp_path / "foreign.case.json"
    foreign.write_text('{"hello": 1}', encoding="utf-8")
    with pytest.raises(CaseError, match="is not an actionkit case"):
        load_case(foreign)
    damaged = tmp_path / "damaged.case.json"
    damaged.write_text('{"actionkit_case": 1, "function": {"id": "x"}, "call": {}, "expected": {}}')
    with pytest.raises(CaseError, match="is damaged: it needs 'function' \\(with 'id' and 'content'\\)"):
        load_case(damaged)
    with pytest.raises(CaseError, match="no case file or folder"):
        find_cases([tmp_path / "missing"])


def test_run_cases_reports_each_case_and_a_summary_in_file_order(fn, tmp_path: Path) -> None:
    good = record(fn, tmp_path / "c", replies=[True])
    record(fn, tmp_path / "c", replies=[False])
    (tmp_path / "c" / "zz-broken.case.json").write_text("{}", encoding="utf-8")
    report = run_cases([tmp_path / "c"])
    assert [r.status for r in report.results] == ["PASS", "PASS", "ERROR"]
    assert report.summary() == "3 cases: 2 passed, 0 failed, 1 errors"
    assert not report.ok
    with Store(tmp_path / "s.db") as store:
        store.save(changed('"Words:"', '"Total:"'))
    changed_report = run_cases([good], store=str(tmp_path / "s.db"))
    assert changed_report.summary() == "1 cases: 0 passed, 1 failed"
    assert "Total: 3" in changed_report.report()


def test_run_cases_in_worker_processes_matches_a_serial_run(fn, tmp_path: Path) -> None:
    for n in range(4):
        sim = actionkit.simulate(
            fn, {"model": "m", "messages": [{"role": "user", "content": "w " * n}]}, replies=[True]
        )
        save_case(sim, tmp_path, function=fn)
    serial = run_cases([tmp_path])
    parallel = run_cases([tmp_path], workers=2)
    assert [r.to_dict() for r in parallel.results] == [r.to_dict() for r in serial.results]
    assert parallel.summary() == "4 cases: 4 passed, 0 failed"


def test_accept_rewrites_a_failed_case_with_the_new_outcome_and_source(fn, tmp_path: Path) -> None:
    from actionkit.testing import accept

    path = record(fn, tmp_path, replies=[True])
    new = changed('"Words:"', '"Count:"')
    result = replay(path, function=new)
    assert accept(result) == path and result.updated and result.status == "UPDATED"
    case = load_case(path)
    assert case.expected["content"] == "Count: 3" and case.content_hash == new.content_hash
    assert replay(path).passed and replay(path, function=new).passed


def test_run_cases_update_rewrites_only_failing_cases(fn, tmp_path: Path) -> None:
    record(fn, tmp_path / "c", replies=[True])
    record(fn, tmp_path / "c", replies=[False])
    with Store(tmp_path / "s.db") as store:
        store.save(changed('"Words:"', '"Total:"'))
    report = run_cases([tmp_path / "c"], store=str(tmp_path / "s.db"), update=True)
    assert report.summary() == "2 cases: 1 passed, 0 failed, 1 updated"
    assert [r.status for r in report.results].count("UPDATED") == 1
    assert run_cases([tmp_path / "c"], store=str(tmp_path / "s.db")).ok


SUMMARIZER = (COMMUNITY / "summarize_action.py").read_text()


def test_scripted_model_replies_are_recorded_and_replayed(tmp_path: Path) -> None:
    summarizer = actionkit.load(SUMMARIZER)
    sim = actionkit.simulate(summarizer, BODY, llm=["A short summary."])
    assert "A short summary." in json.dumps(sim.to_dict())
    path = sim.save_case(tmp_path)
    assert load_case(path).call["llm"] == ["A short summary."]
    result = replay(path)
    assert result.passed, result.diff


def test_a_model_object_that_cannot_be_recorded_is_a_clear_error(tmp_path: Path) -> None:
    summarizer = actionkit.load(SUMMARIZER)
    sim = actionkit.simulate(summarizer, BODY, llm=actionkit.MockModel(lambda request: "dynamic"))
    with pytest.raises(CaseError, match="'llm' input"):
        sim.save_case(tmp_path)


def test_case_names_ignore_inputs_left_at_none(fn, tmp_path: Path) -> None:
    import actionkit.testing._replay as cases

    first = record(fn, tmp_path / "a", replies=[True])
    original = cases.CALL_KEYS
    try:
        cases.CALL_KEYS = (*original, "some_future_input")
        again = record(fn, tmp_path / "b", replies=[True])
    finally:
        cases.CALL_KEYS = original
    assert first.name == again.name


def test_a_failed_case_shows_its_diff_as_html(tmp_path) -> None:
    import actionkit
    from actionkit.store import Store
    from actionkit.testing import replay, run_cases

    source = "class Action:\n    async def action(self, body):\n        return {'n': 1}\n"
    sim = actionkit.simulate(actionkit.load(source, id="numbered"), store=Store(":memory:"))
    path = sim.save_case(tmp_path / "numbered.case.json")
    result = replay(path, function=source.replace("'n': 1", "'n': 2"))
    page = result._repr_mimebundle_()["text/html"]
    assert '<span class="ak-badge bad">fail</span>' in page
    assert (
        '<div class="del">    -  &quot;n&quot;: 1</div><div class="add">    +  &quot;n&quot;: 2</div>' in page
    )
    assert result._repr_mimebundle_()["text/plain"] == result.report()
    report = run_cases([tmp_path])
    assert "1 cases: 1 passed, 0 failed" in report._repr_mimebundle_()["text/html"]
