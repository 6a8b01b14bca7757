"""The Tools part of the real side: every tool, tool case and turn through the real open-webui.

Run by ``real_runner.py --tools`` inside 0.12.4's own environment (``conftest.real_tool_report``).
Tools are created with the host's tools handlers; calls and turns go through its own
``/api/chat/completions`` handler (``actionkit.realhost``).
"""

from __future__ import annotations

import traceback
from typing import Any


def run_tools() -> dict[str, Any]:
    from actionkit import MockModel, load
    from actionkit.errors import ActionkitError
    from actionkit.realhost import (
        describe_tool_in_open_webui,
        tool_turn_in_open_webui,
        tools_dict_in_open_webui,
    )
    from actionkit.runtimes import simulate
    from actionkit.view import jsonable

    from ._records import load_record, raised_record
    from ._tool_records import entries_view, tool_normalise, tool_record, turn_record
    from .tool_cases import FACT_EXTRA_PARAMS, PIPES, TOOL_CASES, TOOL_GROUPS, TURN_CASES, tool_sources

    corpus = tool_sources()
    facts: dict[str, Any] = {}
    for tool_id, source in corpus.items():
        try:
            described = describe_tool_in_open_webui(source, tool_id)
            outcome = described["load"]
            fact: dict[str, Any] = {
                "load": load_record(
                    outcome["ok"],
                    outcome["type"],
                    outcome["manifest"],
                    outcome["error_type"],
                    outcome["message"],
                    outcome["line"],
                )
            }
            if outcome["ok"]:
                fact.update(
                    specs=described["specs"],
                    has_user_valves=described["meta"].get("has_user_valves"),
                    valves_schema=described["valves_schema"],
                    user_valves_schema=described["user_valves_schema"],
                )
                try:
                    entries = tools_dict_in_open_webui([tool_id], FACT_EXTRA_PARAMS)
                    fact["get_tools"] = entries_view(entries)
                    fact["tool_specs"] = [
                        {"type": "function", "function": entry["spec"]} for entry in entries.values()
                    ]
                except Exception as exc:
                    fact["get_tools"] = {"raised": f"{type(exc).__name__}: {exc}"}
            facts[tool_id] = tool_normalise(jsonable(fact))
        except Exception:
            facts[tool_id] = {"crashed": traceback.format_exc()}
    groups: dict[str, Any] = {}
    for ids in TOOL_GROUPS:
        try:
            groups["+".join(ids)] = entries_view(tools_dict_in_open_webui(list(ids), FACT_EXTRA_PARAMS))
        except Exception:
            groups["+".join(ids)] = {"crashed": traceback.format_exc()}
    cases: dict[str, Any] = {}
    for case in TOOL_CASES:
        records = []
        try:
            tool = load(corpus[case.tool], id=case.tool_id, kind="tool")
            for kwargs in case.calls:
                try:
                    records.append(tool_record(simulate(tool, runtime="open-webui", **kwargs)))
                except ActionkitError as exc:
                    records.append(raised_record(exc))
            cases[case.name] = records
        except Exception:
            cases[case.name] = {"crashed": traceback.format_exc()}
    turns: dict[str, Any] = {}
    for turn in TURN_CASES:
        try:
            tools = [load(corpus[name], id=name, kind="tool") for name in turn.tools]
            llm = MockModel(list(turn.script), models=["scripted_model"])
            pipe = load(PIPES[turn.pipe], id=turn.pipe) if turn.pipe else None
            done = tool_turn_in_open_webui(
                tools,
                llm,
                turn.messages,
                valves=turn.valves,
                user_valves=turn.user_valves,
                replies=turn.replies,
                pipe=pipe,
            )
            turns[turn.name] = turn_record(
                done["requests"], done["output"], done["tool_events"], done["event_calls"], done["error"]
            )
        except Exception:
            turns[turn.name] = {"crashed": traceback.format_exc()}
    return {"facts": facts, "groups": groups, "cases": cases, "turns": turns}
