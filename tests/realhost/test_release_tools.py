"""Tools with ``runtime="open-webui==<version>"``: a tool call crosses to the worker of 0.12.4 (the
release whose chat pipeline tool calls are made through) and comes back; any other release is
refused before a worker starts, with the runtimes to use instead. The worker is the fake of
fake_worker.py (it runs actionkit's simulator), so what comes back must equal the same call here."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from actionkit import load, simulate
from actionkit.errors import SimulationError
from actionkit.host import VERSION
from actionkit.realhost import _bridge, stop_workers
from actionkit.realhost._tool_run import check_tool_release

from .conftest import fake_release

TOOL = '''"""
title: Release Weather
"""
from pydantic import BaseModel


class Tools:
    class Valves(BaseModel):
        unit: str = "C"

    def __init__(self):
        self.valves = self.Valves()

    async def get_weather(self, city: str, days: int = 1, __event_emitter__=None) -> dict:
        """
        The weather of a city.

        :param city: the city
        :param days: how many days
        """
        await __event_emitter__({"type": "status", "data": {"description": city, "done": True}})
        return {"city": city, "days": days, "unit": self.valves.unit}
'''

CALL = {"name": "get_weather", "arguments": '{"city": "Oslo", "days": "3", "extra": 1}'}


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A releases folder with 0.12.4 and 0.10.2 'installed' (a fake worker says the release of
    ``$FAKE_OPEN_WEBUI``)."""
    root = tmp_path_factory.mktemp("releases")
    fake_release(root, VERSION)
    fake_release(root, "0.10.2")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ACTIONKIT_RELEASES", str(root))
        patch.setenv("FAKE_OPEN_WEBUI", VERSION)
        patch.delenv("FAKE_WORKER", raising=False)
        patch.delenv("ACTIONKIT_OWUI_PYTHON", raising=False)
        stop_workers()
        yield root
        stop_workers()


def test_a_tool_call_on_the_release_runtime_of_0_12_4_is_the_call_the_worker_made(releases: Path) -> None:
    tool = load(TOOL, id="release_weather")
    here = simulate(tool, tool_call=CALL, valves={"unit": "F"})
    there = simulate(tool, tool_call=CALL, valves={"unit": "F"}, runtime=f"open-webui=={VERSION}")
    assert there.result == {"city": "Oslo", "days": 3, "unit": "F"}
    assert there.tool_message == here.tool_message
    assert there.tool_status == "completed"
    assert there.events == here.events
    assert there.to_dict() == here.to_dict()
    assert there.function is tool


def test_a_tool_on_an_older_release_is_refused_before_any_worker_starts(releases: Path) -> None:
    tool = load(TOOL, id="release_weather")
    started_before = dict(_bridge._workers)
    with pytest.raises(SimulationError) as raised:
        simulate(tool, tool_call=CALL, runtime="open-webui==0.10.2")
    text = str(raised.value)
    assert "release_weather is a Tool" in text and "open-webui 0.10.2 was asked" in text
    assert f"runtime='open-webui=={VERSION}'" in text and "runtime='actionkit'" in text
    assert "0.10.2" not in {worker for worker in _bridge._workers if worker not in started_before}


def test_a_function_on_an_older_release_still_runs_there(
    releases: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_OPEN_WEBUI", "0.10.2")
    action = '"""\ntitle: Release Action\n"""\n\n\nclass Action:\n    async def action(self, body):\n        return 1\n'
    assert simulate(action, runtime="open-webui==0.10.2").result == 1


def test_the_open_webui_installed_here_must_be_0_12_4_for_a_tool() -> None:
    check_tool_release(VERSION, "weather", installed=True)
    with pytest.raises(SimulationError) as raised:
        check_tool_release("0.11.4", "weather", installed=True)
    assert "the open-webui installed here is 0.11.4" in str(raised.value)
    assert raised.value.function_id == "weather"
