"""Replaying many recorded cases, in this process or in worker processes (``actionkit test -n``)."""

from __future__ import annotations

import html
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import CaseError
from ..sim import SUFFIX, Case, load_case
from ..store import Store
from ..view import wrapped_html
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

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, str]:
        shown = [r for r in self.results if r.updated or not r.passed]
        head = f'<div class="ak-head"><b>{html.escape(self.summary())}</b></div>'
        body = head + "".join(f'<div class="ak-turn">{r.html_body()}</div>' for r in shown)
        return {"text/plain": self.report(), "text/html": wrapped_html(body)}


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
    logs: bool = False,
) -> CasesReport:
    """Replay every case under ``paths``; ``logs=True`` also compares what the functions printed."""
    files = [str(p) for p in find_cases(paths)]
    store_path = store.path if store is not None and not isinstance(store, str) else store
    workers = max(1, min(workers, len(files)))
    if workers == 1:
        return CasesReport(_replay_files(files, store_path, update, logs))
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    chunks = [files[i::workers] for i in range(workers)]
    # Not fork: the parent's simulation loop thread would not exist in a forked child.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        parts = list(
            pool.map(_replay_files, chunks, [store_path] * workers, [update] * workers, [logs] * workers)
        )
    by_file = {str(r.case.path): r for part in parts for r in part}
    return CasesReport([by_file[f] for f in files])


def _replay_files(
    files: list[str], store_path: str | None, update: bool = False, logs: bool = False
) -> list[CaseResult]:

    store = Store(store_path) if store_path else None
    try:
        results = []
        for file in files:
            try:
                case = load_case(file)
            except CaseError as exc:
                broken = Case(function={"id": "?"}, call={}, expected={}, path=Path(file))
                results.append(CaseResult(broken, False, error=str(exc)))
                continue
            result = replay(case, store=store, logs=logs)
            if update and not result.passed and result.error is None:
                accept(result)
            results.append(result)
        return results
    finally:
        if store is not None:
            store.close()
