"""One native tool call as open-webui 0.12.4's streaming handler runs it (``utils/middleware.py``).

:func:`execute_tool_call` is the host's ``execute_tool_call``: the model's argument text parsed
(``JSONCodec.loads``, then ``ast.literal_eval``), re-dumped compactly into the assistant message,
the tool looked up by name, only the spec's properties kept, fresh ``__messages__``/``__files__``
bound, the method awaited, an exception turned into ``{"error": str(e)}``. :func:`tool_output` is
what the round makes of the raw result: ``None`` is taken for unparsable arguments (the streaming
loop's own rule), anything else goes through ``process_tool_result`` and ``tool_result_content``;
the status is ``"failed"`` by the host's ``_is_tool_result_error`` test, else ``"completed"``.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

from ..function import rebind_tool_function
from ._action_result import process_tool_result
from ._host_json import host_dumps, host_loads

# What the model is told when its arguments cannot be parsed (and when a tool returns None).
UNPARSABLE = (
    "Error: Tool call arguments could not be parsed. The model generated malformed or incomplete JSON "
    "for `{name}`. Please try again."
)
NOT_AN_OBJECT = "Error: Tool call arguments for `{name}` must be a JSON object. Please try again."
NOT_FOUND = 'Error: Tool "{name}" not found.'


@dataclass
class Executed:
    """What ``execute_tool_call`` returned, and the exception behind an ``{"error": ...}`` result."""

    params: dict[str, Any]
    result: Any
    tool: dict[str, Any] | None = None
    exception: BaseException | None = None
    called: bool = False

    def __repr__(self) -> str:  # no arguments or result: they may hold a valve's secret
        state = "called" if self.called else "not called"
        failed = f", {type(self.exception).__name__}" if self.exception is not None else ""
        return f"<Executed: {state}{failed}, arguments {sorted(self.params)}>"


@dataclass
class ToolOutput:
    """One tool call's outcome as the host records it in the turn's output.

    ``call``: the assistant message's ``tool_calls`` entry (arguments as the host re-dumped them);
    ``params``: the arguments the method was called with (after the spec's filter); ``text``: the
    ``role: tool`` content the model gets; ``status``: ``"completed"`` or ``"failed"``; ``files``
    and ``embeds``: what the host took out of the result (data-URI images go to the model, the
    other files and the embeds are shown under the message).
    """

    call: dict[str, Any]
    params: dict[str, Any]
    text: str
    status: str
    files: list[Any] = field(default_factory=list)
    embeds: list[Any] = field(default_factory=list)
    tool_id: str | None = None

    @property
    def name(self) -> str:
        return str(self.call.get("function", {}).get("name", ""))

    def __repr__(self) -> str:  # no text: a tool may echo a secret (the views mask it)
        extra = "".join(
            f", {len(items)} {label}"
            for label, items in (("files", self.files), ("embeds", self.embeds))
            if items
        )
        return f"<ToolOutput {self.name} {self.status}: {len(self.text)} characters{extra}>"

    def output_item(self, item_id: str) -> dict[str, Any]:
        """The ``function_call_output`` item of the turn's ``output`` (its ``id`` given)."""
        parts: list[dict[str, Any]] = [{"type": "input_text", "text": self.text}]
        shown = []
        for file in self.files:
            url = file.get("url", "") if isinstance(file, dict) else ""
            if isinstance(file, dict) and file.get("type") == "image" and str(url).startswith("data:"):
                parts.append({"type": "input_image", "image_url": url})
            else:
                shown.append(file)
                if isinstance(file, dict) and file.get("type") == "image" and url:
                    parts.append({"type": "input_image", "image_url": url})
        item: dict[str, Any] = {
            "type": "function_call_output",
            "id": item_id,
            "call_id": self.call.get("id", ""),
            "output": parts,
            "status": self.status,
        }
        if shown:
            item["files"] = shown
        if self.embeds:
            item["embeds"] = list(self.embeds)
        return item


async def execute_tool_call(
    messages: list[Any], metadata: dict[str, Any], tool_call: dict[str, Any]
) -> Executed:
    """``execute_tool_call(form_data, metadata, event_caller, tool_call)`` for a local tool
    (``tool_call["function"]["arguments"]`` is re-dumped in place, as the host does)."""
    function = tool_call.setdefault("function", {})
    name = function.get("name", "")
    text = function.get("arguments", "{}")
    params: Any = {}
    if text and text.strip():
        try:
            params = host_loads(text)
        except Exception:
            try:
                params = ast.literal_eval(text)
            except Exception:
                return Executed({}, None)
    if not isinstance(params, dict):
        return Executed({}, NOT_AN_OBJECT.format(name=name))
    function["arguments"] = host_dumps(params)
    tool = (metadata.get("tools") or {}).get(name)
    if not tool:
        return Executed(params, NOT_FOUND.format(name=name))
    allowed = tool.get("spec", {}).get("parameters", {}).get("properties", {}).keys()
    params = {key: value for key, value in params.items() if key in allowed}
    executed = Executed(params, None, tool, called=True)
    try:
        bound = rebind_tool_function(
            tool["callable"], {"__messages__": messages, "__files__": metadata.get("files") or []}
        )
        executed.result = await bound(**params)
    except Exception as exc:
        executed.result = {"error": str(exc)}
        executed.exception = exc
    return executed


def tool_result_content(result: Any) -> str:
    if not result:
        return ""
    if isinstance(result, dict | list):
        return host_dumps(result)
    return str(result)


def is_tool_result_error(value: Any) -> bool:
    """``_is_tool_result_error``: the host's test for a failed tool call."""
    if isinstance(value, str):
        text = value.strip().lower()
        if text.startswith(("error:", "exception:", "traceback", "http error!")):
            return True
    parsed = value
    while isinstance(parsed, str):
        try:
            parsed = host_loads(parsed)
        except (TypeError, ValueError, RecursionError):
            break
    if not isinstance(parsed, dict):
        return False
    error = parsed.get("error")
    has_error = (
        bool(error.strip()) if isinstance(error, str) else isinstance(error, dict | list) and bool(error)
    )
    if has_error:
        return True
    status = parsed.get("status")
    if isinstance(status, str) and status.strip().lower() in {"error", "failed"}:
        return True
    if parsed.get("success") is False or parsed.get("ok") is False:
        message = parsed.get("message")
        return has_error or (
            bool(message.strip())
            if isinstance(message, str)
            else isinstance(message, dict | list) and bool(message)
        )
    return False


def tool_output(tool_call: dict[str, Any], executed: Executed) -> ToolOutput:
    """The round's record of one executed call (``process_tool_result`` may raise, as in the host)."""
    name = str(tool_call.get("function", {}).get("name", ""))
    call = {
        "id": tool_call.get("id", ""),
        "type": "function",
        "function": {"name": name, "arguments": tool_call.get("function", {}).get("arguments", "{}")},
    }
    tool_id = executed.tool.get("tool_id") if executed.tool else None
    if executed.result is None:
        text = UNPARSABLE.format(name=name)
        return ToolOutput(call, executed.params, text, "failed", tool_id=tool_id)
    tool_type = executed.tool.get("type", "") if executed.tool else None
    processed, files, embeds = process_tool_result(name, executed.result, tool_type or "")
    text = tool_result_content(processed)
    status = "failed" if is_tool_result_error(text) else "completed"
    return ToolOutput(call, executed.params, text, status, list(files), list(embeds), tool_id)
