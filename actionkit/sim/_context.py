"""The simulated host state one call runs in, for the ``open_webui`` stand-ins and the mock model.

Each simulated call runs inside :func:`actionkit.context.simulation_context` built from its
plan: the ``__user__`` (without ``"valves"``), the model (added to the model registry), the body's
messages with the chat and message ids (the stand-in ``Chats`` build the stored chat from them), the
chat's files, the scripted model (``llm=``) and the event emitter and caller. Tasks the function
starts inherit it; an enclosing :class:`~actionkit.Chat` or ``MockModel.use()`` keeps its mock
model, extra users and fuller chat.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import Token
from typing import TYPE_CHECKING, Any

from ..errors import MockModelError, SimulationError
from ..function import Tool, tool_row
from ..standins import MockModel, context

if TYPE_CHECKING:
    from ..standins import SimContext
    from ._plan import Plan


def check_llm(llm: Any) -> Any:
    """``llm=`` as a mock model (a MockModel, a reply, a list of replies or a callable), or None."""
    if llm is None:
        return None

    try:
        return MockModel.coerce(llm)
    except MockModelError as exc:
        raise SimulationError(
            f"llm= {exc}",
            hint='for example llm=["first reply", "second reply"] or llm=MockModel(...)',
        ) from None


def _messages(plan: Plan) -> list[dict[str, Any]] | None:
    body = plan.stream_body if plan.hook == "stream" else plan.body
    messages = body.get("messages") if isinstance(body, dict) else None
    return messages if isinstance(messages, list) else None


def _metadata(plan: Plan) -> dict[str, Any]:
    """The call's metadata; for an action the chat, message and session ids are the body's, as the
    host's ``chat_action`` takes them from the request."""
    metadata = plan.metadata
    body = plan.body
    if plan.kind != "action" or not isinstance(body, dict):
        return metadata
    merged = None  # a copy, made only when the body's ids are not the metadata's (the default's are)
    for key, value in (
        ("chat_id", body.get("chat_id")),
        ("message_id", body.get("id")),
        ("session_id", body.get("session_id")),
    ):
        if value is not None and metadata.get(key) is not value:
            if merged is None:
                merged = dict(metadata)
            merged[key] = value
    return metadata if merged is None else merged


def _files(plan: Plan) -> list[dict[str, Any]] | None:
    files = plan.files
    if files is None:
        files = plan.metadata.get("files")
    if not isinstance(files, list):
        return None
    return [item for item in files if isinstance(item, dict)]


def _tools(plan: Plan) -> dict[str, dict[str, Any]] | None:
    """A Tool call's own tool, as the row the host's tool table holds (for the stand-ins)."""
    fn = plan.fn
    if not isinstance(fn, Tool):
        return None
    return {fn.id: tool_row(fn, plan.valves, {str(plan.user.get("id")): dict(plan.user_valves)})}


def enter(plan: Plan, emitter: Callable[..., Any] | None, caller: Callable[..., Any] | None) -> Token[Any]:
    """Make the plan's call the current simulation; undo with :func:`exit`."""
    return context.enter(
        user=plan.user,
        model=plan.model if isinstance(plan.model, dict) else None,
        messages=_messages(plan),
        metadata=_metadata(plan),
        files=_files(plan),
        llm=plan.llm,
        event_emitter=emitter,
        event_call=caller,
        tools=_tools(plan),
    )


def exit(token: Token[Any]) -> list[str]:
    """Leave the plan's simulation; returns the warnings about host calls it never awaited."""
    calls = context.current().unawaited_calls()
    context.exit(token)
    return [_unawaited_text(label, count) for label, count in calls.items()]


def _unawaited_text(label: str, count: int) -> str:
    times = "" if count == 1 else f" ({count} times)"
    return (
        f"{label}(...) was called without `await`{times}: it is async in Open WebUI 0.12.4, so it "
        "returns a coroutine (always true, no attributes, no len()), which is never run; "
        f"write `await {label}(...)`"
    )


def context_for(plan: Plan) -> SimContext:
    """The simulation context a run of ``plan`` has (built, not entered)."""
    token = enter(plan, None, None)
    try:
        return context.current()
    finally:
        context.exit(token)
