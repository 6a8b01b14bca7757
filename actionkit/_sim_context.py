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
import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .mock_model import MockModel

from ._defaults import DEFAULT_USER_ID, FIXED_TIME, default_user

__all__ = ["DEFAULT_USER_ID", "SimContext", "build", "build_chat", "current", "default_user"]


@dataclass
class SimContext:
    """The simulated host state one call sees."""

    user: dict[str, Any]
    users: list[dict[str, Any]]
    models: dict[str, dict[str, Any]]
    llm: MockModel
    chat: dict[str, Any] | None = None
    files: list[dict[str, Any]] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)
    event_emitter: Any = None
    event_call: Any = None
    functions: dict[str, str] = field(default_factory=dict)
    config: dict[str, Any] = field(default_factory=dict)
    # State the stand-ins keep for this simulation (file rows, uploads ...), by table name.
    tables: dict[str, Any] = field(default_factory=dict)

    def find_user(self, user_id: str) -> dict[str, Any] | None:
        for user in self.users:
            if user.get("id") == user_id:
                return user
        return None


_current: ContextVar[SimContext | None] = ContextVar("actionkit_simulation", default=None)
_llm_override: ContextVar[MockModel | None] = ContextVar("actionkit_mock_model", default=None)


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
) -> SimContext:
    """Build a :class:`SimContext`, inheriting what is not given from the enclosing one."""
    from .mock_model import MockModel

    outer = _current.get()
    if user is None:
        user = outer.user if outer is not None else default_user()
    user = {k: v for k, v in user.items() if k != "valves"}
    all_users = [user]
    for extra in [*(users or []), *(outer.users if outer is not None else [])]:
        if isinstance(extra, dict) and all(u.get("id") != extra.get("id") for u in all_users):
            all_users.append({k: v for k, v in extra.items() if k != "valves"})

    if llm is None:
        mock = _llm_override.get() or (outer.llm if outer is not None else None) or MockModel()
    else:
        mock = MockModel.coerce(llm)

    registry: dict[str, dict[str, Any]] = dict(outer.models) if outer is not None else {}
    for model_id in mock.models:
        registry.setdefault(model_id, mock.model_entry(model_id))
    if isinstance(models, dict):
        registry.update(models)
    elif isinstance(models, list):
        registry.update({m["id"]: m for m in models if isinstance(m, dict) and "id" in m})
    if isinstance(model, dict) and model.get("id"):
        registry[str(model["id"])] = model

    meta = dict(metadata or {})
    if chat is None and messages is not None:
        chat = build_chat(
            chat_id=str(meta.get("chat_id") or ""),
            user_id=str(user.get("id", "")),
            messages=messages,
            message_id=meta.get("message_id"),
            model_id=(model or {}).get("id") if isinstance(model, dict) else None,
        )
    if chat is None and outer is not None:
        chat = outer.chat

    return SimContext(
        user=user,
        users=all_users,
        models=registry,
        llm=mock,
        chat=chat,
        files=list(files if files is not None else (outer.files if outer is not None else [])),
        metadata=meta,
        event_emitter=event_emitter,
        event_call=event_call,
        functions=dict(functions or (outer.functions if outer is not None else {})),
        config=dict(config or (outer.config if outer is not None else {})),
    )


def enter(**kwargs: Any) -> Token[SimContext | None]:
    """Set the simulation context (keyword arguments as :func:`build`); undo with :func:`exit`."""
    return _current.set(build(**kwargs))


def exit(token: Token[SimContext | None]) -> None:
    _current.reset(token)


@contextmanager
def simulation_context(**kwargs: Any) -> Iterator[SimContext]:
    """Run the enclosed code as one simulated call (keyword arguments as :func:`build`)."""
    ctx = build(**kwargs)
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)


@contextmanager
def using(ctx: SimContext) -> Iterator[SimContext]:
    """Run the enclosed code with an already built context."""
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)


@contextmanager
def llm_override(model: MockModel) -> Iterator[MockModel]:
    """Make ``model`` the mock model of every simulation started inside the block."""
    token = _llm_override.set(model)
    try:
        yield model
    finally:
        _llm_override.reset(token)


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
    if not chat_id:
        return None
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
