"""The steps and turns a :class:`~actionkit.chat.Chat` records."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import SimulationError
from ..sim import empty_message
from ..view import step_html, step_text, turn_html, turn_text

if TYPE_CHECKING:
    from ..sim import Simulation
    from ._chat import Chat


@dataclass(eq=False)
class Step:
    """One step of a turn: an inlet/stream/outlet filter, the pipe, the mock model or an action."""

    stage: str
    function_id: str | None
    simulations: list[Simulation] = field(default_factory=list)
    skipped: str | None = None
    label: str | None = None
    request: dict[str, Any] | None = None
    chunks: list[Any] = field(default_factory=list)
    error: str | None = None
    dropped: int = 0
    note: str | None = None
    turn: Turn | None = field(default=None, repr=False)

    @property
    def name(self) -> str:
        return self.label or self.function_id or "model"

    @property
    def events(self) -> list[Any]:
        return [event for sim in self.simulations for event in sim.events]

    @property
    def event_calls(self) -> list[dict[str, Any]]:
        return [call for sim in self.simulations for call in sim.event_calls]

    @property
    def errors(self) -> list[str]:
        found = [sim.error for sim in self.simulations if sim.error is not None]
        return ([self.error] if self.error is not None else []) + found

    @property
    def ok(self) -> bool:
        if self.skipped is not None:
            return True
        if self.stage == "stream":
            return True  # the host drops a failing chunk and goes on
        return not self.errors

    @property
    def warnings(self) -> list[str]:
        seen: list[str] = []
        for sim in self.simulations:
            seen.extend(w for w in sim.warnings if w not in seen)
        return seen

    @property
    def logs(self) -> list[dict[str, Any]]:
        """What the step's functions printed or logged, in order."""
        return [entry for sim in self.simulations for entry in sim.logs]

    def transcript(self) -> str:
        return step_text(self)

    def __repr__(self) -> str:
        status = "ok" if self.ok else "error"
        return f"<Step {self.stage} {self.name} {status}: {len(self.events)} events>"

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, str]:
        return {"text/plain": self.transcript(), "text/html": step_html(self)}


@dataclass(eq=False)
class Turn:
    """One user message and everything Open WebUI did to answer it."""

    number: int
    prompt: str
    user_message_id: str
    assistant_id: str
    metadata: dict[str, Any]
    history: list[dict[str, Any]]
    files: list[dict[str, Any]] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    message: dict[str, Any] = field(default_factory=empty_message)
    error: str | None = None
    notes: list[str] = field(default_factory=list)
    chat: Chat | None = field(default=None, repr=False)

    @property
    def content(self) -> str:
        value = self.message.get("content", "")
        return value if isinstance(value, str) else str(value)

    @property
    def ok(self) -> bool:
        return self.error is None and not self.message.get("error") and all(s.ok for s in self.steps)

    @property
    def events(self) -> list[Any]:
        return [event for step in self.steps for event in step.events]

    def step(self, stage: str, function_id: str | None = None) -> Step:
        """The first step of ``stage`` (and ``function_id`` when given)."""
        for step in self.steps:
            if step.stage == stage and (function_id is None or step.function_id == function_id):
                return step
        raise SimulationError(
            f"turn {self.number} has no {stage} step" + (f" for {function_id}" if function_id else "")
        )

    def record_answer(self, text: str) -> None:
        """Store the assistant message's content in the chat history, as the host persists it."""
        for message in self.history:
            if message.get("id") == self.assistant_id:
                message["content"] = text

    def click(self, action: Any, *, sub_id: str | None = None, replies: Any = None) -> Step:
        """Click an action button under this turn's answer."""
        if self.chat is None:
            raise SimulationError("this turn does not belong to a Chat")
        return self.chat.click(action, sub_id=sub_id, turn=self, replies=replies)

    def transcript(self) -> str:

        return turn_text(self)

    def __repr__(self) -> str:
        status = "ok" if self.ok else "error"
        return f"<Turn {self.number} {status}: {len(self.steps)} steps, {len(self.events)} events>"

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, str]:

        return {"text/plain": self.transcript(), "text/html": turn_html(self)}
