"""Regression testing: replaying recorded cases, simulation diffs, snapshots and the pytest plugin.

A case file is written and read by :mod:`actionkit.sim` (``save_case``/``load_case``); here it is
replayed against the function's current source (``_replay``), many at once (``_runner``), and
compared with a readable diff (``_diff``). ``plugin`` is the pytest plugin (entry point
``pytest11``).
"""

from __future__ import annotations

from ._diff import simulation_diff
from ._replay import CaseResult, accept, replay
from ._runner import CasesReport, find_cases, run_cases

__all__ = ["CaseResult", "CasesReport", "accept", "find_cases", "replay", "run_cases", "simulation_diff"]
