"""An interrupted or stuck in-process simulation never hurts the next one: Ctrl-C cancels it, a
function that blocks its loop is stopped, and the old loop shuts down instead of spinning."""

from __future__ import annotations

import signal
import threading

import pytest

import actionkit
from actionkit.runtimes import simulate

SLEEPER = (
    "import time\nclass Action:\n    def action(self, body):\n        time.sleep(20)\n        return 'late'\n"
)
WAITER = (
    "import asyncio\nclass Action:\n    async def action(self, body):\n        await asyncio.sleep(3600)\n"
)
SPINNER = (
    "import threading\nRAN_ON = []\nclass Action:\n    def action(self, body):\n"
    "        RAN_ON.append(threading.current_thread())\n        while True:\n            pass\n"
)
QUICK = "class Action:\n    async def action(self, body):\n        return 'quick'\n"


def _ctrl_c_after(seconds: float) -> threading.Timer:
    """Send SIGINT to the main thread, as Ctrl-C in a terminal or a kernel interrupt does."""
    timer = threading.Timer(seconds, signal.pthread_kill, (threading.main_thread().ident, signal.SIGINT))
    timer.start()
    return timer


@pytest.mark.parametrize("source", [SLEEPER, WAITER], ids=["blocking-sleep", "async-sleep"])
def test_ctrl_c_cancels_the_running_simulation_and_the_next_one_works(source: str) -> None:
    fn = actionkit.load(source, id="interrupted")
    _ctrl_c_after(0.3)
    with pytest.raises(KeyboardInterrupt):
        simulate(fn, timeout=60)
    sim = simulate(actionkit.load(QUICK, id="quick"), timeout=5)
    assert sim.ok and sim.result == "quick" and not sim.timed_out


def test_a_function_spinning_past_its_timeout_is_stopped_and_its_loop_shut_down() -> None:
    fn = actionkit.load(SPINNER, id="spinner")
    sim = simulate(fn, timeout=0.3)
    assert sim.timed_out and not sim.ok
    assert any("blocked its event loop" in w for w in sim.warnings)
    (loop_thread,) = fn.module.RAN_ON
    loop_thread.join(10)
    assert not loop_thread.is_alive()
    assert simulate(actionkit.load(QUICK, id="quick")).result == "quick"
