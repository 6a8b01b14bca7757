"""What a running playground simulation has done so far (the view's :class:`LiveMessage`), with
redraws of streamed chunks throttled. Fed by the simulator's ``on_record`` observer, so each
dialog shows the reply the run really got; the final view is the simulation's own HTML."""

from __future__ import annotations

import time
from typing import Any

from ..view import LiveMessage

REDRAW_EVERY = 0.05  # seconds between redraws while chunks stream in


class LiveView:
    def __init__(self, redraw_every: float = REDRAW_EVERY) -> None:
        self.redraw_every = redraw_every
        self.message = LiveMessage()
        self._last_draw = 0.0

    def reset(self) -> None:
        self.message.reset()
        self._last_draw = 0.0

    @property
    def content(self) -> str:
        return str(self.message.message["content"])

    def add(self, kind: str, item: Any) -> bool:
        """Take one recorded item; ``True`` when the view should be redrawn now."""
        if kind not in ("event", "chunk", "call", "reply"):
            return False
        self.message.add(kind, item)
        now = time.monotonic()
        if kind != "chunk" or now - self._last_draw >= self.redraw_every:
            self._last_draw = now
            return True
        return False

    def html(self) -> str:
        return self.message.html(open_dialogs=False)  # the dialog waiting is the widget above
