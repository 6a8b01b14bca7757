"""Text and HTML of what actionkit shows: function cards, simulations and chat turns.

Views take what they show and never call back up the flow: plain functions over the objects they
are given. The text is deterministic (no addresses, clocks or random ids) so that notebooks can be
regression tests; secrets are masked in every output. No ipywidgets here (see ``widgets``).
"""

from __future__ import annotations

from ._card import FunctionCard, function_card
from ._changes import change_lines, changes_html, report_html, wrapped_html
from ._chat import chat_html, chat_text, step_html, step_text, turn_html, turn_text
from ._compat import compat_html, compat_text
from ._jsonable import copied, jsonable, safe_repr, without_addresses
from ._live import LiveMessage, LiveProgress, live_progress, static_rendering
from ._markdown import markdown_html, source_titles
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
    "LiveMessage",
    "LiveProgress",
    "call_line",
    "change_lines",
    "changes_html",
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
    "live_progress",
    "markdown_html",
    "ordered_entries",
    "report_html",
    "safe_repr",
    "simulation_html",
    "simulation_text",
    "simulation_to_dict",
    "source_titles",
    "static_rendering",
    "step_html",
    "step_text",
    "turn_html",
    "turn_text",
    "without_addresses",
    "wrapped_html",
]
