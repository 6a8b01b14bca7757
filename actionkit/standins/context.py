"""What a running simulation exposes to the ``open_webui`` stand-ins and the mock model.

The simulator wraps each call in :func:`simulation_context`; the stand-ins (``Users``, ``Chats``,
``Files``, ``Models``, ``generate_chat_completion`` ...) read :func:`current` to answer with the
simulated user, chat, files, model registry and scripted model. The value lives in a
:class:`contextvars.ContextVar`, so tasks a function starts and helper threads started through
``actionkit._aio.run_sync`` see the same simulation, and concurrent simulations never mix.
Outside any simulation :func:`current` returns a default context (one admin user, no chat, the
default mock model).
"""

from __future__ import annotations

import copy
import inspect
import itertools
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from functools import cached_property
from typing import Any

from ..host import FIXED_TIME, default_user
from ._mock_model import MockModel, model_in_use

__all__ = [
    "SimContext",
    "active",
    "build",
    "build_chat",
    "current",
    "enter",
    "exit",
    "simulation_context",
    "using",
]


class SimContext:
    """The simulated host state one call sees.

    Built cheaply when a simulation starts; the user list, model registry, mock model and chat are
    worked out on first use (most functions never import ``open_webui``). What is not given is
    inherited from the enclosing context (a :class:`~actionkit.Chat`, ``MockModel.use()``).
    """

    def __init__(
        self,
        *,
        outer: SimContext | None,
        override: MockModel | None,
        user: dict[str, Any] | None,
        users: list[dict[str, Any]] | None,
        model: dict[str, Any] | None,
        models: dict[str, dict[str, Any]] | list[dict[str, Any]] | None,
        messages: list[dict[str, Any]] | None,
        metadata: dict[str, Any] | None,
        chat: dict[str, Any] | None,
        files: list[dict[str, Any]] | None,
        llm: Any,
        event_emitter: Any,
        event_call: Any,
        functions: dict[str, str] | None,
        config: dict[str, Any] | None,
        tools: dict[str, dict[str, Any]] | None = None,
    ) -> None:
        self._outer = outer
        self._override = override
        self._user = user
        self._users = users
        self._model = model
        self._models = models
        self._messages = messages
        self._chat = chat
        self._llm = llm
        self.metadata: dict[str, Any] = metadata if metadata is not None else {}
        self.files: list[dict[str, Any]] = (
            list(files) if files is not None else (list(outer.files) if outer is not None else [])
        )
        self.event_emitter = event_emitter
        self.event_call = event_call
        self.functions: dict[str, str] = dict(functions or (outer.functions if outer is not None else {}))
        # Tool rows by id (the tool table's columns, plus "user_valves": {user id: values}).
        self.tools: dict[str, dict[str, Any]] = dict(tools or (outer.tools if outer is not None else {}))
        self.config: dict[str, Any] = dict(config or (outer.config if outer is not None else {}))
        # State the stand-ins keep for this simulation (file rows, uploads ...), by table name.
        self.tables: dict[str, Any] = {}
        # Coroutines of host-async stand-in calls not yet seen started, with the call's label.
        self._host_calls: list[tuple[str, Coroutine[Any, Any, Any]]] = []
        self._host_calls_kept = 64

    @cached_property
    def user(self) -> dict[str, Any]:
        given = self._user
        if given is None:
            given = self._outer.user if self._outer is not None else default_user()
        return {k: v for k, v in given.items() if k != "valves"}

    @cached_property
    def users(self) -> list[dict[str, Any]]:
        found = [self.user]
        outer = self._outer.users if self._outer is not None else []
        for extra in [*(self._users or []), *outer]:
            if isinstance(extra, dict) and all(u.get("id") != extra.get("id") for u in found):
                found.append({k: v for k, v in extra.items() if k != "valves"})
        return found

    @cached_property
    def llm(self) -> MockModel:
        if self._llm is not None:
            return MockModel.coerce(self._llm)
        if self._override is not None:
            return self._override
        return self._outer.llm if self._outer is not None else MockModel()

    @cached_property
    def models(self) -> dict[str, dict[str, Any]]:
        registry: dict[str, dict[str, Any]] = dict(self._outer.models) if self._outer is not None else {}
        for model_id in self.llm.models:
            registry.setdefault(model_id, self.llm.model_entry(model_id))
        if isinstance(self._models, dict):
            registry.update(self._models)
        elif isinstance(self._models, list):
            registry.update({m["id"]: m for m in self._models if isinstance(m, dict) and "id" in m})
        if isinstance(self._model, dict) and self._model.get("id"):
            registry[str(self._model["id"])] = self._model
        return registry

    @cached_property
    def chat(self) -> dict[str, Any] | None:
        if self._chat is not None:
            return self._chat
        outer = self._outer.chat if self._outer is not None else None
        if outer is not None and outer.get("id") == self.metadata.get("chat_id"):
            return outer  # the enclosing chat (e.g. a Chat's whole history) is the fuller one
        if self._messages is not None:
            model = self._model
            return build_chat(
                chat_id=str(self.metadata.get("chat_id") or ""),
                user_id=str(self.user.get("id", "")),
                messages=self._messages,
                message_id=self.metadata.get("message_id"),
                model_id=model.get("id") if isinstance(model, dict) else None,
            )
        return outer

    def note_host_call(self, label: str, coroutine: Coroutine[Any, Any, Any]) -> None:
        """Remember the coroutine a host-async stand-in call returned (``label``:
        ``Users.get_user_by_id``)."""
        calls = self._host_calls
        calls.append((label, coroutine))
        if len(calls) > self._host_calls_kept:
            calls[:] = [(name, coro) for name, coro in calls if _never_started(coro)]
            self._host_calls_kept = max(64, 2 * len(calls))

    def unawaited_calls(self) -> dict[str, int]:
        """``{label: count}`` of the host-async calls whose coroutine was never awaited, in call
        order; those coroutines are closed (so Python's own warning does not follow at some later
        garbage collection) and forgotten."""
        found: dict[str, int] = {}
        for label, coroutine in self._host_calls:
            if _never_started(coroutine):
                found[label] = found.get(label, 0) + 1
                coroutine.close()
        self._host_calls = []
        return found

    def find_user(self, user_id: str) -> dict[str, Any] | None:
        for user in self.users:
            if user.get("id") == user_id:
                return user
        return None


def _never_started(coroutine: Coroutine[Any, Any, Any]) -> bool:
    return inspect.iscoroutine(coroutine) and inspect.getcoroutinestate(coroutine) == inspect.CORO_CREATED


_current: ContextVar[SimContext | None] = ContextVar("actionkit_simulation", default=None)


def current() -> SimContext:
    """The context of the running simulation, else a fresh default one."""
    ctx = _current.get()
    if ctx is not None:
        return ctx
    return build()


def active() -> bool:
    """Whether a simulation context is set (as opposed to the default)."""
    return _current.get() is not None


def build(
    *,
    user: dict[str, Any] | None = None,
    users: list[dict[str, Any]] | None = None,
    model: dict[str, Any] | None = None,
    models: dict[str, dict[str, Any]] | list[dict[str, Any]] | None = None,
    messages: list[dict[str, Any]] | None = None,
    metadata: dict[str, Any] | None = None,
    chat: dict[str, Any] | None = None,
    files: list[dict[str, Any]] | None = None,
    llm: Any = None,
    event_emitter: Any = None,
    event_call: Any = None,
    functions: dict[str, str] | None = None,
    config: dict[str, Any] | None = None,
    tools: dict[str, dict[str, Any]] | None = None,
) -> SimContext:
    """Build a :class:`SimContext`, inheriting what is not given from the enclosing one."""
    return SimContext(
        outer=_current.get(),
        override=model_in_use(),
        user=user,
        users=users,
        model=model,
        models=models,
        messages=messages,
        metadata=metadata,
        chat=chat,
        files=files,
        llm=llm,
        event_emitter=event_emitter,
        event_call=event_call,
        functions=functions,
        config=config,
        tools=tools,
    )


def enter(**kwargs: Any) -> Token[SimContext | None]:
    """Set the simulation context (keyword arguments as :func:`build`); undo with :func:`exit`."""
    return _current.set(build(**kwargs))


def exit(token: Token[SimContext | None]) -> None:
    _current.reset(token)


@contextmanager
def simulation_context(**kwargs: Any) -> Iterator[SimContext]:
    """Run the enclosed code as one simulated call (keyword arguments as :func:`build`)."""
    with using(build(**kwargs)) as ctx:
        yield ctx


@contextmanager
def using(ctx: SimContext) -> Iterator[SimContext]:
    """Run the enclosed code with an already built context."""
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)


# Chat id prefixes Open WebUI 0.12.4 never saves (``open_webui.utils.chat_id``).
NON_SAVED_CHAT_ID_PREFIXES = ("temporary:", "local:", "channel:")


def build_chat(
    *,
    chat_id: str,
    user_id: str,
    messages: list[dict[str, Any]],
    message_id: Any = None,
    model_id: Any = None,
    title: str = "New Chat",
) -> dict[str, Any] | None:
    """A stored chat row (0.12.4 ``ChatModel`` fields) holding ``messages`` as its history branch.

    Messages without an ``id`` get ``message-<n>``; ``parentId``/``childrenIds`` link them in order.
    When ``message_id`` names a message that is not in ``messages`` (the assistant message being
    generated), an empty assistant message with that id ends the branch, as in the host's database.
    """
    if not chat_id or chat_id.startswith(NON_SAVED_CHAT_ID_PREFIXES):
        return None  # the host never stores temporary and channel chats
    counter = itertools.count(1)
    history: dict[str, dict[str, Any]] = {}
    branch: list[dict[str, Any]] = []
    parent: str | None = None
    items = [m for m in messages if isinstance(m, dict)]
    if message_id and all(m.get("id") != message_id for m in items):
        items = [*items, {"id": message_id, "role": "assistant", "content": ""}]
    for raw in items:
        message = copy.deepcopy(raw)
        mid = str(message.get("id") or f"message-{next(counter)}")
        message["id"] = mid
        message.setdefault("parentId", parent)
        message.setdefault("childrenIds", [])
        message.setdefault("timestamp", FIXED_TIME)
        if model_id and message.get("role") == "assistant":
            message.setdefault("model", model_id)
        if parent is not None and parent in history:
            history[parent]["childrenIds"].append(mid)
        history[mid] = message
        branch.append(message)
        parent = mid
    chat = {
        "id": chat_id,
        "title": title,
        "models": [model_id] if model_id else [],
        "params": {},
        "history": {"messages": history, "currentId": parent},
        "messages": branch,
        "tags": [],
        "files": [],
        "timestamp": FIXED_TIME * 1000,
    }
    return {
        "id": chat_id,
        "user_id": user_id,
        "title": title,
        "chat": chat,
        "created_at": FIXED_TIME,
        "updated_at": FIXED_TIME,
        "share_id": None,
        "archived": False,
        "pinned": False,
        "meta": {},
        "variables": {},
        "folder_id": None,
        "tasks": None,
        "summary": None,
        "current_message_id": parent,
        "last_read_at": None,
        "timer_at": None,
    }
