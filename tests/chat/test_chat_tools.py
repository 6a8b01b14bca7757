from __future__ import annotations

from collections.abc import Iterator

import pytest

import actionkit
from actionkit import Chat, MockModel, SimulationError
from tests._tool_sources import ASKS, SEARCH_A, SEARCH_B, WEATHER


def call(call_id: str, name: str, arguments: str) -> dict:
    return {"id": call_id, "type": "function", "function": {"name": name, "arguments": arguments}}


def ask(*calls: dict, content: str | None = None) -> dict:
    reply: dict = {"tool_calls": list(calls)}
    if content is not None:
        reply["content"] = content
    return reply


@pytest.fixture
def weather() -> actionkit.Tool:
    tool = actionkit.load(WEATHER, id="weather")
    assert isinstance(tool, actionkit.Tool)
    return tool


def test_a_turn_gives_the_model_the_tools_runs_its_call_and_sends_the_result_back(weather) -> None:
    llm = MockModel([ask(call("call_1", "get_weather", '{"city": "Oslo", "days": "2", "x": 1}')), "Cold."])
    turn = Chat(tools=[weather], llm=llm, valves={"weather": {"unit": "F"}}).send("Weather?")
    first, second = llm.calls
    assert first["tools"] == weather.tool_specs and second["tools"] == weather.tool_specs
    assert second["messages"] == [
        {"role": "user", "content": "Weather?"},
        {
            "role": "assistant",
            "content": "",
            "tool_calls": [call("call_1", "get_weather", '{"city":"Oslo","days":"2","x":1}')],
        },
        {
            "role": "tool",
            "tool_call_id": "call_1",
            "content": '{\n  "city": "Oslo",\n  "days": 2,\n  "unit": "F"\n}',
        },
    ]
    assert turn.content == "Cold." and turn.ok
    assert [item["type"] for item in turn.message["output"]] == [
        "function_call",
        "function_call_output",
        "message",
    ]
    assert turn.message["statusHistory"][0]["description"] == "looking up Oslo"
    step = turn.step("tool")
    assert step.name == "get_weather" and step.simulations[0].tool_status == "completed"


def test_rounds_go_on_until_the_model_answers_and_several_calls_run_in_order(weather) -> None:
    llm = MockModel(
        [
            ask(call("a", "get_time", '{"zone": "CET"}'), call("b", "get_time", "{}"), content="Checking."),
            ask(call("c", "get_weather", '{"city": "Rome"}')),
            "Done.",
        ]
    )
    turn = Chat(tools=[weather], llm=llm).send("Time?")
    assert len(llm.calls) == 3
    assert [s.name for s in turn.steps if s.stage == "tool"] == ["get_time", "get_time", "get_weather"]
    third = llm.calls[2]["messages"]
    assert [m["role"] for m in third] == ["user", "assistant", "tool", "tool", "assistant", "tool"]
    assert third[1]["content"] == "Checking."
    assert turn.content == "Checking.Done."


def test_names_clashing_across_tools_are_what_the_model_calls() -> None:
    a, b = actionkit.load(SEARCH_A, id="search_a"), actionkit.load(SEARCH_B, id="search_b")
    llm = MockModel(
        [ask(call("1", "search", '{"q": "x"}'), call("2", "search_b_search", '{"q": "y"}')), "Both."]
    )
    Chat(tools=[a, b], llm=llm).send("Search")
    assert [m["content"] for m in llm.calls[1]["messages"] if m["role"] == "tool"] == ["A:x", "B:y"]


def test_without_streaming_the_tool_calls_are_not_run(weather) -> None:
    llm = MockModel([ask(call("1", "get_time", "{}"))])
    turn = Chat(tools=[weather], llm=llm, stream=False).send("Time?")
    assert len(llm.calls) == 1 and not [s for s in turn.steps if s.stage == "tool"]


def test_a_model_that_never_stops_calling_hits_the_hosts_limit(weather) -> None:
    llm = MockModel([ask(call("1", "get_time", "{}"))], cycle=True)
    turn = Chat(tools=[weather], llm=llm).send("Loop")
    assert len(llm.calls) == 257
    assert turn.message["error"] == {"content": "Tool-call limit reached (256 iterations)."}


def test_event_calls_of_tools_are_answered_from_the_chats_replies() -> None:
    asks = actionkit.load(ASKS, id="asks")
    llm = MockModel([ask(call("1", "confirm", '{"item": "x"}')), "Ok."])
    turn = Chat(tools=[asks], llm=llm, replies=[True]).send("Delete x")
    assert llm.calls[1]["messages"][-1]["content"] == "deleted x"
    assert turn.step("tool").event_calls[0]["reply"] is True


def test_a_pipe_gets_the_tools_dict_as_the_host_builds_it(weather) -> None:
    pipe = actionkit.load(
        """
class Pipe:
    async def pipe(self, body: dict, __tools__: dict = None, __metadata__: dict = None) -> str:
        entry = __tools__["get_time"]
        said = await entry["callable"](zone="UTC")
        same = __metadata__["tools"] is __tools__
        return f"{sorted(__tools__)} {sorted(entry)} {said} {same} {[t['function']['name'] for t in body['tools']]}"
""",
        id="tool_pipe",
    )
    turn = Chat(pipe, tools=[weather]).send("hi")
    assert turn.content == (
        "['get_time', 'get_weather'] ['callable', 'metadata', 'spec', 'tool_id'] 12:00 UTC True "
        "['get_time', 'get_weather']"
    )


def test_tools_must_be_tools(weather) -> None:
    action = actionkit.load(
        "class Action:\n    async def action(self, body):\n        return body\n", id="act"
    )
    with pytest.raises(SimulationError, match="not a Tool"):
        Chat(tools=[action])


def test_the_turn_transcript_shows_each_call_and_its_result(weather) -> None:
    llm = MockModel([ask(call("1", "get_time", '{"zone": "CET"}')), "Noon."])
    text = Chat(tools=[weather], llm=llm).send("Time?").transcript()
    assert "  model  gpt-4o-mini: ok, mock model, 3 chunks, calls get_time" in text
    assert "  tool   get_time: completed: 12:00 CET" in text


@pytest.fixture
def stand_ins() -> Iterator[None]:
    from actionkit import standins

    standins.install()
    yield
    standins.uninstall()


def test_stand_ins_see_the_chats_tools(stand_ins, weather) -> None:
    pipe = actionkit.load(
        """
from open_webui.models.tools import Tools
from open_webui.utils.tools import get_tools


class Pipe:
    async def pipe(self, body: dict, __user__: dict = None, __request__=None) -> str:
        row = await Tools.get_tool_by_id("weather")
        tools = await get_tools(__request__, ["weather", "missing"], __user__, {"__user__": __user__})
        return f"{row.name} {row.meta.has_user_valves} {list(tools)}"
""",
        id="stand_in_pipe",
    )
    assert Chat(pipe, tools=[weather]).send("hi").content == "Weather True ['get_time', 'get_weather']"


def test_user_valves_that_no_longer_validate_fail_the_turn_before_the_model_is_asked(weather) -> None:
    llm = MockModel(["never asked"])
    turn = Chat(tools=[weather], llm=llm, user_valves={"weather": {"city_prefix": ["not", "text"]}}).send(
        "Hi"
    )
    assert llm.calls == [] and not turn.ok
    assert "city_prefix" in turn.message["error"]["content"]


def test_secret_valves_a_tool_echoes_are_masked_in_the_turn() -> None:
    source = WEATHER.replace('"unit": self.valves.unit}', '"unit": self.valves.api_key}')
    tool = actionkit.load(source, id="leaky")
    llm = MockModel([ask(call("1", "get_weather", '{"city": "x"}')), "ok"])
    turn = Chat(tools=[tool], llm=llm, valves={"leaky": {"api_key": "sk-secret-value"}}).send("go")
    assert "sk-secret-value" in llm.calls[1]["messages"][-1]["content"]  # the model gets it, as in the host
    assert "sk-secret-value" not in turn.transcript()
