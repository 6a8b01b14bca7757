"""A simulation while it runs: the message as far as it got (statuses, streamed text, toasts,
dialogs), drawn from the simulator's ``on_record`` reports.

:class:`LiveMessage` keeps what the page would show so far; :func:`live_progress` shows it in the
running notebook cell and updates it as records arrive (interactive kernels only, never under
``ACTIONKIT_RENDER=static``), then clears it when the call returns, so the final simulation is
displayed once, as usual.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from ._message import dialog_html, message_html, toasts_html
from ._style import STYLE

Observer = Callable[[str, Any], None]
REDRAW_EVERY = 0.1  # seconds between redraws while records stream in


def static_rendering() -> bool:
    """``ACTIONKIT_RENDER=static`` (tests, nbval): outputs are drawn once, when final."""
    return os.environ.get("ACTIONKIT_RENDER", "").lower() == "static"


class LiveMessage:
    """What a running call has shown so far, as the page would show it."""

    def __init__(self, name: str = "Assistant") -> None:
        self.name = name
        self.reset()

    def reset(self) -> None:
        self.message: dict[str, Any] = {
            "content": "",
            "statusHistory": [],
            "sources": [],
            "notifications": [],
            "files": [],
            "embeds": [],
        }
        self.events = 0
        self.calls: list[dict[str, Any]] = []

    def add(self, kind: str, item: Any) -> None:
        """Take one ``on_record`` report: ``event``, ``call``, ``reply`` or ``chunk``."""
        if kind == "event" and isinstance(item, dict):
            self.events += 1
            self._event(item)
        elif kind == "chunk" and isinstance(item, str):
            self.message["content"] += _chunk_text(item)
        elif kind == "call" and isinstance(item, dict):
            self.calls.append(dict(item))
        elif kind == "reply" and isinstance(item, dict):
            self.answered(item.get("type"), item.get("data"), item.get("reply"))

    def answered(self, kind: Any, data: Any, reply: Any) -> None:
        """The latest open dialog of this type and data got ``reply``."""
        for call in reversed(self.calls):
            if "reply" not in call and call.get("type") == kind and call.get("data") == data:
                call["reply"] = reply
                return
        self.calls.append({"type": kind, "data": data, "reply": reply})

    def _event(self, event: dict[str, Any]) -> None:
        kind = event.get("type")
        raw = event.get("data")
        data: dict[str, Any] = raw if isinstance(raw, dict) else {}
        message = self.message
        if kind == "status":
            message["statusHistory"].append(data)
        elif kind in ("message", "chat:message:delta"):
            message["content"] += str(data.get("content", ""))
        elif kind in ("replace", "chat:message"):
            message["content"] = str(data.get("content", ""))
        elif kind == "notification":
            message["notifications"].append(
                {"type": data.get("type", "info"), "content": str(data.get("content", ""))}
            )
        elif kind in ("source", "citation") and data.get("type") != "code_execution":
            message["sources"].append(data)
        elif kind in ("files", "chat:message:files"):
            message["files"] = data.get("files") if isinstance(data.get("files"), list) else []
        elif kind in ("embeds", "chat:message:embeds"):
            message["embeds"] = data.get("embeds") if isinstance(data.get("embeds"), list) else []

    def html(self, secrets: frozenset[str] = frozenset(), *, open_dialogs: bool = True) -> str:
        """The message so far; ``open_dialogs=False`` leaves out dialogs still waiting (shown
        elsewhere as the dialog to answer)."""
        shown = [call for call in self.calls if open_dialogs or "reply" in call]
        dialogs = "".join(dialog_html(call, secrets) for call in shown)
        count = f"{self.events} event{'s' if self.events != 1 else ''}"
        return (
            f'{STYLE}<div class="akv actionkit-live">'
            f'<div class="ak-head"><span class="ak-spin"></span><span>running… {count}</span></div>'
            f"{toasts_html(self.message['notifications'], secrets)}"
            f"{f'<div class=ak-dialogs>{dialogs}</div>' if dialogs else ''}"
            f"{message_html(self.message, secrets, name=self.name, running=True)}</div>"
        )


def _chunk_text(line: str) -> str:
    """The text of one SSE line a streaming pipe yields (``data: {...choices[0].delta.content}``)."""
    text = line.strip()
    if not text.startswith("data:"):
        return ""
    payload = text[5:].strip()
    if payload == "[DONE]":
        return ""
    try:
        chunk = json.loads(payload)
    except json.JSONDecodeError:
        return ""
    choices = chunk.get("choices") if isinstance(chunk, dict) else None
    if isinstance(choices, list) and choices and isinstance(choices[0], dict):
        delta = choices[0].get("delta") or {}
        if isinstance(delta, dict) and isinstance(delta.get("content"), str):
            return str(delta["content"])
    return ""


class LiveProgress:
    """A :class:`LiveMessage` drawn in the notebook cell through ``show(bundle)`` / ``update(bundle)``."""

    def __init__(
        self,
        show: Callable[[dict[str, str]], Any],
        *,
        then: Observer | None = None,
        name: str = "Assistant",
        redraw_every: float = REDRAW_EVERY,
    ) -> None:
        self.live = LiveMessage(name)
        self.then = then
        self.redraw_every = redraw_every
        self._show = show
        self._handle: Any = None
        self._last = 0.0
        self._lock = threading.Lock()

    def observe(self, kind: str, item: Any) -> None:
        """The ``on_record`` observer: keep the record, redraw at most every ``redraw_every`` s."""
        with self._lock:
            self.live.add(kind, item)
            now = time.monotonic()
            if kind in ("call", "reply") or now - self._last >= self.redraw_every:
                self._last = now
                self._draw()
        if self.then is not None:
            self.then(kind, item)

    def _draw(self) -> None:
        bundle = {"text/html": self.live.html(), "text/plain": "running…"}
        if self._handle is None:
            self._handle = self._show(bundle)
        else:
            self._handle.update(bundle, raw=True)

    def close(self) -> None:
        """Clear the progress: the finished simulation is displayed on its own."""
        with self._lock:
            if self._handle is not None:
                self._handle.update({"text/plain": ""}, raw=True)


def _kernel_display(bundle: dict[str, str]) -> Any:
    from IPython.display import display

    return display(bundle, raw=True, display_id=True)  # type: ignore[no-untyped-call]


def live_progress(then: Observer | None = None, *, name: str = "Assistant") -> LiveProgress | None:
    """A progress view for the running notebook cell, or ``None`` outside an interactive kernel
    (a script, a terminal, tests and nbval with ``ACTIONKIT_RENDER=static``)."""
    if static_rendering() or "IPython" not in sys.modules:
        return None
    from IPython import get_ipython

    shell = get_ipython()
    if shell is None or getattr(shell, "kernel", None) is None:
        return None
    return LiveProgress(_kernel_display, then=then, name=name)
