"""Memory stays flat over many simulations awaited in one long-lived task (a kernel, a service)."""

from __future__ import annotations

import asyncio
import gc

import actionkit
from actionkit.runtimes import asimulate
from actionkit.standins.context import SimContext

EMITTING = (
    "class Action:\n    async def action(self, body, __event_emitter__):\n"
    "        await __event_emitter__({'type': 'status', 'data': {'description': 'x', 'done': True}})\n"
    "        return 1\n"
)


def _alive_contexts() -> int:
    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, SimContext))


def test_finished_async_simulations_in_one_task_leave_nothing_behind() -> None:
    fn = actionkit.load(EMITTING, id="emitting")

    async def many(count: int) -> int:
        for _ in range(count):
            sim = await asimulate(fn)
            assert sim.ok
        del sim
        return _alive_contexts()

    before = _alive_contexts()
    assert asyncio.run(many(300)) - before <= 1
