"""Run the whole conformance corpus through the real open-webui and write what it did as JSON.

Runs inside ``.venv-owui`` (``python -m tests.conformance.real_runner OUT.json`` with the project on
``PYTHONPATH``), from a temporary working directory. Every case goes through
``actionkit.realhost``: the function is created, activated and called by the host's own code.
"""

from __future__ import annotations

import json
import sys
import traceback
from pathlib import Path
from typing import Any


def run_corpus() -> dict[str, Any]:
    from actionkit import load
    from actionkit.errors import ActionkitError
    from actionkit.realhost import describe_in_open_webui
    from actionkit.realhost._host import installed_version
    from actionkit.runtimes import simulate
    from actionkit.view import jsonable

    from ._records import normalise, raised_record, simulation_record
    from .cases import CASES, sources
    from .tool_runner import run_tools

    first_call = first_call_checks()  # before anything starts the host
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
            cases[case.name] = simulation_record(
                simulate(fn, case.body, **case.arguments(), runtime="open-webui")
            )
        except ActionkitError as exc:
            cases[case.name] = raised_record(exc)
        except Exception:
            cases[case.name] = {"crashed": traceback.format_exc()}
    return {
        "open_webui": installed_version(),
        "facts": facts,
        "cases": cases,
        "runtime": {**runtime_checks(), **first_call},
        "tools": run_tools(),
    }


# A function importing open_webui at module level, loaded by actionkit in this process.
MODULE_LEVEL_IMPORT = '''"""
title: Module Level Import
"""

from open_webui.models.users import Users


class Action:
    async def action(self, body: dict, __user__: dict) -> dict:
        user = await Users.get_user_by_id(__user__["id"])
        return {"name": user.name, "role": user.role}
'''


def first_call_checks() -> dict[str, Any]:
    """The first call of a fresh process, on a source importing open_webui at module level (the
    host's environment must be set before actionkit loads the source here)."""
    from actionkit.realhost import _host as _owui_host
    from actionkit.runtimes import simulate

    started_before = _owui_host._host is not None
    try:
        outcome: Any = {"result": simulate(MODULE_LEVEL_IMPORT, runtime="open-webui").result}
    except Exception as exc:
        outcome = {"raised": f"{type(exc).__name__}: {exc}"}
    return {"first_call_host_started_before": started_before, "first_call_module_level_import": outcome}


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

    from actionkit.runtimes import asimulate, simulate

    checks: dict[str, Any] = {}
    checks["same_source_twice"] = [simulate(COUNTER, runtime="open-webui").result for _ in range(2)]
    changed = COUNTER.replace("self.calls += 1", "self.calls += 10")
    checks["changed_source"] = simulate(changed, runtime="open-webui").result

    async def inside_a_loop() -> list[Any]:
        awaited = await asimulate(COUNTER.replace("Counter", "Counter Async"), runtime="open-webui")
        blocking = simulate(COUNTER.replace("Counter", "Counter Sync"), runtime="open-webui")
        return [awaited.result, blocking.result]

    checks["inside_a_running_loop"] = asyncio.run(inside_a_loop())
    broken = '"""\ntitle: Broken Runtime\n"""\n\nclass Action:\n    def action(self, body)\n'
    checks["syntax_error"] = _outcome(lambda: simulate(broken, runtime="open-webui"))
    checks["valves_without_class"] = _outcome(
        lambda: simulate(COUNTER, valves={"x": 1}, runtime="open-webui")
    )
    checks.update(scripted_model_checks())
    from open_webui.events import EVENT_CATALOG

    checks["event_catalog"] = list(EVENT_CATALOG)
    return checks


def scripted_model_checks() -> dict[str, Any]:
    """``llm=`` reaches the real runtime through ``simulate``, and a ``MockModel.use()`` block counts."""
    from actionkit import MockModel, simulate

    from .cases import sources

    pipe = sources()["pipe_calls_model"]
    via_simulate = MockModel("Via simulate.", models=["scripted_model"])
    checks: dict[str, Any] = {
        "llm_through_simulate": simulate(pipe, runtime="open-webui", llm=via_simulate).content,
        "llm_through_simulate_requests": [call["model"] for call in via_simulate.calls],
    }
    with MockModel("From a use block.", models=["scripted_model"]).use():
        checks["llm_from_use_block"] = simulate(pipe, runtime="open-webui").content
    return checks


def _with_upstream(run: Any) -> Any:
    """Run with the local upstream server: the comparison tests' one, or (run alone) a fresh one."""
    import os

    from .cases import UPSTREAM_ENV, upstream_model

    if os.environ.get(UPSTREAM_ENV):
        return run()
    with upstream_model().serve() as server:
        os.environ[UPSTREAM_ENV] = server.url
        try:
            return run()
        finally:
            del os.environ[UPSTREAM_ENV]


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m tests.conformance.real_runner OUT.json", file=sys.stderr)
        return 2
    report = _with_upstream(run_corpus)
    Path(argv[0]).write_text(json.dumps(report, indent=1, sort_keys=True), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
