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
    return {"open_webui": installed_version(), "facts": facts, "cases": cases}


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m tests.conformance.real_runner OUT.json", file=sys.stderr)
        return 2
    report = run_corpus()
    Path(argv[0]).write_text(json.dumps(report, indent=1, sort_keys=True), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
