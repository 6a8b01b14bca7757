"""Recorded cases: a simulation saved as JSON and replayed later as a regression test.

The public name of what :mod:`actionkit.sim` (the file format) and :mod:`actionkit.testing` (the
replay) do with case files::

    sim = actionkit.simulate(fn, body)
    save_case(sim, "cases/", function=fn)  # function= may be left out when the Simulation carries it
    report = run_cases(["cases/"])          # or: actionkit test cases/
"""

from __future__ import annotations

from .errors import CaseError
from .sim import CALL_KEYS, SUFFIX, Case, case_from_simulation, load_case, save_case
from .testing import CaseResult, CasesReport, accept, find_cases, replay, run_cases

__all__ = [
    "CALL_KEYS",
    "SUFFIX",
    "Case",
    "CaseError",
    "CaseResult",
    "CasesReport",
    "accept",
    "case_from_simulation",
    "find_cases",
    "load_case",
    "replay",
    "run_cases",
    "save_case",
]
