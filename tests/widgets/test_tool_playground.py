from __future__ import annotations

import pytest

from actionkit import load, valves_editor
from actionkit.store import Store
from actionkit.widgets import playground
from tests._tool_sources import WEATHER


@pytest.fixture
def weather(store: Store):
    tool = load(WEATHER, id="weather")
    store.save(tool)
    return tool


def test_the_playground_of_a_tool_picks_a_method_and_sends_the_form_as_its_arguments(weather, store) -> None:
    pg = playground(weather, store=store, static=True, method="get_weather", arguments={"city": "Oslo"})
    assert pg.selector.options == ("get_time", "get_weather")
    assert pg.simulation is not None and pg.simulation.result == {"city": "Oslo", "days": 1, "unit": "C"}
    pg.arguments.set("days", 3)
    assert pg.simulation.tool_call["function"]["arguments"] == '{"city":"Oslo","days":3}'
    pg.arguments.clear("days")
    pg.run()
    assert pg.simulation.tool_call["function"]["arguments"] == '{"city":"Oslo"}'
    assert "arguments of get_weather" in pg.text() and "tool weather.get_weather: ok" in pg.text()


def test_the_arguments_form_is_built_from_the_methods_spec(weather, store) -> None:
    pg = playground(weather, store=store, static=True, auto_run=False)
    assert pg.arguments.method == "get_time"
    assert [c.spec.name for c in pg.arguments.controls] == ["zone"]
    pg.selector.value = "get_weather"
    form = pg.arguments
    assert [c.spec.name for c in form.controls] == ["city", "days"]
    assert [c.custom for c in form.controls] == [True, False]  # required ones are sent
    form.raw.value = "{not json"
    pg.run()
    assert pg.simulation.tool_status == "failed" and "could not be parsed" in pg.simulation.tool_message


def test_a_valve_change_re_runs_the_tool_call(weather, store) -> None:
    pg = playground(weather, store=store, static=True, method="get_weather", arguments={"city": "Rome"})
    assert pg.valves is not None
    pg.valves.set("unit", "F")
    assert pg.simulation.result["unit"] == "F"


def test_the_valves_editor_of_a_tool_saves_into_the_stores_tools(weather, store) -> None:
    editor = valves_editor(weather, store=store)
    editor.set("unit", "K")
    assert dict(editor.save()) == {"unit": "K"}
    assert store.tools.valves("weather") == {"unit": "K"}
    users = valves_editor("weather", user=True, store=store, user_id="ada")
    users.set("city_prefix", "~")
    users.save()
    assert store.tools.user_valves("weather", "ada") == {"city_prefix": "~"}
