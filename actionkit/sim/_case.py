"""Recorded cases: a simulation saved as a JSON file, to be replayed later as a regression test.

A case holds the function (id, name, content and its hash), the call's inputs (body, valves, user
valves, replies, hook, sub id, stream, ...) and the expected outcome (``Simulation.to_dict()``).
Replaying is :mod:`actionkit.testing`'s job; this module only writes and reads the file.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import CaseError
from ..function import content_hash
from ..host import NO_BROWSER_REPLY

if TYPE_CHECKING:
    from ..function import Function
    from ._simulation import Simulation

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
    "event",
    "tool_call",
)


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
        """The hash of the recorded source, computed from it (never the stored field)."""
        return content_hash(str(self.function["content"]))

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
    call = {key: inputs.get(key) for key in CALL_KEYS}
    call["hook"] = sim.hook if sim.kind == "filter" else None
    call["sub_id"] = sim.sub_id
    call["stream"] = bool(sim.stream)
    if "replies" not in inputs or callable(call["replies"]):
        call["replies"] = _replies_given(sim)
    for key, value in call.items():
        try:
            json.dumps(value, allow_nan=False)
        except (TypeError, ValueError, RecursionError) as exc:
            reason = "it is nested too deeply" if isinstance(exc, RecursionError) else str(exc)
            raise CaseError(
                f"cannot record the {key!r} input of this simulation as JSON: {reason}",
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


def _replies_given(sim: Simulation) -> list[Any] | None:
    """The answers the event calls got, without the trailing ones a missing browser gave."""
    replies = [entry.get("reply") for entry in sim.event_calls]
    while replies and replies[-1] == NO_BROWSER_REPLY:
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
    text = json.dumps(case.to_json(), ensure_ascii=False, indent=2) + "\n"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise CaseError(
            f"cannot write the case file {target}: {exc.strerror or exc}",
            function_id=sim.function_id,
            hint="save it to a folder you can write to",
        ) from None
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
    stored, computed = function.get("content_hash"), content_hash(function["content"])
    if stored != computed:
        raise CaseError(
            f"{file}: its content_hash {stored!r} does not match the recorded source (whose hash is "
            f"{computed!r}): the source was edited after recording, or the file is damaged",
            function_id=function["id"],
            hint=f"record the case again, or set content_hash to {computed!r} if the edit is intended",
        )
    return Case(function=function, call=call, expected=expected, path=file)


def normalized(data: Any) -> Any:
    """``data`` as it reads back from JSON (tuples become lists, keys strings)."""
    return json.loads(json.dumps(data, ensure_ascii=False, default=repr))
