"""Text and HTML of what actionkit shows: function cards, simulations and chat turns.

Views take what they show and never call back up the flow: plain functions over the objects they
are given. The text is deterministic (no addresses, clocks or random ids) so that notebooks can be
regression tests; secrets are masked in every output. No ipywidgets here (see ``widgets``).
"""

from __future__ import annotations

from ._card import FunctionCard, function_card
from ._chat import chat_html, chat_text, turn_html, turn_text
from ._compat import compat_html, compat_text
from ._jsonable import copied, jsonable, safe_repr, without_addresses
from ._simulation import (
    call_line,
    clip_line,
    escape_masked,
    event_line,
    ordered_entries,
    simulation_html,
    simulation_text,
    simulation_to_dict,
)

__all__ = [
    "FunctionCard",
    "call_line",
    "chat_html",
    "chat_text",
    "clip_line",
    "compat_html",
    "compat_text",
    "copied",
    "escape_masked",
    "event_line",
    "function_card",
    "jsonable",
    "ordered_entries",
    "safe_repr",
    "simulation_html",
    "simulation_text",
    "simulation_to_dict",
    "turn_html",
    "turn_text",
    "without_addresses",
]
