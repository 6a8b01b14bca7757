"""Event functions are called as ``events.py::dispatch_event_functions`` calls them in 0.12.4, for
the payload ``build_event`` makes (checked against the real package by the conformance suite)."""

from __future__ import annotations

import json

import pytest

import actionkit
from actionkit import SimulationError
from actionkit.host import EVENT_ID, EVENT_NAMES, FIXED_TIME
from actionkit.runtimes import simulate
from actionkit.view import FunctionCard

HEAD = '"""\ntitle: {title}\n"""\nimport json\nfrom pydantic import BaseModel\n\n\n'
NAMED = (
    "class Event:\n"
    "    class Valves(BaseModel):\n"
    "        tag: str = 'default'\n"
    "        note: str | None = 'kept'\n\n"
    "    def __init__(self):\n"
    "        self.valves = self.Valves(tag='from-init')\n"
    "        self.calls = []\n\n"
    "    async def event(self, event: dict, __event_name__: str, __id__: str, __event__=None,\n"
    "                    __event_id__=None, __app__=None, __request__=None, __user__=None):\n"
    "        self.calls.append({'event': event, 'name': __event_name__, 'id': __id__,\n"
    "            'object': type(__event__).__name__, 'dump': __event__.model_dump() == event,\n"
    "            'event_id': __event_id__, 'app': hasattr(__app__, 'state'),\n"
    "            'request': None if __request__ is None else __request__.method, 'user': __user__,\n"
    "            'valves': self.valves.model_dump()})\n"
)
KWARGS = "class Event:\n    def event(self, **kwargs):\n        self.got = sorted(kwargs)\n"


def load(body: str, title: str = "Audit") -> actionkit.Function:
    return actionkit.load(HEAD.format(title=title) + body)


def seen(fn: actionkit.Function) -> dict:
    return fn.instance.calls[-1]


def test_event_gets_the_payload_and_the_arguments_it_names_like_the_host() -> None:
    fn = load(NAMED)
    sim = simulate(fn, event="chat.created", valves={"tag": "stored", "note": None})
    assert sim.ok and sim.kind == "event" and sim.hook == "event"
    got = seen(fn)
    assert got["event"] == {
        "schema": "0.12.4",
        "id": EVENT_ID,
        "event": "chat.created",
        "resource": "chat",
        "operation": "created",
        "created_at": FIXED_TIME,
        "instance_id": None,
        "version": "0.12.4",
        "source": "api",
        "actor": {
            "id": "user",
            "name": "User",
            "email": "user@example.com",
            "role": "admin",
            "created_at": FIXED_TIME,
            "updated_at": FIXED_TIME,
            "type": "user",
        },
        "subject": None,
        "data": {},
        "message": None,
    }
    assert got | {"event": None} == {
        "event": None,
        "name": "chat.created",
        "id": "audit",
        "object": "Event",
        "dump": True,
        "event_id": EVENT_ID,
        "app": True,
        "request": "POST",
        "user": None,  # never passed to Event functions
        "valves": {"tag": "stored", "note": "kept"},  # what is stored replaces what __init__ set
    }
    assert sim.inputs["arguments"] == [
        "event",
        "__id__",
        "__event__",
        "__event_id__",
        "__event_name__",
        "__app__",
        "__request__",
    ]
    assert any("asks for __user__" in w for w in sim.warnings)


def test_a_kwargs_handler_gets_every_offered_argument() -> None:
    fn = load(KWARGS)
    assert simulate(fn, event="chat.finished").ok
    expected = ["__app__", "__event__", "__event_id__", "__event_name__", "__id__", "__request__", "event"]
    assert fn.instance.got == expected
    assert not [w for w in simulate(fn, event="chat.finished").warnings if "kwargs" in w]


def test_system_events_have_no_actor_and_no_request() -> None:
    fn = load(NAMED)
    simulate(fn, event="system.startup.started")
    got = seen(fn)
    assert got["event"]["actor"] is None and got["event"]["source"] == "system"
    assert got["request"] is None and got["app"] is True


def test_given_fields_are_built_into_the_payload_as_build_event_does() -> None:
    fn = load(NAMED)
    sim = simulate(
        fn,
        event={
            "event": "knowledge.file.added",
            "subject": {"id": "kb1"},
            "actor": {"id": "x", "name": "X", "role": "user", "bio": "dropped", "api_key": "k"},
            "source": "admin",
            "message": "hi",
            "id": "evt-1",
            "created_at": 5,
            "data": {
                "name": "n",
                "api_key": "sk-1",
                "nested": {"access_token": "t", "ok": 1, "items": [{"client_secret": "s", "keep": 2}]},
                "long": "a" * 1001,
            },
        },
        user={"id": "ignored"},
    )
    event = seen(fn)["event"]
    assert (event["resource"], event["operation"]) == ("knowledge.file", "added")
    assert event["subject"] == {"type": "knowledge.file", "id": "kb1"}
    assert event["actor"] == {"id": "x", "name": "X", "role": "user", "type": "user"}
    assert (event["source"], event["message"], event["id"], event["created_at"]) == (
        "admin",
        "hi",
        "evt-1",
        5,
    )
    assert event["data"] == {
        "name": "n",
        "nested": {"ok": 1, "items": [{"keep": 2}]},
        "long": "a" * 1000 + "...",
    }
    assert (
        "Open WebUI 0.12.4 drops secret-looking keys from event data, so the function gets it without "
        "api_key, nested.access_token, nested.items[0].client_secret"
    ) in sim.warnings
    assert "Open WebUI 0.12.4 cuts strings in event data to 1000 characters plus '...': long" in sim.warnings
    assert "sk-1" not in json.dumps(sim.to_dict())


def test_what_event_raises_is_the_error_and_the_host_only_logs_it() -> None:
    fn = load("class Event:\n    def event(self, event):\n        raise KeyError(event['event'])\n")
    sim = simulate(fn, event="user.deleted")
    assert not sim.ok and sim.error == "'user.deleted'"
    assert "KeyError" in (sim.traceback or "")
    assert "Open WebUI only logs this ('Event function failed for audit')" in sim.warnings[-1]
    assert sim.message["error"] is None  # no chat message belongs to an application event


@pytest.mark.parametrize(
    ("body", "warning"),
    [
        ("    def event(self, event):\n        return 'x'\n", "event() returned a str: Open WebUI discards"),
        (
            "    def event(self, event):\n        async def later():\n            pass\n        return later()\n",
            "event() returned a coroutine, which Open WebUI never awaits",
        ),
        ("    pass\n", "audit has no event() method: Open WebUI skips it for every event"),
    ],
    ids=["value", "coroutine", "no_method"],
)
def test_what_the_host_ignores_is_a_warning(body: str, warning: str) -> None:
    sim = simulate(load("class Event:\n" + body), event="model.created")
    assert sim.ok and sim.result is None
    assert any(w.startswith(warning) for w in sim.warnings)


@pytest.mark.parametrize(
    ("event", "message"),
    [
        (None, 'pass the event, e.g. event="chat.created"'),
        ("chat.creatd", "unknown event 'chat.creatd' (did you mean 'chat.created'?)"),
        (["chat.created"], "event must be an event name or a dict"),
        ({"data": {}}, "needs the event name as 'event'"),
        ({"event": "chat.created", "resource": "x"}, "event resource 'x' does not match 'chat.created'"),
        ({"event": "chat.created", "payload": {}}, "unknown field(s) payload"),
        ({"event": "chat.created", "data": []}, "event data must be a dict"),
        ({"event": "chat.created", "subject": {"kind": "x"}}, "subject holds only 'type' and 'id'"),
        ({"event": "chat.created", "created_at": "later"}, "does not make a valid payload"),
    ],
)
def test_a_bad_event_says_what_to_fix(event: object, message: str) -> None:
    with pytest.raises(SimulationError) as info:
        simulate(load(KWARGS), event=event)
    assert message in str(info.value)


@pytest.mark.parametrize(
    "option",
    [
        {"body": {"messages": []}},
        {"sub_id": "x"},
        {"stream": True},
        {"user_valves": {"a": 1}},
        {"replies": [True]},
        {"model": "gpt-4o"},
        {"metadata": {}},
        {"task": "title_generation"},
        {"files": []},
        {"hook": "inlet"},
    ],
    ids=lambda option: next(iter(option)),
)
def test_chat_options_are_refused_for_event_functions(option: dict) -> None:
    with pytest.raises(SimulationError):
        simulate(load(KWARGS), event="chat.created", **option)


def test_event_is_refused_for_other_functions_with_the_stream_filter_hint() -> None:
    stream_filter = actionkit.load(
        '"""\ntitle: Streamer\n"""\nclass Filter:\n    def stream(self, event):\n        return event\n'
    )
    with pytest.raises(SimulationError, match="a stream filter's event is the body"):
        simulate(stream_filter, event="chat.created")


def test_an_event_never_published_is_named_in_a_warning() -> None:
    sim = simulate(load(KWARGS), event="notification.test")
    assert (
        "notification.test is in Open WebUI 0.12.4's catalog, but 0.12.4 never publishes it" in sim.warnings
    )


def test_the_transcript_and_the_card_show_the_event() -> None:
    fn = load(KWARGS)
    sim = simulate(fn, event="file.uploaded")
    assert sim.transcript().splitlines()[0] == "event audit on file.uploaded: ok"
    assert "on file.uploaded" in sim._repr_mimebundle_()["text/html"]
    card = FunctionCard(fn)._repr_mimebundle_()["text/plain"].splitlines()
    assert card[1] == (
        "  event(event, __id__, __event__, __event_id__, __event_name__, __app__, __request__): called for "
        "every application event Open WebUI 0.12.4 publishes (chat.created, user.updated, file.uploaded …)"
    )
    assert {"chat.created", "user.updated", "file.uploaded"} <= set(EVENT_NAMES)


def test_an_event_call_is_recorded_and_replayed_as_a_case(tmp_path) -> None:
    from actionkit.testing import run_cases

    fn = load("class Event:\n    def event(self, event):\n        raise ValueError(event['data']['n'])\n")
    sim = simulate(fn, event={"event": "chat.created", "data": {"n": 1}})
    path = sim.save_case(tmp_path)
    assert json.loads(path.read_text())["call"]["event"] == {"event": "chat.created", "data": {"n": 1}}
    report = run_cases([str(path)])
    assert report.ok, report.summary()
