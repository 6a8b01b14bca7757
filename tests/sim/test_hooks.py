"""Integration hooks: the on_record observer, the call's inputs and function, save_case, runtime=."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

import actionkit
import actionkit.standins as standins
from actionkit.errors import SimulationError
from actionkit.runtimes import asimulate, simulate
from actionkit.sim import load_case
from actionkit.store import Store
from actionkit.testing import replay

ASKING = '''"""
title: Asking
"""
from pydantic import BaseModel, Field


class Action:
    class Valves(BaseModel):
        api_key: str = Field("", json_schema_extra={"input": {"type": "password"}})
        prefix: str = "Hi"

    def __init__(self):
        self.valves = self.Valves()

    async def action(self, body, __event_emitter__=None, __event_call__=None):
        await __event_emitter__({"type": "status", "data": {"description": "asking", "done": False}})
        name = await __event_call__({"type": "input", "data": {"title": "Name?", "message": "", "placeholder": ""}})
        await __event_emitter__({"type": "message", "data": {"content": f"{self.valves.prefix} {name}"}})
        return {"name": name}
'''
BODY = {"model": "m", "messages": [{"role": "user", "content": "hello"}]}
STREAMING = """
class Pipe:
    def pipe(self, body):
        yield "a"
        yield "b"
"""


def collect() -> tuple[list[tuple[str, Any]], Any]:
    seen: list[tuple[str, Any]] = []
    return seen, lambda kind, item: seen.append((kind, item))


def test_on_record_sees_events_calls_and_replies_in_order() -> None:
    seen, observer = collect()
    sim = simulate(actionkit.load(ASKING), BODY, replies=["Ann"], on_record=observer)
    assert [kind for kind, _ in seen] == ["event", "call", "reply", "event"]
    assert seen[0][1] == sim.events[0]
    assert seen[1][1] == {"type": "input", "data": {"title": "Name?", "message": "", "placeholder": ""}}
    assert seen[2][1] is sim.event_calls[0] and seen[2][1]["reply"] == "Ann"
    assert seen[3][1] == {"type": "message", "data": {"content": "Hi Ann"}}


def test_on_record_is_told_of_a_call_before_its_reply_is_known() -> None:
    seen, observer = collect()

    async def reply(call: dict) -> str:
        assert [kind for kind, _ in seen] == ["event", "call"]
        await asyncio.sleep(0)
        return "Bo"

    sim = asyncio.run(asimulate(actionkit.load(ASKING), BODY, replies=reply, on_record=observer))
    assert sim.result == {"name": "Bo"}
    assert sim.event_calls[0]["reply"] == "Bo"


def test_on_record_gets_each_stream_line_as_it_is_yielded() -> None:
    seen, observer = collect()
    body = {"model": "echo", "messages": [{"role": "user", "content": "hi"}]}
    sim = simulate(actionkit.load(STREAMING, id="echo"), body, stream=True, on_record=observer)
    assert [item for kind, item in seen if kind == "chunk"] == sim.chunks
    assert len(sim.chunks) == 4 and sim.chunks[-1] == "data: [DONE]"
    assert type(sim.chunks) is list


def test_an_observer_that_raises_does_not_change_the_simulation() -> None:
    def broken(kind: str, item: Any) -> None:
        raise RuntimeError("view is broken")

    fn = actionkit.load(ASKING)
    quiet = simulate(fn, BODY, replies=["Ann"])
    observed = simulate(fn, BODY, replies=["Ann"], on_record=broken)
    assert observed.ok
    assert observed.to_dict() == quiet.to_dict()


def test_on_record_must_be_callable() -> None:
    with pytest.raises(SimulationError, match="on_record must be a callable"):
        simulate(actionkit.load(ASKING), BODY, on_record="print")


def test_inputs_hold_the_call_options_as_given_and_json_able() -> None:
    user = {"id": "u1", "name": "Ann"}
    sim = simulate(
        actionkit.load(ASKING),
        BODY,
        replies=["Ann"],
        user=user,
        model="m",
        metadata={"chat_id": "c9"},
        files=[{"type": "file", "id": "f1"}],
        valves={"api_key": "sk-secret-value"},
    )
    inputs = sim.inputs
    assert inputs["replies"] == ["Ann"]
    assert inputs["user"] == user and inputs["user"] is not user
    assert inputs["model"] == "m"
    assert inputs["metadata"] == {"chat_id": "c9"}
    assert inputs["task"] is None and inputs["llm"] is None
    assert inputs["files"] == [{"type": "file", "id": "f1"}]
    assert inputs["valves"] == {"api_key": "••••••"}
    assert "sk-secret-value" not in json.dumps(inputs)
    assert "sk-secret-value" not in json.dumps(sim.to_dict()) + sim.transcript()


def test_inputs_keep_a_replies_callable_and_a_model_dict_copy() -> None:
    def answer(call: dict) -> str:
        return "Cy"

    model = {"id": "m", "name": "M"}
    sim = simulate(actionkit.load(ASKING), BODY, replies=answer, model=model)
    assert sim.inputs["replies"] is answer
    assert sim.inputs["model"] == model and sim.inputs["model"] is not model


def test_simulation_carries_the_function_outside_its_outputs() -> None:
    fn = actionkit.load(ASKING)
    sim = simulate(fn, BODY, replies=["Ann"])
    assert sim.function is fn
    assert "function" not in sim.to_dict()
    spec = {f.name: f for f in dataclasses.fields(sim)}["function"]
    assert spec.repr is False and spec.compare is False


def test_save_case_records_a_replayable_case(tmp_path: Path) -> None:
    sim = simulate(actionkit.load(ASKING), BODY, replies=["Ann"], valves={"api_key": "sk-secret-value"})
    path = sim.save_case(tmp_path)
    assert path.parent == tmp_path and path.name.endswith(".case.json")
    assert "sk-secret-value" not in path.read_text()
    case = load_case(path)
    assert case.call["replies"] == ["Ann"]
    assert replay(case).passed


def test_source_text_with_a_store_that_lacks_it_uses_the_valves_defaults(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        sim = simulate(ASKING, BODY, replies=["Ann"], store=store)
    assert sim.ok, sim.error
    assert sim.content == "Hi Ann"


def test_unknown_runtime_lists_the_two_runtimes() -> None:
    fn = actionkit.load(ASKING)
    with pytest.raises(SimulationError, match="runtime='actionkit'.*runtime='open-webui'"):
        simulate(fn, BODY, runtime="docker")
    with pytest.raises(SimulationError, match="unknown runtime 'docker'"):
        asyncio.run(asimulate(fn, BODY, runtime="docker"))


def test_open_webui_runtime_without_the_package_says_how_to_install_it() -> None:
    fn = actionkit.load(ASKING)
    assert standins.install()  # the stand-ins for open_webui must not count as the package
    try:
        with pytest.raises(SimulationError, match=r"pip install open-webui==0\.12\.4"):
            simulate(fn, BODY, runtime="open-webui")
        with pytest.raises(SimulationError, match=r"pip install open-webui==0\.12\.4"):
            asyncio.run(asimulate(fn, BODY, runtime="open-webui"))
    finally:
        standins.uninstall()


def test_simulate_and_asimulate_take_exactly_the_options_of_call() -> None:
    import dataclasses
    import inspect

    from actionkit.sim import Call

    fields = [f.name for f in dataclasses.fields(Call) if f.name != "_"]
    assert list(inspect.signature(simulate).parameters) == fields
    assert list(inspect.signature(asimulate).parameters) == fields
    assert inspect.signature(simulate).parameters["timeout"].default == 60.0


def test_open_webui_runtime_plans_the_call_without_its_valves_and_the_live_observer(monkeypatch) -> None:
    from actionkit.realhost import _runtime as real_runtime
    from actionkit.sim import Call

    monkeypatch.setattr(real_runtime, "is_available", lambda: True)
    fn = actionkit.load(ASKING, id="planned")
    prepared = real_runtime._prepare(Call(fn, BODY, valves={"prefix": "Yo"}, replies=[1], on_record=print))
    assert prepared.plan.recorder.observer is None
    assert prepared.plan.valves is None  # saved through the host's own valves handler instead
    assert (prepared.valves, prepared.replies) == ({"prefix": "Yo"}, [1])
