from __future__ import annotations

import json

import pytest

import actionkit
from actionkit import SimulationError, Store, ValvesError, simulate
from tests._tool_sources import ASKS, RESULTS, WEATHER

UNPARSABLE = (
    "Error: Tool call arguments could not be parsed. The model generated malformed or incomplete JSON for "
    "`{name}`. Please try again."
)


@pytest.fixture
def results() -> actionkit.Tool:
    tool = actionkit.load(RESULTS, id="results")
    assert isinstance(tool, actionkit.Tool)
    return tool


def give(results, kind: str):
    return simulate(results, tool_call={"name": "give", "arguments": {"kind": kind}})


@pytest.mark.parametrize(
    ("kind", "text", "status"),
    [
        ("text", "plain", "completed"),
        ("zero", "0", "completed"),
        ("dict", json.dumps({"b": 1, "ü": [1, 2]}, indent=2, ensure_ascii=False), "completed"),
        ("list", json.dumps({"results": [1, "two"]}, indent=2), "completed"),
        ("tuple", '"first"', "completed"),
        ("error_text", "Error: went wrong", "failed"),
        ("none", UNPARSABLE.format(name="give"), "failed"),
        ("html_context", "shown", "completed"),
        ("image", "give: Image file read successfully.", "completed"),
    ],
)
def test_the_role_tool_text_and_status_are_the_hosts(results, kind: str, text: str, status: str) -> None:
    sim = give(results, kind)
    assert (sim.tool_message, sim.tool_status) == (text, status)
    assert sim.ok


def test_a_tool_returning_none_is_reported_as_the_host_treats_it(results) -> None:
    sim = give(results, "none")
    assert sim.result is None
    assert any("returned None" in w and "return" in w for w in sim.warnings)


def test_an_inline_html_response_becomes_an_embed_and_the_hosts_ui_text(results) -> None:
    sim = give(results, "html")
    assert sim.embeds == ["<b>hi</b>"]
    assert json.loads(sim.tool_message) == {
        "status": "success",
        "code": "ui_component",
        "message": "give: Embedded UI result is active and visible to the user.",
    }
    assert give(results, "image").files == [{"type": "image", "url": "data:image/png;base64,iVBORw0KGgo="}]


def test_an_exception_becomes_the_hosts_error_object_and_fails_the_call(results) -> None:
    sim = simulate(results, tool_call={"name": "boom"})
    assert sim.result == {"error": "boom"}
    assert sim.tool_message == '{\n  "error": "boom"\n}' and sim.tool_status == "failed"
    assert not sim.ok and sim.error == "boom"
    assert "raise ValueError" in (sim.traceback or "")


def test_arguments_are_parsed_filtered_and_re_dumped_as_the_host_does() -> None:
    weather = actionkit.load(WEATHER, id="weather_args")
    sim = simulate(
        weather, tool_call={"name": "get_weather", "arguments": '{"city": "Zürich", "days": "2", "x": 1}'}
    )
    assert sim.tool_call == {
        "id": "call_1",
        "type": "function",
        "function": {"name": "get_weather", "arguments": '{"city":"Zürich","days":"2","x":1}'},
    }
    assert sim.result == {"city": "Zürich", "days": 2, "unit": "C"}
    literal = simulate(weather, tool_call={"name": "get_weather", "arguments": "{'city': 'Rome'}"})
    assert literal.tool_call["function"]["arguments"] == '{"city":"Rome"}'


@pytest.mark.parametrize(
    ("name", "arguments", "text"),
    [
        ("get_time", "{not json", UNPARSABLE.format(name="get_time")),
        (
            "get_time",
            "[1, 2]",
            "Error: Tool call arguments for `get_time` must be a JSON object. Please try again.",
        ),
        ("get_tme", "{}", 'Error: Tool "get_tme" not found.'),
    ],
)
def test_calls_the_host_cannot_make_fail_with_its_message(name: str, arguments: str, text: str) -> None:
    weather = actionkit.load(WEATHER, id="weather_bad_calls")
    sim = simulate(weather, tool_call={"name": name, "arguments": arguments})
    assert (sim.tool_message, sim.tool_status, sim.ok, sim.error) == (text, "failed", False, text)
    if name == "get_tme":
        assert any("did you mean 'get_time'" in w for w in sim.warnings)


def test_valves_and_user_valves_reach_the_tool_as_the_host_applies_them() -> None:
    weather = actionkit.load(WEATHER, id="weather_valves")
    sim = simulate(
        weather,
        tool_call={"name": "get_weather", "arguments": {"city": "Oslo"}},
        valves={"unit": "F", "api_key": "sk-very-secret"},
        user_valves={"city_prefix": "~"},
    )
    assert sim.result == {"city": "~Oslo", "days": 1, "unit": "F"}
    assert "sk-very-secret" not in sim.transcript()
    with pytest.raises(ValvesError, match="unit"):
        simulate(weather, tool_call={"name": "get_time"}, valves={"unit": ["not", "text"]})


def test_stored_user_valves_that_no_longer_validate_fail_the_whole_request_as_in_the_host(tmp_path) -> None:
    store = Store(tmp_path / "s.db")
    weather = actionkit.load(WEATHER, id="weather_stale")
    store.save(weather)
    store._conn.execute(
        "INSERT INTO tool_user_valves VALUES ('weather_stale', 'user', '{\"city_prefix\": [1]}', 0)"
    )
    sim = simulate("weather_stale", tool_call={"name": "get_time"}, store=store)
    assert not sim.ok and "city_prefix" in (sim.error or "") and sim.tool_message is None
    assert any("fails the whole chat request" in w for w in sim.warnings)


def test_events_and_event_calls_of_a_tool_are_recorded() -> None:
    asks = actionkit.load(ASKS, id="asks")
    answered = simulate(asks, tool_call={"name": "confirm", "arguments": {"item": "a.txt"}}, replies=[True])
    assert answered.tool_message == "deleted a.txt"
    assert answered.event_calls[0]["type"] == "confirmation" and answered.event_calls[0]["reply"] is True
    weather = actionkit.load(WEATHER, id="weather_events")
    sim = simulate(weather, tool_call={"name": "get_weather", "arguments": {"city": "Rome"}})
    assert sim.events == [{"type": "status", "data": {"description": "looking up Rome", "done": True}}]
    assert sim.message["statusHistory"][0]["description"] == "looking up Rome"


def test_the_request_messages_are_the_methods_messages() -> None:
    source = 'class Tools:\n    def last(self, __messages__: list) -> str:\n        """Last."""\n        return __messages__[-1]["content"]\n'
    tool = actionkit.load(source, id="messages")
    body = {"messages": [{"role": "user", "content": "first"}, {"role": "user", "content": "second"}]}
    assert simulate(tool, body, tool_call={"name": "last"}).tool_message == "second"


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({}, r"is a Tool: say which method.*tool_call="),
        ({"tool_call": {"name": "get_time"}, "hook": "inlet"}, "hook= is not for Tools"),
        ({"tool_call": {"name": "get_time"}, "stream": True}, "stream= is not for Tools"),
        ({"tool_call": "get_time"}, "tool_call must be a dict"),
        ({"tool_call": {"name": "get_time", "args": {}}}, "unknown keys"),
        ({"tool_call": {"arguments": {}}}, "needs the method name"),
    ],
)
def test_bad_tool_calls_are_refused_with_what_to_fix(kwargs, match: str) -> None:
    weather = actionkit.load(WEATHER, id="weather_refused")
    with pytest.raises(SimulationError, match=match):
        simulate(weather, **kwargs)


def test_tool_call_on_a_function_is_refused() -> None:
    fn = actionkit.load(
        "class Action:\n    async def action(self, body):\n        return body\n", id="an_action"
    )
    with pytest.raises(SimulationError, match="tool_call= is for Tools"):
        simulate(fn, tool_call={"name": "x"})


def test_a_stored_tool_is_found_by_id_even_when_a_function_shares_it(tmp_path) -> None:
    store = Store(tmp_path / "s.db")
    store.save(actionkit.load(WEATHER, id="shared"))
    store.save(
        actionkit.load("class Action:\n    async def action(self, body):\n        return 'fn'\n", id="shared")
    )
    assert simulate("shared", store=store).result == "fn"
    assert simulate("shared", tool_call={"name": "get_time"}, store=store).tool_message == "12:00 UTC"


def test_the_instance_lives_on_between_calls_as_in_the_hosts_cache() -> None:
    weather = actionkit.load(WEATHER, id="weather_instance")
    for _ in range(2):
        simulate(weather, tool_call={"name": "get_weather", "arguments": {"city": "x"}})
    assert weather.instance.calls == 2


def test_the_transcript_shows_the_call_and_the_message_the_model_gets() -> None:
    weather = actionkit.load(WEATHER, id="weather_text")
    text = simulate(weather, tool_call={"name": "get_time", "arguments": {"zone": "CET"}}).transcript()
    assert text.splitlines()[:3] == [
        "tool weather_text.get_time: ok",
        '  call get_time {"zone":"CET"}',
        "tool message (completed): 12:00 CET",
    ]


def test_given_user_valves_that_no_longer_validate_fail_the_whole_request() -> None:
    weather = actionkit.load(WEATHER, id="weather_stale_given")
    sim = simulate(weather, tool_call={"name": "get_time"}, user_valves={"city_prefix": ["x"]})
    assert not sim.ok and sim.tool_message is None and "city_prefix" in (sim.error or "")


def test_reserved_arguments_the_host_never_gives_a_tool_are_warned_about() -> None:
    source = (
        "class Tools:\n"
        "    def ask(self, __tools__=None, __usr__=None) -> str:\n"
        '        """Ask."""\n'
        "        return str(__tools__)\n"
    )
    sim = simulate(actionkit.load(source, id="reserved_tool"), tool_call={"name": "ask"})
    assert sim.tool_message == "None"
    assert any("__tools__, which Open WebUI 0.12.4 does not pass to tools" in w for w in sim.warnings)
    assert any("__usr__ (did you mean '__user__'?)" in w for w in sim.warnings)
