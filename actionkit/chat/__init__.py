"""``actionkit.Chat``: whole chat turns through filters, a pipe (or the mock model) and actions."""

from __future__ import annotations

from ._chat import Chat
from ._turn import Step, Turn

__all__ = ["Chat", "Step", "Turn"]
