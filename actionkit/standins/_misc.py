"""Stand-in for ``open_webui.utils.misc``: the message helpers functions use, as 0.12.4 behaves.

Inside a simulation the OpenAI message templates use a fixed id suffix and timestamp so results
are reproducible; outside one they use a random uuid and the clock, as the host does.
"""

from __future__ import annotations

import collections.abc
import hashlib
import re
import time
import uuid
from typing import Any, cast

from ..host import FIXED_TIME as FIXED_CREATED
from ..host import FIXED_UUID
from . import context

__all__ = [
    "add_or_update_system_message",
    "add_or_update_user_message",
    "append_or_update_assistant_message",
    "calculate_sha256_string",
    "deep_update",
    "get_content_from_message",
    "get_gravatar_url",
    "get_last_assistant_message",
    "get_last_assistant_message_item",
    "get_last_user_message",
    "get_last_user_message_item",
    "get_message_list",
    "get_messages_content",
    "get_output_text",
    "get_system_message",
    "merge_system_messages",
    "openai_chat_chunk_message_template",
    "openai_chat_completion_message_template",
    "openai_chat_message_template",
    "pop_system_message",
    "prepend_to_first_user_message_content",
    "remove_system_message",
    "replace_system_message_content",
    "set_last_user_message_content",
    "update_message_content",
    "validate_email_format",
]


def deep_update(d: Any, u: Any) -> Any:
    for key, value in u.items():
        if isinstance(value, collections.abc.Mapping):
            d[key] = deep_update(d.get(key, {}), value)
        else:
            d[key] = value
    return d


def get_message_list(messages_map: Any, message_id: Any) -> list[dict[str, Any]]:
    """The branch from the root to ``message_id`` following ``parentId`` links."""
    if not messages_map:
        return []
    current = messages_map.get(message_id)
    branch: list[dict[str, Any]] = []
    seen: set[Any] = set()
    while current and message_id not in seen:
        seen.add(message_id)
        branch.append(current)
        message_id = current.get("parentId")
        current = messages_map.get(message_id) if message_id else None
    branch.reverse()
    return branch


def get_output_text(output: Any) -> str:
    if not isinstance(output, list):
        return ""
    texts = []
    for item in output:
        if not isinstance(item, dict) or item.get("type") != "message":
            continue
        parts = item.get("content") or []
        if not isinstance(parts, list):
            continue
        text = "".join(str(p.get("text")) for p in parts if isinstance(p, dict) and p.get("text") is not None)
        if text and not text.isspace():
            texts.append(text)
    return "\n".join(texts)


def get_content_from_message(message: dict[str, Any]) -> str | None:
    content = message.get("content")
    if isinstance(content, list):
        for item in content:
            if isinstance(item, dict) and item.get("type") == "text":
                text = item.get("text")
                return None if text is None else str(text)
    elif content:
        return content  # type: ignore[no-any-return]
    output_text = get_output_text(message.get("output"))
    return output_text or (content if isinstance(content, str) else None)


def get_messages_content(messages: list[dict[str, Any]]) -> str:
    return "\n".join(f"{m['role'].upper()}: {get_content_from_message(m)}" for m in messages)


def get_last_user_message_item(messages: list[dict[str, Any]]) -> dict[str, Any] | None:
    for message in reversed(messages):
        if message["role"] == "user":
            return cast("dict[str, Any]", message)
    return None


def get_last_user_message(messages: list[dict[str, Any]]) -> str | None:
    message = get_last_user_message_item(messages)
    return None if message is None else get_content_from_message(message)


def set_last_user_message_content(content: str, messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for message in reversed(messages):
        if message.get("role") == "user":
            if isinstance(message.get("content"), list):
                for item in message["content"]:
                    if item.get("type") == "text":
                        item["text"] = content
                        break
            else:
                message["content"] = content
            break
    return messages


def get_last_assistant_message_item(messages: list[dict[str, Any]]) -> dict[str, Any] | None:
    for message in reversed(messages):
        if message["role"] == "assistant":
            return cast("dict[str, Any]", message)
    return None


def get_last_assistant_message(messages: list[dict[str, Any]]) -> str | None:
    for message in reversed(messages):
        if message["role"] == "assistant":
            return get_content_from_message(message)
    return None


def get_system_message(messages: list[dict[str, Any]]) -> dict[str, Any] | None:
    for message in messages:
        if message["role"] == "system":
            return message
    return None


def remove_system_message(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [message for message in messages if message["role"] != "system"]


def pop_system_message(
    messages: list[dict[str, Any]],
) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """``(first system message or None, the messages without any system message)``."""
    return get_system_message(messages), remove_system_message(messages)


def merge_system_messages(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    system_contents: list[str] = []
    others: list[dict[str, Any]] = []
    for message in messages:
        if message.get("role") == "system":
            content = get_content_from_message(message)
            if content:
                system_contents.append(content)
        else:
            others.append(message)
    if not system_contents:
        return others
    return [{"role": "system", "content": "\n".join(system_contents)}, *others]


def update_message_content(message: dict[str, Any], content: str, append: bool = True) -> dict[str, Any]:
    if isinstance(message["content"], list):
        for item in message["content"]:
            if item["type"] == "text":
                item["text"] = f"{item['text']}\n{content}" if append else f"{content}\n{item['text']}"
    elif append:
        message["content"] = f"{message['content']}\n{content}"
    else:
        message["content"] = f"{content}\n{message['content']}"
    return message


def replace_system_message_content(content: str, messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for message in messages:
        if message["role"] == "system":
            message["content"] = content
            break
    return messages


def add_or_update_system_message(
    content: str, messages: list[dict[str, Any]], append: bool = False
) -> list[dict[str, Any]]:
    """Update the system message at index 0 (prepending ``content`` unless ``append``) or insert one."""
    if messages and messages[0].get("role") == "system":
        messages[0] = update_message_content(messages[0], content, append)
    else:
        messages.insert(0, {"role": "system", "content": content})
    return messages


def add_or_update_user_message(
    content: str, messages: list[dict[str, Any]], append: bool = True
) -> list[dict[str, Any]]:
    if messages and messages[-1].get("role") == "user":
        messages[-1] = update_message_content(messages[-1], content, append)
    else:
        messages.append({"role": "user", "content": content})
    return messages


def prepend_to_first_user_message_content(
    content: str, messages: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    for message in messages:
        if message["role"] == "user":
            update_message_content(message, content, append=False)
            break
    return messages


def append_or_update_assistant_message(content: str, messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if messages and messages[-1].get("role") == "assistant":
        messages[-1]["content"] = f"{messages[-1]['content']}\n{content}"
    else:
        messages.append({"role": "assistant", "content": content})
    return messages


def _id_and_clock(model: str) -> tuple[str, int]:
    if context.active():
        return f"{model}-{FIXED_UUID}", FIXED_CREATED
    return f"{model}-{uuid.uuid4()}", int(time.time())


def openai_chat_message_template(model: str, message_id: str | None = None) -> dict[str, Any]:
    generated_id, created = _id_and_clock(model)
    return {
        "id": message_id if message_id else generated_id,
        "created": created,
        "model": model,
        "choices": [{"index": 0, "logprobs": None, "finish_reason": None}],
    }


def openai_chat_chunk_message_template(
    model: str,
    content: str | None = None,
    reasoning_content: str | None = None,
    tool_calls: list[dict[str, Any]] | None = None,
    usage: dict[str, Any] | None = None,
    message_id: str | None = None,
) -> dict[str, Any]:
    template = openai_chat_message_template(model, message_id)
    template["object"] = "chat.completion.chunk"
    choice = template["choices"][0]
    choice["delta"] = {}
    if content:
        choice["delta"]["content"] = content
    if reasoning_content:
        choice["delta"]["reasoning_content"] = reasoning_content
    if tool_calls:
        choice["delta"]["tool_calls"] = tool_calls
    if not content and not reasoning_content and not tool_calls:
        choice["finish_reason"] = "stop"
    if usage:
        template["usage"] = usage
    return template


def openai_chat_completion_message_template(
    model: str,
    message: str | None = None,
    reasoning_content: str | None = None,
    tool_calls: list[dict[str, Any]] | None = None,
    usage: dict[str, Any] | None = None,
) -> dict[str, Any]:
    template = openai_chat_message_template(model)
    template["object"] = "chat.completion"
    if message is not None:
        template["choices"][0]["message"] = {
            "role": "assistant",
            "content": message,
            **({"reasoning_content": reasoning_content} if reasoning_content else {}),
            **({"tool_calls": tool_calls} if tool_calls else {}),
        }
    template["choices"][0]["finish_reason"] = "tool_calls" if tool_calls else "stop"
    if usage:
        template["usage"] = usage
    return template


def get_gravatar_url(email: str) -> str:
    digest = hashlib.sha256(str(email).strip().lower().encode()).hexdigest()
    return f"https://www.gravatar.com/avatar/{digest}?d=mp"


def calculate_sha256_string(string: str) -> str:
    return hashlib.sha256(string.encode("utf-8")).hexdigest()


def validate_email_format(email: str) -> bool:
    if email.endswith("@localhost"):
        return True
    return bool(re.match(r"[^@]+@[^@]+\.[^@]+", email))
