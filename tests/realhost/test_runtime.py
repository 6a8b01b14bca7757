"""The real-runtime mode's parts that need no open-webui: the error when it is missing, the
recording emitter and caller, and that ``import actionkit`` never loads it. The runs through the real
package are in tests/conformance (marked ``conformance``)."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from typing import Any

import pytest

from actionkit.errors import SimulationError
from actionkit.realhost import is_available
from actionkit.realhost._events import NO_BROWSER_REPLY, Recorder

ACTION = '''"""
title: Runtime Probe
"""


class Action:
    async def action(self, body: dict):
        return "ran"
'''


@pytest.mark.skipif(is_available(), reason="this environment has the real open-webui")
def test_run_in_open_webui_without_the_package_raises_a_simulation_error_saying_how_to_install() -> None:
    from actionkit.runtimes import simulate

    with pytest.raises(SimulationError) as caught:
        simulate(ACTION, runtime="open-webui")
    text = str(caught.value)
    assert "open-webui" in text
    assert "pip install open-webui==0.12.4" in text


def test_import_actionkit_does_not_load_the_real_runtime() -> None:
    code = (
        "import sys, actionkit; "
        "print(sorted(m for m in sys.modules if m.startswith(('open_webui', 'actionkit.realhost', "
        "'actionkit._owui'))))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def _run(coro: Any) -> Any:
    return asyncio.run(coro)


def test_recorder_keeps_events_as_emitted_even_when_the_function_changes_them_later() -> None:
    recorder = Recorder()
    data = {"description": "first", "done": False}
    _run(recorder.emit({"type": "status", "data": data}))
    data["description"] = "changed"
    assert recorder.events == [{"type": "status", "data": {"description": "first", "done": False}}]


def test_recorder_emit_of_a_non_dict_fails_like_the_host_emitter() -> None:
    with pytest.raises(AttributeError):
        _run(Recorder().emit("status"))


def test_recorder_answers_calls_from_a_reply_list_then_as_a_disconnected_browser() -> None:
    recorder = Recorder(replies=[True])

    async def two_calls() -> list[Any]:
        await recorder.emit({"type": "status", "data": {"description": "before", "done": True}})
        first = await recorder.call({"type": "confirmation", "data": {"title": "t", "message": "m"}})
        second = await recorder.call({"type": "input", "data": {"title": "t", "message": "m"}})
        return [first, second]

    assert _run(two_calls()) == [True, NO_BROWSER_REPLY]
    assert [call["reply"] for call in recorder.event_calls] == [True, NO_BROWSER_REPLY]
    assert recorder.call_positions == [1, 1]
    assert len(recorder.warnings) == 1
    assert "no reply left" in recorder.warnings[0]


def test_recorder_asks_a_replies_callable_with_type_and_data() -> None:
    asked: list[Any] = []

    async def answer(call: dict[str, Any]) -> str:
        asked.append(call)
        return "typed"

    recorder = Recorder(replies=answer)
    reply = _run(recorder.call({"type": "input", "data": {"title": "Name"}}))
    assert reply == "typed"
    assert asked == [{"type": "input", "data": {"title": "Name"}}]
    assert recorder.event_calls == [{"type": "input", "data": {"title": "Name"}, "reply": "typed"}]


def test_recorder_answers_disconnected_when_the_replies_callable_raises() -> None:
    def broken(call: dict[str, Any]) -> Any:
        raise RuntimeError("no answer")

    recorder = Recorder(replies=broken)
    assert _run(recorder.call({"type": "confirmation", "data": {}})) == NO_BROWSER_REPLY
    assert "RuntimeError: no answer" in recorder.warnings[0]


def test_on_a_release_before_0_9_an_unanswered_event_call_never_returns() -> None:
    recorder = Recorder(replies=[True], unanswered_waits=True, release="0.8.12")

    async def calls() -> Any:
        first = await recorder.call({"type": "confirmation", "data": {"title": "t", "message": "m"}})
        try:
            await asyncio.wait_for(recorder.call({"type": "input", "data": {"title": "n"}}), 0.2)
        except TimeoutError:
            return first, "still waiting"
        return first, "answered"

    assert _run(calls()) == (True, "still waiting")
    assert recorder.event_calls[1] == {"type": "input", "data": {"title": "n"}, "reply": None}
    assert recorder.call_positions == [0, 0]
    assert recorder.warnings == [
        "event call 2 (input): no reply left, and on Open WebUI 0.8.12 an event call no browser answers "
        "waits forever"
    ]
