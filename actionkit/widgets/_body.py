"""The request body editor of the playground: the messages as a small chat editor, plus raw JSON.

Both views edit the same dict. Malformed JSON is reported and the last good body is kept.
"""

from __future__ import annotations

import copy
import html
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from ..host import DEFAULT_MODEL_ID
from ..sim import defaults as d
from ._values import InputError, parse_json

if TYPE_CHECKING:
    from ..function import Function

ROLES = ("system", "user", "assistant", "tool")


def default_body(fn: Function, hook: str, model_id: str | None = None) -> dict[str, Any]:
    """The body Open WebUI would send for this kind of call (the simulator's realistic defaults)."""

    model = model_id or str(d.model_dict(fn).get("id", DEFAULT_MODEL_ID))
    if fn.type == "tool":
        return d.tool_body(model)
    if fn.type == "pipe":
        return d.pipe_body(model, stream=False)
    if hook == "action":
        return d.action_body(model)
    if hook == "outlet":
        return d.outlet_body(model)
    if hook == "stream":
        return d.stream_event(model)
    return d.inlet_body(model)


def text_rows(text: str, width: int = 60, most: int = 12) -> int:
    """Rows a message box needs to show ``text`` whole (wrapped at about ``width`` characters)."""
    rows = sum(max(1, -(-len(line) // width)) for line in text.split("\n"))
    return max(2, min(most, rows))


class BodyEditor:
    """Edit a request body; ``chat=False`` shows only the JSON view (e.g. a stream event)."""

    def __init__(
        self,
        body: dict[str, Any],
        *,
        chat: bool = True,
        on_change: Callable[[BodyEditor], None] | None = None,
    ) -> None:
        self._body: dict[str, Any] = copy.deepcopy(body)
        self.error: str | None = None
        self._on_change = on_change
        self._quiet = 0
        self.chat = chat
        self.rows = w.VBox([])
        self.add_user = w.Button(description="+ user", layout=w.Layout(width="auto"))
        self.add_assistant = w.Button(description="+ assistant", layout=w.Layout(width="auto"))
        self.add_system = w.Button(description="+ system", layout=w.Layout(width="auto"))
        for button, role in (
            (self.add_user, "user"),
            (self.add_assistant, "assistant"),
            (self.add_system, "system"),
        ):
            button.on_click(lambda _, role=role: self.add_message(role, ""))
        self.json = w.Textarea(rows=12, layout=w.Layout(width="100%"))
        self.json.add_class("actionkit-body-json")
        self.json.observe(self._json_edited, names="value")
        self.message = w.HTML("")
        chat_view = w.VBox([self.rows, w.HBox([self.add_user, self.add_assistant, self.add_system])])
        if chat:
            self.tabs = w.Tab(children=[chat_view, self.json], titles=["Chat", "JSON"])
        else:
            self.tabs = w.Tab(children=[self.json], titles=["JSON"])
        self.widget: Any = w.VBox([self.tabs, self.message], layout=w.Layout(width="100%"))
        self.widget.add_class("actionkit-body")
        self._refresh()

    @property
    def body(self) -> dict[str, Any]:
        """A copy of the current (last valid) body."""
        return copy.deepcopy(self._body)

    @property
    def valid(self) -> bool:
        return self.error is None

    def set_body(self, body: dict[str, Any]) -> None:
        self._body = copy.deepcopy(body)
        self.error = None
        self._refresh()

    def add_message(self, role: str, content: str) -> None:
        messages = self._messages()
        messages.append({"role": role, "content": content})
        self._body["messages"] = messages
        self._refresh()
        self._changed()

    def remove_message(self, index: int) -> None:
        messages = self._messages()
        if 0 <= index < len(messages):
            del messages[index]
            self._body["messages"] = messages
            self._refresh()
            self._changed()

    # -- internals -------------------------------------------------------------------------------

    def _messages(self) -> list[Any]:
        messages = self._body.get("messages")
        return list(messages) if isinstance(messages, list) else []

    def _refresh(self) -> None:
        self._quiet += 1
        try:
            self.json.value = json.dumps(self._body, indent=2, ensure_ascii=False, default=str)
            if self.chat:
                self.rows.children = [self._row(i, m) for i, m in enumerate(self._messages())]
        finally:
            self._quiet -= 1
        self._show_error()

    def _row(self, index: int, message: Any) -> Any:
        message = message if isinstance(message, dict) else {"role": "user", "content": message}
        role = str(message.get("role", "user"))
        roles = ROLES if role in ROLES else (*ROLES, role)
        picker = w.Dropdown(options=roles, value=role, layout=w.Layout(width="110px"))
        content = message.get("content", "")
        remove = w.Button(description="✕", tooltip="remove this message", layout=w.Layout(width="36px"))
        remove.on_click(lambda _: self.remove_message(index))
        picker.observe(lambda change: self._edit(index, "role", change["new"]), names="value")
        if isinstance(content, str):
            box = w.Textarea(
                value=content, rows=text_rows(content), layout=w.Layout(flex="1 1 auto", min_width="0")
            )
            box.observe(lambda change: self._edit(index, "content", change["new"]), names="value")
        else:
            box = w.HTML(
                '<span style="color:#666">structured content: edit it in the JSON tab</span>',
                layout=w.Layout(width="100%"),
            )
        return w.HBox([picker, box, remove], layout=w.Layout(width="100%", align_items="flex-start"))

    def _edit(self, index: int, key: str, value: Any) -> None:
        if self._quiet:
            return
        messages = self._messages()
        if not 0 <= index < len(messages) or not isinstance(messages[index], dict):
            return
        messages[index] = {**messages[index], key: value}
        self._body["messages"] = messages
        self._quiet += 1
        try:
            self.json.value = json.dumps(self._body, indent=2, ensure_ascii=False, default=str)
        finally:
            self._quiet -= 1
        self._changed()

    def _json_edited(self, change: dict[str, Any]) -> None:
        if self._quiet:
            return
        try:
            value = parse_json(change["new"])
        except InputError as exc:
            self.error = str(exc)
            self._show_error()
            return
        if not isinstance(value, dict):
            self.error = f"the body must be a JSON object ({{...}}), not {type(value).__name__}"
            self._show_error()
            return
        self._body = value
        self.error = None
        self._quiet += 1
        try:
            if self.chat:
                self.rows.children = [self._row(i, m) for i, m in enumerate(self._messages())]
        finally:
            self._quiet -= 1
        self._show_error()
        self._changed()

    def _show_error(self) -> None:
        text = (
            f'<span style="color:#b00020">✗ body not updated: {html.escape(self.error)}</span>'
            if self.error
            else ""
        )
        if self.message.value != text:
            self.message.value = text

    def _changed(self) -> None:
        if self._on_change is not None:
            self._on_change(self)
