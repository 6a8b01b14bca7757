"""What a running simulation has done so far, drawn while it runs (status, text, prompts).

Fed by the simulator's ``on_record`` observer and by the dialogs; the final view is the
simulation's own HTML. Redraws of streamed chunks are throttled.
"""

from __future__ import annotations

import html
import json
import time
from typing import Any

from ._dialogs import Dialog

REDRAW_EVERY = 0.05  # seconds between redraws while chunks stream in


class LiveView:
    def __init__(self, redraw_every: float = REDRAW_EVERY) -> None:
        self.redraw_every = redraw_every
        self.reset()

    def reset(self) -> None:
        self.content = ""
        self.statuses: list[str] = []
        self.events = 0
        self.calls: list[tuple[str, str, str]] = []  # (type, title, answer)
        self._last_draw = 0.0

    def add(self, kind: str, item: Any) -> bool:
        """Take one recorded item; ``True`` when the view should be redrawn now."""
        if kind == "event" and isinstance(item, dict):
            self.events += 1
            self._event(item)
        elif kind == "chunk" and isinstance(item, str):
            self._chunk(item)
        else:
            return False
        now = time.monotonic()
        if kind != "chunk" or now - self._last_draw >= self.redraw_every:
            self._last_draw = now
            return True
        return False

    def call_started(self, dialog: Dialog) -> None:
        self.calls.append((dialog.type, str(dialog.data.get("title") or dialog.type), "…"))

    def call_answered(self, dialog: Dialog) -> None:
        title = str(dialog.data.get("title") or dialog.type)
        for i in range(len(self.calls) - 1, -1, -1):
            if self.calls[i][:2] == (dialog.type, title) and self.calls[i][2] == "…":
                self.calls[i] = (dialog.type, title, dialog.answer_text or "answered")
                return
        self.calls.append((dialog.type, title, dialog.answer_text or "answered"))

    def _event(self, event: dict[str, Any]) -> None:
        kind = event.get("type")
        data = event.get("data")
        data = data if isinstance(data, dict) else {}
        if kind == "status":
            self.statuses.append(str(data.get("description", "")))
        elif kind in ("message", "chat:message:delta"):
            self.content += str(data.get("content", ""))
        elif kind in ("replace", "chat:message"):
            self.content = str(data.get("content", ""))

    def _chunk(self, line: str) -> None:
        text = line.strip()
        if not text.startswith("data:"):
            return
        payload = text[5:].strip()
        if payload == "[DONE]":
            return
        try:
            chunk = json.loads(payload)
        except json.JSONDecodeError:
            return
        choices = chunk.get("choices") if isinstance(chunk, dict) else None
        if isinstance(choices, list) and choices and isinstance(choices[0], dict):
            delta = choices[0].get("delta") or {}
            if isinstance(delta, dict) and isinstance(delta.get("content"), str):
                self.content += delta["content"]

    def html(self) -> str:
        parts = ['<div class="actionkit-live" style="font-family:system-ui,sans-serif;font-size:14px">']
        if self.statuses:
            parts.append(f'<div style="color:#666">⏳ {html.escape(self.statuses[-1])}</div>')
        for kind, title, answer in self.calls:
            parts.append(
                f'<div style="color:#5b7bd5">? {html.escape(kind)}: {html.escape(title)} → '
                f"{html.escape(answer)}</div>"
            )
        if self.content:
            parts.append(
                f'<div style="white-space:pre-wrap;margin-top:6px">{html.escape(self.content)}</div>'
            )
        parts.append(f'<div style="color:#999;font-size:85%">running… {self.events} event(s)</div>')
        parts.append("</div>")
        return "".join(parts)
