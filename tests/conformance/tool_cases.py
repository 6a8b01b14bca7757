"""The Tools part of the conformance corpus: tool sources, the calls made on them, and whole turns.

Every ``tools/*.py`` file is a tool written for this suite (exact sources: ruff leaves the folder
alone, since docstring whitespace is one of the facts). For each one both runtimes report the facts
(load outcome, stored specs, model-facing specs, valves schemas, the ``get_tools`` entries); each
:class:`ToolCase` then makes one or more tool calls with the given ``simulate`` arguments in both
runtimes; each :class:`TurnCase` runs one whole chat turn with tools selected and a scripted model,
through ``actionkit.Chat`` here and through the host's own ``/api/chat/completions`` handler there.
Plain data, imported by the real-side runner (in 0.12.4's environment) and by the comparison tests.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TOOLS = Path(__file__).parent / "tools"

# The reserved arguments a chat offers get_tools (values fixed: the facts compare names and specs).
FACT_EXTRA_PARAMS: dict[str, Any] = {
    "__event_emitter__": None,
    "__event_call__": None,
    "__metadata__": {"chat_id": "local:facts", "message_id": "facts"},
    "__oauth_token__": None,
    "__request__": None,
    "__model__": {"id": "facts-model"},
    "__chat_id__": "local:facts",
    "__message_id__": "facts",
    "__messages__": [],
    "__files__": [],
}


def tool_sources() -> dict[str, str]:
    """``{tool id: source}`` of the tools corpus (the id is the file name)."""
    return {path.stem: path.read_text(encoding="utf-8") for path in sorted(TOOLS.glob("*.py"))}


def call(name: str, arguments: Any = "{}", **kwargs: Any) -> dict[str, Any]:
    """``simulate`` keyword arguments for one tool call (arguments as the model's text or data)."""
    return {"tool_call": {"name": name, "arguments": arguments}, **kwargs}


@dataclass(frozen=True)
class ToolCase:
    """Calls of one tool, made in order on the same tool (``tc_<name>``, its own id)."""

    name: str
    tool: str
    calls: tuple[dict[str, Any], ...]

    @property
    def tool_id(self) -> str:
        return f"tc_{self.name}"


def _case(name: str, tool: str, *calls: dict[str, Any]) -> ToolCase:
    return ToolCase(name, tool, calls)


def _json(value: Any) -> str:
    return json.dumps(value)


RETURN_KINDS = (
    "none",
    "empty",
    "zero",
    "false",
    "true",
    "float",
    "int",
    "str",
    "dict",
    "list",
    "nested_list",
    "tuple",
    "tuple1",
    "unicode",
    "model",
    "list_of_dicts",
    "json_str",
    "bytes",
    "empty_dict",
    "empty_list",
)
STATUS_TEXTS = (
    "Error: something",
    "  exception: trailing",
    "Traceback (most recent call last)",
    "HTTP Error! 500",
    "An error: in the middle",
    '{"error": "in a json string"}',
)
STATUS_OBJECTS = (
    {"error": "x"},
    {"error": ""},
    {"error": {"code": 1}},
    {"status": "FAILED"},
    {"status": "error", "detail": "d"},
    {"success": False, "message": "nope"},
    {"success": False},
    {"ok": False, "message": ""},
    {"ok": True, "status": "done"},
)

TOOL_CASES: list[ToolCase] = [
    # Arguments: parsing, filtering, coercion, binding
    _case(
        "typed_arguments",
        "basic_types",
        call(
            "describe",
            _json({"text": "hi", "count": 2, "ratio": 0.5, "flag": True, "tags": ["a"], "extra": {"k": 1}}),
        ),
    ),
    _case(
        "loose_arguments",
        "basic_types",
        call(
            "describe",
            '{"text": 12, "count": "7", "ratio": "0.25", "flag": "false", "tags": "a,b", "extra": {}}',
        ),
    ),
    _case(
        "unknown_argument_dropped",
        "basic_types",
        call(
            "describe",
            '{"text": "x", "count": 1, "ratio": 1, "flag": false, "tags": [], "extra": {}, "unknown": 5}',
        ),
    ),
    _case("missing_arguments", "basic_types", call("describe", '{"text": "missing the rest"}')),
    _case(
        "python_literal_arguments",
        "basic_types",
        call(
            "describe",
            "{'text': 'python literal', 'count': 1, 'ratio': 1.0, 'flag': True, 'tags': [], 'extra': {}}",
        ),
    ),
    _case("unparsable_arguments", "basic_types", call("describe", "{not json")),
    _case("arguments_not_an_object", "basic_types", call("describe", "[1, 2]")),
    _case("empty_arguments", "basic_types", call("describe", "")),
    _case("unknown_method", "basic_types", call("does_not_exist", "{}")),
    _case(
        "coercion_fails",
        "basic_types",
        call(
            "describe", '{"text": "x", "count": "seven", "ratio": 1, "flag": false, "tags": [], "extra": {}}'
        ),
    ),
    _case(
        "arguments_as_data",
        "basic_types",
        call(
            "describe",
            {"text": "Zürich ✓", "count": 1, "ratio": 1.5, "flag": True, "tags": ["ü"], "extra": {"ö": None}},
        ),
    ),
    _case(
        "optional_required_only",
        "optional_defaults",
        call("pick", '{"required_untyped": 5, "opt_required": "given"}'),
    ),
    _case(
        "optional_all",
        "optional_defaults",
        call(
            "pick",
            '{"required_untyped": "s", "opt": "9", "pipe_opt": 3, "untyped_default": [1], "number": "8", "mode": "slow", "maybe_list": [1, 2]}',
        ),
    ),
    _case(
        "reserved_arguments",
        "reserved_args",
        call("all_reserved", '{"query": "q", "__user__": "spoofed", "__id__": "spoofed"}'),
    ),
    _case("required_unknown_reserved", "reserved_args", call("needs_unknown_dunder", '{"x": "a"}')),
    _case("kwargs_get_no_reserved", "reserved_args", call("kwargs_gets_no_dunders", '{"x": "a"}')),
    _case(
        "kwargs_only_own",
        "kwargs_args",
        call("with_kwargs", '{"a": "1"}'),
        call("with_kwargs", '{"a": "1", "kwargs": "k=v"}'),
        call("with_kwargs", '{"a": "1", "extra": "dropped?", "kwargs": {"k": 1}}'),
    ),
    _case("star_args", "kwargs_args", call("with_args", '{"args": "x", "b": "2"}')),
    _case(
        "nested_model_argument",
        "nested_pydantic",
        call("register", '{"person": {"name": "Ann", "address": {"street": "Main 1"}}}'),
    ),
    _case("indented_docstring", "docstrings", call("indented", '{"q": "x"}')),
    _case(
        "static_and_class_methods",
        "dir_order",
        call("static_one", '{"x": "3"}'),
        call("class_one", '{"x": 4}'),
        call("tc_static_and_class_methods_bravo", "{}"),
    ),
    _case(
        "coercions",
        "coercion",
        call(
            "show",
            '{"i": "3", "oi": "4", "ui": "5", "f": "1.5", "s": 6, "os_": 7.5, "b": "true", "li": ["1"]}',
        ),
        call("show", '{"s": true, "os_": false, "i": 2.7, "f": 3}'),
        call("show", '{"i": " 12 ", "s": null}'),
    ),
    _case(
        "literal_and_enum",
        "literal_enum",
        call("paint", '{"color": "red", "finish": "gloss", "layers": ["top"], "dry": "yes"}'),
    ),
    _case(
        "keyword_and_positional_only",
        "signature_kinds",
        call("keyword_only", '{"a": "2"}'),
        call("positional_only", '{"a": 1, "b": 2}'),
        call("mutable_defaults", "{}"),
    ),
    _case("field_constraints_not_enforced", "field_constraints", call("book", '{"seats": 0, "name": "x"}')),
    # Results: the role:tool text, statuses, files and embeds
    *[_case(f"returns_{kind}", "return_types", call("ret", _json({"kind": kind}))) for kind in RETURN_KINDS],
    _case("async_returns_none", "return_types", call("async_ret", '{"kind": "none"}')),
    _case("async_returns_dict", "return_types", call("async_ret", '{"kind": "dict"}')),
    _case("html_inline", "html_embeds", call("inline")),
    _case("html_with_text_context", "html_embeds", call("inline_with_context")),
    _case("html_with_dict_context", "html_embeds", call("inline_with_dict_context")),
    _case("html_not_inline", "html_embeds", call("not_inline")),
    _case("html_client_error", "html_embeds", call("inline_404")),
    _case("html_tuple_from_local_tool", "html_embeds", call("html_tuple_headers")),
    _case("raises", "errors_status", call("boom")),
    _case("raises_empty_message", "errors_status", call("boom", '{"message": ""}')),
    *[
        _case(f"status_text_{i}", "errors_status", call("text", _json({"value": text})))
        for i, text in enumerate(STATUS_TEXTS)
    ],
    *[
        _case(f"status_object_{i}", "errors_status", call("obj", _json({"value": value})))
        for i, value in enumerate(STATUS_OBJECTS)
    ],
    _case("image_data_uri", "files_images", call("image")),
    _case("image_in_dict", "files_images", call("image_in_dict")),
    _case("data_uris_in_list", "files_images", call("data_in_list")),
    _case(
        "odd_returns",
        "odd_returns",
        call("as_set"),
        call("as_object"),
        call("as_exception"),
        call("nested_tuple"),
        call("error_dict_in_list"),
    ),
    _case("models_in_result", "model_list_return", call("search_dumped", '{"q": "x"}')),
    # Valves, user valves, the instance, events
    _case(
        "valves_and_user_valves",
        "valves",
        call("show", valves={"limit": 7, "unknown_key": 1}, user_valves={"nickname": "neo"}),
        call("without_user", valves={"limit": 7}),
    ),
    _case("valves_defaults", "valves", call("show")),
    _case("valves_invalid", "valves", call("show", valves={"limit": "many"})),
    _case("user_valves_invalid", "user_valves_invalid", call("no_user", user_valves={"level": "not-an-int"})),
    _case(
        "masked_valves",
        "secret_valves",
        call("status", valves={"api_key": "sk-very-secret-key", "endpoint": "https://x.invalid"}),
    ),
    _case("instance_lives_on", "instance_state", call("count"), call("count")),
    _case("events_and_call", "events", call("emit")),
    _case("events_and_call_replied", "events", call("emit", replies=[True])),
    _case("citations", "citations_attrs", call("lookup", '{"topic": "tides"}')),
    _case("confirmation_yes", "ask_user", call("confirm_delete", '{"item": "notes.txt"}', replies=[True])),
    _case("confirmation_unanswered", "ask_user", call("confirm_delete", '{"item": "notes.txt"}')),
    _case(
        "input_replied",
        "ask_user",
        call("ask_name", replies=lambda request: "Ada" if request["type"] == "input" else None),
    ),
    _case("sync_emitter_not_awaited", "sync_emitter", call("work")),
    _case("sync_and_async", "sync_async", call("sync_one", '{"x": "1"}'), call("async_one", '{"x": 2}')),
    # The request: messages, files, the user, the id, the rewritten imports
    _case(
        "messages_and_files",
        "messages_files",
        call(
            "context",
            body={
                "messages": [
                    {"role": "system", "content": "Be brief."},
                    {"role": "user", "content": "What do my files say?"},
                ]
            },
        ),
    ),
    _case(
        "messages_word_count",
        "messages_files",
        call("count_words", body={"messages": [{"role": "user", "content": "one two three"}]}),
    ),
    _case(
        "user_lookup",
        "users_lookup",
        call("whoami", user={"id": "ada", "name": "Ada", "email": "ada@example.com", "role": "admin"}),
    ),
    _case("rewritten_import", "import_rewrite", call("last")),
    _case("get_tools_fails", "lambda_helper", call("shout", '{"text": "hi"}')),
    _case("echo", "echo", call("echo", '{"text": "hi"}')),
]


@dataclass(frozen=True)
class TurnCase:
    """One chat turn: ``tools`` (corpus ids, created under these ids) selected, the scripted model
    answering with ``script`` (one reply per request), ``prompt`` as the user's message."""

    name: str
    tools: tuple[str, ...]
    script: tuple[Any, ...]
    prompt: str = "please use the tool"
    system: str | None = None
    valves: dict[str, dict[str, Any]] = field(default_factory=dict)
    user_valves: dict[str, dict[str, Any]] = field(default_factory=dict)
    replies: Any = None
    pipe: str | None = None  # a pipe source answering instead of the scripted model

    @property
    def messages(self) -> list[dict[str, Any]]:
        messages = [{"role": "user", "content": self.prompt}]
        return [{"role": "system", "content": self.system}, *messages] if self.system else messages


def tool_call(call_id: str | None, name: str, arguments: str) -> dict[str, Any]:
    entry: dict[str, Any] = {"type": "function", "function": {"name": name, "arguments": arguments}}
    return {"id": call_id, **entry} if call_id else entry


def calls(*entries: dict[str, Any], content: str | None = None) -> dict[str, Any]:
    """A model reply asking for tool calls (with text before them when ``content`` is given)."""
    reply: dict[str, Any] = {"tool_calls": list(entries)}
    if content is not None:
        reply["content"] = content
    return reply


TURN_CASES: list[TurnCase] = [
    TurnCase(
        "weather_one_call",
        ("weather",),
        (
            calls(tool_call("call_1", "get_weather", '{"city": "Zürich", "days": "2", "bogus": true}')),
            "It is sunny.",
        ),
        valves={"weather": {"unit": "F"}},
        user_valves={"weather": {"city_prefix": ">"}},
    ),
    TurnCase(
        "two_calls_one_round",
        ("weather",),
        (
            calls(
                tool_call("call_a", "get_weather", '{"city": "Oslo"}'),
                tool_call("call_b", "get_time", '{"zone": "CET"}'),
                content="Let me check.",
            ),
            "Oslo is cold.",
        ),
        system="You are a weather bot.",
    ),
    TurnCase(
        "two_rounds",
        ("weather",),
        (
            calls(tool_call("call_1", "get_weather", '{"city": "Rome"}')),
            calls(tool_call("call_2", "get_time", "{}")),
            "Rome, at noon.",
        ),
    ),
    TurnCase(
        "failing_and_unknown_calls",
        ("errors_status",),
        (
            calls(
                tool_call("call_1", "text", '{"value": "first"}'),
                tool_call("call_2", "boom", '{"message": "second fails"}'),
                tool_call("call_3", "nope", "{}"),
                tool_call("call_4", "text", "{broken"),
            ),
            "Some of that failed.",
        ),
    ),
    TurnCase(
        "clashing_names",
        ("clash_a", "clash_b"),
        (
            calls(
                tool_call("call_1", "search", '{"q": "g"}'),
                tool_call("call_2", "clash_b_search", '{"q": "g"}'),
            ),
            "Found both.",
        ),
    ),
    TurnCase(
        "images_go_to_the_model",
        ("files_images",),
        (calls(tool_call("call_1", "image", "{}"), tool_call("call_2", "data_in_list", "{}")), "A pixel."),
    ),
    TurnCase(
        "events_and_embeds",
        ("events", "html_embeds"),
        (
            calls(tool_call("call_1", "emit", "{}"), tool_call("call_2", "inline_with_context", "{}")),
            "Shown.",
        ),
        replies=[True],
    ),
    TurnCase(
        "concatenated_arguments_and_missing_id",
        ("basic_types",),
        (
            calls(
                tool_call(
                    None,
                    "describe",
                    '{"text": "a", "count": 1, "ratio": 1, "flag": true, "tags": [], "extra": {}}'
                    '{"text": "b", "count": 2, "ratio": 2, "flag": false, "tags": [], "extra": {}}',
                )
            ),
            "Two descriptions.",
        ),
    ),
    TurnCase("no_tool_call", ("weather",), ("No tools needed.",)),
    TurnCase("pipe_gets_the_tools", ("echo", "weather"), ("unused",), pipe="pipe_with_tools"),
]

# Pipes answering a turn with tools selected: they get the tools dict as __tools__.
PIPES = {
    "pipe_with_tools": '''"""
title: Pipe With Tools
"""


class Pipe:
    async def pipe(self, body: dict, __tools__: dict = None, __metadata__: dict = None) -> str:
        tools = __tools__ or {}
        entry = tools["echo"]
        answer = await entry["callable"](text="hi")
        return " | ".join(
            [
                f"tools={sorted(tools)}",
                f"keys={sorted(entry)}",
                f"metadata={entry['metadata']}",
                f"same={__metadata__.get('tools') is __tools__}",
                f"body={sorted(body)}",
                f"specs={[t['function']['name'] for t in body.get('tools', [])]}",
                f"echo={answer}",
            ]
        )
''',
}


def _unique(names: list[str]) -> None:
    assert len(names) == len(set(names)), sorted({n for n in names if names.count(n) > 1})


_unique([case.name for case in TOOL_CASES])
_unique([case.name for case in TURN_CASES])

# get_tools over several tools at once: name clashes across (and within) tools.
TOOL_GROUPS: list[tuple[str, ...]] = [
    ("clash_a", "clash_b"),
    ("clash_b", "clash_a"),
    ("clash_a", "clash_a"),
    ("dir_order", "clash_a", "weather"),
]

# Calls made again through ``runtime="open-webui==0.12.4"`` (a worker process of the release, from
# this environment): results, messages, statuses, events, files, embeds and errors cross back as the
# host made them.
WORKER_CASES = (
    "echo",
    "events_and_call_replied",
    "valves_invalid",
    "html_inline",
    "image_data_uri",
    "raises",
    "instance_lives_on",
)
