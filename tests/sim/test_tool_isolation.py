"""``isolate=True`` for a Tool: the tool is loaded and its method called in a worker process, with
its stored valves, and the same tool call, tool message, status and events come back."""

from __future__ import annotations

import os

import actionkit
from actionkit import Store
from actionkit.runtimes import simulate
from actionkit.sim import Source
from tests._tool_sources import ASKS, RESULTS, WEATHER

PID = '''"""
title: Pid Tool
"""
import os


class Tools:
    def pid(self) -> str:
        """The process the tool runs in."""
        return str(os.getpid())
'''


def test_an_isolated_tool_call_comes_back_as_the_in_process_one() -> None:
    weather = actionkit.load(WEATHER, id="weather_isolated")
    call = {"name": "get_weather", "arguments": {"city": "Oslo", "days": 2}}
    here = simulate(weather, tool_call=call, user_valves={"city_prefix": "~"})
    there = simulate(weather, tool_call=call, user_valves={"city_prefix": "~"}, isolate=True)
    assert there.ok and there.kind == "tool"
    assert (there.result, there.tool_message, there.tool_status) == (
        here.result,
        here.tool_message,
        here.tool_status,
    )
    assert there.tool_call == here.tool_call and there.events == here.events
    assert "tool message (completed)" in there.transcript()


def test_an_isolated_tool_runs_in_another_process() -> None:
    sim = simulate(Source(PID), tool_call={"name": "pid"}, isolate=True)
    assert sim.ok and sim.tool_message != str(os.getpid())


def test_an_isolated_stored_tool_gets_its_stored_valves_even_when_a_function_shares_its_id(tmp_path) -> None:
    store = Store(tmp_path / "s.db")
    store.save(actionkit.load(WEATHER, id="weather"))
    store.save(actionkit.load("class Action:\n    def action(self, body):\n        return 1\n", id="weather"))
    store.tools.set_valves("weather", {"unit": "F"})
    store.tools.set_user_valves("weather", "user", {"city_prefix": "*"})
    sim = simulate(
        "weather",
        tool_call={"name": "get_weather", "arguments": {"city": "Rome"}},
        store=store,
        isolate=True,
    )
    assert sim.ok and sim.result == {"city": "*Rome", "days": 1, "unit": "F"}


def test_isolated_tool_failures_and_event_calls_read_as_in_the_host() -> None:
    results = actionkit.load(RESULTS, id="results_isolated")
    failed = simulate(results, tool_call={"name": "give", "arguments": {"kind": "none"}}, isolate=True)
    assert failed.tool_status == "failed" and failed.tool_message.startswith("Error: Tool call arguments")
    asks = actionkit.load(ASKS, id="asks_isolated")
    sim = simulate(
        asks, tool_call={"name": "confirm", "arguments": {"item": "a.txt"}}, replies=[True], isolate=True
    )
    assert sim.tool_message == "deleted a.txt" and sim.event_calls[0]["reply"] is True


def test_a_tool_that_ends_its_worker_is_a_failed_tool_call() -> None:
    source = '"""\ntitle: Exit Tool\n"""\nimport os\n\n\nclass Tools:\n    def leave(self) -> str:\n'
    source += '        """Leave."""\n        os._exit(3)\n'
    sim = simulate(Source(source), tool_call={"name": "leave"}, isolate=True)
    assert (sim.ok, sim.kind, sim.hook) == (False, "tool", "tool")
    assert any("takes the whole server down" in w for w in sim.warnings)
