"""A pipe's return value turned into what Open WebUI 0.12.4 sends (``functions.py``).

Streaming: SSE lines ``data: {...}\\n\\n`` built like ``generate_function_chat_completion``'s
``stream_content``: ``StreamingResponse`` passed through, a ``dict`` sent once, a ``str`` as one chunk,
generators / iterators / async generators item by item (``process_line``), then the finish chunk and
``data: [DONE]``; an exception raised by the call becomes an ``error`` line and ends the stream.
Non-streaming: a ``chat.completion`` dict (``dict``/``StreamingResponse`` returned as they are, pydantic
models dumped, generators joined, other values give no message).

Ids and clocks are fixed by default (``"<model>-00000000-0000-4000-8000-000000000000"``, created
``1767225600``) so results are reproducible; ``real_ids=True`` uses ``uuid4()`` and ``time.time()``
like the host.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator, Iterator
from typing import Any

from pydantic import BaseModel

from ..host import FIXED_TIME, FIXED_UUID
from ._host_json import encode_string, host_dumps, host_loads

DONE = "data: [DONE]"


class Ids:
    """Where chunk ids and ``created`` come from: fixed, or ``uuid4``/``time.time`` like the host."""

    def __init__(self, real: bool = False):
        self.real = real

    def message_id(self, model: str) -> str:
        return f"{model}-{uuid.uuid4() if self.real else FIXED_UUID}"

    def created(self) -> int:
        return int(time.time()) if self.real else FIXED_TIME


def chat_message_template(model: str, ids: Ids) -> dict[str, Any]:
    return {
        "id": ids.message_id(model),
        "created": ids.created(),
        "model": model,
        "choices": [{"index": 0, "logprobs": None, "finish_reason": None}],
    }


def chunk_template(model: str, content: str | None, ids: Ids) -> dict[str, Any]:
    """``openai_chat_chunk_message_template(model, content)``."""
    template = chat_message_template(model, ids)
    template["object"] = "chat.completion.chunk"
    template["choices"][0]["index"] = 0
    template["choices"][0]["delta"] = {}
    if content:
        template["choices"][0]["delta"]["content"] = content
    else:
        template["choices"][0]["finish_reason"] = "stop"
    return template


def completion_template(model: str, message: str | None, ids: Ids) -> dict[str, Any]:
    """``openai_chat_completion_message_template(model, message)``."""
    template = chat_message_template(model, ids)
    template["object"] = "chat.completion"
    if message is not None:
        template["choices"][0]["message"] = {"role": "assistant", "content": message}
    template["choices"][0]["finish_reason"] = "stop"
    return template


def is_streaming_response(value: Any) -> bool:
    """A starlette ``StreamingResponse`` (or subclass), recognised without importing starlette."""
    return hasattr(value, "body_iterator") and any(
        klass.__name__ == "StreamingResponse" for klass in type(value).__mro__
    )


class ChunkWriter:
    """Builds SSE lines; plain text items take a precomputed fast path when ids are fixed.

    ``texts``, when given, gets one entry per line written: the text the line carries when the
    writer built it from plain text (``""`` for the finish chunk and ``[DONE]``), else ``None``
    (the line has to be parsed to know); :func:`stream_text` reads the answer from it.
    """

    def __init__(
        self,
        model: str,
        ids: Ids,
        sink: list[str],
        on_payload: Callable[[str], None] | None,
        texts: list[str | None] | None = None,
    ):
        self.model = model
        self.ids = ids
        self.sink = sink
        self.on_payload = on_payload
        self.texts = texts
        self._prefix = self._suffix = ""
        if not ids.real:
            marker = "\x00"
            text = host_dumps(chunk_template(model, marker, ids))
            quoted = encode_string(marker)
            self._prefix, self._suffix = text.split(quoted)
            self._prefix = "data: " + self._prefix

    def text(self, content: str) -> None:
        texts = self.texts
        if content and not self.ids.real and type(content) is str:
            self.sink.append(f"{self._prefix}{_quote(content)}{self._suffix}\n\n")
            if texts is not None:
                texts.append(content)
        else:
            self.sink.append(f"data: {host_dumps(chunk_template(self.model, content, self.ids))}\n\n")
            if texts is not None:
                texts.append(None)

    def line(self, item: Any) -> None:
        """``process_line``: models and dicts serialised, bytes decoded, ``data:`` lines kept."""
        if type(item) is str and not item.startswith("data:"):
            self.text(item)
            return
        line = item
        if isinstance(line, BaseModel):
            line = f"data: {line.model_dump_json()}"
        if isinstance(line, dict):
            line = f"data: {host_dumps(line)}"
        try:  # noqa: SIM105 - the host's own control flow, kept cheap
            line = line.decode("utf-8")
        except Exception:
            pass
        if line.startswith("data:"):
            self.sink.append(f"{line}\n\n")
            if self.texts is not None:
                self.texts.append(None)
            if self.on_payload is not None:
                self.on_payload(line)
        else:
            self.text(line)

    def finish(self) -> None:
        finish = chunk_template(self.model, "", self.ids)
        finish["choices"][0]["finish_reason"] = "stop"
        self.sink.append(f"data: {host_dumps(finish)}\n\n")
        self.sink.append(DONE)
        if self.texts is not None:
            self.texts.extend(("", ""))  # the finish chunk has an empty delta; [DONE] is no chunk


def _quote(text: str) -> str:
    quoted: str = encode_string(text)
    if "\u2028" in quoted or "\u2029" in quoted or "\x85" in quoted:
        quoted = quoted.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029").replace("\x85", "\\u0085")
    return quoted


async def stream_output(
    call: Callable[[], Awaitable[Any]],
    model: str,
    ids: Ids,
    sink: list[str],
    on_payload: Callable[[str], None] | None = None,
    texts: list[str | None] | None = None,
) -> BaseException | None:
    """Run the pipe in stream mode, appending the SSE lines to ``sink`` as the host yields them
    (and, when ``texts`` is given, the text each line carries, as :class:`ChunkWriter` does).

    Returns the exception raised by the call itself (reported by the host as an ``error`` line);
    exceptions while iterating the pipe's output propagate, as they break the host's stream.
    """
    try:
        res = await call()
        if is_streaming_response(res):
            body = res.body_iterator
            if hasattr(body, "__aiter__"):
                async for data in body:
                    sink.append(_text(data))
            else:
                for data in body:
                    sink.append(_text(data))
            return None
        if isinstance(res, dict):
            sink.append(f"data: {host_dumps(res)}\n\n")
            return None
    except Exception as exc:
        sink.append(f"data: {host_dumps({'error': {'detail': str(exc)}})}\n\n")
        return exc
    writer = ChunkWriter(model, ids, sink, on_payload, texts)
    if isinstance(res, str):
        writer.text(res)
    if isinstance(res, Iterator):
        line = writer.line
        for item in res:
            line(item)
    if isinstance(res, AsyncGenerator):
        line = writer.line
        async for item in res:
            line(item)
    writer.finish()
    return None


def _text(data: Any) -> str:
    if isinstance(data, bytes | bytearray | memoryview):
        return bytes(data).decode("utf-8", "replace")
    return data if isinstance(data, str) else str(data)


async def message_content(res: Any) -> str | None:
    """``get_message_content``: text as is, generators joined with ``str``, anything else None."""
    if isinstance(res, str):
        return res
    if isinstance(res, Generator):
        return "".join(map(str, res))
    if isinstance(res, AsyncGenerator):
        return "".join([str(item) async for item in res])
    return None


async def complete_output(res: Any, model: str, ids: Ids) -> Any:
    """The non-streaming result for a pipe's return value ``res``."""
    if is_streaming_response(res) or isinstance(res, dict):
        return res
    if isinstance(res, BaseModel):
        return res.model_dump()
    return completion_template(model, await message_content(res), ids)


def parse_chunks(chunks: list[str]) -> list[Any]:
    """The chunk objects carried by SSE lines (``[DONE]`` left out; unparsable payloads kept as text)."""
    out: list[Any] = []
    for chunk in chunks:
        for raw in chunk.split("\n"):
            if not raw.startswith("data:"):
                continue
            payload = raw[5:].strip()
            if not payload or payload == "[DONE]":
                continue
            try:
                out.append(host_loads(payload))
            except ValueError:
                out.append(payload)
    return out


def streamed_text(objects: list[Any]) -> tuple[str, Any]:
    """The answer text carried by chunk objects, and the last error object if any."""
    parts: list[str] = []
    error = None
    for obj in objects:
        if not isinstance(obj, dict):
            continue
        if obj.get("error") and not obj.get("choices"):
            error = obj["error"]
        choices = obj.get("choices")
        if isinstance(choices, list) and choices and isinstance(choices[0], dict):
            delta = choices[0].get("delta")
            if isinstance(delta, dict) and isinstance(delta.get("content"), str):
                parts.append(delta["content"])
            message = choices[0].get("message")
            if isinstance(message, dict) and isinstance(message.get("content"), str):
                parts.append(message["content"])
    return "".join(parts), error


def stream_text(chunks: list[str], texts: list[str | None] | None) -> tuple[str, Any]:
    """``streamed_text(parse_chunks(chunks))`` without parsing the lines whose text the writer
    already knows (``texts``, one entry per line; any other list parses every line)."""
    if texts is None or len(texts) != len(chunks):
        return streamed_text(parse_chunks(chunks))
    if None not in texts:
        return "".join(texts), None  # type: ignore[arg-type]
    parts: list[str] = []
    error = None
    for chunk, known in zip(chunks, texts, strict=True):
        if known is not None:
            parts.append(known)
            continue
        text, found = streamed_text(parse_chunks([chunk]))
        parts.append(text)
        if found is not None:
            error = found
    return "".join(parts), error


def completion_text(result: Any) -> tuple[str, Any]:
    """The answer text of a non-streaming result, and its error object if any."""
    if not isinstance(result, dict):
        return "", None
    if result.get("error") and not result.get("choices"):
        return "", result["error"]
    return streamed_text([result])
