"""Tools round trips to a real ``open-webui serve`` (0.12.4): push with valves, diff, pull into a
fresh store, conflicts, a source the server cannot create; through ``client.tools`` only."""

from __future__ import annotations

from pathlib import Path

import pytest

import actionkit
from actionkit.client import ConflictError, ServerError
from actionkit.store import Store

from .test_server_roundtrip import Server, server, store  # noqa: F401  (the module's server and store)

pytestmark = pytest.mark.conformance

WEATHER = '''"""
title: Weather
description: the weather for a city
"""
from pydantic import BaseModel


class Tools:
    class Valves(BaseModel):
        unit: str = "C"

    def __init__(self):
        self.valves = self.Valves()

    def get_weather(self, city: str) -> str:
        """
        Get the weather.

        :param city: the city
        """
        return f"21 {self.valves.unit} in {city}"
'''


def test_tools_push_diff_and_pull_round_trip(server: Server, store: Store, tmp_path: Path) -> None:  # noqa: F811
    store.save(actionkit.load(WEATHER, id="weather"))
    store.tools.set_valves("weather", {"unit": "F"})
    store.save(
        actionkit.load("class Action:\n    async def action(self, body):\n        return 1\n", id="weather")
    )
    with server.client(store) as client:
        pushed = client.tools.push("weather")
        assert [(i.function_id, i.status, i.changes) for i in pushed.items] == [
            ("weather", "created", ["valves"])
        ]
        assert client.tools.diff("weather").same
        assert client.tools.push("weather").items[0].status == "unchanged"
        remote = client.tools.get("weather")
        assert remote is not None and remote["valves"] == {"unit": "F"}
        assert remote["specs"] == store.tools.load("weather").specs
        assert client.get("weather") is None  # the function of the same id was not pushed with it

        changed = WEATHER.replace("21 ", "22 ")
        store.save(actionkit.load(changed, id="weather"))
        assert client.tools.push("weather").items[0].changes == ["content"]

        fresh = Store(tmp_path / "fresh.db")
        with server.client(fresh) as other:
            pulled = other.tools.pull("weather")
            assert pulled.status("weather") == "new"
            assert fresh.tools.get("weather").content == changed and fresh.tools.valves("weather") == {
                "unit": "F"
            }
            fresh.save(actionkit.load(changed.replace("22 ", "23 "), id="weather"))
            other.tools.push("weather")
        with pytest.raises(ConflictError, match="changed on"):
            client.tools.push("weather")


def test_pulling_a_tool_the_server_does_not_have_changes_nothing(server: Server, store: Store) -> None:  # noqa: F811
    store.save(actionkit.load(WEATHER, id="kept_here"))
    with server.client(store) as client, pytest.raises(ServerError, match="no tool 'ghost'"):
        client.tools.pull("ghost")
    assert store.tools.ids() == ["kept_here"]
