"""Everything a simulation needs, resolved before the function runs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..function import Function
    from ._events import Recorder
    from ._pipe_output import Ids
    from ._simulation import Hook, Kind


@dataclass(eq=False)
class Plan:
    fn: Function
    kind: Kind
    hook: Hook
    handler_name: str
    body: Any
    user: dict[str, Any] = field(repr=False)  # holds the user valves too
    model: dict[str, Any]
    metadata: dict[str, Any]
    valves: dict[str, Any] | None = field(repr=False)  # secrets inside: no repr shows them
    user_valves: dict[str, Any] = field(repr=False)
    recorder: Recorder
    ids: Ids
    timeout: float
    stream: bool = False
    sub_id: str | None = None
    task: str | None = None
    files: list[Any] | None = None
    message_id: str = ""
    initial_content: str = ""
    stream_body: dict[str, Any] | None = None
    model_given: bool = False
    features: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    secrets: frozenset[str] = field(default=frozenset(), repr=False)
    inputs: dict[str, Any] = field(default_factory=dict, repr=False)  # as given: event data too
    # The scripted model answering generate_chat_completion (llm=), None for the enclosing one.
    llm: Any = None
    # Event functions: the event's fields as given (``event=``) and the payload built from them.
    event: dict[str, Any] | None = field(default=None, repr=False)  # may hold secret-looking keys
    event_payload: Any = field(default=None, repr=False)
    # A Tool call: the model's tool call ({"id", "type", "function": {"name", "arguments"}}).
    tool_call: dict[str, Any] | None = None
    # Builds another copy of the body when it is a default one (cheaper than copying it).
    default_body: Callable[[], Any] | None = field(default=None, repr=False)
