"""``__event_call__`` requests shown as widget dialogs, answered the way the Open WebUI page answers.

- ``confirmation``: Confirm -> ``True``, Cancel -> ``False``.
- ``input``: the entered string (``""`` allowed), Cancel -> ``False``; ``type: "password"`` is a
  masked box, ``type: "select"`` with ``options`` (strings or ``{value, label}``) a dropdown,
  otherwise a multi-line box prefilled with ``value``.
- ``execute``: the JavaScript is shown with a box for the value it returns (read as JSON, else as
  text); "Throw" gives no answer, like a script that raises in the page: the call then waits for the
  timeout.
- Any other type gets no answer from the page either.

The dialog resolves a :class:`concurrent.futures.Future`, so the run that waits on it can live in
another thread and loop. :class:`DialogBridge` is the async ``replies=`` callable of a simulation.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import html
import json
from collections.abc import Callable
from typing import Any

import ipywidgets as w

TIMEOUT_REPLY = {"error": "Event call timed out. The browser tab may be inactive or closed."}
ANSWERED_TYPES = ("confirmation", "input", "execute")


def input_kind(data: dict[str, Any]) -> str:
    """``"password"``, ``"select"`` or ``"text"``: the box an ``input`` call gets in the page."""
    spec = data.get("input") if isinstance(data.get("input"), dict) else {}
    kind = data.get("type") or (spec or {}).get("type")
    if kind == "password":
        return "password"
    if kind == "select" and isinstance(_options(data), list):
        return "select"
    return "text"


def _options(data: dict[str, Any]) -> Any:
    spec = data.get("input") if isinstance(data.get("input"), dict) else {}
    options = data.get("options")
    return options if options is not None else (spec or {}).get("options")


def parse_return_value(text: str) -> Any:
    """What a person typed as the JavaScript's return value: JSON when it parses, else the text."""
    stripped = text.strip()
    if not stripped:
        return None
    try:
        return json.loads(stripped)
    except json.JSONDecodeError:
        return text


class Dialog:
    """One event call as widgets; answering resolves ``future`` and closes the widgets."""

    def __init__(self, call: dict[str, Any], future: concurrent.futures.Future[Any]) -> None:
        self.call = call
        self.type = str(call.get("type", ""))
        data = call.get("data")
        self.data: dict[str, Any] = data if isinstance(data, dict) else {}
        self.future = future
        self.answer_text = ""  # how the answer is described (never the password itself)
        self.secret = False
        self.buttons: dict[str, Any] = {}
        children = [w.HTML(self._header_html())]
        children.extend(self._body())
        self.widget: Any = w.VBox(
            children,
            layout=w.Layout(border="2px solid #5b7bd5", padding="8px", margin="6px 0", max_width="560px"),
        )
        self.widget.add_class("actionkit-dialog")
        self.widget.add_class(f"actionkit-dialog-{self.type or 'unknown'}")

    # -- answering ------------------------------------------------------------------------------

    @property
    def answered(self) -> bool:
        return self.future.done()

    def answer(self, value: Any, description: str | None = None) -> None:
        if self.future.done():
            return
        self.answer_text = description if description is not None else json.dumps(value, default=str)
        try:
            self.future.set_result(value)
        except concurrent.futures.InvalidStateError:  # timed out at the same moment
            return
        self.close()

    def confirm(self) -> None:
        """Confirm button (confirmation: ``True``; input: the entered text; execute: the value)."""
        if self.type == "confirmation":
            self.answer(True, "confirmed")
        elif self.type == "input":
            value = self.box.value if self.kind != "select" else self._selected()
            value = "" if value is None else str(value)
            self.answer(value, "•••••• (entered)" if self.secret else json.dumps(value))
        elif self.type == "execute":
            value = parse_return_value(self.box.value)
            self.answer(value, f"returned {json.dumps(value, default=str)}")

    def cancel(self) -> None:
        """Cancel button: ``False`` for confirmation and input, as the page answers."""
        if self.type in ("confirmation", "input"):
            self.answer(False, "cancelled")

    def throw(self) -> None:
        """The script raised in the page: no answer is sent, the call waits for the timeout."""
        self.answer_text = "threw: no answer (waits for the timeout)"
        self.status.value = (
            '<span style="color:#8a5a00">the script threw in the page: no answer is sent, the '
            "function waits until the event-call timeout (or press Stop)</span>"
        )
        for button in self.buttons.values():
            button.disabled = True

    def close(self) -> None:
        for child in _walk(self.widget):
            child.close()

    # -- building -------------------------------------------------------------------------------

    def _header_html(self) -> str:
        title = str(self.data.get("title") or _DEFAULT_TITLES.get(self.type, self.type or "event call"))
        message = self.data.get("message")
        text = f"<b>{html.escape(title)}</b>"
        if message:
            body = html.escape(str(message)).replace("\n", "<br>")
            text += f'<div style="margin-top:4px">{body}</div>'
        return f'<div class="actionkit-dialog-text">{text}</div>'

    def _button(self, key: str, label: str, style: str, action: Callable[[], None]) -> Any:
        button = w.Button(description=label, button_style=style)
        button.add_class(f"actionkit-{key}")
        button.on_click(lambda _: action())
        self.buttons[key] = button
        return button

    def _body(self) -> list[Any]:
        self.status = w.HTML("")
        self.kind = "text"
        if self.type == "confirmation":
            row = [
                self._button("cancel", "Cancel", "", self.cancel),
                self._button("confirm", "Confirm", "primary", self.confirm),
            ]
            return [w.HBox(row), self.status]
        if self.type == "input":
            self.kind = input_kind(self.data)
            placeholder = str(self.data.get("placeholder") or "")
            prefill = self.data.get("value")
            if self.kind == "password":
                self.secret = True
                self.box = w.Password(placeholder=placeholder)
            elif self.kind == "select":
                options = [_option(o) for o in _options(self.data)]
                self.box = w.Dropdown(options=[(label, i) for i, (label, _) in enumerate(options)])
                self._values = [value for _, value in options]
                for i, value in enumerate(self._values):
                    if prefill is not None and value == prefill:
                        self.box.value = i
            else:
                self.box = w.Textarea(
                    value="" if prefill is None else str(prefill), placeholder=placeholder, rows=3
                )
            self.box.add_class("actionkit-input")
            self.box.layout.width = "100%"
            row = [
                self._button("cancel", "Cancel", "", self.cancel),
                self._button("confirm", "Confirm", "primary", self.confirm),
            ]
            return [self.box, w.HBox(row), self.status]
        if self.type == "execute":
            code = str(self.data.get("code", ""))
            source = w.HTML(
                '<div style="font-size:85%;color:#555">JavaScript the page would run:</div>'
                f'<pre style="max-height:200px;overflow:auto;background:#f6f8fa;padding:6px">'
                f"{html.escape(code)}</pre>"
            )
            self.box = w.Text(placeholder="its return value (JSON, else text)")
            self.box.add_class("actionkit-input")
            self.box.layout.width = "100%"
            row = [
                self._button("throw", "Throw", "warning", self.throw),
                self._button("confirm", "Return", "primary", self.confirm),
            ]
            return [source, self.box, w.HBox(row), self.status]
        self.status.value = (
            f'<span style="color:#8a5a00">Open WebUI\'s page does not answer {html.escape(self.type)!s} '
            "calls: the function waits until the event-call timeout (or press Stop)</span>"
        )
        return [self.status]

    def _selected(self) -> Any:
        index = self.box.value
        return None if index is None else self._values[index]

    def text(self) -> str:
        title = self.data.get("title") or self.type
        return f"dialog {self.type}: {title}"


_DEFAULT_TITLES = {"confirmation": "Confirm", "input": "Input", "execute": "Run JavaScript"}


def _option(entry: Any) -> tuple[str, Any]:
    if isinstance(entry, dict) and "value" in entry:
        return str(entry.get("label", entry["value"])), entry["value"]
    return str(entry), entry


def _walk(widget: Any) -> list[Any]:
    found = [widget]
    for child in getattr(widget, "children", ()):
        found.extend(_walk(child))
    return found


class DialogBridge:
    """The async ``replies=`` callable: shows each call as a :class:`Dialog` and waits for it.

    ``show(dialog)`` puts a dialog on screen (``show(None)`` removes it); ``post(fn)`` runs ``fn``
    where widgets are updated (the kernel's loop) — both called from the simulation's thread.
    ``timeout`` is the host's ``WEBSOCKET_EVENT_CALLER_TIMEOUT`` (``None``: wait for ever, the 0.12.4
    default); on timeout the reply is the host's ``{"error": "Event call timed out. ..."}``.
    """

    def __init__(
        self,
        show: Callable[[Dialog | None], None],
        *,
        timeout: float | None = None,
        post: Callable[[Callable[[], None]], None] | None = None,
        answered: Callable[[Dialog], None] | None = None,
    ) -> None:
        self._show = show
        self.timeout = timeout
        self._post = post or (lambda fn: fn())
        self._answered = answered
        self.current: Dialog | None = None
        self.dialogs: list[Dialog] = []

    async def __call__(self, call: dict[str, Any]) -> Any:
        future: concurrent.futures.Future[Any] = concurrent.futures.Future()
        ready = concurrent.futures.Future[Dialog]()

        def open_dialog() -> None:
            try:
                dialog = Dialog(call, future)
                self.current = dialog
                self.dialogs.append(dialog)
                self._show(dialog)
            except BaseException as exc:  # reported to the waiting run, never lost in a loop
                ready.set_exception(exc)
                return
            ready.set_result(dialog)

        self._post(open_dialog)
        dialog = await asyncio.wrap_future(ready)
        try:
            waiting = asyncio.wrap_future(future)
            if self.timeout is None:
                reply = await waiting
            else:
                reply = await asyncio.wait_for(waiting, self.timeout)
        except TimeoutError:
            reply = TIMEOUT_REPLY
            dialog.answer_text = "timed out"
        finally:
            if not future.done():
                future.cancel()
            self._post(lambda: self._finish(dialog))
        return reply

    def _finish(self, dialog: Dialog) -> None:
        dialog.close()
        if self.current is dialog:
            self.current = None
            self._show(None)
        if self._answered is not None:
            self._answered(dialog)
