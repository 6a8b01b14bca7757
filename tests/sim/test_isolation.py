"""``isolate=True``: the function is loaded and run in a worker process, the same Simulation comes
back, and a worker that dies, hangs or runs out of memory is a failed simulation saying which."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import threading
from typing import Any

import pytest

import actionkit
from actionkit import FunctionLoadError, MockModel, SimulationError, Store
from actionkit.runtimes import asimulate, simulate

BODY = {"model": "m", "messages": [{"role": "user", "content": "one two three"}]}
_serial = iter(range(10**6))


def titled(body: str) -> str:
    """A fresh function (its own title, so its own worker) with ``body`` as the code."""
    return f'"""\ntitle: Isolated {next(_serial)}\n"""\n{body}'


ACTION = titled(
    "from pydantic import BaseModel, Field\n"
    "class Action:\n"
    "    class Valves(BaseModel):\n"
    "        prefix: str = 'Words:'\n"
    "        api_key: str = Field('', json_schema_extra={'input': {'type': 'password'}})\n"
    "    def __init__(self):\n        self.valves = self.Valves()\n"
    "    async def action(self, body, __event_emitter__, __event_call__, __user__):\n"
    "        ok = await __event_call__({'type': 'confirmation', 'data': {'title': 'Count?', 'message': 'x'}})\n"
    "        await __event_emitter__({'type': 'status', 'data': {'description': self.valves.api_key, 'done': True}})\n"
    "        words = len(body['messages'][-1]['content'].split())\n"
    "        await __event_emitter__({'type': 'message', 'data': {'content': f'{self.valves.prefix} {words}'}})\n"
    "        return {'ok': ok, 'user': __user__['id']}\n"
)
FILTER = titled(
    "class Filter:\n    def inlet(self, body):\n"
    "        body['messages'].insert(0, {'role': 'system', 'content': 'Be brief.'})\n        return body\n"
)
PIPE = titled(
    "class Pipe:\n    def pipe(self, body):\n        for word in ['a ', 'b ', 'c']:\n            yield word\n"
)
UNPICKLABLE = titled(
    "import threading\nclass Own:\n    def __repr__(self):\n        return '<Own>'\n"
    "class Action:\n    async def action(self, body, __event_emitter__):\n"
    "        await __event_emitter__({'type': 'status', 'data': {'description': 'x', 'lock': threading.Lock(), 'own': Own()}})\n"
    "        return {'own': Own(), 'fn': lambda: 1}\n"
)
PID = titled(
    "import os\nclass Action:\n    def __init__(self):\n        self.calls = 0\n"
    "    def action(self, body):\n        self.calls += 1\n        return [os.getpid(), self.calls, os.getcwd()]\n"
)


@pytest.mark.parametrize(
    ("source", "kwargs"),
    [
        (ACTION, {"replies": [True], "valves": {"api_key": "sk-secret-value"}, "user": {"id": "ada"}}),
        (FILTER, {"hook": "inlet"}),
        (PIPE, {"stream": True}),
        (PIPE, {"stream": False}),
        (UNPICKLABLE, {}),
    ],
    ids=["action-calls-valves-user", "filter", "streaming-pipe", "pipe", "values-that-do-not-pickle"],
)
def test_an_isolated_simulation_is_the_same_simulation(source: str, kwargs: dict[str, Any]) -> None:
    here = simulate(source, BODY, **kwargs)
    there = simulate(source, BODY, isolate=True, **kwargs)
    assert there.to_dict() == here.to_dict()
    assert there.transcript() == here.transcript()
    assert "sk-secret-value" not in there.transcript()


def test_the_function_is_never_loaded_in_this_process() -> None:
    source = titled("class Action:\n    def action(self, body):\n        return 1\n")
    sim = simulate(source, isolate=True)
    assert sim.ok and sim.result == 1
    assert f"function_{sim.function_id}" not in sys.modules


def test_one_worker_per_function_version_is_reused_and_runs_elsewhere() -> None:
    first, second = simulate(PID, isolate=True), simulate(PID, isolate=True)
    pid, calls, cwd = first.result
    assert pid != os.getpid() and second.result[0] == pid
    assert (calls, second.result[1]) == (1, 2)  # one instance, like the host's cache
    assert os.path.basename(cwd).startswith("actionkit-worker-") and cwd != os.getcwd()
    changed = simulate(PID.replace("self.calls = 0", "self.calls = 10"), isolate=True)
    assert changed.result[0] != pid and changed.result[1] == 11


def test_replies_given_as_a_callable_and_on_record_are_served_from_this_process() -> None:
    asked: list[dict[str, Any]] = []
    seen: list[str] = []

    def reply(call: dict[str, Any]) -> bool:
        asked.append(call)
        return False

    sim = simulate(ACTION, BODY, replies=reply, on_record=lambda kind, item: seen.append(kind), isolate=True)
    assert sim.result == {"ok": False, "user": sim.inputs["user_id"]}
    assert asked == [{"type": "confirmation", "data": {"title": "Count?", "message": "x"}}]
    assert seen == ["call", "reply", "event", "event"]
    assert sim.inputs["replies"] is reply

    async def later(call: dict[str, Any]) -> bool:
        await asyncio.sleep(0)
        return True

    assert simulate(ACTION, BODY, replies=later, isolate=True).result["ok"] is True


def test_the_store_gives_saved_valves_as_in_this_process(tmp_path) -> None:
    store = Store(tmp_path / "store.db")
    fn = actionkit.load(ACTION, id="counted")
    store.save(fn)
    store.set_valves("counted", {"prefix": "Stored:"})
    here = simulate("counted", BODY, store=store, replies=[True])
    there = simulate("counted", BODY, store=store, replies=[True], isolate=True)
    assert there.content == here.content == "Stored: 3"


@pytest.mark.parametrize(
    ("code", "error"),
    [
        (
            "import os\nclass Action:\n    def action(self, body):\n        os._exit(0)\n",
            "process exited with code 0 during the call",
        ),
        ("import os\nos._exit(0)\n", "process exited with code 0 while loading"),
        (
            "import os, signal\nclass Action:\n    def action(self, body):\n        os.kill(os.getpid(), signal.SIGKILL)\n",
            "process was killed by signal 9 (SIGKILL) during the call",
        ),
    ],
    ids=["exit-in-handler", "exit-at-load", "killed-by-signal"],
)
def test_a_worker_that_dies_is_a_failed_simulation_saying_so(code: str, error: str) -> None:
    sim = simulate(titled(code), isolate=True)
    assert not sim.ok and sim.error == error and not sim.timed_out
    assert sim.message["error"] == {"content": error}
    assert any("takes the whole server down" in w for w in sim.warnings)
    assert simulate(PID, isolate=True).ok  # the caller and the other workers live on


@pytest.mark.parametrize(
    ("code", "error"),
    [
        (
            "import signal\nsignal.signal(signal.SIGALRM, signal.SIG_IGN)\nwhile True:\n    pass\n",
            "killed after 1 s while loading",
        ),
        (
            "import os, signal\nclass Action:\n    def action(self, body):\n        os.kill(os.getpid(), signal.SIGSTOP)\n",
            "killed after 1 s during the call",
        ),
    ],
    ids=["while-loading", "during-the-call"],
)
def test_a_worker_that_does_not_answer_is_killed_after_the_timeout(code: str, error: str) -> None:
    sim = simulate(titled(code), isolate=True, timeout=1)
    assert not sim.ok and sim.error == error and sim.timed_out
    assert any("freezes the whole server" in w for w in sim.warnings)


def test_module_code_that_never_returns_is_a_load_error_with_its_line() -> None:
    with pytest.raises(FunctionLoadError, match="did not return within timeout=1s") as info:
        simulate(titled("x = 1\nwhile True:\n    x += 1\n"), isolate=True, timeout=1)
    assert info.value.line == 5


def test_a_load_error_is_the_same_error_as_in_this_process() -> None:
    source = titled("class Action:\n    def action(self, body)\n        return 1\n")
    with pytest.raises(FunctionLoadError) as here:
        simulate(source)
    with pytest.raises(FunctionLoadError) as there:
        simulate(source, isolate=True)
    assert str(there.value) == str(here.value) and there.value.line == here.value.line


def test_a_worker_that_runs_out_of_memory_fails_saying_so() -> None:
    code = "class Action:\n    def action(self, body):\n        return len(bytearray(2 * 1024**3))\n"
    sim = simulate(titled(code), isolate=True, memory_limit=512)
    assert not sim.ok
    assert (
        sim.error
        == "ran out of memory during the call (the isolated worker may use 512 MB; memory_limit= sets it)"
    )


NETWORK = (
    "import socket\nclass Action:\n    def action(self, body):\n"
    "        s = socket.socket()\n        s.settimeout(0.2)\n"
    "        try:\n            s.connect((HOST, 9))\n"
    "        except PermissionError as exc:\n            return 'blocked: ' + str(exc)\n"
    "        except OSError as exc:\n            return 'tried: ' + type(exc).__name__\n"
    "        return 'connected'\n"
)


def test_the_network_is_limited_to_loopback_unless_allowed() -> None:
    outside = titled("HOST = '203.0.113.7'\n" + NETWORK)
    blocked = simulate(outside, isolate=True).result
    assert blocked.startswith("blocked: network access to '203.0.113.7' is blocked in an isolated simulation")
    allowed = simulate(outside, isolate=True, allow_network=True).result
    assert allowed in ("connected", "tried: TimeoutError", "tried: ConnectionRefusedError", "tried: OSError")
    assert (
        simulate(titled("HOST = '127.0.0.1'\n" + NETWORK), isolate=True).result
        == "tried: ConnectionRefusedError"
    )


def test_actionkit_isolate_in_the_environment_isolates(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACTIONKIT_ISOLATE", "1")
    assert simulate(PID).result[0] != os.getpid()
    assert simulate(PID, isolate=False).result[0] == os.getpid()
    monkeypatch.setenv("ACTIONKIT_ISOLATE", "maybe")
    with pytest.raises(SimulationError, match="ACTIONKIT_ISOLATE='maybe'"):
        simulate(PID)


def test_isolation_that_cannot_see_this_process_is_refused_not_faked(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(SimulationError, match="runtime='open-webui' runs the real package in this process"):
        simulate(PID, isolate=True, runtime="open-webui")
    with MockModel(["scripted"]).use():
        with pytest.raises(SimulationError, match="cannot share the enclosing Chat or MockModel.use"):
            simulate(PID, isolate=True)
        monkeypatch.setenv("ACTIONKIT_ISOLATE", "1")
        assert simulate(PID).result[0] == os.getpid()  # the default yields to the enclosing block
    with pytest.raises(SimulationError, match="memory_limit must be a whole number"):
        simulate(PID, isolate=True, memory_limit=1.5)
    with pytest.raises(SimulationError, match="body= cannot be sent to the isolated worker"):
        simulate(PID, {"messages": [], "lock": threading.Lock()}, isolate=True)


def test_ctrl_c_during_an_isolated_call_stops_it_and_the_next_one_works() -> None:
    code = titled("import time\nclass Action:\n    def action(self, body):\n        time.sleep(30)\n")
    timer = threading.Timer(0.5, signal.pthread_kill, (threading.main_thread().ident, signal.SIGINT))
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        simulate(code, isolate=True)
    assert simulate(PID, isolate=True).ok


def test_asimulate_isolated_keeps_the_callers_loop_running() -> None:
    code = titled(
        "import time\nclass Action:\n    def action(self, body):\n        time.sleep(0.3)\n        return 'slept'\n"
    )

    async def main() -> tuple[str, int]:
        ticks = 0

        async def tick() -> None:
            nonlocal ticks
            while True:
                await asyncio.sleep(0.01)
                ticks += 1

        ticker = asyncio.create_task(tick())
        sim = await asimulate(code, isolate=True)
        ticker.cancel()
        return sim.result, ticks

    result, ticks = asyncio.run(main())
    assert result == "slept" and ticks > 5


def test_a_bad_argument_is_the_same_error_and_keeps_the_worker() -> None:
    pid = simulate(PID, isolate=True).result[0]
    with pytest.raises(SimulationError, match="leave hook out"):
        simulate(PID, isolate=True, hook="inlet")
    assert simulate(PID, isolate=True).result[0] == pid


def test_an_idle_worker_that_died_is_replaced() -> None:
    source = titled("import os\nclass Action:\n    def action(self, body):\n        return os.getpid()\n")
    pid = simulate(source, isolate=True).result
    os.kill(pid, signal.SIGKILL)
    for _ in range(100):  # until the worker's end is visible on its socket
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        threading.Event().wait(0.05)
    again = simulate(source, isolate=True)
    assert again.ok and again.result != pid
