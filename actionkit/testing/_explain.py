"""Which known host change explains a difference between two runs of the same call.

Two runs (of two releases, or of a release and the simulator, which follows 0.12.4) are compared
as *outcomes*: the fields of ``Simulation.to_dict()`` that say what happened (ok, error,
timed_out, result, events, event_calls, chunks, message), or ``{"raised": {...}}`` when the run
raised an actionkit error. For every change of :data:`actionkit.releases.CHANGES` that lies between
the two releases, a detector decides from the outcomes (and, for some, the function's source) whether
it is at work, and which of the differing fields it accounts for. What no change accounts for is
reported as unexplained.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..releases import CHANGES, HostChange, parse_version

OUTCOME_FIELDS = (
    "ok",
    "error",
    "timed_out",
    "result",
    "events",
    "event_calls",
    "chunks",
    "message",
    "raised",
)

Outcome = Mapping[str, Any]


@dataclass(frozen=True)
class Explained:
    """One host change at work, and the differing fields it accounts for."""

    change: HostChange
    fields: tuple[str, ...]

    @property
    def summary(self) -> str:
        return self.change.summary


@dataclass(frozen=True)
class Comparison:
    """How one run differs from another: the differing fields, the changes that explain them and
    the fields none explains."""

    fields: tuple[str, ...]
    explained: tuple[Explained, ...] = ()
    unexplained: tuple[str, ...] = field(default=())

    @property
    def same(self) -> bool:
        return not self.fields


def outcome_of(snapshot: Mapping[str, Any]) -> dict[str, Any]:
    """The outcome in a ``Simulation.to_dict()`` snapshot (its warnings as notes)."""
    outcome = {name: snapshot.get(name) for name in OUTCOME_FIELDS if name != "raised"}
    outcome["notes"] = list(snapshot.get("warnings") or [])
    return outcome


def without_ids(value: Any) -> Any:
    """``value`` with the host's random ids (uuid4) and clock fields replaced by fixed ones."""
    if isinstance(value, dict):
        return {key: 0 if _is_clock(key, item) else without_ids(item) for key, item in value.items()}
    if isinstance(value, list):
        return [without_ids(item) for item in value]
    if isinstance(value, str):
        return _CLOCK_IN_TEXT.sub(r'"\1":\g<2>0', _UUID.sub("<uuid>", value))
    return value


_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_CLOCKS = frozenset({"created", "created_at", "updated_at", "last_active_at", "timestamp"})
_CLOCK_IN_TEXT = re.compile(r'"(created|created_at|updated_at|last_active_at|timestamp)":(\s?)\d+')


def _is_clock(key: str, item: Any) -> bool:
    return key in _CLOCKS and type(item) is int


def differing_fields(one: Outcome, other: Outcome) -> tuple[str, ...]:
    return tuple(name for name in OUTCOME_FIELDS if one.get(name) != other.get(name))


def compare(
    older: Outcome,
    newer: Outcome,
    older_version: str,
    newer_version: str,
    *,
    kind: str | None = None,
    source: str | None = None,
    files: Any = None,
) -> Comparison:
    """``older`` (run on ``older_version``) against ``newer``: what differs and why. ``kind``,
    ``source`` and ``files`` (the function's type and source, the chat's files) let the detectors
    that need them see the call; an outcome's ``notes`` (its warnings, the text of an error it
    raised) are read for the changes' signals, not compared."""
    fields = differing_fields(older, newer)
    if not fields:
        return Comparison(())
    low, high = _ordered(older, newer, older_version, newer_version)
    found: list[Explained] = []
    covered: set[str] = set()
    context = _Context(low[0], high[0], low[1], high[1], set(fields), kind, source or "", files)
    for change in CHANGES:
        if not change.between(low[1], high[1]):
            continue
        detector = _DETECTORS.get(change.id, _by_signals)
        claimed = detector(change, context)
        if claimed:
            found.append(Explained(change, tuple(name for name in fields if name in claimed)))
            covered |= claimed
    unexplained = tuple(name for name in fields if name not in covered)
    return Comparison(fields, tuple(found), unexplained)


def _ordered(
    one: Outcome, other: Outcome, one_version: str, other_version: str
) -> tuple[tuple[Outcome, str], tuple[Outcome, str]]:
    if (parse_version(one_version) or (0, 0, 0)) <= (parse_version(other_version) or (0, 0, 0)):
        return (one, one_version), (other, other_version)
    return (other, other_version), (one, one_version)


@dataclass
class _Context:
    older: Outcome
    newer: Outcome
    older_version: str
    newer_version: str
    fields: set[str]
    kind: str | None
    source: str
    files: Any

    def texts(self) -> list[str]:
        """The error texts and warnings of both runs, where a change's signals show."""
        found: list[str] = []
        for outcome in (self.older, self.newer):
            raised = outcome.get("raised")
            if isinstance(raised, Mapping):
                found.append(str(raised.get("message") or ""))
            for key in ("error", "traceback"):
                if isinstance(outcome.get(key), str):
                    found.append(outcome[key])
            found += [str(note) for note in outcome.get("notes") or ()]
            found.append(_message_error(outcome.get("message")))
            found += _strings(outcome.get("result"))  # errors a function caught and returned
        return found


def _strings(value: Any) -> list[str]:
    """The strings inside a result (dict values and list items, at any depth)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, Mapping):
        return [text for item in value.values() for text in _strings(item)]
    if isinstance(value, (list, tuple)):
        return [text for item in value for text in _strings(item)]
    return []


def _message_error(message: Any) -> str:
    if not isinstance(message, Mapping):
        return ""
    return json.dumps([message.get("error"), message.get("notifications")], default=str)


def _by_signals(change: HostChange, context: _Context) -> set[str]:
    """A change whose sign (an error or warning text) shows in either run accounts for everything."""
    if not change.signals:
        return set()
    texts = context.texts()
    if any(re.search(signal, text) for signal in change.signals for text in texts):
        return set(context.fields)
    return set()


def _chunk_data(chunks: Any) -> list[Any] | None:
    """The parsed payload of each SSE line (``"[DONE]"`` kept as itself); None when not chunks."""
    if not isinstance(chunks, list):
        return None
    out: list[Any] = []
    for chunk in chunks:
        for line in str(chunk).split("\n"):
            if not line.startswith("data:"):
                continue
            payload = line[5:].strip()
            try:
                out.append(payload if payload == "[DONE]" else json.loads(payload))
            except ValueError:
                out.append(payload)
    return out


def _is_finish(item: Any) -> bool:
    if item == "[DONE]":
        return True
    if not isinstance(item, dict):
        return False
    choices = item.get("choices") or [{}]
    return (
        isinstance(choices[0], dict)
        and choices[0].get("finish_reason") == "stop"
        and not choices[0].get("delta")
    )


def _compact_sse(change: HostChange, context: _Context) -> set[str]:
    """The same chunk data in other text (the newer stream may also end with the finish chunk and
    ``[DONE]`` that the older one lacks, another change)."""
    old, new = _chunk_data(context.older.get("chunks")), _chunk_data(context.newer.get("chunks"))
    if "chunks" not in context.fields or old is None or new is None:
        return set()
    if old not in (new, _without_finish(new)):
        return set()
    if len(old) == len(new) or _texts(context.older) != _texts(context.newer)[: len(old)]:
        return {"chunks"}
    return set()


def _texts(outcome: Outcome) -> list[str]:
    return [line for chunk in outcome.get("chunks") or () for line in str(chunk).split("\n") if line]


def _without_finish(items: list[Any]) -> list[Any]:
    trimmed = list(items)
    while trimmed and _is_finish(trimmed[-1]):
        trimmed.pop()
    return trimmed


def _stream_end(change: HostChange, context: _Context) -> set[str]:
    old, new = _chunk_data(context.older.get("chunks")), _chunk_data(context.newer.get("chunks"))
    if old is None or not new or not _is_finish(new[-1]) or (old and _is_finish(old[-1])):
        return set()
    if _without_finish(new) != old:
        return set()
    return {"chunks", "result"} & context.fields


def _pipe_files(change: HostChange, context: _Context) -> set[str]:
    """A pipe reading ``__files__`` called for a chat without files: it got None before 0.12."""
    if context.kind != "pipe" or "__files__" not in context.source or context.files:
        return set()
    return set(context.fields)


def _event_call_waits(change: HostChange, context: _Context) -> set[str]:
    """An event call no browser answered: before 0.9 it never returns, so the run times out."""
    calls = context.older.get("event_calls") or []
    unanswered = any(isinstance(c, Mapping) and c.get("reply") is None for c in calls)
    if context.older.get("timed_out") and unanswered:
        return set(context.fields)
    return _by_signals(change, context)


def _image_file_records(change: HostChange, context: _Context) -> set[str]:
    """A function making images with the host's ``image_generations`` that got back bare
    ``{"url": ...}`` entries on the older release."""
    if "image_generations" not in context.source or not _bare_urls(context.older.get("result")):
        return set()
    return {"result"} & context.fields


def _image_types(change: HostChange, context: _Context) -> set[str]:
    """Images made with ``image_generations`` all typed ``image/png`` on the older release, and
    typed otherwise (or refused) on the newer."""
    if "image_generations" not in context.source or "result" not in context.fields:
        return set()
    older, newer = (
        {text for text in _strings(outcome.get("result")) if text.startswith("image/")}
        for outcome in (context.older, context.newer)
    )
    return {"result"} if older == {"image/png"} and newer != older else set()


def _bare_urls(value: Any) -> bool:
    if isinstance(value, Mapping):
        return set(value) == {"url"} or any(_bare_urls(item) for item in value.values())
    if isinstance(value, (list, tuple)):
        return any(_bare_urls(item) for item in value)
    return False


_DETECTORS: dict[str, Callable[[HostChange, _Context], set[str]]] = {
    "image-file-records": _image_file_records,
    "image-type-from-bytes": _image_types,
    "compact-sse": _compact_sse,
    "stream-end": _stream_end,
    "pipe-files": _pipe_files,
    "event-call-without-browser": _event_call_waits,
}
