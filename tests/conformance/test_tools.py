"""Tools in actionkit against the real open-webui 0.12.4: facts, tool calls and whole chat turns.

The expected side is what the real package did in this session (``real_tool_report["tools"]``, from
``tool_runner.py``); the actual side is actionkit on the same sources and arguments. Only ids, clocks
and the host's random names are normalised (``_tool_records.py``); any other difference fails, unless
``differences`` lists it (and CONFORMANCE.md explains it).
"""

from __future__ import annotations

from typing import Any

import pytest

from actionkit.host import VERSION

from ._records import differences, raised_record
from ._tool_records import actionkit_tool_facts, entries_view, tool_record, turn_record
from .conftest import record_mismatch
from .differences import TOOL_FACT_DIFFERENCES, TOOL_TURN_DIFFERENCES
from .test_conformance import _comparable_load
from .tool_cases import (
    FACT_EXTRA_PARAMS,
    PIPES,
    TOOL_CASES,
    TOOL_GROUPS,
    TURN_CASES,
    WORKER_CASES,
    ToolCase,
    TurnCase,
    tool_sources,
)

pytestmark = pytest.mark.conformance

CORPUS = tool_sources()


def _compare(
    name: str, real: dict[str, Any], ours: dict[str, Any], skip: dict[str, str] | None = None
) -> None:
    problems = differences(name, real, ours, skip or {})
    if problems:
        for problem in problems:
            record_mismatch(problem)
        pytest.fail("\n\n".join(problems), pytrace=False)


def _real(report: dict[str, Any], section: str, name: str) -> Any:
    real = report["tools"][section][name]
    assert not (isinstance(real, dict) and "crashed" in real), real.get("crashed")
    return real


@pytest.mark.parametrize("tool_id", sorted(CORPUS))
def test_tool_facts_match_open_webui(tool_id: str, real_tool_report: dict[str, Any]) -> None:
    real = _real(real_tool_report, "facts", tool_id)
    ours = actionkit_tool_facts(CORPUS[tool_id], tool_id)
    skip = dict(TOOL_FACT_DIFFERENCES.get(tool_id, {}))
    real_load, ours_load = _comparable_load(real["load"], ours["load"])
    if skip.pop("load.line", None) is not None:
        real_load, ours_load = dict(real_load), dict(ours_load)
        real_load.pop("line", None)
        ours_load.pop("line", None)
    real_view = {**real, "load": real_load}
    ours_view = {**ours, "load": ours_load}
    _compare(f"tool {tool_id}", real_view, ours_view, skip)


@pytest.mark.parametrize("ids", TOOL_GROUPS, ids=["+".join(ids) for ids in TOOL_GROUPS])
def test_tools_dict_of_several_tools_matches_open_webui(
    ids: tuple[str, ...], real_tool_report: dict[str, Any]
) -> None:
    from actionkit import load
    from actionkit.function import SelectedTool, tools_dict
    from actionkit.host import default_user

    real = _real(real_tool_report, "groups", "+".join(ids))
    tools = [load(CORPUS[tool_id], id=tool_id, kind="tool") for tool_id in ids]
    built = tools_dict(
        [SelectedTool(tool) for tool in tools], {**FACT_EXTRA_PARAMS, "__user__": default_user()}
    )
    _compare("get_tools " + "+".join(ids), {"entries": real}, {"entries": entries_view(built)})


def run_tool_case(case: ToolCase, runtime: str = "actionkit") -> list[dict[str, Any]]:
    from actionkit import load, simulate
    from actionkit.errors import ActionkitError

    tool = load(CORPUS[case.tool], id=case.tool_id, kind="tool")
    records = []
    for kwargs in case.calls:
        try:
            records.append(tool_record(simulate(tool, **kwargs, runtime=runtime)))
        except ActionkitError as exc:
            records.append(raised_record(exc))
    return records


def _comparable(record: dict[str, Any]) -> dict[str, Any]:
    if "simulation" in record:
        return dict(record["simulation"])
    raised = dict(record["raised"])
    raised.pop("message", None)  # the wording is actionkit's own; class, fields and line compared
    return {"raised": raised}


@pytest.mark.filterwarnings("ignore:coroutine '__event_emitter__' was never awaited:RuntimeWarning")
@pytest.mark.parametrize("case", TOOL_CASES, ids=[case.name for case in TOOL_CASES])
def test_tool_call_matches_open_webui(case: ToolCase, real_tool_report: dict[str, Any]) -> None:
    real = _real(real_tool_report, "cases", case.name)
    ours = run_tool_case(case)
    assert len(real) == len(ours)
    for index, (theirs, mine) in enumerate(zip(real, ours, strict=True)):
        _compare(f"{case.name} call {index + 1}", _comparable(theirs), _comparable(mine))


@pytest.mark.parametrize(
    "case", [case for case in TOOL_CASES if case.name in WORKER_CASES], ids=lambda case: case.name
)
def test_tool_call_through_the_release_worker_matches_open_webui(
    case: ToolCase, real_tool_report: dict[str, Any]
) -> None:
    real = _real(real_tool_report, "cases", case.name)
    there = run_tool_case(case, runtime=f"open-webui=={VERSION}")
    assert len(real) == len(there)
    for index, (theirs, worker) in enumerate(zip(real, there, strict=True)):
        _compare(f"{case.name} call {index + 1} (worker)", _comparable(theirs), _comparable(worker))


def run_turn(turn: TurnCase) -> dict[str, Any]:
    from actionkit import Chat, MockModel, load

    tools = [load(CORPUS[name], id=name, kind="tool") for name in turn.tools]
    llm = MockModel(list(turn.script), models=["scripted_model"])
    chat = Chat(
        load(PIPES[turn.pipe], id=turn.pipe) if turn.pipe else None,
        tools=tools,
        llm=llm,
        valves=turn.valves,
        user_valves=turn.user_valves,
        system=turn.system,
        replies=turn.replies,
    )
    done = chat.send(turn.prompt)
    steps = [step for step in done.steps if step.stage == "tool"]
    error = done.message.get("error")
    return turn_record(
        llm.calls,
        list(done.message.get("output") or []),
        [step.events for step in steps],
        [step.event_calls for step in steps],
        (error.get("content") if isinstance(error, dict) else error) or None,
    )


@pytest.mark.filterwarnings("ignore:coroutine '__event_emitter__' was never awaited:RuntimeWarning")
@pytest.mark.parametrize("turn", TURN_CASES, ids=[turn.name for turn in TURN_CASES])
def test_chat_turn_with_tools_matches_open_webui(turn: TurnCase, real_tool_report: dict[str, Any]) -> None:
    real = _real(real_tool_report, "turns", turn.name)
    _compare(f"turn {turn.name}", real, run_turn(turn), TOOL_TURN_DIFFERENCES.get(turn.name))
