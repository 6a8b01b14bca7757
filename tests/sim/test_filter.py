"""Filter hooks run like open_webui.utils.filter.process_filter_function in 0.12.4."""

from __future__ import annotations

import pytest

import actionkit
from actionkit import SimulationError
from actionkit.runtimes import simulate

NAMES = (
    "__event_emitter__",
    "__event_call__",
    "__user__",
    "__metadata__",
    "__model__",
    "__request__",
    "__oauth_token__",
    "__chat_id__",
    "__message_id__",
    "__id__",
    "__body__",
    "__features__",
    "__session_id__",
    "__task__",
    "__files__",
    "__tools__",
)
SIG = ", ".join(f"{n}='-'" for n in NAMES)


def _probe(hook: str) -> str:
    first = "event" if hook == "stream" else "body"
    return (
        f"class Filter:\n    async def {hook}(self, {first}, {SIG}):\n"
        f"        got = {{n: v for n, v in locals().items() if n.startswith('__') and v != '-'}}\n"
        f"        return {{'received': sorted(got), 'values': got}}\n"
    )


@pytest.mark.parametrize(
    ("hook", "expected"),
    [
        (
            "inlet",
            [
                "__chat_id__",
                "__event_call__",
                "__event_emitter__",
                "__id__",
                "__message_id__",
                "__metadata__",
                "__model__",
                "__oauth_token__",
                "__request__",
                "__user__",
            ],
        ),
        (
            "request",
            [
                "__chat_id__",
                "__event_call__",
                "__event_emitter__",
                "__features__",
                "__id__",
                "__message_id__",
                "__metadata__",
                "__model__",
                "__oauth_token__",
                "__request__",
                "__user__",
            ],
        ),
        (
            "stream",
            [
                "__body__",
                "__chat_id__",
                "__event_call__",
                "__event_emitter__",
                "__id__",
                "__message_id__",
                "__metadata__",
                "__model__",
                "__oauth_token__",
                "__request__",
                "__user__",
            ],
        ),
        (
            "outlet",
            [
                "__event_call__",
                "__event_emitter__",
                "__id__",
                "__metadata__",
                "__model__",
                "__request__",
                "__user__",
            ],
        ),
    ],
    ids=["inlet", "request", "stream", "outlet"],
)
def test_each_hook_receives_exactly_what_the_host_offers(hook: str, expected: list[str]) -> None:
    sim = simulate(actionkit.load(_probe(hook), id="probe"), hook=hook)
    assert sim.ok, sim.error
    assert sim.result["received"] == expected
    assert sim.result["values"].get("__oauth_token__", "absent") in (None, "absent")
    not_offered = set(NAMES) - set(expected)
    assert all(any(name in w for w in sim.warnings) for name in not_offered)


def test_filter___id___is_the_filter_id_and_metadata_is_the_body_metadata() -> None:
    src = (
        "class Filter:\n    def inlet(self, body, __id__, __metadata__, __chat_id__, __message_id__):\n"
        "        return [__id__, __metadata__ is body['metadata'], __chat_id__, __message_id__]\n"
    )
    sim = simulate(actionkit.load(src, id="f1"))
    assert sim.result == [
        "f1",
        True,
        "00000000-0000-4000-8000-00000000c4a7",
        "00000000-0000-4000-8000-0000000000a2",
    ]


def test_inlet_return_value_replaces_the_body() -> None:
    src = (
        "class Filter:\n    def inlet(self, body):\n"
        "        body['messages'][-1]['content'] += '!'\n        return body\n"
    )
    sim = simulate(actionkit.load(src, id="bang"), {"messages": [{"role": "user", "content": "hi"}]})
    assert sim.result["messages"] == [{"role": "user", "content": "hi!"}]
    assert sim.result["model"] == "gpt-4o-mini"
    assert "metadata" in sim.result


def test_given_body_is_not_mutated() -> None:
    src = "class Filter:\n    def inlet(self, body):\n        body['messages'].clear()\n        return body\n"
    body = {"messages": [{"role": "user", "content": "hi"}]}
    simulate(actionkit.load(src, id="clear"), body)
    assert body == {"messages": [{"role": "user", "content": "hi"}]}


def test_stream_hook_gets_the_chunk_as_event_and_the_request_as___body__() -> None:
    src = (
        "class Filter:\n    def stream(self, event, __body__):\n"
        "        event['choices'][0]['delta']['content'] = event['choices'][0]['delta']['content'].upper()\n"
        "        return {'event': event, 'model': __body__['model']}\n"
    )
    sim = simulate(actionkit.load(src, id="up"), hook="stream")
    assert sim.result["event"]["choices"][0]["delta"]["content"] == "HELLO"
    assert sim.result["event"]["object"] == "chat.completion.chunk"
    assert sim.result["model"] == "gpt-4o-mini"


def test_stream_returning_nothing_notes_the_dropped_chunk() -> None:
    src = "class Filter:\n    def stream(self, event):\n        return None\n"
    sim = simulate(actionkit.load(src, id="drop"), hook="stream")
    assert sim.result is None
    assert any("drops this chunk" in w for w in sim.warnings)


def test_outlet_gets_the_synthetic_body_and_its_message_edits_patch_the_message() -> None:
    src = (
        "class Filter:\n    def outlet(self, body):\n"
        "        body['messages'][-1]['content'] += ' (checked)'\n        return body\n"
    )
    sim = simulate(actionkit.load(src, id="out"), hook="outlet")
    assert sorted(sim.inputs["body"]) == ["chat_id", "filter_ids", "id", "messages", "model", "session_id"]
    assert sim.content == "Hello! How can I help you today? (checked)"


def test_request_hook_body_has_no_features_but___features___has_them() -> None:
    src = (
        "class Filter:\n    def request(self, body, __features__):\n"
        "        return ['features' in body, __features__]\n"
    )
    sim = simulate(actionkit.load(src, id="rq"), hook="request")
    assert sim.result[0] is False
    assert sim.result[1]["web_search"] is False


def test_filter_receives_user_valves_and_admin_valves() -> None:
    src = (
        "from pydantic import BaseModel\nclass Filter:\n"
        "    class Valves(BaseModel):\n        priority: int = 0\n        tag: str = 'T'\n"
        "    class UserValves(BaseModel):\n        x: int = 1\n"
        "    def __init__(self):\n        self.valves = self.Valves()\n"
        "    def inlet(self, body, __user__):\n        return [self.valves.tag, __user__['valves'].x]\n"
    )
    sim = simulate(actionkit.load(src, id="vv"), valves={"tag": "Z"}, user_valves={"x": 7})
    assert sim.result == ["Z", 7]


def test_file_handler_removes_files_from_body_and_metadata() -> None:
    src = "class Filter:\n    file_handler = True\n    def inlet(self, body):\n        return body\n"
    sim = simulate(actionkit.load(src, id="fh"), files=[{"type": "file", "id": "f1"}])
    assert sim.inputs["body"]["files"] == [{"type": "file", "id": "f1"}]
    assert "files" not in sim.result and "files" not in sim.result["metadata"]


def test_filter_exception_is_reraised_text() -> None:
    src = "class Filter:\n    def inlet(self, body):\n        raise RuntimeError('nope')\n"
    sim = simulate(actionkit.load(src, id="bad"))
    assert not sim.ok and sim.error == "nope"
    assert sim.traceback is not None and "line 3, in inlet" in sim.traceback


def test_hook_defaults_to_inlet_else_the_only_hook() -> None:
    both = "class Filter:\n    def inlet(self, body):\n        return 'in'\n    def outlet(self, body):\n        return 'out'\n"
    only = "class Filter:\n    def outlet(self, body):\n        return 'out'\n"
    assert simulate(actionkit.load(both, id="both")).result == "in"
    assert simulate(actionkit.load(only, id="only")).result == "out"


@pytest.mark.parametrize(
    ("hook", "explanation"),
    [
        pytest.param("inlet", ["no inlet() hook", "outlet"], id="missing-hook-names-the-hooks-it-has"),
        pytest.param("outlett", ["did you mean 'outlet'"], id="misspelled-hook-suggests-the-right-one"),
    ],
)
def test_hook_the_filter_lacks_is_a_clear_error(hook: str, explanation: list[str]) -> None:
    only = "class Filter:\n    def outlet(self, body):\n        return body\n"
    with pytest.raises(SimulationError) as info:
        simulate(actionkit.load(only, id="only"), hook=hook)
    for words in explanation:
        assert words in str(info.value)


def test_inlet_body_without_messages_is_rejected() -> None:
    src = "class Filter:\n    def inlet(self, body):\n        return body\n"
    with pytest.raises(SimulationError) as info:
        simulate(actionkit.load(src, id="nomsg"), {"model": "x"})
    assert "messages" in str(info.value)


def test_sub_id_on_a_filter_is_rejected() -> None:
    src = "class Filter:\n    def inlet(self, body):\n        return body\n"
    with pytest.raises(SimulationError):
        simulate(actionkit.load(src, id="f"), sub_id="x")


def test_filter_events_land_on_the_assistant_message() -> None:
    src = (
        "class Filter:\n    async def inlet(self, body, __event_emitter__):\n"
        "        await __event_emitter__({'type': 'status', 'data': {'description': 'Checking', 'done': True}})\n"
        "        return body\n"
    )
    sim = simulate(actionkit.load(src, id="st"))
    assert sim.message["statusHistory"] == [{"description": "Checking", "done": True}]
