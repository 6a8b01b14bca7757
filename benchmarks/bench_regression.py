"""Regression-testing speed targets: replaying 1,000 recorded cases with ``actionkit test`` (<= 10 s)
and all shipped notebooks under ``pytest --nbval`` (<= 90 s together).

Run: .venv/bin/python benchmarks/bench_regression.py [--cases N] [--skip-notebooks]
Wall times of whole commands, as CI sees them (interpreter start-up included).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import actionkit
from actionkit.sim import save_case

ROOT = Path(__file__).resolve().parent.parent

ACTION = '''"""
title: Bench Action {n}
"""
from pydantic import BaseModel


class Action:
    class Valves(BaseModel):
        prefix: str = "Words:"

    def __init__(self):
        self.valves = self.Valves()

    async def action(self, body, __event_emitter__=None, __event_call__=None):
        text = body["messages"][-1]["content"]
        ok = await __event_call__({{"type": "confirmation", "data": {{"title": "Count?", "message": text}}}})
        await __event_emitter__({{"type": "status", "data": {{"description": "counting", "done": True}}}})
        await __event_emitter__({{"type": "message", "data": {{"content": f"{{self.valves.prefix}} {{len(text.split())}}"}}}})
        return {{"words": len(text.split()), "confirmed": ok}}
'''
FILTER = '''"""
title: Bench Filter {n}
"""
class Filter:
    def inlet(self, body):
        body["messages"].insert(0, {{"role": "system", "content": "Be brief ({n})."}})
        return body
'''
PIPE = '''"""
title: Bench Pipe {n}
"""
class Pipe:
    def pipe(self, body):
        for word in body["messages"][-1]["content"].split():
            yield word + " "
'''


def record_cases(folder: Path, count: int) -> None:
    """``count`` cases over 30 functions (actions with a dialog, inlet filters, streaming pipes)."""
    functions = [actionkit.load(t.format(n=n)) for n in range(10) for t in (ACTION, FILTER, PIPE)]
    for i in range(count):
        fn = functions[i % len(functions)]
        body = {"model": fn.id, "messages": [{"role": "user", "content": "word " * (i % 17 + 1) + str(i)}]}
        if fn.type == "action":
            sim = actionkit.simulate(fn, body, replies=[i % 2 == 0])
        elif fn.type == "filter":
            sim = actionkit.simulate(fn, body, hook="inlet")
        else:
            sim = actionkit.simulate(fn, body, stream=True)
        save_case(sim, folder / f"case-{i:04d}.case.json", function=fn)


def timed(command: list[str], env: dict[str, str]) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(
            f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout[-2000:]}{done.stderr[-2000:]}"
        )
    return elapsed, done.stdout.strip().splitlines()[-1]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--skip-notebooks", action="store_true")
    args = parser.parse_args()
    rows = ["| measurement | wall time | result | target |", "|---|---|---|---|"]
    with tempfile.TemporaryDirectory(prefix="actionkit-bench-") as tmp:
        folder = Path(tmp) / "cases"
        start = time.perf_counter()
        record_cases(folder, args.cases)
        recorded = time.perf_counter() - start
        rows.append(f"| record {args.cases} cases (in-process) | {recorded:.2f} s | - | - |")
        env = {**os.environ, "ACTIONKIT_STORE": str(Path(tmp) / "store.db"), "ACTIONKIT_RENDER": "static"}
        cli = [sys.executable, "-m", "actionkit", "test", str(folder), "--recorded", "-q"]
        for workers in (1, 2):
            elapsed, summary = timed([*cli, "-n", str(workers)], env)
            rows.append(
                f"| `actionkit test` {args.cases} cases, -n {workers} | {elapsed:.2f} s | {summary} | <= 10 s |"
            )
    if not args.skip_notebooks:
        sanitizer = ROOT / "actionkit" / "nbval_sanitize.cfg"
        nbval = [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--nbval",
            "--nbval-current-env",
        ]
        elapsed, summary = timed(
            [*nbval, "--nbval-sanitize-with", str(sanitizer), "notebooks/"], dict(os.environ)
        )
        count = len(list((ROOT / "notebooks").glob("*.ipynb")))
        rows.append(f"| `pytest --nbval` on {count} notebooks | {elapsed:.2f} s | {summary} | <= 90 s |")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
