"""Regression testing: replaying recorded cases, simulation diffs, snapshots and the pytest plugin.

A case file is written and read by :mod:`actionkit.sim` (``save_case``/``load_case``); here it is
replayed against the function's current source (``_replay``), many at once (``_runner``), and
compared with a readable diff (``_diff``). The same call on several Open WebUI releases is laid
side by side by ``_compat``, with the known host changes that explain a difference (``_explain``).
``plugin`` is the pytest plugin (entry point ``pytest11``).
"""

from __future__ import annotations

from ._compat import Compat, CompatRow, compat
from ._diff import simulation_diff
from ._explain import Comparison, Explained, compare, without_ids
from ._replay import CaseResult, accept, replay
from ._runner import CasesReport, find_cases, record_runs, run_cases

__all__ = [
    "CaseResult",
    "CasesReport",
    "Comparison",
    "Compat",
    "CompatRow",
    "Explained",
    "accept",
    "compare",
    "compat",
    "find_cases",
    "record_runs",
    "replay",
    "run_cases",
    "simulation_diff",
    "without_ids",
]
