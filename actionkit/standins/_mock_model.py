"""A scripted stand-in for the language model that functions talk to.

``MockModel`` answers OpenAI-style chat completion requests with replies you script:

* a string: the same reply to every request;
* a list: one reply per request, in order (``cycle=True`` starts over when they run out); each item
  is a string, a list of strings (the exact stream chunks), a dict (``{"content", "tool_calls",
  "reasoning_content"}`` message fields, or a whole ``chat.completion`` with ``choices``), or an
  exception instance, raised as if the provider failed;
* a callable ``reply(body)`` (sync or async) returning any of the above;
* ``url=``: a real OpenAI-compatible server (``.../v1``), reached with httpx.

``image=`` is the answer to image generation requests (``open_webui.routers.images``), see
``_mock_images``: bytes, a data URI, a list, a callable or an exception; a 1x1 PNG by default.

Inside a simulation the ``open_webui.utils.chat.generate_chat_completion`` stand-in answers with the
simulation's mock model; ``with model.use():`` makes a model the default for every simulation in the
block, and ``with model.serve() as server:`` starts a local HTTP endpoint (``server.url``) for pipes
that call an upstream API themselves. Every request is recorded in ``calls`` (image requests in
``image_calls``). Ids and timestamps are
fixed (``chatcmpl-mock-<n>``, ``created`` fixed) so results are reproducible; by default the
model answers as the simulator's default chat model (``gpt-4o-mini``).
"""

from __future__ import annotations

import copy
import inspect
import json
import re
import threading
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from .._aio import run_sync
from ..errors import MockModelError
from ..host import DEFAULT_MODEL_ID, FIXED_TIME
from ..view import copied
from ._mock_images import check_image, image_answer

if TYPE_CHECKING:
    from ._mock_server import MockServer

CREATED = FIXED_TIME
_WORDS = re.compile(r"\S+\s*|\s+")


class MockModel:
    """A scripted model answering OpenAI-style chat completion requests."""

    def __init__(
        self,
        replies: Any = None,
        *,
        url: str | None = None,
        api_key: str | None = None,
        upstream_model: str | None = None,
        models: Iterable[str] = (DEFAULT_MODEL_ID,),
        cycle: bool = False,
        timeout: float = 60.0,
        image: Any = None,
    ) -> None:
        if replies is not None and url is not None:
            raise MockModelError("give MockModel either replies or url=, not both")
        if isinstance(replies, (tuple, list)):
            self._script: list[Any] | None = list(replies)
            self._fixed: Any = None
        else:
            self._script = None
            self._fixed = replies
        self.url = url.rstrip("/") if url else None
        self.api_key = api_key
        self.upstream_model = upstream_model
        self.models = [str(m) for m in models]
        self.cycle = cycle
        self.timeout = timeout
        self.calls: list[dict[str, Any]] = []
        check_image(image)
        self.image = image
        self.image_calls: list[dict[str, Any]] = []
        self._lock = threading.Lock()

    # ---- construction helpers -------------------------------------------------------------
    @classmethod
    def coerce(cls, value: Any) -> MockModel:
        """A ``MockModel`` from a model, a reply string, a list of replies or a callable."""
        if isinstance(value, MockModel):
            return value
        if isinstance(value, (str, list, tuple, dict)) or callable(value):
            return cls(value)
        raise MockModelError(
            f"cannot use {type(value).__name__} as the mock model: give a MockModel, a reply "
            "string, a list of replies or a callable reply(body)"
        )

    def model_entry(self, model_id: str) -> dict[str, Any]:
        """The model registry entry (``/api/models`` shape) for one of this model's ids."""
        return {
            "id": model_id,
            "name": model_id,
            "object": "model",
            "created": CREATED,
            "owned_by": "openai",
            "connection_type": "external",
            "openai": {"id": model_id},
            "urlIdx": 0,
            "actions": [],
            "filters": [],
            "tags": [],
        }

    def use(self) -> AbstractContextManager[MockModel]:
        """Make this the mock model of every simulation started inside the ``with`` block."""
        return _using(self)

    def serve(self) -> MockServer:
        """Start an OpenAI-compatible HTTP endpoint on 127.0.0.1 answering with this model."""
        from ._mock_server import MockServer

        return MockServer(self)

    def fresh(self) -> MockModel:
        """A copy of this model with no calls recorded: its script starts again."""
        clone = copy.copy(self)
        clone.calls = []
        clone._lock = threading.Lock()
        return clone

    def reset(self) -> None:
        """Forget recorded calls and start the scripted replies again."""
        with self._lock:
            self.calls.clear()
            self.image_calls.clear()

    # ---- answering ------------------------------------------------------------------------
    async def acomplete(self, body: dict[str, Any]) -> dict[str, Any]:
        """The ``chat.completion`` answer to ``body``."""
        number, request = self._record(body)
        if self.url is not None:
            from ._mock_http import post_completion

            return await post_completion(self, request)
        reply = await self._areply(number, request)
        return _completion(reply, request, number)

    def complete(self, body: dict[str, Any]) -> dict[str, Any]:
        """Synchronous :meth:`acomplete` (also works inside a running event loop)."""

        return run_sync(self.acomplete(body))

    async def astream(self, body: dict[str, Any]) -> AsyncIterator[dict[str, Any]]:
        """The ``chat.completion.chunk`` objects answering ``body`` when streaming."""
        number, request = self._record(body)
        if self.url is not None:
            from ._mock_http import stream_completion

            async for chunk in stream_completion(self, request):
                yield chunk
            return
        reply = await self._areply(number, request)
        for chunk in _chunks(reply, request, number):
            yield chunk

    def stream(self, body: dict[str, Any]) -> Iterator[dict[str, Any]]:
        """Synchronous :meth:`astream`: the chunk objects, collected."""

        async def collect() -> list[dict[str, Any]]:
            return [chunk async for chunk in self.astream(body)]

        return iter(run_sync(collect()))

    async def asse(self, body: dict[str, Any]) -> AsyncIterator[bytes]:
        """The SSE byte lines an OpenAI-compatible server sends, ending with ``data: [DONE]``."""
        async for chunk in self.astream(body):
            yield f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode()
        yield b"data: [DONE]\n\n"

    async def agenerate_images(self, body: dict[str, Any]) -> dict[str, Any]:
        """The answer to an image generation request (OpenAI's ``/images/generations`` body):
        ``{"created", "data": [{"b64_json"}, ...]}`` from the image reply (see ``image=``)."""
        if not isinstance(body, dict):
            raise MockModelError(f"the image request must be a dict, got {type(body).__name__}")
        request = copy.deepcopy(body)
        with self._lock:
            self.image_calls.append(request)
        if self.url is not None:
            from ._mock_http import post_images

            return await post_images(self, request)
        return await image_answer(self.image, request)

    def generate_images(self, body: dict[str, Any]) -> dict[str, Any]:
        """Synchronous :meth:`agenerate_images`."""

        return run_sync(self.agenerate_images(body))

    # ---- internals ------------------------------------------------------------------------
    def _record(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if not isinstance(body, dict):
            raise MockModelError(f"the chat completion request must be a dict, got {type(body).__name__}")
        request = _recorded_request(body)
        with self._lock:
            self.calls.append(request)
            return len(self.calls), request

    async def _areply(self, number: int, request: dict[str, Any]) -> Any:
        if self._script is not None:
            reply = self._scripted(number)
        elif self._fixed is None:
            reply = f"Mock reply to: {_last_user_text(request.get('messages'))}"
        else:
            reply = self._fixed
        if callable(reply) and not isinstance(reply, BaseException):
            reply = reply(copy.deepcopy(request))
            if inspect.isawaitable(reply):
                reply = await reply
        if isinstance(reply, BaseException):
            raise reply
        return reply

    def _scripted(self, number: int) -> Any:
        script = self._script or []
        if number <= len(script):
            return script[number - 1]
        if self.cycle and script:
            return script[(number - 1) % len(script)]
        raise MockModelError(
            f"the mock model has no reply left for request {number} "
            f"(it was given {len(script)} repl{'y' if len(script) == 1 else 'ies'})",
            hint="add replies, or pass cycle=True to repeat them",
        )

    def __repr__(self) -> str:
        if self.url is not None:
            source = f"url={self.url!r}"
        elif self._script is not None:
            source = f"{len(self._script)} scripted replies" + (", cycling" if self.cycle else "")
        elif self._fixed is None:
            source = "default reply"
        elif callable(self._fixed):
            source = f"reply function {getattr(self._fixed, '__name__', 'callable')}"
        else:
            source = "fixed reply"
        return f"<MockModel {source}, models={self.models}, {len(self.calls)} calls>"


# The model a ``MockModel.use()`` block made the default of every simulation started inside it.
_IN_USE: ContextVar[MockModel | None] = ContextVar("actionkit_mock_model", default=None)


def model_in_use() -> MockModel | None:
    """The model of the innermost ``MockModel.use()`` block, if any."""
    return _IN_USE.get()


@contextmanager
def _using(model: MockModel) -> Iterator[MockModel]:
    token = _IN_USE.set(model)
    try:
        yield model
    finally:
        _IN_USE.reset(token)


def _recorded_request(body: dict[str, Any]) -> dict[str, Any]:
    """What ``calls`` keeps of a request: a copy, without the metadata (the host's own objects) when
    the whole body cannot be copied."""
    try:
        return copy.deepcopy(body)
    except Exception:
        return {k: copied(v) for k, v in body.items() if k != "metadata"}


def _last_user_text(messages: Any) -> str:
    if not isinstance(messages, list):
        return ""
    for message in reversed(messages):
        if isinstance(message, dict) and message.get("role") == "user":
            content = message.get("content")
            if isinstance(content, list):
                texts = [p.get("text", "") for p in content if isinstance(p, dict)]
                return " ".join(t for t in texts if t)
            return str(content or "")
    return ""


def _count_tokens(value: Any) -> int:
    if isinstance(value, str):
        return len(value.split())
    if isinstance(value, list):
        return sum(_count_tokens(v) for v in value)
    if isinstance(value, dict):
        return sum(_count_tokens(v) for k, v in value.items() if k in ("content", "text"))
    return 0


def _message_fields(reply: Any) -> dict[str, Any]:
    """Normalise a reply to assistant message fields (``content`` and friends)."""
    if isinstance(reply, str):
        return {"content": reply}
    if isinstance(reply, list) and all(isinstance(p, str) for p in reply):
        return {"content": "".join(reply)}
    if isinstance(reply, dict) and "choices" not in reply:
        allowed = {"content", "tool_calls", "reasoning_content", "refusal"}
        unknown = sorted(set(reply) - allowed)
        if unknown:
            raise MockModelError(
                f"mock reply dict has unknown keys {unknown}: use {sorted(allowed)} for the "
                "assistant message, or a whole chat.completion dict with 'choices'"
            )
        return {"content": reply.get("content"), **{k: v for k, v in reply.items() if k != "content"}}
    raise MockModelError(
        f"a mock reply must be a string, a list of strings, a dict or an exception, "
        f"got {type(reply).__name__}"
    )


def _usage(request: dict[str, Any], fields: dict[str, Any]) -> dict[str, int]:
    prompt = _count_tokens(request.get("messages"))
    completion = _count_tokens(fields.get("content") or "")
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


def _completion(reply: Any, request: dict[str, Any], number: int) -> dict[str, Any]:
    if isinstance(reply, dict) and "choices" in reply:
        return copy.deepcopy(reply)
    fields = _message_fields(reply)
    message = {"role": "assistant", **fields}
    return {
        "id": f"chatcmpl-mock-{number}",
        "object": "chat.completion",
        "created": CREATED,
        "model": request.get("model", DEFAULT_MODEL_ID),
        "choices": [
            {
                "index": 0,
                "message": message,
                "logprobs": None,
                "finish_reason": "tool_calls" if fields.get("tool_calls") else "stop",
            }
        ],
        "usage": _usage(request, fields),
    }


def _chunks(reply: Any, request: dict[str, Any], number: int) -> list[dict[str, Any]]:
    if isinstance(reply, dict) and "choices" in reply:
        choice = (reply.get("choices") or [{}])[0]
        fields = dict(choice.get("message") or {})
        fields.pop("role", None)
    else:
        fields = _message_fields(reply)
    pieces = list(reply) if isinstance(reply, list) else _WORDS.findall(fields.get("content") or "")
    model = request.get("model", DEFAULT_MODEL_ID)

    def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
        return {
            "id": f"chatcmpl-mock-{number}",
            "object": "chat.completion.chunk",
            "created": CREATED,
            "model": model,
            "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
        }

    chunks = [chunk({"role": "assistant", "content": ""})]
    if fields.get("reasoning_content"):
        chunks.append(chunk({"reasoning_content": fields["reasoning_content"]}))
    chunks.extend(chunk({"content": piece}) for piece in pieces)
    if fields.get("tool_calls"):
        calls = [{"index": i, **call} for i, call in enumerate(fields["tool_calls"])]
        chunks.append(chunk({"tool_calls": calls}))
    chunks.append(chunk({}, "tool_calls" if fields.get("tool_calls") else "stop"))
    options = request.get("stream_options")
    if isinstance(options, dict) and options.get("include_usage"):
        usage_chunk = chunk({})
        usage_chunk["choices"] = []
        usage_chunk["usage"] = _usage(request, fields)
        chunks.append(usage_chunk)
    return chunks


ReplyFunction = Callable[[dict[str, Any]], Any]
