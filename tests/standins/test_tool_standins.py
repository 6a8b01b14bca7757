from __future__ import annotations

from collections.abc import Iterator

import pytest

import actionkit
from actionkit import simulate, standins

SELF_AWARE = '''
from open_webui.utils.plugin import load_tool_module_by_id
from pydantic import BaseModel


class Tools:
    class Valves(BaseModel):
        level: int = 1

    def __init__(self):
        self.valves = self.Valves()

    async def me(self, __id__: str, __user__: dict) -> dict:
        """Read my own row."""
        from open_webui.models.tools import Tools as Table

        row = await Table.get_tool_by_id(__id__)
        valves = await Table.get_tool_valves_by_id(__id__)
        mine = await Table.get_user_valves_by_id_and_user_id(__id__, __user__["id"])
        instance, frontmatter, module = await load_tool_module_by_id(__id__)
        missing = await Table.get_tool_by_id("nope")
        return {
            "name": row.name,
            "specs": [s["name"] for s in row.specs],
            "valves": valves,
            "user_valves": mine,
            "loaded": type(instance).__name__,
            "missing": missing,
        }
'''


@pytest.fixture
def stand_ins() -> Iterator[None]:
    standins.install()
    yield
    standins.uninstall()


def test_the_tools_table_answers_from_the_simulations_tools(stand_ins) -> None:
    tool = actionkit.load(SELF_AWARE, id="self_aware", kind="tool")
    sim = simulate(tool, tool_call={"name": "me"}, valves={"level": 3})
    assert sim.ok, sim.error
    assert sim.result == {
        "name": "self_aware",
        "specs": ["me"],
        "valves": {"level": 3},
        "user_valves": {},
        "loaded": "Tools",
        "missing": None,
    }


def test_get_tools_and_the_table_are_served_as_open_webui_modules(stand_ins) -> None:
    supported = standins.supported()
    assert "get_tools" in supported["open_webui.utils.tools"]
    assert "load_tool_module_by_id" in supported["open_webui.utils.plugin"]
    assert "get_user_valves_by_id_and_user_id" in dir(
        __import__("open_webui.models.tools", fromlist=["Tools"]).Tools
    )
