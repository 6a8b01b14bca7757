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

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ._sim_diff import normalized, simulation_diff
from .errors import ActionkitError

if TYPE_CHECKING:
    from ._case_runner import CasesReport
    from .loader import Function
    from .simulation import Simulation
    from .store import Store

FORMAT = 1
SUFFIX = ".case.json"
CALL_KEYS = (
    "body",
    "hook",
    "sub_id",
    "stream",
    "valves",
    "user_valves",
    "replies",
    "user",
    "model",
    "metadata",
    "task",
    "files",
    "llm",
)
Source = Literal["given", "store", "recorded"]


class CaseError(ActionkitError):
    """A case file that cannot be written or read."""


@dataclass
class Case:
    """One recorded call of a function and what it produced."""

    function: dict[str, Any]
    call: dict[str, Any]
    expected: dict[str, Any]
    path: Path | None = None

    @property
    def function_id(self) -> str:
        return str(self.function["id"])

    @property
    def content_hash(self) -> str:
        return str(self.function.get("content_hash") or "")

    @property
    def label(self) -> str:
        return self.path.name if self.path is not None else self.function_id

    def to_json(self) -> dict[str, Any]:
        return {
            "actionkit_case": FORMAT,
            "function": self.function,
            "call": self.call,
            "expected": self.expected,
        }


def case_from_simulation(sim: Simulation, function: Function | None = None) -> Case:
    """The case for ``sim``: its function source, the inputs it ran with and its outcome.

    The source is the Function the simulation ran (``function=`` when the Simulation does not carry
    it). Secret valve values are stored masked, as every other output shows them.
    """
    fn = function if function is not None else getattr(sim, "function", None)
    inputs = dict(getattr(sim, "inputs", None) or {})
    content = getattr(fn, "content", None) or inputs.get("content")
    if not isinstance(content, str):
        raise CaseError(
            f"this simulation of {sim.function_id!r} does not say which source ran",
            function_id=sim.function_id,
            hint="pass the function too: save_case(sim, path, function=fn)",
        )
    from .loader import content_hash

    call = {key: inputs.get(key) for key in CALL_KEYS}
    call["hook"] = sim.hook if sim.kind == "filter" else None
    call["sub_id"] = sim.sub_id
    call["stream"] = bool(sim.stream)
    if "replies" not in inputs or callable(call["replies"]):
        call["replies"] = _replies_given(sim)
    for key, value in call.items():
        try:
            json.dumps(value, allow_nan=False)
        except (TypeError, ValueError) as exc:
            raise CaseError(
                f"cannot record the {key!r} input of this simulation as JSON: {exc}",
                function_id=sim.function_id,
                hint=f"pass a JSON-able {key} (plain dicts, lists, strings, numbers) to simulate",
            ) from None
    record = {
        "id": sim.function_id,
        "name": getattr(fn, "name", None) or inputs.get("name") or sim.function_id,
        "type": sim.kind,
        "content_hash": content_hash(content),
        "content": content,
    }
    return Case(function=record, call=call, expected=normalized(sim.to_dict()))


_NO_BROWSER = {"error": "Client session disconnected."}


def _replies_given(sim: Simulation) -> list[Any] | None:
    """The answers the event calls got, without the trailing ones a missing browser gave."""
    replies = [entry.get("reply") for entry in sim.event_calls]
    while replies and replies[-1] == _NO_BROWSER:
        replies.pop()
    return replies or None


def save_case(sim: Simulation, path: str | os.PathLike[str], *, function: Function | None = None) -> Path:
    """Write ``sim`` as a case file: ``path`` itself when it ends in ``.json``, else a file in the
    folder ``path`` named ``<target>-<digest>.case.json`` (the same name each time the same call is
    recorded)."""
    case = case_from_simulation(sim, function)
    target = Path(path)
    if target.is_dir() or not target.name.endswith(".json"):
        # Inputs left at None do not count, so a newly recordable input does not rename old cases.
        given = {key: value for key, value in case.call.items() if value is not None}
        digest = hashlib.sha256(json.dumps(given, sort_keys=True).encode()).hexdigest()[:8]
        target = target / f"{sim.target.replace('.', '-')}-{digest}{SUFFIX}"
    target.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(case.to_json(), ensure_ascii=False, indent=2) + "\n"
    target.write_text(text, encoding="utf-8")
    case.path = target
    return target


def load_case(path: str | os.PathLike[str]) -> Case:
    """Read a case file written by :func:`save_case`."""
    file = Path(path)
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CaseError(f"cannot read case {file}: {exc}", hint="pass a file written by save_case") from None
    if not isinstance(data, dict) or data.get("actionkit_case") != FORMAT:
        raise CaseError(
            f"{file} is not an actionkit case (format {FORMAT})",
            hint="case files are written by Simulation.save_case / actionkit.cases.save_case",
        )
    function, call, expected = data.get("function"), data.get("call"), data.get("expected")
    if not (
        isinstance(function, dict)
        and isinstance(call, dict)
        and isinstance(expected, dict)
        and isinstance(function.get("id"), str)
        and isinstance(function.get("content"), str)
    ):
        raise CaseError(
            f"{file} is damaged: it needs 'function' (with 'id' and 'content'), 'call' and 'expected'",
            hint="record the case again",
        )
    return Case(function=function, call=call, expected=expected, path=file)


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


@dataclass
class CaseResult:
    """The outcome of replaying one case."""

    case: Case
    passed: bool
    diff: list[str] = field(default_factory=list)
    source: Source = "recorded"
    content_changed: bool = False
    error: str | None = None
    updated: bool = False
    # What the replay produced and which source ran, for accept().
    outcome: dict[str, Any] | None = field(default=None, repr=False)
    replayed_function: dict[str, Any] | None = field(default=None, repr=False)

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
        }

    def __repr__(self) -> str:
        return f"<CaseResult {self.headline()}>"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(self.report())


_LOADED: dict[tuple[str, str], Function] = {}


def _recorded_function(case: Case) -> Function:
    from .loader import load

    key = (case.function_id, case.content_hash)
    fn = _LOADED.get(key)
    if fn is None:
        fn = load(case.function["content"], id=case.function_id, name=case.function.get("name"))
        _LOADED[key] = fn
    return fn


def _resolve(case: Case, function: Function | str | None, store: Store | None) -> tuple[Function, Source]:
    from .loader import Function, load

    if isinstance(function, Function):
        return function, "given"
    if isinstance(function, str):
        return load(function, id=case.function_id, name=case.function.get("name")), "given"
    if store is not None and case.function_id in store:
        return store.load(case.function_id), "store"
    return _recorded_function(case), "recorded"


def replay(
    case: Case | str | os.PathLike[str],
    *,
    function: Function | str | None = None,
    store: Store | None = None,
) -> CaseResult:
    """Run the recorded call again and compare. ``function`` (a Function or source) overrides the
    source; otherwise the store's version of the function is used when ``store`` holds it, else the
    recorded content."""
    from .simulator import simulate

    if not isinstance(case, Case):
        case = load_case(case)
    try:
        fn, source = _resolve(case, function, store)
    except ActionkitError as exc:
        return CaseResult(case, False, error=f"cannot load the function: {exc}", source="given")
    changed = fn.content_hash != case.content_hash
    kwargs = {key: value for key, value in case.call.items() if key in CALL_KEYS and value not in (None, {})}
    kwargs["stream"] = bool(kwargs.get("stream"))
    try:
        sim = simulate(fn, **kwargs)
    except ActionkitError as exc:
        return CaseResult(
            case, False, error=f"{type(exc).__name__}: {exc}", source=source, content_changed=changed
        )
    outcome = normalized(sim.to_dict())
    diff = simulation_diff(case.expected, outcome)
    record = {
        "id": case.function_id,
        "name": fn.name,
        "type": fn.type,
        "content_hash": fn.content_hash,
        "content": fn.content,
    }
    return CaseResult(case, not diff, diff, source, changed, outcome=outcome, replayed_function=record)


def accept(result: CaseResult) -> Path:
    """Rewrite a failed case with what its replay produced (and the source that produced it): the
    way to record an intended change of behaviour."""
    case = result.case
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


def run_cases(
    paths: list[str | os.PathLike[str]],
    *,
    store: Store | str | None = None,
    workers: int = 1,
    update: bool = False,
) -> CasesReport:
    """Replay every case under ``paths`` (files or folders). ``store`` (a Store or its path) supplies
    current function versions; ``workers`` > 1 replays in that many processes; ``update`` rewrites
    failing cases with their new outcome (see :func:`accept`)."""
    from ._case_runner import run_all

    return run_all(paths, store=store, workers=workers, update=update)
