"""Property-based: whatever the body, replies or event payloads, simulate returns a Simulation or
raises an ActionkitError, within the timeout, and leaves event loops usable."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import actionkit
from actionkit import ActionkitError
from actionkit.runtimes import asimulate, simulate
from actionkit.sim import Simulation

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
ODD = st.sampled_from([{1, 2}, b"bytes", object(), (1, 2), frozenset({3}), 1j, Ellipsis])
ANY = st.recursive(
    JSON | ODD,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=10,
)
MESSAGES = st.lists(
    st.fixed_dictionaries(
        {"role": st.sampled_from(["user", "assistant", "system"]), "content": st.text(max_size=20)}
    ),
    max_size=3,
)
BODIES = st.one_of(
    st.dictionaries(st.text(max_size=8), JSON, max_size=4),
    st.fixed_dictionaries({"messages": MESSAGES}, optional={"model": st.text(max_size=8), "extra": JSON}),
    JSON,
)
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

ACTION = actionkit.load(
    "class Action:\n    async def action(self, body, __event_emitter__, __event_call__):\n"
    "        await __event_emitter__({'type': 'status', 'data': {'description': 'x', 'done': False}})\n"
    "        r = await __event_call__({'type': 'input', 'data': {'title': 't', 'message': 'm'}})\n"
    "        return {'reply': type(r).__name__, 'keys': sorted(body) if isinstance(body, dict) else None}\n",
    id="prop_action",
)
FILTER = actionkit.load(
    "class Filter:\n    def inlet(self, body):\n        return body\n    def stream(self, event):\n        return event\n"
    "    def outlet(self, body):\n        return body\n",
    id="prop_filter",
)
PIPE = actionkit.load(
    "class Pipe:\n    async def pipe(self, body):\n        for m in body['messages']:\n            yield str(m)\n",
    id="prop_pipe",
)
EMITTER = actionkit.load(
    "class Action:\n    async def action(self, body, __event_emitter__):\n"
    "        for event in body['events']:\n            await __event_emitter__(event)\n",
    id="prop_emitter",
)


def _check(sim: Simulation) -> None:
    assert isinstance(sim, Simulation)
    json.dumps(sim.to_dict())
    assert isinstance(sim.transcript(), str)
    assert isinstance(sim._repr_mimebundle_()["text/html"], str)
    assert isinstance(sim.message, dict) and isinstance(sim.warnings, list)


def _run(target: actionkit.Function, body: Any, **kwargs: Any) -> None:
    try:
        sim = simulate(target, body, timeout=5, **kwargs)
    except ActionkitError:
        return
    _check(sim)


@SETTINGS
@given(body=BODIES)
def test_any_body_gives_a_simulation_or_an_actionkit_error(body: Any) -> None:
    _run(ACTION, body, replies=["x"])
    for hook in ("inlet", "stream", "outlet"):
        _run(FILTER, body, hook=hook)
    _run(PIPE, body, stream=True)
    _run(PIPE, body)


@SETTINGS
@given(replies=st.lists(ANY, max_size=3))
def test_any_replies_give_a_simulation(replies: list[Any]) -> None:
    sim = simulate(ACTION, replies=replies, timeout=5)
    _check(sim)
    assert sim.ok


@SETTINGS
@given(
    events=st.lists(
        st.one_of(ANY, st.fixed_dictionaries({"type": st.text(max_size=12), "data": ANY})), max_size=4
    )
)
def test_any_event_payload_gives_a_simulation_with_warnings_not_a_crash(events: list[Any]) -> None:
    sim = simulate(EMITTER, {"events": events, "messages": []}, timeout=5)
    _check(sim)
    bad = [e for e in events if not isinstance(e, dict)]
    if bad:
        assert not sim.ok and "has no attribute 'get'" in str(sim.error)


@SETTINGS
@given(body=BODIES, replies=st.lists(JSON, max_size=2))
def test_asimulate_leaves_the_callers_loop_usable(body: Any, replies: list[Any]) -> None:
    async def main() -> str:
        try:
            sim = await asimulate(ACTION, body, replies=replies, timeout=5)
            _check(sim)
        except ActionkitError:
            pass
        await asyncio.sleep(0)
        return "alive"

    assert asyncio.run(main()) == "alive"
