"""One host call, simulated in this process: plan, invoke, record, and the :class:`Simulation`.

A :class:`Call` (the options of ``simulate``) is planned into a :class:`Plan` (``_prepare``,
``_bodies``, :mod:`defaults`), executed as the host would call the handler (``_invoke``, on the
loop of ``_loop``) while events and event calls are recorded (``_events``, ``_event_checks``), and
finished into a :class:`Simulation` (``_engine``) whose pipe output and page message are built as
0.12.4 builds them (``_pipe_output``, ``_message``). A Tool call is planned and made as in a
native tool-calling chat turn (``_tool_call``, ``_tool_result``). A simulation can be saved as a
case file (``_case``). With ``isolate=True`` the same call runs in a worker process (``_isolate``):
workers are forked from one zygote process (``_zygote``), pooled per function version
(``_workers``), run the call with their limits set (``_worker``) and send it back as plain data
(``_portable``).
"""

from __future__ import annotations

from . import defaults
from ._call import Call, Source
from ._case import CALL_KEYS, SUFFIX, Case, case_from_simulation, load_case, normalized, save_case
from ._context import context_for
from ._engine import arun, finalize, run, timeout_text, uncaught_text
from ._event_checks import did_you_mean
from ._host_json import host_dumps
from ._inputs import secret_values, stale_user_valves
from ._invoke import Outcome
from ._isolate import arun_isolated, isolated_import, isolated_save, run_isolated
from ._message import build_message
from ._pipe_model import resolve_pipe_model
from ._plan import Plan
from ._prepare import build_plan, resolve_function
from ._simulation import Hook, Kind, Simulation, empty_message
from ._tool_result import ToolOutput, execute_tool_call, tool_output
from ._tool_turn import ToolSession

__all__ = [
    "CALL_KEYS",
    "SUFFIX",
    "Call",
    "Case",
    "Hook",
    "Kind",
    "Outcome",
    "Plan",
    "Simulation",
    "Source",
    "ToolOutput",
    "ToolSession",
    "arun",
    "arun_isolated",
    "build_message",
    "build_plan",
    "case_from_simulation",
    "context_for",
    "defaults",
    "did_you_mean",
    "empty_message",
    "execute_tool_call",
    "finalize",
    "host_dumps",
    "isolated_import",
    "isolated_save",
    "load_case",
    "normalized",
    "resolve_function",
    "resolve_pipe_model",
    "run",
    "run_isolated",
    "save_case",
    "secret_values",
    "stale_user_valves",
    "timeout_text",
    "tool_output",
    "uncaught_text",
]
