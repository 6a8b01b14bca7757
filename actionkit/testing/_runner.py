"""Replaying many recorded cases: isolated (each function version loaded and run in its own worker
process, reused for all its cases, ``-n`` versions at a time) or in this process (``-n`` replay
processes)."""

from __future__ import annotations

import html
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import CaseError
from ..function import content_hash
from ..releases import runtime_release
from ..runtimes import ACTIONKIT, isolated, select_runtime
from ..sim import SUFFIX, Call, Case, load_case
from ..store import CaseRun, ReleaseRuns, Store
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
    isolate: bool | None = None,
    timeout: float = 60.0,
    logs: bool = False,
    runtime: str = ACTIONKIT,
) -> CasesReport:
    """Replay every case under ``paths`` (see :func:`replay`); ``workers`` at a time; ``logs=True``
    also compares what the functions printed or logged; ``runtime``: where (a release runs in its own
    worker process, so ``isolate`` is for the simulator)."""
    files = [str(p) for p in find_cases(paths)]
    store_path = store.path if store is not None and not isinstance(store, str) else store
    workers = max(1, min(workers, len(files)))
    runtime = select_runtime(runtime)
    if runtime != ACTIONKIT:
        isolate = False
    elif isolate is None:
        isolate = isolated(Call(None))
    if isolate:
        return CasesReport(_replay_isolated(files, store_path, update, workers, timeout, logs))
    if workers == 1:
        return CasesReport(_replay_files(files, store_path, update, timeout, logs, runtime))
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    chunks = [files[i::workers] for i in range(workers)]
    # Not fork: the parent's simulation loop thread would not exist in a forked child.
    context = multiprocessing.get_context("spawn")
    by_file: dict[str, CaseResult] = {}
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = [
            pool.submit(_replay_files, chunk, store_path, update, timeout, logs, runtime) for chunk in chunks
        ]
        for chunk, future in zip(chunks, futures, strict=True):
            try:
                by_file.update((str(r.case.path), r) for r in future.result())
            except BrokenProcessPool:
                by_file.update((f, _broken(f, "a replay process ended while replaying it")) for f in chunk)
    return CasesReport([by_file[f] for f in files])


def _broken(file: str, error: str, runtime: str = ACTIONKIT) -> CaseResult:
    case = Case(function={"id": "?"}, call={}, expected={}, path=Path(file))
    return CaseResult(case, False, error=error, runtime=runtime)


def _load(file: str, runtime: str = ACTIONKIT) -> Case | CaseResult:
    try:
        return load_case(file)
    except CaseError as exc:
        return _broken(file, str(exc), runtime)


def _replay_files(
    files: list[str],
    store_path: str | None,
    update: bool = False,
    timeout: float = 60.0,
    logs: bool = False,
    runtime: str = ACTIONKIT,
) -> list[CaseResult]:
    store = Store(store_path) if store_path else None
    try:
        results = []
        for file in files:
            case = _load(file, runtime)
            if isinstance(case, CaseResult):
                results.append(case)
                continue
            result = replay(case, store=store, isolate=False, timeout=timeout, logs=logs, runtime=runtime)
            if update and not result.passed and result.error is None:
                accept(result)
            results.append(result)
        return results
    finally:
        if store is not None:
            store.close()


def _replay_isolated(
    files: list[str], store_path: str | None, update: bool, workers: int, timeout: float, logs: bool
) -> list[CaseResult]:
    """Each function version's cases one after the other (so its worker is loaded once), ``workers``
    versions at a time; results in the order of the files."""
    by_file: dict[str, CaseResult] = {}
    groups: dict[tuple[str, str], list[Case]] = {}
    store = Store(store_path) if store_path else None
    try:
        for file in files:
            case = _load(file)
            if isinstance(case, CaseResult):
                by_file[file] = case
                continue
            content = (
                store.get(case.function_id).content
                if store is not None and case.function_id in store
                else None
            )
            groups.setdefault(
                (case.function_id, content_hash(content or case.function["content"])), []
            ).append(case)

        def replay_group(cases: list[Case]) -> list[CaseResult]:
            results = []
            for case in cases:
                result = replay(case, store=store, isolate=True, timeout=timeout, logs=logs)
                if update and not result.passed and result.error is None:
                    accept(result)
                results.append(result)
            return results

        if workers == 1:
            done = map(replay_group, groups.values())
            for results in done:
                by_file.update((str(r.case.path), r) for r in results)
        else:
            with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="actionkit-replay") as pool:
                for results in pool.map(replay_group, groups.values()):
                    by_file.update((str(r.case.path), r) for r in results)
    finally:
        if store is not None:
            store.close()
    return [by_file[f] for f in files]
