"""actionkit and the real open-webui 0.12.4 side by side, on the same calls, in the same run.

Every row is measured against the real package or against a baseline measured in the same run:

- a no-op action: ``await asimulate`` vs awaiting the handler directly vs the host's ``chat_action``;
- an action emitting 1,000 status events: ``await asimulate`` vs awaiting the handler with a bare
  list-append emitter vs the host's ``chat_action``;
- a pipe streaming 10,000 chunks: the simulation, then the first read of ``sim.content``, vs the
  host's ``generate_function_chat_completion`` with the SSE body drained;
- loading a 3,000-line source: ``load`` vs the host's ``load_function_module_by_id`` and vs
  ``compile`` + ``exec`` of the text alone (a new source each time, so nothing is cached on either
  side; then the same source again);
- ``simulate()`` (sync: from plain code, and from inside a running loop, as in a notebook) vs
  ``await asimulate()`` on the no-op action, next to what a bare round trip to a loop thread costs
  on the machine at the time (``simulate()`` hands its call to the simulation loop's thread);
- the views: a playground's valve change to its redraw vs ``simulate()`` directly, the text and
  HTML of a 10,000-event simulation vs the simulation, and an action emitting 1,000,000 events
  (memory kept, HTML size) vs the bare emitter keeping the same events.

actionkit runs here; the real package runs in open-webui 0.12.4's own environment
(``ACTIONKIT_OWUI_PYTHON``, else the release actionkit installs in ``$ACTIONKIT_RELEASES``): this
script re-runs itself there with ``--real``, calling the host's own entry points on a started app
with the functions stored and active. Times are medians per call (after a warm-up); memory is the
tracemalloc peak of one call, measured in a separate, untimed pass.

Run: ACTIONKIT_RELEASES=/path/to/releases .venv/bin/python benchmarks/bench_vs_owui.py
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
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
        for i in range(COUNT):
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


def events_action(count: int) -> str:
    return EVENTS_ACTION.replace("COUNT", str(count))


def big_source(lines: int = 3000, tag: str = "") -> str:
    """A 3,000-line action: a Valves class and helper functions, as long community functions are."""
    head = f'''"""
title: Bench Big
description: a long function, to time loading {tag}
version: 1.0.0
"""

from pydantic import BaseModel, Field


class Action:
    class Valves(BaseModel):
        prefix: str = Field(default=">", description="prefix")
        repeat: int = Field(default=1, description="how often")

    def __init__(self):
        self.valves = self.Valves()

    async def action(self, body: dict, __event_emitter__=None):
        return helper_0(body)
'''
    parts = [head]
    count = head.count("\n")
    n = 0
    while count < lines:
        parts.append(
            f"\n\ndef helper_{n}(body: dict) -> dict:\n"
            f"    items = [str(x) for x in range({n % 7 + 1})]\n"
            f"    total = sum(len(s) for s in items)\n"
            f"    if total > {n}:\n"
            f"        return {{'n': {n}, 'items': items, 'total': total}}\n"
            f"    return {{'n': {n}, 'text': 'helper {n}', **body}}\n"
        )
        n += 1
        count += 8
    return "".join(parts)


REPEAT = {"noop": 300, "events": 30, "stream": 9, "load": 9, "load_warm": 15}


async def _median(call: Callable[[], Awaitable[Any]], repeat: int) -> float:
    await call()  # warm-up: caches, first import of anything the call touches
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        await call()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


async def _peak(call: Callable[[], Awaitable[Any]]) -> float:
    """The tracemalloc peak (bytes) of one call, after a warm-up call."""
    await call()
    gc.collect()
    tracemalloc.start()
    try:
        await call()
        return float(tracemalloc.get_traced_memory()[1])
    finally:
        tracemalloc.stop()


async def _interleaved(
    calls: dict[str, Callable[[], Awaitable[Any]]], rounds: int, per_round: int
) -> dict[str, float]:
    """Medians of the per-call times of each call, measured in alternating rounds so that every
    side sees the same background load."""
    for call in calls.values():
        await call()
    samples: dict[str, list[float]] = {name: [] for name in calls}
    for _ in range(rounds):
        for name, call in calls.items():
            start = time.perf_counter()
            for _ in range(per_round):
                await call()
            samples[name].append((time.perf_counter() - start) / per_round)
    return {name: statistics.median(values) for name, values in samples.items()}


async def _with_floor(load_new: Callable[[], Awaitable[Any]]) -> tuple[float, float]:
    """Medians of loading new 3,000-line sources and of what any loader has to do with one
    (``compile`` + ``exec`` + instantiating the class), measured alternately in the same process."""
    plain = iter([big_source(tag=f"plain {i}") for i in range(REPEAT["load"] + 1)])

    async def compile_and_exec() -> None:
        namespace: dict[str, Any] = {"__name__": "bench_big_plain"}
        exec(compile(next(plain), "<bench big>", "exec", dont_inherit=True), namespace)
        namespace["Action"]()

    await load_new()
    await compile_and_exec()
    loads, floors = [], []
    for _ in range(REPEAT["load"]):
        start = time.perf_counter()
        await load_new()
        middle = time.perf_counter()
        await compile_and_exec()
        loads.append(middle - start)
        floors.append(time.perf_counter() - middle)
    return statistics.median(loads), statistics.median(floors)


# -- actionkit ---------------------------------------------------------------------------------


async def actionkit_timings() -> dict[str, float]:
    from actionkit import asimulate, load

    noop = load(NOOP_ACTION, id="bench_noop")
    events = load(events_action(1000), id="bench_events")
    stream = load(STREAM_PIPE, id="bench_stream")
    out: dict[str, float] = {}

    async def direct() -> None:
        await noop.instance.action(body={})

    async def simulated() -> None:
        await asimulate(noop)

    noop_times = await _interleaved({"direct": direct, "asimulate": simulated}, rounds=15, per_round=200)
    out["noop_direct"] = noop_times["direct"]
    out["noop"] = noop_times["asimulate"]
    out["noop_mem"] = await _peak(simulated)

    async def bare() -> None:
        kept: list[Any] = []

        async def emitter(event: Any) -> None:
            kept.append(event)

        await events.instance.action(body={}, __event_emitter__=emitter)

    async def recorded() -> None:
        await asimulate(events)

    event_times = await _interleaved({"bare": bare, "asimulate": recorded}, rounds=15, per_round=4)
    out["events_bare"] = event_times["bare"]
    out["events"] = event_times["asimulate"]
    out["events_bare_mem"] = await _peak(bare)
    out["events_mem"] = await _peak(recorded)

    sims, reads = [], []
    for _ in range(REPEAT["stream"]):
        start = time.perf_counter()
        sim = await asimulate(stream, stream=True)
        middle = time.perf_counter()
        text = sim.content
        sims.append(middle - start)
        reads.append(time.perf_counter() - middle)
        assert text == "x" * 10000
    out["stream"] = statistics.median(sims)
    out["stream_content"] = statistics.median(reads)

    async def streamed_and_read() -> None:
        (await asimulate(stream, stream=True)).content  # noqa: B018 - the read is measured

    out["stream_mem"] = await _peak(streamed_and_read)

    sources = iter([big_source(tag=str(i)) for i in range(REPEAT["load"] + 4)])

    async def load_new() -> None:
        load(next(sources), id="bench_big")

    same = big_source(tag="same")

    async def load_same() -> None:
        load(same, id="bench_big")

    out["load"], out["load_floor"] = await _with_floor(load_new)
    out["load_warm"] = await _median(load_same, REPEAT["load_warm"])
    out["load_mem"] = await _peak(load_new)
    return out


def sync_timings() -> dict[str, float]:
    """``simulate()`` from plain code and from inside a running loop, each against ``asimulate``."""
    from actionkit import asimulate, load, simulate

    noop = load(NOOP_ACTION, id="bench_noop")
    rounds, per_round = 15, 200
    plain: list[float] = []
    looped: list[float] = []
    awaited: list[float] = []

    async def in_loop() -> None:
        for _ in range(rounds):
            start = time.perf_counter()
            for _ in range(per_round):
                simulate(noop)
            looped.append((time.perf_counter() - start) / per_round)
            start = time.perf_counter()
            for _ in range(per_round):
                await asimulate(noop)
            awaited.append((time.perf_counter() - start) / per_round)

    # What handing anything to a loop thread and waiting for it costs on this machine right now:
    # a callback sent to another thread's loop that settles a future the caller waits on.
    other = asyncio.new_event_loop()
    thread = threading.Thread(target=other.run_forever, daemon=True)
    thread.start()
    handoff: list[float] = []

    def round_trip() -> None:
        done: concurrent.futures.Future[None] = concurrent.futures.Future()
        other.call_soon_threadsafe(done.set_result, None)
        done.result()

    for _ in range(per_round):
        simulate(noop)
    asyncio.run(in_loop())
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(per_round):
            simulate(noop)
        plain.append((time.perf_counter() - start) / per_round)
        start = time.perf_counter()
        for _ in range(per_round):
            round_trip()
        handoff.append((time.perf_counter() - start) / per_round)
    other.call_soon_threadsafe(other.stop)
    thread.join()
    other.close()
    return {
        "sync_plain": statistics.median(plain),
        "sync_loop": statistics.median(looped),
        "sync_async": statistics.median(awaited),
        "sync_handoff": statistics.median(handoff),
    }


PLAYGROUND_ACTION = """
from pydantic import BaseModel, Field

class Action:
    class Valves(BaseModel):
        count: int = Field(3, ge=1, le=100000)

    def __init__(self):
        self.valves = self.Valves()

    async def action(self, body, __event_emitter__=None):
        await __event_emitter__({"type": "status", "data": {"description": "working", "done": True}})
        return {"count": self.valves.count}
"""


def view_timings() -> dict[str, float]:
    """The playground's redraw, a 10,000-event simulation's views, a 1,000,000-event action."""
    os.environ.pop("ACTIONKIT_RENDER", None)
    from actionkit import Store, load, simulate
    from actionkit.widgets import Playground

    out: dict[str, float] = {}
    fn = load(PLAYGROUND_ACTION, id="bench_playground")
    store = Store(":memory:")
    store.save(fn)
    values = iter(range(2, 100_000))
    direct: list[float] = []
    redraw: list[float] = []
    pg = Playground(fn, store=store, static=False, debounce=0, rerun_on_change=True)
    pg.wait(30)
    slider = pg.valves.control("count").slider  # type: ignore[union-attr]
    for _ in range(25):
        start = time.perf_counter()
        simulate(fn, valves={"count": 5}, store=store)
        direct.append(time.perf_counter() - start)
        start = time.perf_counter()
        slider.value = next(values)
        pg.wait(30)
        redraw.append(time.perf_counter() - start)
        assert pg.state == "done" and pg.simulation is not None and pg.simulation.ok
    store.close()
    out["playground_direct"] = statistics.median(direct[1:])
    out["playground"] = statistics.median(redraw[1:])

    ten = load(events_action(10_000), id="bench_events_10k")
    sims, views = [], []
    size = 0
    for _ in range(7):
        start = time.perf_counter()
        sim = simulate(ten)
        middle = time.perf_counter()
        bundle = sim._repr_mimebundle_()
        views.append(time.perf_counter() - middle)
        sims.append(middle - start)
        size = len(bundle["text/html"].encode()) + len(bundle["text/plain"].encode())
    out["view_10k_sim"] = statistics.median(sims)
    out["view_10k"] = statistics.median(views)
    out["view_10k_size"] = float(size)

    million = load(events_action(1_000_000), id="bench_events_1m")
    kept: list[Any] = []

    async def emitter(event: Any) -> None:
        kept.append(event)

    gc.collect()
    tracemalloc.start()
    asyncio.run(million.instance.action(body={}, __event_emitter__=emitter))
    out["million_bare_mem"] = float(tracemalloc.get_traced_memory()[1])
    tracemalloc.stop()
    del kept[:]
    gc.collect()
    tracemalloc.start()
    sim = simulate(million, timeout=600)
    bundle = sim._repr_mimebundle_()
    out["million_mem"] = float(tracemalloc.get_traced_memory()[1])
    tracemalloc.stop()
    assert len(sim.events) == 1_000_000 and len(sim.message["statusHistory"]) == 1_000_000
    out["million_html"] = float(len(bundle["text/html"].encode()))
    out["million_text"] = float(len(bundle["text/plain"].encode()))
    return out


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
            ("bench_events", events_action(1000)),
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

        async def noop() -> None:
            current_recorder.set(Recorder())
            await chat_action(host.request(), "bench_noop", dict(action_body), user_row)

        async def events() -> None:
            current_recorder.set(Recorder())
            await chat_action(host.request(), "bench_events", dict(action_body), user_row)

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

        async def streaming_kept() -> None:
            current_recorder.set(Recorder())
            body = {
                "model": "bench_stream",
                "messages": action_body["messages"],
                "stream": True,
                "metadata": dict(metadata),
            }
            response = await generate(host.request(), body, user_row)
            kept = [line async for line in response.body_iterator]
            assert kept

        sources = iter([big_source(tag=str(i)) for i in range(REPEAT["load"] + 4)])

        async def load_new() -> None:
            await load_module("bench_big", content=next(sources))

        same = big_source(tag="same")

        async def load_same() -> None:
            await load_module("bench_big", content=same)

        load, load_floor = await _with_floor(load_new)
        return {
            "noop": await _median(noop, REPEAT["noop"]),
            "noop_mem": await _peak(noop),
            "events": await _median(events, REPEAT["events"]),
            "events_mem": await _peak(events),
            "stream": await _median(streaming, REPEAT["stream"]),
            "stream_mem": await _peak(streaming),
            "stream_kept_mem": await _peak(streaming_kept),
            "load": load,
            "load_floor": load_floor,
            "load_warm": await _median(load_same, REPEAT["load_warm"]),
            "load_mem": await _peak(load_new),
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


# -- the table ---------------------------------------------------------------------------------


def _us(seconds: float) -> str:
    return f"{seconds * 1e6:,.1f} µs"


def _ms(seconds: float) -> str:
    return f"{seconds * 1e3:,.2f} ms"


def _mb(size: float) -> str:
    return f"{size / 2**20:,.2f} MB" if size >= 2**20 else f"{size / 2**10:,.1f} KB"


def _verdict(ok: bool) -> str:
    return "met" if ok else "**not met**"


def table(ours: dict[str, float], real: dict[str, float]) -> list[str]:
    rows = ["| measurement | actionkit | baseline, same run | result | aim |", "|---|---|---|---|---|"]

    def add(name: str, mine: str, base: str, result: str, aim: str) -> None:
        rows.append(f"| {name} | {mine} | {base} | {result} | {aim} |")

    over = ours["noop"] - ours["noop_direct"]
    speedup = real["noop"] / ours["noop"]
    add(
        "no-op action, `await asimulate`, per call",
        _us(ours["noop"]),
        f"awaiting the handler: {_us(ours['noop_direct'])}; host `chat_action`: {_us(real['noop'])}",
        f"+{_us(over)} over the direct await; {speedup:.0f}x faster than the host",
        f"<= 60 µs over and >= 30x: {_verdict(over <= 60e-6 and speedup >= 30)}",
    )
    add(
        "  memory (tracemalloc peak of one call)",
        _mb(ours["noop_mem"]),
        f"host: {_mb(real['noop_mem'])}",
        f"{ours['noop_mem'] / real['noop_mem']:.2f}x the host",
        "-",
    )
    ratio = ours["events"] / ours["events_bare"]
    add(
        "1,000 status events, `await asimulate`",
        _ms(ours["events"]),
        f"bare list-append emitter: {_ms(ours['events_bare'])}; host: {_ms(real['events'])}",
        f"{ratio:.2f}x bare; {real['events'] / ours['events']:.1f}x faster than the host",
        f"<= 1.3x bare: {_verdict(ratio <= 1.3)}",
    )
    add(
        "  memory",
        _mb(ours["events_mem"]),
        f"bare: {_mb(ours['events_bare_mem'])}; host: {_mb(real['events_mem'])}",
        f"{ours['events_mem'] / ours['events_bare_mem']:.2f}x bare",
        "-",
    )
    read = ours["stream_content"] / ours["stream"]
    add(
        "first read of `sim.content`, 10,000-chunk stream",
        _ms(ours["stream_content"]),
        f"the simulation: {_ms(ours['stream'])}; host stream: {_ms(real['stream'])}",
        f"{read:.3f}x the simulation; simulation {real['stream'] / ours['stream']:.1f}x faster than the host",
        f"<= 0.2x: {_verdict(read <= 0.2)}",
    )
    add(
        "  memory (simulation + read)",
        _mb(ours["stream_mem"]),
        f"host: {_mb(real['stream_mem'])} streaming, {_mb(real['stream_kept_mem'])} keeping its lines",
        f"{ours['stream_mem'] / real['stream_kept_mem']:.2f}x the host keeping its lines",
        "-",
    )
    cold = ours["load"] / real["load"]
    add(
        "`load` of a new 3,000-line source",
        _ms(ours["load"]),
        f"host's loader: {_ms(real['load'])}; `compile` + `exec` alone: {_ms(ours['load_floor'])} "
        f"here, {_ms(real['load_floor'])} in the host's process",
        f"{cold:.2f}x the host; {ours['load'] / ours['load_floor']:.2f}x compile + exec "
        f"(the host: {real['load'] / real['load_floor']:.2f}x)",
        f"<= 0.8x: {_verdict(cold <= 0.8)}",
    )
    warm = ours["load_warm"] / real["load_warm"]
    add(
        "`load` of the same 3,000-line source again",
        _ms(ours["load_warm"]),
        f"host's loader: {_ms(real['load_warm'])}",
        f"{warm:.2f}x the host",
        f"<= 0.8x: {_verdict(warm <= 0.8)}",
    )
    add(
        "  memory (new source)",
        _mb(ours["load_mem"]),
        f"host: {_mb(real['load_mem'])}",
        f"{ours['load_mem'] / real['load_mem']:.2f}x the host",
        "-",
    )
    for key, where in (
        ("sync_plain", "from plain code"),
        ("sync_loop", "inside a running loop (a notebook)"),
    ):
        extra = ours[key] - ours["sync_async"]
        add(
            f"`simulate()` {where}, no-op action",
            _us(ours[key]),
            f"`await asimulate()`: {_us(ours['sync_async'])}; a bare round trip to a loop thread: "
            f"{_us(ours['sync_handoff'])}",
            f"+{_us(extra)}",
            f"<= +30 µs: {_verdict(extra <= 30e-6)}",
        )
    add(
        "playground: valve change -> re-run -> redraw",
        _ms(ours["playground"]),
        f"`simulate()` directly: {_ms(ours['playground_direct'])}",
        f"+{_ms(ours['playground'] - ours['playground_direct'])}",
        f"<= 50 ms over: {_verdict(ours['playground'] - ours['playground_direct'] <= 0.05)}",
    )
    view = ours["view_10k"] / ours["view_10k_sim"]
    add(
        "text + HTML of a 10,000-event simulation",
        f"{_ms(ours['view_10k'])}, {_mb(ours['view_10k_size'])}",
        f"the simulation: {_ms(ours['view_10k_sim'])}",
        f"{view:.2f}x the simulation",
        f"<= 1x: {_verdict(view <= 1)}",
    )
    memory = ours["million_mem"] / ours["million_bare_mem"]
    add(
        "1,000,000 events: simulate, message, text + HTML",
        f"{_mb(ours['million_mem'])}; HTML {_mb(ours['million_html'])}, text {_mb(ours['million_text'])}",
        f"bare emitter keeping the events: {_mb(ours['million_bare_mem'])}",
        f"{memory:.2f}x bare",
        f"<= 1.5x bare, views <= 1 MB: "
        f"{_verdict(memory <= 1.5 and max(ours['million_html'], ours['million_text']) <= 2**20)}",
    )
    return rows


def main(argv: list[str]) -> int:
    if argv[:1] == ["--real"]:
        Path(argv[1]).write_text(json.dumps(real_timings()))
        return 0
    ours = asyncio.run(actionkit_timings())
    ours.update(sync_timings())
    ours.update(view_timings())
    real = _real_in_owui_venv()
    print("\n".join(table(ours, real)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
