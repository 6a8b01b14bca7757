"""``runtime="open-webui==<version>"``: the call crosses to a worker process of that release and the
Simulation comes back. The worker here is a fake that runs actionkit's simulator (see
fake_worker.py), so the same call run here is what the worker must give back, field by field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from actionkit import MockModel, simulate
from actionkit.errors import ReleaseError, SimulationError, ValvesError
from actionkit.realhost import _bridge

from .conftest import fake_release

ACTION = '''"""
title: Worker Probe
"""
from pydantic import BaseModel


class Action:
    class Valves(BaseModel):
        greeting: str = "hi"

    def __init__(self):
        self.valves = self.Valves()

    async def action(self, body: dict, __event_emitter__=None, __event_call__=None):
        await __event_emitter__({"type": "status", "data": {"description": "asking", "done": False}})
        answer = await __event_call__({"type": "input", "data": {"title": "Name?", "message": "name"}})
        return {"greeting": self.valves.greeting, "answer": answer, "pair": (1, 2)}
'''

PIPE = '''"""
title: Worker Pipe
"""
from open_webui.models.users import Users
from open_webui.utils.chat import generate_chat_completion


class Pipe:
    async def pipe(self, body: dict, __user__: dict, __request__=None):
        user = await Users.get_user_by_id(__user__["id"])
        reply = await generate_chat_completion(
            __request__, {"model": "scripted_model", "messages": body["messages"]}, user
        )
        return reply["choices"][0]["message"]["content"]
'''

EXITS = '''"""
title: Worker Exit
"""
import os
import sys


class Action:
    async def action(self, body: dict):
        # The process's own stderr, as the host's logging writes it (prints in a call are sim.logs).
        print("leaving now", file=sys.__stderr__, flush=True)
        os._exit(3)
'''


def test_a_release_runtime_returns_the_simulation_the_worker_made(release: str) -> None:
    here = simulate(ACTION, valves={"greeting": "hey"}, replies=["Ada"])
    there = simulate(ACTION, valves={"greeting": "hey"}, replies=["Ada"], runtime=f"open-webui=={release}")
    assert there.to_dict() == here.to_dict()
    assert there.ok
    assert there.result == {"greeting": "hey", "answer": "Ada", "pair": (1, 2)}
    assert there.timeline == here.timeline
    assert there.function is not None and there.function.id == "worker_probe"


def test_a_replies_callable_stays_here_and_is_asked_by_the_worker(release: str) -> None:
    asked: list[Any] = []

    def reply(call: dict[str, Any]) -> str:
        asked.append(call)
        return f"typed for {call['type']}"

    sim = simulate(ACTION, replies=reply, runtime=f"open-webui=={release}")
    assert asked == [{"type": "input", "data": {"title": "Name?", "message": "name"}}]
    assert sim.event_calls[0]["reply"] == "typed for input"
    assert sim.inputs["replies"] is reply


def test_the_scripted_model_answers_from_this_process_and_records_its_calls_here(release: str) -> None:
    model = MockModel(["First.", "Second."], models=["scripted_model"])
    sim = simulate(PIPE, llm=model, runtime=f"open-webui=={release}")
    again = simulate(PIPE, llm=model, runtime=f"open-webui=={release}")
    assert (sim.content, again.content) == ("First.", "Second.")
    assert [call["model"] for call in model.calls] == ["scripted_model", "scripted_model"]


def test_an_actionkit_error_in_the_worker_arrives_as_the_same_error(release: str) -> None:
    with pytest.raises(ValvesError) as caught:
        simulate(ACTION, valves={"greeting": {"not": "text"}}, runtime=f"open-webui=={release}")
    assert caught.value.fields == ["greeting"]
    assert caught.value.function_id == "worker_probe"


def test_bad_input_fails_here_before_any_worker_starts(release: str, fresh_worker: None) -> None:
    with pytest.raises(SimulationError, match="hook="):
        simulate(ACTION, hook="inlet", runtime=f"open-webui=={release}")
    assert _bridge._workers == {}


def test_a_worker_that_dies_says_so_with_its_last_output_and_the_next_call_starts_a_new_one(
    release: str, fresh_worker: None
) -> None:
    runtime = f"open-webui=={release}"
    with pytest.raises(ReleaseError) as caught:
        simulate(EXITS, runtime=runtime)
    text = str(caught.value)
    assert f"the open-webui {release} worker stopped (exit 3)" in text
    assert "leaving now" in text
    assert simulate(ACTION, replies=["again"], runtime=runtime).result["answer"] == "again"


def test_a_worker_that_never_answers_is_stopped_after_the_calls_limit(
    release: str, fresh_worker: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_WORKER", "silent")
    monkeypatch.setattr(_bridge, "GRACE", 0.5)
    with pytest.raises(
        SimulationError, match=r"did not finish within 1s on open-webui 0.10.2; its worker was stopped"
    ):
        simulate(ACTION, timeout=0.5, runtime=f"open-webui=={release}")
    assert release not in _bridge._workers


def test_a_release_that_cannot_start_says_why(
    release: str, fresh_worker: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_WORKER", "broken-start")
    with pytest.raises(
        ReleaseError, match="failed to start: RuntimeError: the database could not be migrated"
    ):
        simulate(ACTION, runtime=f"open-webui=={release}")


def test_an_environment_with_another_release_is_refused_with_the_reinstall_command(
    release: str, fresh_worker: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_OPEN_WEBUI", "0.9.6")
    with pytest.raises(ReleaseError) as caught:
        simulate(ACTION, runtime=f"open-webui=={release}")
    assert "has open-webui 0.9.6" in str(caught.value)
    assert "actionkit hosts install 0.10.2" in str(caught.value)


def test_a_release_that_is_not_tested_runs_with_a_warning(
    releases_root: Path, fresh_worker: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_release(releases_root, "0.10.1")
    monkeypatch.setenv("FAKE_OPEN_WEBUI", "0.10.1")
    sim = simulate(ACTION, replies=["x"], runtime="open-webui==0.10.1")
    assert "open-webui 0.10.1 is not one of the releases actionkit is tested on" in sim.warnings[-1]


@pytest.mark.parametrize(
    ("runtime", "message"),
    [
        ("open-webui==0.7.2", "actionkit does not run Open WebUI '0.7.2'"),
        ("open-webui==latest", "actionkit does not run Open WebUI 'latest'"),
        ("open-webui-0.10.2", "unknown runtime 'open-webui-0.10.2'"),
    ],
)
def test_a_runtime_that_names_no_supported_release_is_refused(runtime: str, message: str) -> None:
    with pytest.raises(SimulationError, match=message):
        simulate(ACTION, runtime=runtime)


def test_a_line_names_its_last_release(release: str) -> None:
    sim = simulate(ACTION, replies=["x"], runtime="open-webui==0.10")
    assert sim.ok and release in _bridge._workers
