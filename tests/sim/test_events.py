"""Events and event calls: recorded exactly as emitted, checked against what the page understands,
and replayed onto the message like the 0.12.4 page does."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

import actionkit
from actionkit import SimulationError
from actionkit.runtimes import simulate

EMITTER = """
class Action:
    async def action(self, body, __event_emitter__):
        for event in EVENTS:
            await __event_emitter__(event)
"""


def emit(*events: Any, **kwargs: Any) -> actionkit.Simulation:
    fn = actionkit.load(EMITTER, id="emitter")
    fn.module.EVENTS = list(events)
    return simulate(fn, **kwargs)


def status(description: str, done: bool = False) -> dict[str, Any]:
    return {"type": "status", "data": {"description": description, "done": done}}


def test_events_are_recorded_in_order_exactly_as_emitted() -> None:
    events = [status("a"), {"type": "message", "data": {"content": "x"}}, status("b", True)]
    sim = emit(*events)
    assert sim.events == events
    assert sim.warnings == []


def test_events_are_copied_at_emit_time() -> None:
    src = (
        "class Action:\n    async def action(self, body, __event_emitter__):\n"
        "        event = {'type': 'status', 'data': {'description': 'one', 'done': False}}\n"
        "        await __event_emitter__(event)\n"
        "        event['data']['description'] = 'two'\n"
        "        nested = {'type': 'files', 'data': {'files': [{'url': 'a'}]}}\n"
        "        await __event_emitter__(nested)\n"
        "        nested['data']['files'].append({'url': 'b'})\n"
    )
    sim = simulate(actionkit.load(src, id="mutate"))
    assert sim.events[0]["data"]["description"] == "one"
    assert sim.events[1]["data"]["files"] == [{"url": "a"}]


def test_events_built_in_the_call_but_holding_shared_values_are_copied_too() -> None:
    src = (
        "class Action:\n    async def action(self, body, __event_emitter__):\n"
        "        data = {'description': 'one', 'done': False}\n"
        "        await __event_emitter__({'type': 'status', 'data': data})\n"
        "        data['description'] = 'changed'\n"
        "        urls = ['a']\n"
        "        await __event_emitter__({'type': 'status', 'data': {'description': 'x', 'urls': urls}})\n"
        "        urls.append('b')\n"
        "        for i in range(3):\n"
        "            await __event_emitter__({'type': 'message', 'data': {'content': str(i)}})\n"
    )
    sim = simulate(actionkit.load(src, id="shared"))
    assert sim.events[0]["data"]["description"] == "one"
    assert sim.events[1]["data"]["urls"] == ["a"]
    assert [e["data"]["content"] for e in sim.events[2:]] == ["0", "1", "2"]


@pytest.mark.parametrize(
    ("events", "key", "expected"),
    [
        (
            [status("a"), status("b", True)],
            "statusHistory",
            [{"description": "a", "done": False}, {"description": "b", "done": True}],
        ),
        (
            [{"type": "message", "data": {"content": " more"}}],
            "content",
            "Hello! How can I help you today? more",
        ),
        (
            [{"type": "chat:message:delta", "data": {"content": "!"}}],
            "content",
            "Hello! How can I help you today?!",
        ),
        ([{"type": "replace", "data": {"content": "new"}}], "content", "new"),
        ([{"type": "chat:message", "data": {"content": "new"}}], "content", "new"),
        (
            [{"type": "files", "data": {"files": [{"type": "image", "url": "u"}]}}],
            "files",
            [{"type": "image", "url": "u"}],
        ),
        (
            [{"type": "chat:message:files", "data": {"files": [{"type": "file", "url": "f"}]}}],
            "files",
            [{"type": "file", "url": "f"}],
        ),
        (
            [
                {"type": "embeds", "data": {"embeds": ["<b>1</b>"]}},
                {"type": "embeds", "data": {"embeds": ["<b>2</b>"]}},
            ],
            "embeds",
            ["<b>2</b>"],
        ),
        (
            [{"type": "chat:message:embeds", "data": {"embeds": ["https://x"], "replace": True}}],
            "embeds",
            ["https://x"],
        ),
        (
            [
                {
                    "type": "source",
                    "data": {"source": {"name": "doc"}, "document": ["t"], "metadata": [{"source": "doc"}]},
                }
            ],
            "sources",
            [{"source": {"name": "doc"}, "document": ["t"], "metadata": [{"source": "doc"}]}],
        ),
        (
            [{"type": "citation", "data": {"source": {"name": "c"}, "document": ["t"]}}],
            "sources",
            [{"source": {"name": "c"}, "document": ["t"]}],
        ),
        (
            [
                {"type": "source", "data": {"type": "code_execution", "id": "r1", "code": "1"}},
                {"type": "source", "data": {"type": "code_execution", "id": "r1", "code": "2"}},
            ],
            "code_executions",
            [{"type": "code_execution", "id": "r1", "code": "2"}],
        ),
        (
            [{"type": "notification", "data": {"type": "success", "content": "Saved"}}],
            "notifications",
            [{"type": "success", "content": "Saved"}],
        ),
        ([{"type": "chat:title", "data": "New title"}], "title", "New title"),
        (
            [{"type": "chat:message:error", "data": {"error": {"content": "bad"}}}],
            "error",
            {"content": "bad"},
        ),
        ([{"type": "chat:message:follow_ups", "data": {"follow_ups": ["Why?"]}}], "followUps", ["Why?"]),
        ([{"type": "chat:message:favorite", "data": {"favorite": True}}], "favorite", True),
        ([{"type": "chat:message:tasks", "data": {"tasks": [{"id": 1}]}}], "tasks", [{"id": 1}]),
        (
            [{"type": "chat:completion", "data": {"content": "done text", "done": True}}],
            "content",
            "done text",
        ),
        (
            [
                {
                    "type": "chat:outlet",
                    "data": {
                        "messages": [{"id": "00000000-0000-4000-8000-0000000000a2", "content": "patched"}]
                    },
                }
            ],
            "content",
            "patched",
        ),
    ],
    ids=[
        "status",
        "message",
        "chat:message:delta",
        "replace",
        "chat:message",
        "files",
        "chat:message:files",
        "embeds",
        "chat:message:embeds",
        "source",
        "citation",
        "code_execution",
        "notification",
        "chat:title",
        "chat:message:error",
        "chat:message:follow_ups",
        "chat:message:favorite",
        "chat:message:tasks",
        "chat:completion",
        "chat:outlet",
    ],
)
def test_each_event_type_changes_the_message_like_the_page(
    events: list[dict[str, Any]], key: str, expected: Any
) -> None:
    sim = emit(*events)
    assert sim.message[key] == expected
    assert sim.warnings == []


@pytest.mark.parametrize(
    "kind",
    ["chat:tasks:cancel", "chat:active", "context_compaction", "terminal:display_file", "chat:message:voice"],
)
def test_host_internal_event_types_are_known(kind: str) -> None:
    sim = emit({"type": kind, "data": {}})
    assert not any("unknown event type" in w for w in sim.warnings)


def test_chat_tags_is_accepted_and_changes_nothing() -> None:
    sim = emit({"type": "chat:tags", "data": {}})
    assert sim.warnings == [] and sim.content == "Hello! How can I help you today?"


def test_unknown_event_type_warns_with_did_you_mean() -> None:
    sim = emit({"type": "stauts", "data": {"description": "x", "done": False}})
    assert sim.warnings == [
        "event 1 (stauts): unknown event type 'stauts' (did you mean 'status'?): Open WebUI ignores it"
    ]
    assert sim.message["statusHistory"] == []


@pytest.mark.parametrize(
    ("event", "fragment"),
    [
        ({"type": "status", "data": {"description": "x", "done": "yes"}}, "'done' must be True or False"),
        ({"type": "status", "data": {"descripton": "x"}}, "did you mean 'description'"),
        ({"type": "status", "data": "working"}, "data must be a dict"),
        ({"type": "message", "data": {"text": "x"}}, "no 'content'"),
        ({"type": "message", "data": {"content": 5}}, "'content' should be a string"),
        ({"type": "files", "data": {"files": "a.png"}}, "'files' must be a list"),
        ({"type": "embeds", "data": {"embeds": [1]}}, "HTML text or URLs"),
        (
            {"type": "source", "data": {"document": ["a", "b"], "metadata": [{}], "source": {"name": "n"}}},
            "2 documents but 1 metadata",
        ),
        ({"type": "notification", "data": {"type": "danger", "content": "x"}}, "is not one of"),
        ({"type": "chat:title", "data": {"title": "x"}}, "title as a string"),
        ({"type": "chat:message:follow_ups", "data": {"follow_ups": "why"}}, "must be a list"),
        ({"type": "confirmation", "data": {"title": "t"}}, "use `await __event_call__"),
        ({"data": {"x": 1}}, "has no 'type'"),
        ({"type": "status", "data": {"description": "x"}, "extra": 1}, "unexpected top-level keys"),
        (
            {"type": "status", "data": {"description": {1, 2}}},
            "not JSON-serialisable (set at data.description)",
        ),
    ],
    ids=[
        "done-not-bool",
        "key-typo",
        "data-not-dict",
        "message-no-content",
        "content-not-str",
        "files-not-list",
        "embed-not-str",
        "source-mismatch",
        "notification-type",
        "title-not-str",
        "follow-ups",
        "confirmation-as-event",
        "no-type",
        "extra-key",
        "not-json",
    ],
)
def test_wrong_data_shapes_become_warnings(event: dict[str, Any], fragment: str) -> None:
    sim = emit(event)
    assert sim.ok
    assert any(fragment in w for w in sim.warnings), sim.warnings


def test_message_without_content_appends_undefined_like_javascript() -> None:
    sim = emit({"type": "message", "data": {}})
    assert sim.content.endswith("undefined")


def test_message_with_number_content_is_coerced_like_javascript() -> None:
    sim = emit({"type": "message", "data": {"content": 2.0}}, {"type": "message", "data": {"content": None}})
    assert sim.content.endswith("2null")


def test_emitting_a_non_dict_fails_inside_the_function_like_the_host() -> None:
    sim = emit("hello")
    assert sim.error == "Error: 'str' object has no attribute 'get'"


def test_identical_shapes_are_checked_once_but_warn_per_event() -> None:
    sim = emit(*[{"type": "status", "data": {"description": "x", "done": "no"}}] * 3)
    assert len(sim.warnings) == 3


def test_a_notification_of_an_unknown_type_is_warned_about_after_a_valid_one() -> None:
    sim = emit(
        {"type": "notification", "data": {"type": "success", "content": "a"}},
        {"type": "notification", "data": {"type": "danger", "content": "b"}},
    )
    assert len(sim.warnings) == 1
    assert sim.warnings[0].startswith("event 2 (notification): notification type 'danger' is not one of")


CALLER = """
class Action:
    async def action(self, body, __event_call__, __event_emitter__):
        answers = []
        for call in CALLS:
            await __event_emitter__({"type": "status", "data": {"description": call["type"], "done": False}})
            answers.append(await __event_call__(call))
        return answers
"""
CONFIRM = {"type": "confirmation", "data": {"title": "Sure?", "message": "Delete it?"}}
INPUT = {"type": "input", "data": {"title": "Name", "message": "Your name", "placeholder": "…"}}
EXECUTE = {"type": "execute", "data": {"code": "return 1 + 1"}}


def call(*calls: dict[str, Any], **kwargs: Any) -> actionkit.Simulation:
    fn = actionkit.load(CALLER, id="caller")
    fn.module.CALLS = list(calls)
    return simulate(fn, **kwargs)


def test_replies_answer_calls_in_order() -> None:
    sim = call(CONFIRM, INPUT, EXECUTE, replies=[True, "Ada", 2])
    assert sim.result == [True, "Ada", 2]
    assert sim.event_calls == [
        {"type": "confirmation", "data": CONFIRM["data"], "reply": True},
        {"type": "input", "data": INPUT["data"], "reply": "Ada"},
        {"type": "execute", "data": EXECUTE["data"], "reply": 2},
    ]
    assert sim.warnings == []


def test_calls_and_events_are_interleaved_in_the_transcript() -> None:
    sim = call(CONFIRM, INPUT, replies=[False, "x"])
    lines = sim.transcript().splitlines()
    assert lines[1].startswith("  status: confirmation")
    assert lines[2].startswith("  call confirmation:") and lines[2].endswith("-> false")
    assert lines[3].startswith("  status: input")
    assert lines[4].startswith("  call input:")


def test_replies_callable_gets_each_call() -> None:
    seen: list[str] = []

    def answer(event: dict[str, Any]) -> Any:
        seen.append(event["type"])
        return True if event["type"] == "confirmation" else "typed"

    sim = call(CONFIRM, INPUT, replies=answer)
    assert sim.result == [True, "typed"] and seen == ["confirmation", "input"]


def test_async_replies_callable_is_awaited() -> None:
    async def answer(event: dict[str, Any]) -> Any:
        await asyncio.sleep(0)
        return False

    assert call(CONFIRM, replies=answer).result == [False]


def test_running_out_of_replies_answers_disconnected_and_warns() -> None:
    sim = call(CONFIRM, INPUT, replies=[True])
    assert sim.result == [True, {"error": "Client session disconnected."}]
    assert any("replies ran out" in w for w in sim.warnings)


def test_no_replies_at_all_answers_disconnected() -> None:
    sim = call(CONFIRM)
    assert sim.result == [{"error": "Client session disconnected."}]
    assert any("no replies= given" in w for w in sim.warnings)


@pytest.mark.parametrize(
    ("calls", "replies", "fragment"),
    [
        ([CONFIRM], ["yes"], "is not a bool"),
        ([INPUT], [True], "neither a string nor False"),
        ([EXECUTE], [{1, 2}], "not JSON-serialisable"),
    ],
    ids=["confirmation", "input", "execute"],
)
def test_replies_of_the_wrong_kind_warn(
    calls: list[dict[str, Any]], replies: list[Any], fragment: str
) -> None:
    sim = call(*calls, replies=replies)
    assert any(fragment in w for w in sim.warnings), sim.warnings


def test_replies_that_are_neither_list_nor_callable_are_rejected() -> None:
    with pytest.raises(SimulationError):
        call(CONFIRM, replies="yes")


def test_unknown_call_type_warns() -> None:
    sim = call({"type": "confirm", "data": {"title": "x"}}, replies=[True])
    assert any("did you mean 'confirmation'" in w for w in sim.warnings)


def test_replies_callable_that_raises_is_reported() -> None:
    def broken(event: dict[str, Any]) -> Any:
        raise KeyError("oops")

    sim = call(CONFIRM, replies=broken)
    assert sim.result == [{"error": "Client session disconnected."}]
    assert any("replies callable raised KeyError" in w for w in sim.warnings)


def test_events_are_recorded_as_they_were_at_emit_time_even_when_the_function_changes_them_later() -> None:
    source = (
        "class Action:\n"
        "    async def action(self, body, __event_emitter__):\n"
        "        items = ['a']\n"
        "        await __event_emitter__({'type': 'status', 'data': {'description': 'x', 'items': items}})\n"
        "        items.append('b')\n"
        "        shared = {'description': 'first'}\n"
        "        await __event_emitter__({'type': 'status', 'data': shared})\n"
        "        shared['description'] = 'changed'\n"
        "        event = {'type': 'status', 'data': {'description': 'whole'}}\n"
        "        await __event_emitter__(event)\n"
        "        event['data'] = {'description': 'replaced'}\n"
        "        fresh = [{'type': 'status', 'data': {'description': f'n{i}', 'done': False}} for i in range(2)]\n"
        "        for e in fresh:\n"
        "            await __event_emitter__(e)\n"
        "        fresh[0]['data']['done'] = True\n"
    )
    sim = simulate(actionkit.load(source, id="mutator"))
    assert [e["data"] for e in sim.events] == [
        {"description": "x", "items": ["a"]},
        {"description": "first"},
        {"description": "whole"},
        {"description": "n0", "done": False},
        {"description": "n1", "done": False},
    ]
