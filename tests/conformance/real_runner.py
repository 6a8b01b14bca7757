"""Run the whole conformance corpus through the real open-webui and write what it did as JSON.

Runs inside ``.venv-owui`` (``python -m tests.conformance.real_runner OUT.json`` with the project on
``PYTHONPATH``), from a temporary working directory. Every case goes through
``actionkit.runtime_owui``: the function is created, activated and called by the host's own code.
"""

from __future__ import annotations

import json
import sys
import traceback
from pathlib import Path
from typing import Any


def run_corpus() -> dict[str, Any]:
    from actionkit import load
    from actionkit._jsonable import jsonable
    from actionkit._owui_host import installed_version
    from actionkit.errors import ActionkitError
    from actionkit.runtime_owui import describe_in_open_webui, run_in_open_webui

    from ._records import normalise, raised_record, simulation_record
    from .cases import CASES, sources

    corpus = sources()
    facts: dict[str, Any] = {}
    for function_id, source in corpus.items():
        try:
            facts[function_id] = normalise(jsonable(describe_in_open_webui(source, function_id)))
        except Exception:
            facts[function_id] = {"crashed": traceback.format_exc()}
    cases: dict[str, Any] = {}
    for case in CASES:
        try:
            fn = load(corpus[case.function], id=case.function_id)
            cases[case.name] = simulation_record(run_in_open_webui(fn, case.body, **case.kwargs))
        except ActionkitError as exc:
            cases[case.name] = raised_record(exc)
        except Exception:
            cases[case.name] = {"crashed": traceback.format_exc()}
    return {
        "open_webui": installed_version(),
        "facts": facts,
        "cases": cases,
        "runtime": runtime_checks(),
    }


COUNTER = '''"""
title: Runtime Counter
"""


class Action:
    def __init__(self):
        self.calls = 0

    async def action(self, body: dict) -> int:
        self.calls += 1
        return self.calls
'''


def _outcome(run: Any) -> Any:
    from actionkit.errors import ActionkitError

    try:
        return {"result": run().result}
    except ActionkitError as exc:
        return {
            "raised": type(exc).__name__,
            "line": getattr(exc, "line", None),
            "fields": sorted(getattr(exc, "errors", {}) or {}),
        }


def runtime_checks() -> dict[str, Any]:
    """Behaviours of the real-runtime mode itself (module cache, loops, errors)."""
    import asyncio

    from actionkit.runtime_owui import arun_in_open_webui, run_in_open_webui

    checks: dict[str, Any] = {}
    checks["same_source_twice"] = [run_in_open_webui(COUNTER).result for _ in range(2)]
    changed = COUNTER.replace("self.calls += 1", "self.calls += 10")
    checks["changed_source"] = run_in_open_webui(changed).result

    async def inside_a_loop() -> list[Any]:
        awaited = await arun_in_open_webui(COUNTER.replace("Counter", "Counter Async"))
        blocking = run_in_open_webui(COUNTER.replace("Counter", "Counter Sync"))
        return [awaited.result, blocking.result]

    checks["inside_a_running_loop"] = asyncio.run(inside_a_loop())
    broken = '"""\ntitle: Broken Runtime\n"""\n\nclass Action:\n    def action(self, body)\n'
    checks["syntax_error"] = _outcome(lambda: run_in_open_webui(broken))
    checks["valves_without_class"] = _outcome(lambda: run_in_open_webui(COUNTER, valves={"x": 1}))
    return checks


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m tests.conformance.real_runner OUT.json", file=sys.stderr)
        return 2
    report = run_corpus()
    Path(argv[0]).write_text(json.dumps(report, indent=1, sort_keys=True), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
