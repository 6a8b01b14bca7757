"""Isolation and memory targets, each next to the in-process baseline measured in the same run:

- memory stays flat over 10,000 ``await asimulate(...)`` calls in one long-lived task;
- replaying 1,000 recorded cases isolated (``actionkit test``, the default) stays within 10 s;
- what one isolated ``simulate()`` costs over the same call in this process.

Run: .venv/bin/python benchmarks/bench_isolation.py [--cases N] [--calls N]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import actionkit
from actionkit.runtimes import asimulate, simulate

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from bench_regression import record_cases  # noqa: E402

EMITTING = (
    '"""\ntitle: Bench Memory\n"""\nclass Action:\n'
    "    async def action(self, body, __event_emitter__=None):\n"
    "        await __event_emitter__({'type': 'status', 'data': {'description': 'x', 'done': True}})\n"
    "        return {'n': len(body['messages'])}\n"
)
BODY = {"model": "m", "messages": [{"role": "user", "content": "one two three"}]}


def _traced_mb() -> float:
    gc.collect()
    return tracemalloc.get_traced_memory()[0] / 1e6


def _rss_mb() -> float:
    with open("/proc/self/statm") as stats:
        return int(stats.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def memory_rows(calls: int) -> list[str]:
    fn = actionkit.load(EMITTING)

    async def emit(event: object) -> None:
        return None

    async def bare() -> list[float]:
        marks = [_traced_mb()]
        for i in range(calls):
            await fn.instance.action(BODY, __event_emitter__=emit)
            if i + 1 in (calls // 2, calls):
                marks.append(_traced_mb())
        return marks

    async def simulated() -> list[float]:
        for _ in range(500):  # warm caches first
            await asimulate(fn, BODY)
        marks = [_traced_mb()]
        rss = _rss_mb()
        for i in range(calls):
            await asimulate(fn, BODY)
            if i + 1 in (calls // 2, calls):
                marks.append(_traced_mb())
        marks.append(_rss_mb() - rss)
        return marks

    tracemalloc.start()
    base = asyncio.run(bare())
    sim = asyncio.run(simulated())
    tracemalloc.stop()
    half = calls // 2
    return [
        "| measurement | growth | per call | target |",
        "|---|---|---|---|",
        f"| {calls:,} awaits of the bare handler in one task (baseline) | {base[2] - base[0]:+.3f} MB | "
        f"{(base[2] - base[0]) * 1e6 / calls:+.0f} B | - |",
        f"| {calls:,} `await asimulate(...)` in one task, traced | {sim[2] - sim[0]:+.3f} MB | "
        f"{(sim[2] - sim[0]) * 1e6 / calls:+.0f} B | flat |",
        f"| the same, second {half:,} calls only | {sim[2] - sim[1]:+.3f} MB | "
        f"{(sim[2] - sim[1]) * 1e6 / half:+.0f} B | flat |",
        f"| the same, resident memory | {sim[3]:+.1f} MB | - | flat |",
    ]


def overhead_rows(repeats: int) -> list[str]:
    source = EMITTING.replace("Bench Memory", "Bench Overhead")
    simulate(source, BODY, isolate=True)  # the zygote and the worker started, the function loaded
    simulate(source, BODY)

    def per_call(isolate: bool) -> float:
        runs = []
        for _ in range(5):
            start = time.perf_counter()
            for _ in range(repeats):
                simulate(source, BODY, isolate=isolate)
            runs.append((time.perf_counter() - start) / repeats * 1000)
        return statistics.median(runs)

    here, there = per_call(False), per_call(True)
    return [
        "| measurement | median | ratio to in-process |",
        "|---|---|---|",
        f"| `simulate()` of a small action in this process (baseline) | {here:.2f} ms | - |",
        f"| the same with `isolate=True` (worker already loaded) | {there:.2f} ms | {there / here:.2f}x |",
    ]


def replay_rows(count: int) -> list[str]:
    rows = ["| measurement | wall time | ratio to in-process | result | target |", "|---|---|---|---|---|"]
    with tempfile.TemporaryDirectory(prefix="actionkit-bench-") as tmp:
        folder = Path(tmp) / "cases"
        record_cases(folder, count)
        env = {**os.environ, "ACTIONKIT_STORE": str(Path(tmp) / "store.db"), "ACTIONKIT_RENDER": "static"}
        env.pop("ACTIONKIT_ISOLATE", None)
        for workers in (1, 2):
            times = {}
            for mode in ("--in-process", "--isolate"):
                command = [sys.executable, "-m", "actionkit", "test", str(folder), "--recorded", "-q", mode]
                command += ["-n", str(workers)]
                start = time.perf_counter()
                done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT, check=False)
                times[mode] = time.perf_counter() - start
                if done.returncode != 0:
                    raise SystemExit(
                        f"{' '.join(command)} failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}"
                    )
                summary = done.stdout.strip().splitlines()[-1]
                ratio = "-" if mode == "--in-process" else f"{times[mode] / times['--in-process']:.2f}x"
                target = "-" if mode == "--in-process" else "<= 10 s"
                rows.append(
                    f"| `actionkit test` {count:,} cases {mode} -n {workers} | {times[mode]:.2f} s | {ratio} | "
                    f"{summary} | {target} |"
                )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--calls", type=int, default=10_000)
    args = parser.parse_args()
    print(f"load average before the run (2 cores): {os.getloadavg()[0]:.1f}", end="\n\n")
    print("\n".join(memory_rows(args.calls)), end="\n\n")
    print("\n".join(overhead_rows(200)), end="\n\n")
    print("\n".join(replay_rows(args.cases)))
    print(f"\nload average after the run: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
