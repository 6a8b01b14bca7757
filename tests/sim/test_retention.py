"""A finished simulation keeps nothing of its call alive: what it recorded lives as long as the
Simulation does, even while the event loop has not run again (a loop of awaited calls)."""

from __future__ import annotations

import asyncio
import weakref
from typing import Any

import actionkit
from actionkit.runtimes import asimulate

ASKS = """
class Action:
    async def action(self, body, __event_emitter__, __event_call__):
        await __event_emitter__({"type": "status", "data": {"description": "asking", "done": False}})
        return await __event_call__({"type": "confirmation", "data": {"title": "Go?", "message": "m"}})
"""


class Answer:
    def __call__(self, call: dict[str, Any]) -> bool:
        return True


def test_a_finished_call_keeps_nothing_alive_before_the_loop_runs_again() -> None:
    fn = actionkit.load(ASKS, id="asks")

    async def main() -> tuple[bool, bool]:
        answer = Answer()
        gone = weakref.ref(answer)
        sim = await asimulate(fn, replies=answer)
        ok = sim.result is True
        del sim, answer
        return ok, gone() is None  # no loop turn since the call: nothing but the Simulation held it

    assert asyncio.run(main()) == (True, True)
