"""Replaying many recorded cases, in this process or in worker processes (``actionkit test -n``)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import CaseError
from ..releases import runtime_release
from ..runtimes import ACTIONKIT
from ..sim import SUFFIX, Case, load_case
from ..store import CaseRun, ReleaseRuns, Store
from ._replay import CaseResult, accept, replay

if TYPE_CHECKING:
    from ..store import Store


@dataclass
class CasesReport:
    """The results of replaying many cases, in the order of the files."""

    results: list[CaseResult]

    @property
    def passed(self) -> int:
        return sum(r.passed for r in self.results)

    @property
    def failed(self) -> list[CaseResult]:
        return [r for r in self.results if not r.passed]

    @property
    def ok(self) -> bool:
        return not self.failed

    def summary(self) -> str:
        errors = sum(1 for r in self.results if r.error)
        updated = sum(1 for r in self.results if r.updated)
        parts = [f"{self.passed - updated} passed", f"{len(self.failed) - errors} failed"]
        if updated:
            parts.append(f"{updated} updated")
        if errors:
            parts.append(f"{errors} errors")
        return f"{len(self.results)} cases: " + ", ".join(parts)

    def report(self) -> str:
        shown = [r.report() for r in self.results if r.updated or not r.passed]
        return "\n".join([*shown, self.summary()])

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(self.report())


def record_runs(report: CasesReport, runtime: str, store_path: str | os.PathLike[str]) -> None:
    """Remember, next to the store, which cases of each function ran on ``runtime`` (what ``push``
    reads to say when a function's cases have not run on the server's release)."""
    runs = [
        CaseRun(
            r.case.function_id,
            str((r.replayed_function or {}).get("content_hash") or ""),
            str(Path(r.case.path).resolve()) if r.case.path else r.case.label,
            r.passed,
        )
        for r in report.results
        if r.case.function_id != "?"
    ]
    ReleaseRuns(store_path).record(runtime_release(runtime) or runtime, runs)


def find_cases(paths: list[str | os.PathLike[str]]) -> list[Path]:
    """Case files named by ``paths``: files as given, folders searched for ``*.case.json``."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob(f"*{SUFFIX}") if p.is_file()))
        elif path.is_file():
            found.append(path)
        else:
            raise CaseError(f"no case file or folder at {path}", hint="pass files or folders of *.case.json")
    return found


def run_cases(
    paths: list[str | os.PathLike[str]],
    *,
    store: Store | str | None = None,
    workers: int = 1,
    update: bool = False,
    runtime: str = ACTIONKIT,
) -> CasesReport:
    """Replay every case under ``paths`` (``runtime``: where, see :func:`replay`)."""
    files = [str(p) for p in find_cases(paths)]
    store_path = store.path if store is not None and not isinstance(store, str) else store
    workers = max(1, min(workers, len(files)))
    if workers == 1:
        return CasesReport(_replay_files(files, store_path, update, runtime))
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    chunks = [files[i::workers] for i in range(workers)]
    # Not fork: the parent's simulation loop thread would not exist in a forked child.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        parts = list(
            pool.map(_replay_files, chunks, [store_path] * workers, [update] * workers, [runtime] * workers)
        )
    by_file = {str(r.case.path): r for part in parts for r in part}
    return CasesReport([by_file[f] for f in files])


def _replay_files(
    files: list[str], store_path: str | None, update: bool = False, runtime: str = ACTIONKIT
) -> list[CaseResult]:

    store = Store(store_path) if store_path else None
    try:
        results = []
        for file in files:
            try:
                case = load_case(file)
            except CaseError as exc:
                broken = Case(function={"id": "?"}, call={}, expected={}, path=Path(file))
                results.append(CaseResult(broken, False, error=str(exc), runtime=runtime))
                continue
            result = replay(case, store=store, runtime=runtime)
            if update and not result.passed and result.error is None:
                accept(result)
            results.append(result)
        return results
    finally:
        if store is not None:
            store.close()
