"""Which recorded cases of each function ran on which Open WebUI release: a JSON sidecar next to
the store (``<store file>.releases.json``).

``actionkit test`` writes it: for each function whose cases it replayed, the case files, and per
runtime (a release version, or ``actionkit`` for the simulator) the content hash of the source
that ran and how many cases passed and failed. ``push`` reads it to say when a function's cases
have not been run on the server's release with the source being pushed. In-memory stores keep
nothing. The file holds no valves and no secrets.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_FORMAT = 1
_LOCK = threading.Lock()


@dataclass(frozen=True)
class CaseRun:
    """One replayed case: its function, the source that ran, the case file and whether it passed."""

    function_id: str
    content_hash: str
    case: str
    passed: bool


def runs_path(store_path: str | os.PathLike[str]) -> Path | None:
    text = str(store_path)
    return None if text == ":memory:" else Path(text + ".releases.json")


class ReleaseRuns:
    """The sidecar of one store file."""

    def __init__(self, store_path: str | os.PathLike[str]) -> None:
        self.path = runs_path(store_path)

    def _read(self) -> dict[str, Any]:
        if self.path is None:
            return {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("format") != _FORMAT:
            return {}
        functions = data.get("functions")
        return functions if isinstance(functions, dict) else {}

    def record(self, runtime: str, runs: Iterable[CaseRun]) -> None:
        """Remember that these cases ran on ``runtime`` (a release version or ``actionkit``)."""
        if self.path is None:
            return
        with _LOCK:
            functions = self._read()
            by_function: dict[str, list[CaseRun]] = {}
            for run in runs:
                by_function.setdefault(run.function_id, []).append(run)
            for function_id, found in by_function.items():
                entry = functions.setdefault(function_id, {"cases": [], "runs": {}})
                entry["cases"] = sorted(set(entry.get("cases") or []) | {run.case for run in found})
                hashes = {run.content_hash for run in found}
                entry.setdefault("runs", {})[runtime] = {
                    "content_hash": hashes.pop() if len(hashes) == 1 else "",
                    "passed": sum(run.passed for run in found),
                    "failed": sum(not run.passed for run in found),
                }
            self.path.parent.mkdir(parents=True, exist_ok=True)
            text = json.dumps({"format": _FORMAT, "functions": functions}, indent=1, sort_keys=True)
            self.path.write_text(text + "\n", encoding="utf-8")

    def cases(self, function_id: str) -> list[str]:
        """The case files of ``function_id`` any ``actionkit test`` has replayed."""
        return list(self._read().get(function_id, {}).get("cases") or [])

    def run(self, function_id: str, runtime: str) -> dict[str, Any] | None:
        """The last run of ``function_id``'s cases on ``runtime``: content hash, passed, failed."""
        found = self._read().get(function_id, {}).get("runs", {}).get(runtime)
        return dict(found) if isinstance(found, dict) else None
