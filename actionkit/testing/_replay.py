"""Recorded cases: a simulation saved as JSON and replayed later as a regression test.

A case holds the function (id, name, content and its hash), the call's inputs (body, valves, user
valves, replies, hook, sub id, stream, ...) and the expected outcome (``Simulation.to_dict()``).
Replaying runs the same call against the function's *current* source — one given explicitly, else
the store's version, else the recorded content — and compares the outcome; a replay against a
different source says that the function changed since the case was recorded.

    sim = actionkit.simulate(fn, body)
    save_case(sim, "cases/", function=fn)  # function= may be left out when the Simulation carries it
    report = run_cases(["cases/"])          # or: actionkit test cases/
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ..errors import ActionkitError, CaseError, FunctionLoadError
from ..function import Function, LoadKind, content_hash
from ..host import VERSION
from ..releases import runtime_release
from ..runtimes import ACTIONKIT, select_runtime, simulate
from ..sim import CALL_KEYS, Case, Source, load_case, normalized
from ..view import report_html, wrapped_html
from ._diff import simulation_diff
from ._explain import Explained, compare, outcome_of, without_ids

if TYPE_CHECKING:
    from ..function import Function
    from ..store import Store

Origin = Literal["given", "store", "recorded"]


@dataclass
class CaseResult:
    """The outcome of replaying one case."""

    case: Case
    passed: bool
    diff: list[str] = field(default_factory=list)
    source: Origin = "recorded"
    content_changed: bool = False
    error: str | None = None
    updated: bool = False
    # What the replay produced and which source ran, for accept().
    outcome: dict[str, Any] | None = field(default=None, repr=False)
    replayed_function: dict[str, Any] | None = field(default=None, repr=False)
    runtime: str = ACTIONKIT
    # On a release: the known host changes that explain how the replay differs from the case.
    explained: tuple[Explained, ...] = ()

    @property
    def status(self) -> str:
        if self.updated:
            return "UPDATED"
        return "PASS" if self.passed else ("ERROR" if self.error else "FAIL")

    def headline(self) -> str:
        where = {"given": "given source", "store": "store version", "recorded": "recorded source"}[
            self.source
        ]
        note = "; the function changed since this case was recorded" if self.content_changed else ""
        return f"{self.status} {self.case.label} ({self.case.function_id}, {where}{note})"

    def report(self) -> str:
        lines = [self.headline()]
        if self.error:
            lines.append(f"  {self.error}")
        lines.extend("  " + line for line in self.diff)
        lines.extend(f"  explained: {e.summary}" for e in self.explained)
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "case": str(self.case.path) if self.case.path else None,
            "function_id": self.case.function_id,
            "status": self.status,
            "source": self.source,
            "content_changed": self.content_changed,
            "error": self.error,
            "diff": self.diff,
            "runtime": self.runtime,
            "explained": [e.change.id for e in self.explained],
        }

    def __repr__(self) -> str:
        return f"<CaseResult {self.headline()}>"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(self.report())

    def html_body(self) -> str:
        lines = ([f"  {self.error}"] if self.error else []) + ["  " + line for line in self.diff]
        return report_html(self.headline(), lines, self.passed)

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, str]:
        return {"text/plain": self.report(), "text/html": wrapped_html(self.html_body())}


def _resolve(
    case: Case, function: Function | str | None, store: Store | None
) -> tuple[Function | Source, Origin]:
    """What to replay: the given function, the store's version, else the recorded source (as source
    text, so that an isolated replay never loads it in this process)."""
    name = case.function.get("name")
    if isinstance(function, Function):
        return function, "given"
    kind: LoadKind = "tool" if case.function.get("type") == "tool" else "function"
    if isinstance(function, str):
        return Source(function, case.function_id, name, kind=kind), "given"
    rows = None if store is None else store.tools if kind == "tool" else store
    if rows is not None and case.function_id in rows:
        record = rows.get(case.function_id)
        return Source(record.content, case.function_id, record.name, kind=kind), "store"
    return Source(case.function["content"], case.function_id, name, kind=kind), "recorded"


def replay(
    case: Case | str | os.PathLike[str],
    *,
    function: Function | str | None = None,
    store: Store | None = None,
    isolate: bool | None = None,
    timeout: float = 60.0,
    logs: bool = False,
    runtime: str = ACTIONKIT,
) -> CaseResult:
    """Run the recorded call again and compare. ``function`` (a Function or source) overrides the
    source; otherwise the store's version of the function is used when ``store`` holds it, else the
    recorded content. ``isolate`` runs it in a worker process (default: ``$ACTIONKIT_ISOLATE``);
    ``timeout`` bounds loading the function and the call; ``logs=True`` also compares what the
    function printed or logged. ``runtime``: where it runs again (``"open-webui==0.10.2"``: on that
    release, in its own worker process; the host's random ids and clocks are then left out of the
    comparison, and a difference names the known host change that explains it)."""
    runtime = select_runtime(runtime)
    if runtime != ACTIONKIT:
        isolate = False  # a release runs in a worker process of its own

    if not isinstance(case, Case):
        case = load_case(case)
    try:
        target, source = _resolve(case, function, store)
    except ActionkitError as exc:
        return CaseResult(case, False, error=f"cannot load the function: {exc}", source="given")
    changed = content_hash(target.content) != case.content_hash
    kwargs = {key: value for key, value in case.call.items() if key in CALL_KEYS and value not in (None, {})}
    kwargs["stream"] = bool(kwargs.get("stream"))
    try:
        sim = simulate(target, isolate=isolate, timeout=timeout, runtime=runtime, **kwargs)
    except FunctionLoadError as exc:
        return CaseResult(
            case,
            False,
            error=f"cannot load the function: {exc}",
            source=source,
            content_changed=changed,
            runtime=runtime,
        )
    except ActionkitError as exc:
        return CaseResult(
            case,
            False,
            error=f"{type(exc).__name__}: {exc}",
            source=source,
            content_changed=changed,
            runtime=runtime,
        )
    outcome = normalized(sim.to_dict())
    release = runtime_release(runtime)
    expected = case.expected
    explained: tuple[Explained, ...] = ()
    if runtime != ACTIONKIT:
        expected, outcome = without_ids(expected), without_ids(outcome)
    diff = simulation_diff(expected, outcome, logs=logs)
    if diff and release is not None:
        comparison = compare(
            outcome_of(outcome),
            outcome_of(expected),
            release,
            VERSION,
            kind=sim.kind,
            source=target.content,
            files=case.call.get("files"),
        )
        explained = comparison.explained
    record = {
        "id": case.function_id,
        "name": target.name or sim.function_id,
        "type": sim.kind,
        "content_hash": content_hash(target.content),
        "content": target.content,
    }
    return CaseResult(
        case,
        not diff,
        diff,
        source,
        changed,
        outcome=outcome,
        replayed_function=record,
        runtime=runtime,
        explained=explained,
    )


def accept(result: CaseResult) -> Path:
    """Rewrite a failed case with what its replay produced (and the source that produced it): the
    way to record an intended change of behaviour."""
    case = result.case
    if result.runtime != ACTIONKIT:
        raise CaseError(
            f"cannot update {case.label} with what open-webui produced ({result.runtime})",
            function_id=case.function_id,
            hint="cases record the simulator's outcome: update them without a release runtime",
        )
    if result.outcome is None or result.replayed_function is None or case.path is None:
        raise CaseError(
            f"cannot update {case.label}: {result.error or 'it was not replayed from a file'}",
            function_id=case.function_id,
            hint="fix the error first; only cases that ran can take a new outcome",
        )
    updated = Case(function=result.replayed_function, call=case.call, expected=result.outcome, path=case.path)
    text = json.dumps(updated.to_json(), ensure_ascii=False, indent=2) + "\n"
    case.path.write_text(text, encoding="utf-8")
    result.case, result.passed, result.updated = updated, True, True
    return case.path
