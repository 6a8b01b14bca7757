"""Stand-in for ``open_webui.models.chats``: the simulated chat and its messages.

The simulated chat is the one the call belongs to (``chat_id`` of its metadata or body); its
history holds the call's messages linked by ``parentId``, ending with the assistant message being
generated. Writes change that in-memory chat only.
"""

from __future__ import annotations

import copy
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator

from . import context
from ._base import StandinTable, host_async

__all__ = ["ChatListResponse", "ChatModel", "ChatTable", "Chats"]


class ChatModel(BaseModel):
    """Same fields as open-webui 0.12.4's ``ChatModel``."""

    model_config = ConfigDict(from_attributes=True)
    id: str
    user_id: str
    title: str
    chat: dict[str, Any]
    created_at: int
    updated_at: int
    share_id: str | None = None
    archived: bool = False
    pinned: bool | None = False
    meta: dict[str, Any] = {}
    variables: dict[str, Any] = {}
    folder_id: str | None = None
    tasks: list[Any] | None = None
    summary: str | None = None
    current_message_id: str | None = None
    last_read_at: int | None = None
    timer_at: int | None = None

    @field_validator("variables", mode="before")
    @classmethod
    def normalize_variables(cls, value: Any) -> Any:
        return value if isinstance(value, dict) else {}


class ChatListResponse(BaseModel):
    items: list[ChatModel]
    total: int


def _row(chat_id: str) -> dict[str, Any] | None:
    row = context.current().chat
    if row is None or row.get("id") != chat_id:
        return None
    return row


def _model(row: dict[str, Any]) -> ChatModel:
    return ChatModel.model_validate(copy.deepcopy(row))


def _history(row: dict[str, Any]) -> dict[str, Any]:
    chat = row.setdefault("chat", {})
    history = chat.setdefault("history", {})
    history.setdefault("messages", {})
    return history  # type: ignore[no-any-return]


def _branch(history: dict[str, Any]) -> list[dict[str, Any]]:
    messages = history.get("messages") or {}
    branch: list[dict[str, Any]] = []
    current = history.get("currentId")
    seen: set[str] = set()
    while current and current in messages and current not in seen:
        seen.add(current)
        branch.append(messages[current])
        current = messages[current].get("parentId")
    branch.reverse()
    return branch


class ChatTable(StandinTable):
    """``Chats``: reads and writes the simulated chat."""

    _real_key = "open_webui.models.chats.Chats"
    _label = "Chats"

    @host_async("Chats")
    async def get_chat_by_id(self, id: str, db: Any = None) -> ChatModel | None:
        row = _row(id)
        return _model(row) if row is not None else None

    @host_async("Chats")
    async def get_chat_by_id_and_user_id(self, id: str, user_id: str, db: Any = None) -> ChatModel | None:
        row = _row(id)
        return _model(row) if row is not None and row.get("user_id") == user_id else None

    @host_async("Chats")
    async def get_chat_title_by_id(self, id: str) -> str | None:
        row = _row(id)
        return (row.get("title") or "New Chat") if row is not None else None

    @host_async("Chats")
    async def get_messages_map_by_chat_id(self, id: str) -> dict[str, Any] | None:
        row = _row(id)
        if row is None:
            return None
        messages: dict[str, Any] = copy.deepcopy(_history(row)["messages"])
        return messages

    @host_async("Chats")
    async def get_message_by_id_and_message_id(self, id: str, message_id: str) -> dict[str, Any] | None:
        row = _row(id)
        if row is None:
            return None
        message: dict[str, Any] = copy.deepcopy(_history(row)["messages"].get(message_id, {}))
        return message

    @host_async("Chats")
    async def get_chats_by_user_id(
        self,
        user_id: str,
        filter: dict[str, Any] | None = None,
        skip: int | None = None,
        limit: int | None = None,
        db: Any = None,
    ) -> ChatListResponse:
        row = context.current().chat
        items = [_model(row)] if row is not None and row.get("user_id") == user_id else []
        start = skip or 0
        end = None if limit is None else start + limit
        return ChatListResponse(items=items[start:end], total=len(items))

    @host_async("Chats")
    async def upsert_message_to_chat_by_id_and_message_id(
        self, id: str, message_id: str, message: dict[str, Any], *, touch: bool = True
    ) -> ChatModel | None:
        row = _row(id)
        if row is None:
            return None
        history = _history(row)
        stored = history["messages"].get(message_id)
        if stored is None:
            history["messages"][message_id] = {**copy.deepcopy(message), "id": message_id}
            history["currentId"] = message_id
        else:
            stored.update(copy.deepcopy(message))
        row["chat"]["messages"] = _branch(history)
        row["current_message_id"] = history.get("currentId")
        return _model(row)

    @host_async("Chats")
    async def update_chat_by_id(
        self, id: str, chat: dict[str, Any], db: Any = None, *, touch: bool = True
    ) -> ChatModel | None:
        row = _row(id)
        if row is None:
            return None
        updated = {**row.get("chat", {}), **copy.deepcopy(chat)}
        if "history" in chat:
            merged = copy.deepcopy(row.get("chat", {}).get("history") or {})
            merged.setdefault("messages", {}).update(copy.deepcopy(chat["history"].get("messages") or {}))
            if chat["history"].get("currentId"):
                merged["currentId"] = chat["history"]["currentId"]
            updated["history"] = merged
        row["chat"] = updated
        row["title"] = updated.get("title", "New Chat")
        return _model(row)

    @host_async("Chats")
    async def update_chat_title_by_id(self, id: str, title: str) -> ChatModel | None:
        row = _row(id)
        if row is None:
            return None
        row["title"] = title
        row["chat"] = {**row.get("chat", {}), "title": title}
        return _model(row)


Chats = ChatTable()
