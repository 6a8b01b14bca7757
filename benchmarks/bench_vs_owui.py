"""actionkit and the real open-webui 0.12.4 side by side, on the same calls, in the same run.

Measured: a no-op action, an action emitting 1,000 events, a pipe streaming 10,000 chunks, and
loading a function. actionkit runs here (``asimulate``, ``load``); the real package runs in
open-webui 0.12.4's own environment (this script re-runs itself there with ``--real``), called through its own entry points
(``chat_action``, ``generate_function_chat_completion`` with the SSE body drained,
``load_function_module_by_id``) on a started app, with the function already stored and active.
Each figure is the median per call; the ratio is actionkit's time over the real package's.

Run: .venv/bin/python benchmarks/bench_vs_owui.py
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

NOOP_ACTION = '''"""
title: Bench Noop
"""


class Action:
    async def action(self, body: dict):
        return None
'''

EVENTS_ACTION = '''"""
title: Bench Events
"""


class Action:
    async def action(self, body: dict, __event_emitter__=None):
        for i in range(1000):
            await __event_emitter__({"type": "status", "data": {"description": f"step {i}", "done": False}})
        return "done"
'''

STREAM_PIPE = '''"""
title: Bench Stream
"""


class Pipe:
    def pipe(self, body: dict):
        for i in range(10000):
            yield "x"
'''

CASES = ("noop_action", "events_1000", "stream_10000", "load_function")
REPEAT = {"noop_action": 200, "events_1000": 20, "stream_10000": 7, "load_function": 50}


async def _median(call: Callable[[], Awaitable[Any]], repeat: int) -> float:
    await call()  # warm-up: caches, first import of anything the call touches
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        await call()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


# -- actionkit ---------------------------------------------------------------------------------


async def actionkit_timings() -> dict[str, float]:
    from actionkit import asimulate, load

    noop = load(NOOP_ACTION, id="bench_noop")
    events = load(EVENTS_ACTION, id="bench_events")
    stream = load(STREAM_PIPE, id="bench_stream")

    async def loading() -> None:
        load(NOOP_ACTION, id="bench_load")

    return {
        "noop_action": await _median(lambda: asimulate(noop), REPEAT["noop_action"]),
        "events_1000": await _median(lambda: asimulate(events), REPEAT["events_1000"]),
        "stream_10000": await _median(lambda: asimulate(stream, stream=True), REPEAT["stream_10000"]),
        "load_function": await _median(loading, REPEAT["load_function"]),
    }


# -- the real package (runs in its own environment) -------------------------------------------


def real_timings() -> dict[str, float]:
    from actionkit.host import default_user
    from actionkit.realhost._calls import install_function, save_valves
    from actionkit.realhost._events import Recorder, current_recorder, install
    from actionkit.realhost._host import get_host, host_module

    host = get_host()
    install()
    user = default_user()

    async def run() -> dict[str, float]:
        for function_id, source in (
            ("bench_noop", NOOP_ACTION),
            ("bench_events", EVENTS_ACTION),
            ("bench_stream", STREAM_PIPE),
        ):
            outcome = await install_function(host, function_id, function_id, source)
            assert outcome.ok, outcome
            await save_valves(host, function_id, None)
        user_row = await host.ensure_user(user)
        chat_action = host_module("open_webui.utils.actions").chat_action
        generate = host_module("open_webui.functions").generate_function_chat_completion
        load_module = host_module("open_webui.utils.plugin").load_function_module_by_id
        model = {"id": "bench-model", "name": "bench-model", "object": "model", "owned_by": "openai"}
        host.app.state.MODELS = {model["id"]: model}
        action_body = {
            "model": model["id"],
            "messages": [{"role": "user", "content": "Hello!"}],
            "chat_id": "bench-chat",
            "session_id": "bench-session",
            "id": "bench-message",
        }
        metadata = {
            "user_id": user["id"],
            "chat_id": "bench-chat",
            "message_id": "bench-message",
            "session_id": "bench-session",
        }
        current_recorder.set(Recorder())

        async def action(function_id: str) -> None:
            current_recorder.set(Recorder())
            await chat_action(host.request(), function_id, dict(action_body), user_row)

        async def streaming() -> None:
            current_recorder.set(Recorder())
            body = {
                "model": "bench_stream",
                "messages": action_body["messages"],
                "stream": True,
                "metadata": dict(metadata),
            }
            response = await generate(host.request(), body, user_row)
            async for _ in response.body_iterator:
                pass

        async def loading() -> None:
            await load_module("bench_load", content=NOOP_ACTION)

        return {
            "noop_action": await _median(lambda: action("bench_noop"), REPEAT["noop_action"]),
            "events_1000": await _median(lambda: action("bench_events"), REPEAT["events_1000"]),
            "stream_10000": await _median(streaming, REPEAT["stream_10000"]),
            "load_function": await _median(loading, REPEAT["load_function"]),
        }

    return host.run(run())


def _real_in_owui_venv() -> dict[str, float]:
    sys.path.insert(0, str(ROOT))
    from tests.conformance._venv import owui_python

    python = owui_python()
    with tempfile.TemporaryDirectory(prefix="actionkit-bench-") as work:
        out = Path(work) / "real.json"
        env = {**os.environ, "PYTHONPATH": str(ROOT), "ACTIONKIT_OWUI_DATA_DIR": str(Path(work) / "data")}
        done = subprocess.run(
            [str(python), str(Path(__file__).resolve()), "--real", str(out)],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise SystemExit(f"the open-webui side failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
        return {k: float(v) for k, v in json.loads(out.read_text()).items()}


LABELS = {
    "noop_action": "no-op action, one call",
    "events_1000": "action emitting 1,000 events",
    "stream_10000": "pipe streaming 10,000 chunks",
    "load_function": "loading a function",
}


def main(argv: list[str]) -> int:
    if argv[:1] == ["--real"]:
        Path(argv[1]).write_text(json.dumps(real_timings()))
        return 0
    ours = asyncio.run(actionkit_timings())
    real = _real_in_owui_venv()
    print("| call | actionkit | open-webui 0.12.4 | ratio (actionkit / open-webui) |")
    print("|---|---|---|---|")
    for case in CASES:
        print(
            f"| {LABELS[case]} | {ours[case] * 1000:.3f} ms | {real[case] * 1000:.3f} ms | "
            f"{ours[case] / real[case]:.2f}x |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
