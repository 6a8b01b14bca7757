"""What a function prints or logs during a run is kept in ``sim.logs``, in order, never in the cell."""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path

import pytest

import actionkit
from actionkit.store import Store
from actionkit.testing import replay

CHATTY = """
import asyncio, logging, sys
from loguru import logger as loguru_logger

log = logging.getLogger("chatty")

class Action:
    async def action(self, body):
        print("before the await")
        await asyncio.sleep(0)
        print("after the await", file=sys.stderr)
        log.info("info %s", 1)
        log.warning("careful")
        loguru_logger.info("from loguru")

        async def child():
            await asyncio.sleep(0)
            print("from a task it started")

        await asyncio.create_task(child())
        print("no newline", end="")
        return {"ok": True}
"""


@pytest.fixture
def store() -> Store:
    return Store(":memory:")


def test_prints_logging_and_loguru_are_kept_in_order_with_their_stream(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    sim = actionkit.simulate(actionkit.load(CHATTY, id="chatty"), store=store)
    assert sim.ok, sim.error
    assert sim.logs == [
        {"stream": "stdout", "text": "before the await"},
        {"stream": "stderr", "text": "after the await"},
        {"stream": "logging", "level": "INFO", "logger": "chatty", "text": "info 1"},
        {"stream": "logging", "level": "WARNING", "logger": "chatty", "text": "careful"},
        {"stream": "loguru", "level": "INFO", "logger": "function_chatty", "text": "from loguru"},
        {"stream": "stdout", "text": "from a task it started"},
        {"stream": "stdout", "text": "no newline"},
    ]
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""  # nothing spilled into the cell


def test_output_outside_a_simulation_is_untouched(
    store: Store, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    level = logging.getLogger().level
    print("mine, before")
    actionkit.simulate(actionkit.load(CHATTY, id="chatty"), store=store)
    print("mine, after")
    logging.getLogger("outside").warning("an outside warning")
    assert capsys.readouterr().out == "mine, before\nmine, after\n"
    # The function's records went to sim.logs only; the caller's own reach the handlers as before.
    assert [r.getMessage() for r in caplog.records] == ["an outside warning"]
    assert logging.getLogger().level == level


def test_concurrent_simulations_keep_their_own_logs(store: Store) -> None:
    source = """
import asyncio
class Action:
    async def action(self, body):
        name = body["name"]
        for i in range(3):
            print(name, i)
            await asyncio.sleep(0.01)
"""
    fn = actionkit.load(source, id="counter_printer")

    async def both() -> list[actionkit.Simulation]:
        return list(
            await asyncio.gather(
                actionkit.asimulate(fn, {"name": "a", "messages": []}, store=store),
                actionkit.asimulate(fn, {"name": "b", "messages": []}, store=store),
            )
        )

    first, second = asyncio.run(both())
    assert [e["text"] for e in first.logs] == ["a 0", "a 1", "a 2"]
    assert [e["text"] for e in second.logs] == ["b 0", "b 1", "b 2"]


def test_a_sync_handler_and_a_pipe_are_captured_too(store: Store) -> None:
    pipe = """
class Pipe:
    def pipe(self, body):
        print("piping", body["messages"][-1]["content"])
        yield "a"
        print("streamed a")
        yield "b"
"""
    sim = actionkit.simulate(actionkit.load(pipe, id="printing_pipe"), stream=True, store=store)
    assert [e["text"] for e in sim.logs] == ["piping Hello!", "streamed a"]


def test_logs_are_in_the_text_view_summary_and_folded_in_html(store: Store) -> None:
    sim = actionkit.simulate(actionkit.load(CHATTY, id="chatty"), store=store)
    assert "logs: 7 lines (stdout 3, stderr 1, INFO 2, WARNING 1)" in sim.transcript()
    page = sim._repr_mimebundle_()["text/html"]
    assert '<details class="ak-fold ak-logs"><summary>Printed and logged: 7 lines' in page
    assert '<span class="s WARNING">WARNING chatty</span><span>careful</span>' in page


def test_secrets_in_logs_are_masked(store: Store) -> None:
    source = """
from pydantic import BaseModel, Field
class Action:
    class Valves(BaseModel):
        token: str = Field("", json_schema_extra={"input": {"type": "password"}})
    def __init__(self):
        self.valves = self.Valves()
    async def action(self, body):
        print("token is", self.valves.token)
"""
    sim = actionkit.simulate(actionkit.load(source, id="leaky"), valves={"token": "tok-999"}, store=store)
    assert sim.logs[0]["text"] == "token is tok-999"  # kept as written, for the author
    assert "tok-999" not in json.dumps(sim.to_dict())
    assert "tok-999" not in sim._repr_mimebundle_()["text/html"]


def test_recorded_cases_hold_logs_and_compare_them_only_when_asked(store: Store, tmp_path: Path) -> None:
    sim = actionkit.simulate(actionkit.load(CHATTY, id="chatty"), store=store)
    path = sim.save_case(tmp_path / "chatty.case.json")
    data = json.loads(path.read_text())
    assert data["expected"]["logs"][0] == {"stream": "stdout", "text": "before the await"}
    quieter = CHATTY.replace('print("before the await")', 'print("something else")')
    assert replay(path, function=quieter).passed
    strict = replay(path, function=quieter, logs=True)
    assert not strict.passed
    assert "  -stdout: before the await" in strict.diff
    assert "  +stdout: something else" in strict.diff


def test_records_from_other_threads_during_a_run_are_handled_as_before(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    source = """
import logging, threading
class Action:
    async def action(self, body):
        def elsewhere():
            logging.getLogger("elsewhere").info("an info no one asked for")
            logging.getLogger("elsewhere").warning("a warning from another thread")
        thread = threading.Thread(target=elsewhere)
        thread.start()
        thread.join()
        logging.getLogger("fn").info("the function's own")
"""
    sim = actionkit.simulate(actionkit.load(source, id="threads"), store=store)
    assert [e["text"] for e in sim.logs] == ["the function's own"]
    assert [r.getMessage() for r in caplog.records] == ["a warning from another thread"]


def test_without_logging_configured_warnings_outside_still_reach_stderr(tmp_path: Path) -> None:
    """As in a fresh kernel: no handler on the root logger, so Python's last resort prints warnings."""
    script = tmp_path / "run.py"
    script.write_text(
        "import logging, sys, threading, actionkit\n"
        "from loguru import logger\n"
        "logger.remove()\n"
        "logger.add(sys.stderr, format='{message}')\n"
        "from actionkit.store import Store\n"
        "src = '''\n"
        "import logging, threading\n"
        "from loguru import logger\n"
        "class Action:\n"
        "    async def action(self, body):\n"
        "        t = threading.Thread(target=lambda: logging.getLogger('x').warning('outside warning'))\n"
        "        t.start(); t.join()\n"
        "        logging.getLogger('fn').warning('inside warning')\n"
        "        logger.info('inside loguru')\n"
        "        print('inside print')\n"
        "'''\n"
        "for _ in range(2):\n"
        "    sim = actionkit.simulate(actionkit.load(src, id='t'), store=Store(':memory:'))\n"
        "    print([e['text'] for e in sim.logs])\n"
        "logging.getLogger('y').warning('after warning')\n"
        "logger.info('loguru after')\n"
    )
    import subprocess
    import sys

    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "['inside warning', 'inside loguru', 'inside print']\n" * 2
    assert done.stderr == "outside warning\noutside warning\nafter warning\nloguru after\n"
