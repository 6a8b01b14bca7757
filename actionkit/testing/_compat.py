"""``compat``: the same call on several Open WebUI releases, side by side.

Each runtime (``"open-webui==0.8.12"``, ``"open-webui==0.12.4"``, ``"actionkit"`` ...) runs the
same call; the rows are compared with a reference (by default the newest release given) on what
the function did: outcome, events, event calls, result, streamed chunks and the message. A row that
differs names the fields, and every known host change that explains them (:mod:`._explain`); what
none explains is said too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import ActionkitError, SimulationError
from ..host import VERSION
from ..realhost import installed_version, prepare_releases
from ..releases import RELEASES, parse_version, runtime_name, runtime_release
from ..runtimes import ACTIONKIT, OPEN_WEBUI, select_runtime, simulate
from ..sim import Simulation, normalized, resolve_function
from ..standins import MockModel, model_in_use
from ..view import compat_html, compat_text
from ._explain import Comparison, compare, outcome_of, without_ids

DEFAULT_RUNTIMES = tuple(runtime_name(version) for version in RELEASES)


@dataclass
class CompatRow:
    """One runtime's run: the Simulation, or the actionkit error raised instead."""

    runtime: str
    version: str
    simulation: Simulation | None = None
    raised: ActionkitError | None = None
    comparison: Comparison | None = None  # against the reference; None for the reference itself
    outcome: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def label(self) -> str:
        if self.runtime == ACTIONKIT:
            return f"actionkit (follows {VERSION})"
        return f"open-webui {self.version}"

    @property
    def status(self) -> str:
        if self.raised is not None:
            return f"raised {type(self.raised).__name__}"
        sim = self.simulation
        assert sim is not None
        if sim.timed_out:
            return "timed out"
        return "ok" if sim.ok else "error"

    @property
    def differs(self) -> bool:
        return self.comparison is not None and not self.comparison.same

    def to_dict(self) -> dict[str, Any]:
        comparison = self.comparison
        explained = comparison.explained if comparison else ()
        return {
            "runtime": self.runtime,
            "version": self.version,
            "status": self.status,
            "outcome": {k: v for k, v in self.outcome.items() if k != "notes"},
            "reference": comparison is None,
            "differs": list(comparison.fields) if comparison else [],
            "explained": [
                {
                    "change": e.change.id,
                    "since": e.change.since,
                    "summary": e.summary,
                    "fields": list(e.fields),
                }
                for e in explained
            ],
            "unexplained": list(comparison.unexplained) if comparison else [],
        }


@dataclass
class Compat:
    """The rows of one call on several runtimes; ``reference`` is the index of the row the others
    are compared with."""

    function_id: str
    kind: str
    target: str
    rows: list[CompatRow]
    reference: int

    @property
    def same(self) -> bool:
        """True when every row did what the reference did."""
        return not any(row.differs for row in self.rows)

    @property
    def explained(self) -> bool:
        """True when every difference is explained by a known host change."""
        return all(not row.comparison.unexplained for row in self.rows if row.comparison is not None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "function_id": self.function_id,
            "kind": self.kind,
            "target": self.target,
            "reference": self.rows[self.reference].runtime,
            "same": self.same,
            "rows": [row.to_dict() for row in self.rows],
        }

    def text(self) -> str:
        return compat_text(self)

    def __repr__(self) -> str:
        verdict = "same" if self.same else "differs"
        return f"<Compat {self.target} on {len(self.rows)} runtimes: {verdict}>"

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, str]:
        return {"text/plain": compat_text(self), "text/html": compat_html(self)}


def compat(
    target: Any,
    body: Any = None,
    *,
    runtimes: Sequence[str] | str | None = None,
    reference: str | None = None,
    **options: Any,
) -> Compat:
    """Run the same call on each of ``runtimes`` and compare the rows.

    ``runtimes``: ``"open-webui==<version>"`` (installed on first use), ``"open-webui"`` (the one
    installed here) or ``"actionkit"``; default: the last release of each line 0.8 to 0.12.
    ``reference``: the runtime the others are compared with (default: the newest release).
    ``options`` are :func:`actionkit.simulate`'s (``hook``, ``valves``, ``replies``, ``llm`` ...);
    each row gets its own copy of a scripted model, so every row sees the same replies.
    """
    if "runtime" in options:
        raise SimulationError("compat() takes runtimes=[...], not runtime=")
    chosen = _runtimes(runtimes)
    fn, _, _ = resolve_function(target, options.get("store"))
    prepare_releases(chosen)
    rows = [_row(runtime, target, body, options) for runtime in chosen]
    index = _reference(rows, reference)
    base = rows[index]
    for row in rows:
        if row is not base:
            older, newer = (row, base) if _order(row) <= _order(base) else (base, row)
            comparison = compare(
                older.outcome,
                newer.outcome,
                older.version,
                newer.version,
                kind=fn.type,
                source=fn.content,
                files=options.get("files"),
            )
            row.comparison = comparison
    first = next((row.simulation for row in rows if row.simulation is not None), None)
    what = first.target if first is not None else fn.id
    return Compat(fn.id, fn.type, what, rows, index)


def _runtimes(given: Sequence[str] | str | None) -> list[str]:
    if given is None:
        return list(DEFAULT_RUNTIMES)
    items = [part.strip() for part in given.split(",")] if isinstance(given, str) else list(given)
    chosen: list[str] = []
    for item in items:
        runtime = select_runtime(item)
        if runtime not in chosen:
            chosen.append(runtime)
    if len(chosen) < 2:
        raise SimulationError(
            f"compat() compares two or more runtimes, got {chosen!r}",
            hint="e.g. runtimes=['open-webui==0.8.12', 'open-webui==0.12.4']",
        )
    return chosen


def _version(runtime: str) -> str:
    if runtime == ACTIONKIT:
        return VERSION
    if runtime == OPEN_WEBUI:
        return installed_version() or "?"
    version = runtime_release(runtime)
    assert version is not None
    return version


def _row(runtime: str, target: Any, body: Any, options: dict[str, Any]) -> CompatRow:
    row = CompatRow(runtime, _version(runtime))
    given = dict(options)
    given["llm"] = _fresh_model(options.get("llm"))
    try:
        row.simulation = simulate(target, body, **given, runtime=runtime)
    except ActionkitError as exc:
        row.raised = exc
    row.outcome = _outcome(row)
    return row


def _fresh_model(llm: Any) -> Any:
    """A copy of the scripted model with no calls recorded, so each row starts its script anew."""
    model = llm if llm is not None else model_in_use()
    if not isinstance(model, MockModel):
        return llm
    return model.fresh()


def _outcome(row: CompatRow) -> dict[str, Any]:
    if row.raised is not None:
        exc = row.raised
        fields = sorted(getattr(exc, "errors", {}) or {})
        return {"raised": {"type": type(exc).__name__, "fields": fields}, "notes": [str(exc)]}
    sim = row.simulation
    assert sim is not None
    return outcome_of(without_ids(normalized(sim.to_dict())))


def _order(row: CompatRow) -> tuple[tuple[int, int, int], int]:
    return parse_version(row.version) or (0, 0, 0), 0 if row.runtime == ACTIONKIT else 1


def _reference(rows: list[CompatRow], reference: str | None) -> int:
    if reference is None:
        return max(range(len(rows)), key=lambda i: _order(rows[i]))
    wanted = select_runtime(reference)
    for index, row in enumerate(rows):
        if row.runtime == wanted:
            return index
    raise SimulationError(
        f"reference {reference!r} is not one of the runtimes compared: "
        + ", ".join(row.runtime for row in rows)
    )
