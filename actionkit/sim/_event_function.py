"""Event functions (``class Event``): the application event they are called for, and the call.

Open WebUI 0.12.4 publishes an event (``events.py::publish_event``) for most things that happen
(``chat.created``, ``user.updated``, ``tool.created`` …, :data:`~actionkit.host.EVENT_NAMES`) and
calls every active Event function's ``event()`` for it (``dispatch_event_functions``): valves
re-applied first, then ``event`` (the payload, ``Event.model_dump()``) and the other offered
arguments (``__event__``, ``__event_name__`` …), each when the signature names it, all of them to
a ``**kwargs`` handler. What the handler returns is discarded and what it raises only logged.

``event=`` of ``simulate`` is the event: a name, or a dict of the payload's fields (``event``, the
name, is required; ``data``, ``subject``, ``actor``, ``source``, ``message``, ``id``,
``created_at``, ``instance_id`` are optional). The payload is built as ``build_event`` builds it:
resource and operation from the name, the actor from the simulated user (none for ``system.*``
events, published by the server itself), secrets dropped from ``data`` and long strings cut.
"""

from __future__ import annotations

import copy
import inspect
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ..errors import SimulationError
from ..function import apply_valves
from ..host import (
    EVENT_ACTOR_FIELDS,
    EVENT_ID,
    EVENT_MAX_STRING_LENGTH,
    EVENT_NAMES,
    EVENT_SENSITIVE_KEYS,
    EVENT_SENSITIVE_SUFFIXES,
    FIXED_TIME,
    OFFERED,
    UNPUBLISHED_EVENTS,
    VERSION,
)
from ..standins import context
from ._event_checks import did_you_mean
from ._invoke import Outcome, signature_info
from ._plan import Plan
from ._request import make_request

__all__ = ["Event", "build_event_payload", "event_parts", "run_event"]

_GIVEN_KEYS = ("event", "data", "subject", "actor", "source", "message", "id", "created_at", "instance_id")
_DERIVED_KEYS = ("schema", "version", "resource", "operation")
_SYSTEM_PREFIX = "system."
_CUT = " (cut)"
_EXAMPLE = 'event="chat.created" or event={"event": "user.updated", "data": {...}}'


class Event(BaseModel):
    """``open_webui.events.Event``: what ``__event__`` is (its dump is the ``event`` payload)."""

    model_config = ConfigDict(populate_by_name=True)

    schema_: str = Field(alias="schema")
    id: str
    event: str
    resource: str
    operation: str
    created_at: int
    instance_id: str | None
    version: str
    source: str
    actor: dict[str, Any] | None = None
    subject: dict[str, Any] | None = None
    data: dict[str, Any] = Field(default_factory=dict)
    message: str | None = None

    def model_dump(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("by_alias", True)
        return super().model_dump(*args, **kwargs)


def is_system_event(name: str) -> bool:
    """Events the server publishes itself (no actor, no request, ``source: "system"``)."""
    return name.startswith(_SYSTEM_PREFIX)


def event_parts(given: Any, function_id: str) -> dict[str, Any]:
    """``event=`` checked: ``{"event": name, ...the fields given}``; a SimulationError names what
    to fix."""
    if given is None:
        raise SimulationError(
            f"{function_id} is an Event function: Open WebUI calls it for application events; pass "
            f"the event, e.g. {_EXAMPLE}",
            function_id=function_id,
        )
    parts = {"event": given} if isinstance(given, str) else given
    if not isinstance(parts, dict):
        raise SimulationError(
            f"event must be an event name or a dict of the payload's fields, got {type(given).__name__}",
            function_id=function_id,
        )
    name = parts.get("event")
    if not isinstance(name, str):
        raise SimulationError(
            f"the event dict needs the event name as 'event' ({_EXAMPLE})", function_id=function_id
        )
    if name not in EVENT_NAMES:
        raise SimulationError(
            f"unknown event {name!r}{did_you_mean(name, EVENT_NAMES)}: Open WebUI 0.12.4 publishes only "
            "the names in its catalog (actionkit.host.EVENT_NAMES); publish_event refuses any other",
            function_id=function_id,
        )
    unknown = sorted(set(parts) - set(_GIVEN_KEYS) - set(_DERIVED_KEYS))
    if unknown:
        raise SimulationError(
            f"the event has unknown field(s) {', '.join(unknown)}; its fields are {', '.join(_GIVEN_KEYS)}",
            function_id=function_id,
        )
    derived = _derived(name)
    for key in _DERIVED_KEYS:
        if key in parts and parts[key] != derived[key]:
            raise SimulationError(
                f"event {key} {parts[key]!r} does not match {name!r}: Open WebUI sets it to "
                f"{derived[key]!r}; leave it out",
                function_id=function_id,
            )
    for key, kind in (("data", dict), ("subject", dict), ("actor", dict)):
        value = parts.get(key)
        if value is not None and not isinstance(value, kind):
            raise SimulationError(
                f"event {key} must be a dict, got {type(value).__name__}", function_id=function_id
            )
    subject = parts.get("subject")
    if isinstance(subject, dict) and set(subject) - {"type", "id"}:
        raise SimulationError(
            "event subject holds only 'type' and 'id' (Open WebUI builds it from a subject id and type)",
            function_id=function_id,
        )
    return {key: copy.deepcopy(parts[key]) for key in _GIVEN_KEYS if key in parts}


def _derived(name: str) -> dict[str, str]:
    pieces = name.split(".")
    return {"schema": VERSION, "version": VERSION, "resource": ".".join(pieces[:-1]), "operation": pieces[-1]}


def build_event_payload(parts: dict[str, Any], user: dict[str, Any], warnings: list[str]) -> Event:
    """The ``Event`` the host would publish for ``parts`` (see :func:`event_parts`), with the
    simulated ``user`` as the actor unless one is given; what the host drops is named in
    ``warnings``."""
    name = parts["event"]
    derived = _derived(name)
    system = is_system_event(name)
    dropped: list[str] = []
    subject = parts.get("subject")
    if isinstance(subject, dict) and (subject.get("id") is not None or subject.get("type") is not None):
        subject = _sanitize({"type": subject.get("type") or derived["resource"], "id": subject.get("id")}, "")
    else:
        subject = None
    actor_given = parts.get("actor", None if system else user)
    fields = dict(
        schema=VERSION,
        id=str(parts.get("id", EVENT_ID)),
        event=name,
        resource=derived["resource"],
        operation=derived["operation"],
        created_at=parts.get("created_at", FIXED_TIME),
        instance_id=parts.get("instance_id"),
        version=VERSION,
        source=str(parts.get("source") or ("system" if system else "api")),
        actor=_actor(actor_given),
        subject=subject,
        data=_sanitize(parts.get("data") or {}, "", dropped),
        message=parts.get("message"),
    )
    try:
        payload = Event(**fields)
    except ValueError as exc:
        raise SimulationError(f"the event does not make a valid payload: {exc}") from None
    cut = [path for path in dropped if path.endswith(_CUT)]
    gone = [path for path in dropped if not path.endswith(_CUT)]
    if gone:
        warnings.append(
            "Open WebUI 0.12.4 drops secret-looking keys from event data, so the function gets it "
            f"without {', '.join(gone)}"
        )
    if cut:
        warnings.append(
            f"Open WebUI 0.12.4 cuts strings in event data to {EVENT_MAX_STRING_LENGTH} characters "
            f"plus '...': {', '.join(path.removesuffix(_CUT) for path in cut)}"
        )
    if name in UNPUBLISHED_EVENTS:
        warnings.append(f"{name} is in Open WebUI 0.12.4's catalog, but 0.12.4 never publishes it")
    return payload


def _sensitive(key: Any) -> bool:
    normalized = str(key).lower().replace("-", "_")
    return normalized in EVENT_SENSITIVE_KEYS or normalized.endswith(EVENT_SENSITIVE_SUFFIXES)


def _sanitize(value: Any, where: str, dropped: list[str] | None = None) -> Any:
    """``events.py::_sanitize``; ``dropped`` collects the paths of removed keys and cut strings."""
    if hasattr(value, "model_dump"):
        value = value.model_dump()
    if isinstance(value, dict):
        kept = {}
        for key, item in value.items():
            path = f"{where}.{key}" if where else str(key)
            if _sensitive(key):
                if dropped is not None:
                    dropped.append(path)
                continue
            kept[key] = _sanitize(item, path, dropped)
        return kept
    if isinstance(value, list | tuple | set):
        return [_sanitize(item, f"{where}[{i}]", dropped) for i, item in enumerate(value)]
    if isinstance(value, str) and len(value) > EVENT_MAX_STRING_LENGTH:
        if dropped is not None:
            dropped.append(where + _CUT)
        return f"{value[:EVENT_MAX_STRING_LENGTH]}..."
    return value


def _actor(actor: Any) -> dict[str, Any] | None:
    actor = _sanitize(actor, "")
    if not actor or not isinstance(actor, dict):
        return None
    data = {key: actor.get(key) for key in EVENT_ACTOR_FIELDS if actor.get(key) is not None}
    if not data:
        return None
    data["type"] = actor.get("type") or "user"
    return data


def offered_arguments(plan: Plan, event: Event) -> dict[str, Any]:
    """Every argument the host offers ``event()`` (the handler gets those it names)."""
    request = make_request("/api", {}, context.current().models)
    app = request.app
    if is_system_event(event.event):
        request = None  # published by the server itself, outside any request
    return {
        "event": event.model_dump(),
        "__id__": plan.fn.id,
        "__event__": event,
        "__event_id__": event.id,
        "__event_name__": event.event,
        "__app__": app,
        "__request__": request,
    }


async def run_event(plan: Plan) -> Outcome:
    """``dispatch_event_functions`` for this one function."""
    outcome = Outcome()
    instance = plan.fn.instance
    handler = getattr(instance, "event", None)
    if not handler:
        outcome.notes.append(f"{plan.fn.id} has no event() method: Open WebUI skips it for every event")
        return outcome
    event = plan.event_payload
    assert isinstance(event, Event)
    try:
        apply_valves(instance, plan.valves, strip_none=False)
        names, var_kw = signature_info(handler)
        offered = offered_arguments(plan, event)
        params = {key: value for key, value in offered.items() if var_kw or key in names}
        if inspect.iscoroutinefunction(handler):
            returned = await handler(**params)
        else:
            returned = handler(**params)
    except Exception as exc:
        outcome.error = str(exc)
        outcome.exception = exc
        outcome.notes.append(
            f"Open WebUI only logs this ('Event function failed for {plan.fn.id}') and goes on with the "
            "other Event functions"
        )
        return outcome
    if returned is not None:
        if inspect.iscoroutine(returned):
            returned.close()
            what = "a coroutine, which Open WebUI never awaits (declare event() `async def`)"
        else:
            what = f"a {type(returned).__name__}"
        outcome.notes.append(f"event() returned {what}: Open WebUI discards what event() returns")
    return outcome


def check_event_signature(handler: Any, warnings: list[str]) -> list[str]:
    """Warnings about ``event()``'s parameters; returns the names the host will pass."""
    if handler is None or not callable(handler):
        return []
    try:
        names, var_kw = signature_info(handler)
    except (TypeError, ValueError):
        return []
    offered = ("event", *OFFERED["event"])
    for name in sorted(names - {"self", *offered}):
        if name.startswith("__") and name.endswith("__"):
            warnings.append(
                f"event() asks for {name}{did_you_mean(name, offered)}: Open WebUI 0.12.4 passes Event "
                f"functions only {', '.join(offered)}, so it keeps its default"
            )
    return [name for name in offered if var_kw or name in names]


# simulate() options that mean nothing for an Event function, with what to do instead.
_CHAT_OPTIONS = {
    "body": "pass the event as event= (its data as event={'event': ..., 'data': {...}})",
    "sub_id": "Event functions have no sub-actions or models",
    "stream": "Event functions are not streamed",
    "user_valves": "Open WebUI passes Event functions no user and no user valves",
    "replies": "Event functions get no __event_call__",
    "model": "Event functions get no model",
    "metadata": "Event functions get no chat metadata",
    "task": "Event functions run no background task",
    "files": "Event functions get no chat files",
}


def refuse_chat_options(call: Any, function_id: str) -> None:
    for name, why in _CHAT_OPTIONS.items():
        value = getattr(call, name)
        if value is not None and value is not False:
            raise SimulationError(f"{name}= is for chat calls: {why}", function_id=function_id)


def plan_event(plan: Plan, given: Any) -> None:
    """Fill the plan of an Event function's call from ``event=``."""
    parts = event_parts(given, plan.fn.id)
    plan.event = parts
    plan.event_payload = build_event_payload(parts, plan.user, plan.warnings)
