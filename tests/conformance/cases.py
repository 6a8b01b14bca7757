"""The conformance corpus and the calls made on it.

Every ``corpus/*.py`` file (plus the sources in ``INLINE_SOURCES``, which cannot live in ``.py`` files)
is a function written for this suite. The corpus files are exact sources (frontmatter edge cases
depend on their first bytes): never run a formatter over them. For each one both runtimes report the load facts (outcome, type,
manifest, valves schemas, pipe models); each :class:`Case` then calls one function with the given
``simulate`` arguments in both runtimes. This module is plain data and is imported by both the real-side
runners (also inside a release's own environment) and the comparison tests.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from actionkit.standins import MockModel

CORPUS = Path(__file__).parent / "corpus"
# Functions written for a real Open WebUI (they import open_webui, aiohttp, markdown ...).
COMMUNITY = Path(__file__).parents[1] / "functions" / "community"

INLINE_SOURCES = {
    "syntax_error": '"""\ntitle: Syntax Error\n"""\n\n\nclass Action:\n    async def action(self, body)\n'
    "        return body\n",
    "indentation_error": '"""\ntitle: Indentation Error\n"""\n\nclass Action:\nasync def action(self):\n'
    "    return 1\n",
}


def community_sources() -> dict[str, str]:
    """``{function id: source}`` of the community functions (``tests/functions/community``)."""
    return {path.stem: path.read_text(encoding="utf-8") for path in sorted(COMMUNITY.glob("*.py"))}


def sources() -> dict[str, str]:
    """``{function id: source}`` of the whole corpus, community functions included."""
    found = {path.stem: path.read_text(encoding="utf-8") for path in sorted(CORPUS.glob("*.py"))}
    return {**found, **INLINE_SOURCES, **community_sources()}


# The local OpenAI-compatible server upstream_pipe talks to: one server per run, started before the
# real side runs and shared by both sides (its URL travels in this environment variable). Its replies
# depend only on the request, so the order of the two sides' requests does not matter.
UPSTREAM_ENV = "ACTIONKIT_CONFORMANCE_UPSTREAM"
UPSTREAM = "<upstream url>"  # in a case's kwargs: replaced by the server's URL when the case runs


def upstream_reply(body: dict[str, Any]) -> str:
    mode = "streamed" if body.get("stream") else "whole"
    asked = [m.get("content") for m in body.get("messages", []) if isinstance(m, dict)]
    return f"Upstream {mode} answer to {asked!r}"


def upstream_model() -> MockModel:
    return MockModel(upstream_reply, models=["gpt-4o"])


def _resolve(value: Any) -> Any:
    if value == UPSTREAM:
        url = os.environ.get(UPSTREAM_ENV)
        if not url:
            raise RuntimeError(f"{UPSTREAM_ENV} is not set: start upstream_model().serve() first")
        return url
    if isinstance(value, dict):
        return {key: _resolve(item) for key, item in value.items()}
    return value


def reply_by_kind(call: dict[str, Any]) -> Any:
    """A scripted browser: confirms, types a fixed text, runs code to 2, ignores unknown calls."""
    kind = call.get("type")
    if kind == "confirmation":
        return True
    if kind == "input":
        return "typed by callable"
    if kind == "execute":
        return 2
    return {"error": "Client session disconnected."}


@dataclass(frozen=True)
class Case:
    """One call: ``function`` (a corpus id) run with ``simulate`` keyword arguments ``kwargs``."""

    name: str
    function: str
    kwargs: dict[str, Any] = field(default_factory=dict)
    body: Any = None

    @property
    def function_id(self) -> str:
        """The id the function is stored under for this case (one per case: no shared state)."""
        return f"c_{self.name}"

    def arguments(self) -> dict[str, Any]:
        """``kwargs`` for this run (the upstream server's URL filled in)."""
        return _resolve(self.kwargs)


USER_MESSAGE_BODY = {"messages": [{"role": "user", "content": "Hi there"}]}
# A scripted model under an id of its own; the same reply to every request (no state between cases).
SCRIPTED = MockModel("One two three.", models=["scripted_model"])


def _pipe_cases(function: str) -> list[Case]:
    return [
        Case(f"{function}__non_stream", function, {"stream": False}),
        Case(f"{function}__stream", function, {"stream": True}),
    ]


CASES: list[Case] = [
    # Types and precedence
    Case("action_basic", "action_basic"),
    Case("action_basic_valves", "action_basic", {"valves": {"greeting": "hey"}}),
    Case("action_sync", "action_sync"),
    Case("precedence_pipe_over_action", "precedence_pipe_over_action"),
    Case("precedence_filter_over_action", "precedence_filter_over_action", {"hook": "inlet"}),
    # Frontmatter edge cases (the call shows the import rewriting; the facts show manifests)
    Case("frontmatter_full", "frontmatter_full"),
    Case("import_rewrite", "import_rewrite"),
    # Valves and user valves
    Case("valves_defaults_replace_init", "valves_reapplied"),
    Case("valves_stored", "valves_reapplied", {"valves": {"level": 5, "unknown": 1, "note": None}}),
    Case("valves_invalid", "valves_reapplied", {"valves": {"level": "not a number"}}),
    Case("valves_without_attribute", "valves_without_attribute", {"valves": {"level": 3}}),
    Case("valves_schema_call", "valves_schema", {"valves": {"required_text": "given"}}),
    Case("valves_schema_missing_required", "valves_schema"),
    Case("user_record_default", "user_record"),
    Case(
        "user_record_given",
        "user_record",
        {
            "user": {
                "id": "ada",
                "name": "Ada",
                "email": "ada@example.com",
                "role": "user",
                "bio": "maths",
                "timezone": "Europe/London",
                "info": {"team": "engines"},
            },
            "user_valves": {"theme": "light"},
        },
    ),
    Case("users_lookup_default", "users_lookup"),
    Case(
        "users_lookup_given",
        "users_lookup",
        {
            "user": {
                "id": "grace",
                "name": "Grace",
                "email": "Grace@Example.com",
                "role": "user",
                "bio": "navy",
            }
        },
    ),
    Case("user_valves_defaults", "user_valves_action"),
    Case("user_valves_given", "user_valves_action", {"user_valves": {"language": "fr"}}),
    Case("user_valves_invalid", "user_valves_action", {"user_valves": {"verbose": "maybe"}}),
    Case("user_valves_not_requested", "user_valves_not_requested", {"user_valves": {"language": "de"}}),
    Case("user_valves_filter_inlet", "user_valves_filter", {"hook": "inlet", "user_valves": {"shout": True}}),
    Case("user_valves_filter_outlet", "user_valves_filter", {"hook": "outlet", "valves": {"suffix": "?"}}),
    Case("user_valves_pipe", "user_valves_pipe", {"user_valves": {"times": 3}, "valves": {"prefix": "#"}}),
    # User valves saved before the code changed, which no longer validate
    Case(
        "user_valves_stale_filter", "user_valves_filter", {"hook": "inlet", "user_valves": {"shout": "loud"}}
    ),
    Case("user_valves_stale_pipe", "user_valves_pipe", {"user_valves": {"times": "many", "name": "Ada"}}),
    # Injected arguments per type and hook
    Case("args_action", "args_action"),
    Case("args_action_sub", "args_action", {"sub_id": "second"}),
    Case("args_action_kwargs", "args_action_kwargs"),
    Case("args_filter_inlet", "args_filter", {"hook": "inlet"}),
    Case("args_filter_request", "args_filter", {"hook": "request"}),
    Case("args_filter_stream", "args_filter", {"hook": "stream"}),
    Case("args_filter_outlet", "args_filter", {"hook": "outlet"}),
    Case(
        "args_action_non_admin", "args_action", {"user": {"id": "member", "name": "Member", "role": "user"}}
    ),
    Case("args_action_model_id", "args_action", {"model": "another-model"}),
    Case(
        "args_filter_inlet_files", "args_filter", {"hook": "inlet", "files": [{"type": "file", "id": "f2"}]}
    ),
    Case(
        "args_filter_outlet_metadata", "args_filter", {"hook": "outlet", "metadata": {"chat_id": "local:tmp"}}
    ),
    Case("args_pipe", "args_pipe"),
    Case("args_pipe_temporary_chat", "args_pipe", {"metadata": {"chat_id": "local:tmp"}}),
    Case("args_pipe_stream", "args_pipe", {"stream": True}),
    Case("args_pipe_task", "args_pipe", {"task": "title_generation"}),
    Case("args_pipe_files", "args_pipe", {"files": [{"type": "file", "id": "f1", "name": "a.txt"}]}),
    Case("args_pipe_user", "args_pipe", {"user": {"id": "someone", "name": "Someone", "role": "user"}}),
    # Sub-actions
    Case("sub_actions_main", "sub_actions"),
    Case("sub_actions_translate", "sub_actions", {"sub_id": "translate"}),
    Case("action_without_method", "action_without_method"),
    # Filter hooks
    Case("filter_edit_inlet", "filter_edit", {"hook": "inlet"}),
    Case("filter_edit_stream", "filter_edit", {"hook": "stream"}),
    Case("filter_edit_outlet", "filter_edit", {"hook": "outlet"}),
    Case("filter_returns_none_inlet", "filter_returns_none", {"hook": "inlet"}),
    Case("filter_returns_none_stream", "filter_returns_none", {"hook": "stream"}),
    Case(
        "filter_file_handler",
        "filter_file_handler",
        {"hook": "inlet"},
        body={
            "messages": [{"role": "user", "content": "see file"}],
            "files": [{"type": "file", "id": "f1", "name": "notes.txt"}],
            "metadata": {"files": [{"type": "file", "id": "f1"}], "chat_id": "x"},
        },
    ),
    Case("filter_missing_hook_inlet", "filter_missing_hook", {"hook": "inlet"}),
    Case("filter_toggle_inlet", "filter_toggle", {"hook": "inlet"}),
    Case("filter_stream_body", "filter_stream_body", {"hook": "stream"}),
    Case("filter_emits_inlet", "filter_sync_emitter", {"hook": "inlet", "replies": [False]}),
    Case("filter_emits_stream", "filter_sync_emitter", {"hook": "stream"}),
    Case("filter_emits_outlet", "filter_sync_emitter", {"hook": "outlet"}),
    Case("filter_raises_inlet", "filter_raises", {"hook": "inlet"}),
    Case("filter_raises_stream", "filter_raises", {"hook": "stream"}),
    Case("filter_raises_outlet", "filter_raises", {"hook": "outlet"}),
    # Pipe return types, both stream modes
    *_pipe_cases("pipe_str"),
    *_pipe_cases("pipe_async_str"),
    *_pipe_cases("pipe_dict"),
    *_pipe_cases("pipe_sync_generator"),
    *_pipe_cases("pipe_iterator"),
    *_pipe_cases("pipe_async_generator"),
    *_pipe_cases("pipe_pydantic"),
    *_pipe_cases("pipe_none"),
    *_pipe_cases("pipe_list"),
    *_pipe_cases("pipe_line_kinds"),
    *_pipe_cases("pipe_raises"),
    *_pipe_cases("pipe_generator_raises"),
    *_pipe_cases("pipe_unicode"),
    *_pipe_cases("pipe_streaming_response"),
    *_pipe_cases("pipe_emits"),
    *_pipe_cases("pipe_yields_int"),
    *_pipe_cases("pipe_bytes"),
    *_pipe_cases("pipe_returns_coroutine"),
    Case("pipe_emits_null_session", "pipe_emits", {"stream": True, "metadata": {"session_id": None}}),
    # A pipe asking the scripted model (llm=) through generate_chat_completion, whole and streamed
    Case("pipe_calls_model__non_stream", "pipe_calls_model", {"llm": SCRIPTED}),
    Case("pipe_calls_model__stream", "pipe_calls_model", {"llm": SCRIPTED, "stream": True}),
    # Manifolds
    Case("manifold_list_large", "manifold_list", {"sub_id": "large"}),
    Case("manifold_callable_beta", "manifold_callable", {"sub_id": "beta"}),
    Case("manifold_async_one", "manifold_async", {"stream": True, "sub_id": "one"}),
    Case(
        "manifold_body_model", "manifold_list", body={"model": "c_manifold_body_model.small", "messages": []}
    ),
    Case("manifold_empty", "manifold_empty"),
    Case("manifold_empty_sub_id", "manifold_empty", {"sub_id": "anything", "stream": True}),
    Case("manifold_pipes_raise_call", "manifold_pipes_raise"),
    # Every event type, and events from tasks
    Case("events_all_types", "events_all_types"),
    Case("events_from_task", "events_from_task"),
    Case("events_odd_data", "events_odd_data"),
    # Every event-call type
    Case(
        "calls_replies_list",
        "calls_all_types",
        {"replies": [True, "Ada", "s3cret", "y", {"result": 2}, "whatever"]},
    ),
    Case("calls_replies_callable", "calls_all_types", {"replies": reply_by_kind}),
    Case("calls_out_of_replies", "calls_all_types", {"replies": [False]}),
    Case("calls_no_replies", "calls_all_types"),
    Case("events_non_dict", "events_non_dict"),
    Case("events_unawaited_in_sync_action", "action_unawaited_emit"),
    Case("calls_non_dict_without_browser", "calls_non_dict"),
    Case("calls_non_dict_with_replies", "calls_non_dict", {"replies": [True]}),
    # Errors and exceptions
    Case("action_system_exit", "action_system_exit"),
    Case("action_stops_loop", "action_stops_loop"),
    Case("filter_raises_empty_message", "filter_raises_empty", {"hook": "inlet"}),
    Case("filter_stream_raw_line", "filter_edit", {"hook": "stream"}, body='data: {"raw": true}'),
    Case("action_raises", "action_raises"),
    Case("action_raises_keyerror", "action_raises_keyerror"),
    Case("action_timeout", "action_timeout", {"timeout": 0.5}),
    # Return values the host post-processes
    Case("action_html_inline", "action_html_embed"),
    Case("action_html_attachment", "action_html_embed", {"sub_id": "attachment"}),
    Case("action_html_context", "action_html_embed", {"sub_id": "with_context"}),
    Case("action_html_failed", "action_html_embed", {"sub_id": "failed"}),
    Case("action_tuple_inline", "action_tuple_embed"),
    Case("action_tuple_location", "action_tuple_embed", {"sub_id": "location"}),
    Case("action_tuple_plain", "action_tuple_embed", {"sub_id": "plain_tuple"}),
    Case("action_tuple_not_inline", "action_tuple_embed", {"sub_id": "not_inline"}),
    Case("action_returns_dict", "action_returns_object"),
    Case("action_returns_model", "action_returns_object", {"sub_id": "model"}),
    Case("action_returns_none", "action_returns_object", {"sub_id": "none"}),
    Case("action_returns_number", "action_returns_object", {"sub_id": "number"}),
    Case("action_mutates_body", "action_mutates_body", body=USER_MESSAGE_BODY),
    Case("action_custom_body", "action_basic", body={"messages": [{"role": "user", "content": "Custom"}]}),
    # Event functions: the payload build_event makes, the arguments dispatch_event_functions passes
    Case(
        "event_tool_created",
        "event_arguments",
        {
            "valves": {"tag": "stored"},
            "event": {
                "event": "tool.created",
                "subject": {"id": "some_tool"},
                "data": {
                    "name": "n",
                    "api_key": "sk-dropped",
                    "nested": {"access_token": "t", "ok": 1, "items": [{"secret": "s", "keep": 2}]},
                    "long": "a" * 1200,
                },
            },
        },
    ),
    Case("event_system_startup", "event_arguments", {"event": "system.startup.started"}),
    Case(
        "event_given_fields",
        "event_arguments",
        {
            "event": {
                "event": "chat.created",
                "actor": {
                    "id": "x",
                    "name": "X",
                    "email": "x@example.com",
                    "role": "user",
                    "api_key": "k",
                    "bio": "b",
                },
                "subject": {"type": "chat", "id": "c1"},
                "source": "admin",
                "message": "hello",
            }
        },
    ),
    Case(
        "event_user_actor",
        "event_arguments",
        {
            "event": "user.updated",
            "user": {"id": "ada", "name": "Ada", "email": "ada@example.com", "role": "user"},
        },
    ),
    Case(
        "event_subject_type_only",
        "event_arguments",
        {"event": {"event": "config.updated", "subject": {"type": "x"}}},
    ),
    Case("event_kwargs", "event_kwargs", {"event": "chat.finished"}),
    Case("event_returns_value", "event_quiet", {"event": "file.uploaded"}),
    Case("event_without_method", "event_without_method", {"event": "model.created"}),
]


TRANSCRIPT = [
    {"id": "m1", "role": "user", "content": "What is the capital of France?"},
    {"id": "m2", "role": "assistant", "content": "Paris."},
]
ADA = {"id": "ada", "name": "Ada", "email": "ada@example.com", "role": "admin"}
NOTES_FILE = {
    "type": "file",
    "id": "notes-file",
    "name": "notes.txt",
    "file": {"id": "notes-file", "filename": "notes.txt", "data": {"content": "hello world"}},
}
UPSTREAM_BODY = {
    "messages": [{"role": "system", "content": "Be terse."}, {"role": "user", "content": "Hi"}],
}

# The community functions: the same sources in both runtimes, the model scripted on both sides (in
# the real host a pipe registered under the model's id answers with the same MockModel).
COMMUNITY_CASES: list[Case] = [
    Case(
        "community_summarize_chat_model",
        "summarize_action",
        {"llm": ["The user asked for the capital of France."], "valves": {"max_words": 12}},
        body={"messages": TRANSCRIPT},
    ),
    Case(
        "community_summarize_valve_model",
        "summarize_action",
        {
            "llm": MockModel("Asked about France; answered Paris.", models=["scripted_model"]),
            "valves": {"model_id": "scripted_model"},
            "user": ADA,
        },
        body={"messages": TRANSCRIPT},
    ),
    Case(
        "community_summarize_unknown_model",
        "summarize_action",
        {"llm": ["never used"], "valves": {"model_id": "gpt-5"}},
        body={"messages": TRANSCRIPT},
    ),
    Case("community_user_context_default", "user_context_filter", {"hook": "inlet"}),
    Case(
        "community_user_context_given_user",
        "user_context_filter",
        {"hook": "inlet", "user": {**ADA, "role": "user"}, "valves": {"template": "Hi {name}, a {role}."}},
    ),
    Case(
        "community_user_context_hidden_name",
        "user_context_filter",
        {"hook": "inlet", "user": ADA, "user_valves": {"share_name": False}},
    ),
    Case(
        "community_upstream_whole",
        "upstream_pipe",
        {"valves": {"BASE_URL": UPSTREAM, "API_KEY": "sk-test", "SYSTEM_PREFIX": "[proxy] "}},
        body=UPSTREAM_BODY,
    ),
    Case(
        "community_upstream_stream",
        "upstream_pipe",
        {"stream": True, "valves": {"BASE_URL": UPSTREAM, "MODEL": "gpt-4o"}},
        body=UPSTREAM_BODY,
    ),
    Case(
        "community_upstream_unreachable",
        "upstream_pipe",
        {"valves": {"BASE_URL": "http://127.0.0.1:9/v1"}, "timeout": 20},
        body=UPSTREAM_BODY,
    ),
    Case("community_markdown_report", "markdown_report_action", body={"messages": [TRANSCRIPT[1]]}),
    Case(
        "community_markdown_report_time_zone",
        "markdown_report_action",
        {"valves": {"timezone": "Europe/Paris"}},
        body={"messages": [{"role": "assistant", "content": "# Title\n\nSome *text*."}]},
    ),
    Case(
        "community_chat_files",
        "chat_files_action",
        {"files": [NOTES_FILE]},
        body={"messages": [{**TRANSCRIPT[0], "files": [NOTES_FILE]}, TRANSCRIPT[1]]},
    ),
    Case("community_chat_files_no_files", "chat_files_action", body={"messages": TRANSCRIPT}),
    Case(
        "community_chat_files_temporary_chat",
        "chat_files_action",
        body={"messages": TRANSCRIPT, "chat_id": "local:temporary"},
    ),
    Case("community_needs_missing_package", "needs_missing_package_action"),
]

# A 1x1 GIF: an image reply the host's engine reads with Pillow, stored as generated-image.gif.
GIF = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
    b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)
PNG_URI = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="

# open_webui.main, open_webui.routers.images and open_webui.models.users.User (host_modules.py)
HOST_MODULE_CASES: list[Case] = [
    Case("host_modules_default", "host_modules", {"llm": SCRIPTED}),
    # A host database call without await: a plain coroutine, as in the host
    Case("host_call_without_await", "host_call_without_await", {"sub_id": "probe"}),
    Case("host_call_without_await_attribute", "host_call_without_await", {"sub_id": "attribute"}),
    Case("host_modules_stream", "host_modules", {"llm": SCRIPTED, "valves": {"stream": True}}),
    Case(
        "host_modules_non_admin",
        "host_modules",
        {
            "llm": SCRIPTED,
            "user": {"id": "member", "name": "Member", "email": "m@example.com", "role": "user"},
        },
    ),
    Case("host_modules_unknown_model", "host_modules", {"llm": SCRIPTED, "valves": {"model": "gpt-5"}}),
    Case(
        "host_modules_image_reply",
        "host_modules",
        {
            "llm": MockModel("Two.", models=["scripted_model"], image=GIF),
            "valves": {"images": 2, "image_size": "256x256"},
        },
    ),
    Case(
        "host_modules_image_data_uri",
        "host_modules",
        {"llm": MockModel("Two.", models=["scripted_model"], image=[PNG_URI])},
    ),
    Case(
        "host_modules_image_fails",
        "host_modules",
        {"llm": MockModel("Two.", models=["scripted_model"], image=RuntimeError("image backend down"))},
    ),
    Case(
        "host_modules_not_an_image",
        "host_modules",
        {"llm": MockModel("Two.", models=["scripted_model"], image=b"not an image")},
    ),
]
CASES.extend(COMMUNITY_CASES)
CASES.extend(HOST_MODULE_CASES)


def case_by_name() -> dict[str, Case]:
    return {case.name: case for case in CASES}
