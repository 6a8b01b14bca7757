"""Run the whole conformance corpus through one real open-webui release and write what it did as JSON.

``python -m tests.conformance.real_runner RELEASE OUT.json`` runs in the main environment (the
project on ``PYTHONPATH``, from a temporary working directory) and makes every call with
``runtime="open-webui==RELEASE"``: actionkit installs the release when needed and runs the calls in
a worker process of it, where the function is created, activated and called by the host's own code.
``python -m tests.conformance.real_runner --in-process OUT.json`` runs inside a release's own
environment instead, for the checks of ``runtime="open-webui"`` in a fresh process, and
``python -m tests.conformance.real_runner --tools OUT.json`` runs the Tools corpus there
(``tool_runner.py``; inside 0.12.4's environment, the release Tools are compared with).
"""

from __future__ import annotations

import json
import sys
import traceback
from pathlib import Path
from typing import Any

# Sources that work on every release: the database calls are awaited only where they are async.
MODULE_LEVEL_IMPORT = '''"""
title: Module Level Import
"""

import inspect

from open_webui.models.users import Users


class Action:
    async def action(self, body: dict, __user__: dict) -> dict:
        user = Users.get_user_by_id(__user__["id"])
        if inspect.isawaitable(user):
            user = await user
        return {"name": user.name, "role": user.role}
'''

SCRIPTED_PIPE = '''"""
title: Scripted Pipe
"""

import inspect

from fastapi import Request
from open_webui.models.users import Users
from open_webui.utils.chat import generate_chat_completion


class Pipe:
    async def pipe(self, body: dict, __user__: dict, __request__: Request):
        user = Users.get_user_by_id(__user__["id"])
        if inspect.isawaitable(user):
            user = await user
        payload = {"model": "scripted_model", "messages": body["messages"], "stream": False}
        response = await generate_chat_completion(__request__, payload, user, bypass_filter=True)
        return f"{response['choices'][0]['message']['content']} ({response['usage']['total_tokens']} tokens)"
'''

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


def run_corpus(runtime: str) -> dict[str, Any]:
    from actionkit import load
    from actionkit.errors import ActionkitError
    from actionkit.realhost import describe_release
    from actionkit.releases import runtime_release
    from actionkit.runtimes import simulate
    from actionkit.view import jsonable

    from ._records import normalise, raised_record, simulation_record
    from .cases import CASES, sources

    release = runtime_release(runtime)
    assert release is not None
    first = {
        "first_call_module_level_import": _outcome(lambda: simulate(MODULE_LEVEL_IMPORT, runtime=runtime))
    }
    corpus = sources()
    facts: dict[str, Any] = {}
    for function_id, source in corpus.items():
        try:
            facts[function_id] = normalise(jsonable(describe_release(release, source, function_id)))
        except Exception:
            facts[function_id] = {"crashed": traceback.format_exc()}
    cases: dict[str, Any] = {}
    for case in CASES:
        try:
            fn = load(corpus[case.function], id=case.function_id)
            cases[case.name] = simulation_record(simulate(fn, case.body, **case.arguments(), runtime=runtime))
        except ActionkitError as exc:
            cases[case.name] = raised_record(exc)
        except Exception:
            cases[case.name] = {"crashed": traceback.format_exc()}
    return {
        "open_webui": release,
        "facts": facts,
        "cases": cases,
        "runtime": {**runtime_checks(runtime), **first},
    }


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


def runtime_checks(runtime: str) -> dict[str, Any]:
    """Behaviours of the real runtime itself (module cache, loops, errors, the scripted model)."""
    import asyncio

    from actionkit import MockModel
    from actionkit.runtimes import asimulate, simulate

    checks: dict[str, Any] = {}
    checks["same_source_twice"] = [simulate(COUNTER, runtime=runtime).result for _ in range(2)]
    changed = COUNTER.replace("self.calls += 1", "self.calls += 10")
    checks["changed_source"] = simulate(changed, runtime=runtime).result

    async def inside_a_loop() -> list[Any]:
        awaited = await asimulate(COUNTER.replace("Counter", "Counter Async"), runtime=runtime)
        blocking = simulate(COUNTER.replace("Counter", "Counter Sync"), runtime=runtime)
        return [awaited.result, blocking.result]

    checks["inside_a_running_loop"] = asyncio.run(inside_a_loop())
    broken = '"""\ntitle: Broken Runtime\n"""\n\nclass Action:\n    def action(self, body)\n'
    checks["syntax_error"] = _outcome(lambda: simulate(broken, runtime=runtime))
    checks["valves_without_class"] = _outcome(lambda: simulate(COUNTER, valves={"x": 1}, runtime=runtime))
    via_simulate = MockModel("Via simulate.", models=["scripted_model"])
    checks["llm_through_simulate"] = simulate(SCRIPTED_PIPE, runtime=runtime, llm=via_simulate).content
    checks["llm_through_simulate_requests"] = [call["model"] for call in via_simulate.calls]
    with MockModel("From a use block.", models=["scripted_model"]).use():
        checks["llm_from_use_block"] = simulate(SCRIPTED_PIPE, runtime=runtime).content
    return checks


def in_process_checks() -> dict[str, Any]:
    """The first call of a fresh process with ``runtime="open-webui"`` (the package installed here),
    on a source importing open_webui at module level: the host's environment must be set before
    actionkit loads the source in this process. Then the host's event catalog."""
    import importlib

    from actionkit.realhost import _host
    from actionkit.realhost._adapters import installed_version
    from actionkit.runtimes import simulate

    started_before = _host.current_host() is not None
    report = {
        "open_webui": installed_version(),
        "first_call_host_started_before": started_before,
        "first_call_module_level_import": _outcome(
            lambda: simulate(MODULE_LEVEL_IMPORT, runtime="open-webui")
        ),
    }
    # Only after the first call: importing open_webui before it would skip the host's environment.
    report["event_catalog"] = list(importlib.import_module("open_webui.events").EVENT_CATALOG)
    return report


def _installed_version() -> str | None:
    from actionkit.realhost import installed_version

    return installed_version()


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
    if len(argv) != 2:
        print(
            "usage: python -m tests.conformance.real_runner (RELEASE | --in-process | --tools) OUT.json",
            file=sys.stderr,
        )
        return 2
    which, out = argv
    if which == "--in-process":
        report = in_process_checks()
    elif which == "--tools":
        from .tool_runner import run_tools

        report = {"open_webui": _installed_version(), "tools": run_tools()}
    else:
        from actionkit.releases import runtime_name

        report = _with_upstream(lambda: run_corpus(runtime_name(which)))
    Path(out).write_text(json.dumps(report, indent=1, sort_keys=True), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
