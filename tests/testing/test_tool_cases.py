from __future__ import annotations

import json

import actionkit
from actionkit.cases import load_case, replay
from actionkit.store import Store
from tests._tool_sources import WEATHER


def test_a_tool_call_is_recorded_as_a_case_and_replays_against_changed_code(tmp_path) -> None:
    tool = actionkit.load(WEATHER, id="weather")
    sim = actionkit.simulate(tool, tool_call={"name": "get_weather", "arguments": {"city": "Oslo"}})
    path = sim.save_case(tmp_path)
    case = load_case(path)
    assert case.function["type"] == "tool"
    assert case.call["tool_call"] == {
        "id": "call_1",
        "type": "function",
        "function": {"name": "get_weather", "arguments": json.dumps({"city": "Oslo"})},
    }
    assert replay(path).passed
    changed = actionkit.load(WEATHER.replace("looking up", "finding"), id="weather")
    result = replay(path, function=changed)
    assert not result.passed and result.content_changed and any("finding" in line for line in result.diff)


def test_a_tool_case_replays_the_stored_tool_not_a_function_with_the_same_id(tmp_path) -> None:
    tool = actionkit.load(WEATHER, id="shared")
    path = actionkit.simulate(tool, tool_call={"name": "get_time"}).save_case(tmp_path / "case.json")
    store = Store(tmp_path / "store.db")
    store.save(
        actionkit.load("class Action:\n    async def action(self, body):\n        return 1\n", id="shared")
    )
    store.save(tool)
    result = replay(path, store=store)
    assert result.passed and result.source == "store"
