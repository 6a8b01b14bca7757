"""Functions that hang, block, spawn tasks or misbehave; bad arguments; running inside a loop."""

from __future__ import annotations

import asyncio

import pytest

import actionkit
from actionkit import ActionkitError, SimulationError
from actionkit.runtimes import asimulate, simulate
from actionkit.store import Store


def load(src: str, fid: str = "f") -> actionkit.Function:
    return actionkit.load(src, id=fid)


HANG = (
    "import asyncio\nclass Action:\n    async def action(self, body, __event_emitter__):\n"
    "        await __event_emitter__({'type': 'status', 'data': {'description': 'started', 'done': False}})\n"
    "        await asyncio.sleep(3600)\n"
)
BLOCK = (
    "import threading\nclass Action:\n    def action(self, body, __event_emitter__):\n"
    "        threading.Event().wait(2)\n        return 'late'\n"
)
QUICK = "class Action:\n    async def action(self, body):\n        return 'quick'\n"


def test_a_function_that_never_finishes_stops_at_the_timeout() -> None:
    sim = simulate(load(HANG), timeout=0.2)
    assert not sim.ok and sim.timed_out
    assert sim.error == "timed out after 0.2s: action() did not finish (Open WebUI would keep waiting)"
    assert sim.event_types() == ["status"]


def test_a_function_that_blocks_its_loop_is_abandoned_and_the_next_run_works() -> None:
    sim = simulate(load(BLOCK, "block"), timeout=0.1)
    assert sim.timed_out and not sim.ok
    assert any("blocked its event loop" in w for w in sim.warnings)
    assert simulate(load(QUICK, "quick")).result == "quick"


def test_tasks_the_function_starts_are_awaited_so_their_events_count() -> None:
    src = (
        "import asyncio\nclass Action:\n    async def action(self, body, __event_emitter__):\n"
        "        async def later():\n            await asyncio.sleep(0.01)\n"
        "            await __event_emitter__({'type': 'message', 'data': {'content': ' (later)'}})\n"
        "            asyncio.create_task(__event_emitter__({'type': 'status', 'data': {'description': 'nested', 'done': True}}))\n"
        "        asyncio.create_task(later())\n        return 'now'\n"
    )
    sim = simulate(load(src, "spawn"))
    assert sim.result == "now"
    assert sim.event_types() == ["message", "status"]
    assert sim.content.endswith(" (later)")


def test_tasks_still_running_at_the_timeout_are_cancelled_with_a_warning() -> None:
    src = (
        "import asyncio\nclass Action:\n    async def action(self, body):\n"
        "        asyncio.create_task(asyncio.sleep(3600))\n        return 'done'\n"
    )
    sim = simulate(load(src, "forever"), timeout=0.2)
    assert sim.ok and sim.result == "done" and not sim.timed_out
    assert any("still running" in w for w in sim.warnings)


def test_a_failing_task_is_reported_not_raised() -> None:
    src = (
        "import asyncio\nclass Action:\n    async def action(self, body):\n"
        "        async def bad():\n            raise KeyError('k')\n"
        "        asyncio.create_task(bad())\n        return 1\n"
    )
    sim = simulate(load(src, "badtask"))
    assert sim.ok
    assert any("raised KeyError" in w for w in sim.warnings)


def test_async_tasks_are_awaited_in_asimulate_too() -> None:
    src = (
        "import asyncio\nclass Action:\n    async def action(self, body, __event_emitter__):\n"
        "        asyncio.create_task(__event_emitter__({'type': 'status', 'data': {'description': 'bg', 'done': True}}))\n"
        "        return 1\n"
    )
    sim = asyncio.run(asimulate(load(src, "bg")))
    assert sim.event_types() == ["status"]


def test_sync_handler_events_that_are_never_awaited_are_reported() -> None:
    src = (
        "class Action:\n    def action(self, body, __event_emitter__):\n"
        "        __event_emitter__({'type': 'status', 'data': {'description': 'x', 'done': True}})\n"
        "        return 1\n"
    )
    with pytest.warns(RuntimeWarning):
        sim = simulate(load(src, "unawaited"))
        import gc

        gc.collect()
    assert sim.events == []
    assert any("never awaited" in w for w in sim.warnings)


def test_simulate_works_inside_a_running_loop_and_leaves_it_usable() -> None:
    async def main() -> list[object]:
        results: list[object] = [simulate(load(QUICK, "quick")).result]
        results.append((await asimulate(load(QUICK, "quick"))).result)
        results.append((await asimulate(load(BLOCK, "block"), timeout=0.1)).timed_out)
        await asyncio.sleep(0)
        results.append("loop alive")
        return results

    assert asyncio.run(main()) == ["quick", "quick", True, "loop alive"]


def test_a_function_that_stops_the_loop_does_not_break_later_simulations() -> None:
    src = "import asyncio\nclass Action:\n    def action(self, body):\n        asyncio.get_running_loop().stop()\n        return 1\n"
    sim = simulate(load(src, "stopper"))
    assert sim.result == 1
    assert any("stopped the event loop" in w for w in sim.warnings)
    assert simulate(load(QUICK, "quick")).result == "quick"


def test_system_exit_in_a_function_is_an_error_not_an_exit() -> None:
    src = "import sys\nclass Action:\n    def action(self, body):\n        sys.exit(3)\n"
    sim = simulate(load(src, "exiter"))
    assert not sim.ok and sim.error is not None
    assert simulate(load(QUICK, "quick")).ok


def test_a_function_calling_simulate_inside_itself_does_not_deadlock() -> None:
    src = (
        "from actionkit.runtimes import simulate\nclass Action:\n    def action(self, body):\n"
        "        return simulate(INNER).result\n"
    )
    fn = load(src, "outer")
    fn.module.INNER = load(QUICK, "quick")
    assert simulate(fn).result == "quick"


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"hook": "inlet"}, "leave hook out"),
        ({"timeout": 0}, "timeout must be a positive number"),
        ({"timeout": float("nan")}, "timeout must be a positive number"),
        ({"replies": 5}, "replies must be a list"),
        ({"sub_id": 3}, "sub_id must be a string"),
        ({"model": 3}, "model must be a model dict"),
        ({"user": "bob"}, "user must be a dict"),
        ({"metadata": [1]}, "metadata must be a dict"),
        ({"files": "a.txt"}, "files must be a list"),
    ],
)
def test_bad_arguments_raise_a_simulation_error_naming_what_to_fix(
    kwargs: dict[str, object], fragment: str
) -> None:
    with pytest.raises(SimulationError) as info:
        simulate(load(QUICK, "quick"), **kwargs)  # type: ignore[arg-type]
    assert fragment in str(info.value)


def test_body_must_be_a_dict() -> None:
    with pytest.raises(SimulationError) as info:
        simulate(load(QUICK, "quick"), ["not", "a", "dict"])
    assert "body must be a dict" in str(info.value)


def test_event_functions_are_not_simulated() -> None:
    with pytest.raises(SimulationError) as info:
        simulate(load("class Event:\n    def event(self, event):\n        pass\n", "ev"))
    assert "Event function" in str(info.value)


def test_unknown_stored_id_raises_a_store_error() -> None:
    with pytest.raises(ActionkitError):
        simulate("missing_function", store=Store(":memory:"))


def test_other_targets_are_rejected() -> None:
    with pytest.raises(SimulationError):
        simulate(42)


def test_action_body_without_messages_warns() -> None:
    sim = simulate(load(QUICK, "quick"), {"model": "m"})
    assert sim.ok and any("no 'messages'" in w for w in sim.warnings)


@pytest.mark.parametrize(
    ("raised", "error"),
    [
        (
            "sys.exit(5)",
            "SystemExit(5) raised by action(): Open WebUI does not catch it, so the request fails",
        ),
        (
            "raise KeyboardInterrupt",
            "KeyboardInterrupt raised by action(): Open WebUI does not catch it, so the request fails",
        ),
    ],
    ids=["system-exit", "keyboard-interrupt"],
)
def test_an_exception_the_host_does_not_catch_is_reported_as_what_it_is(raised: str, error: str) -> None:
    src = f"import sys\nclass Action:\n    def action(self, body):\n        {raised}\n"
    sim = simulate(load(src, "uncaught"))
    assert not sim.ok and sim.error == error
