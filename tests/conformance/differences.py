"""Deliberate differences between actionkit and open-webui 0.12.4, by case and field, known gaps,
and the differences of the older releases, by release and host change.

Every entry is explained in CONFORMANCE.md (a test checks that each one is listed there). Fields
listed here are left out of that case's comparison; everything else must match exactly. A known gap
is a difference actionkit should not have, left out of the comparison only until it is fixed.
"""

from __future__ import annotations

# case name -> {field: reason}
DELIBERATE: dict[str, dict[str, str]] = {}

# corpus function id -> {fact: reason}
FACT_DIFFERENCES: dict[str, dict[str, str]] = {}

# case name -> {field: what is wrong on the actionkit side}
KNOWN_GAPS: dict[str, dict[str, str]] = {}


# The case lists several releases share.
_JSON_DUMPS_STREAMS = (
    "community_upstream_stream",
    "manifold_async_one",
    "manifold_empty_sub_id",
    "pipe_async_generator__stream",
    "pipe_async_str__stream",
    "pipe_bytes__stream",
    "pipe_calls_model__stream",
    "pipe_dict__stream",
    "pipe_emits__stream",
    "pipe_emits_null_session",
    "pipe_generator_raises__stream",
    "pipe_iterator__stream",
    "pipe_line_kinds__stream",
    "pipe_list__stream",
    "pipe_none__stream",
    "pipe_pydantic__stream",
    "pipe_raises__stream",
    "pipe_returns_coroutine__stream",
    "pipe_str__stream",
    "pipe_sync_generator__stream",
    "pipe_unicode__stream",
    "pipe_yields_int__stream",
)

_PIPE_FILES = (
    "args_pipe",
    "args_pipe_stream",
    "args_pipe_task",
    "args_pipe_temporary_chat",
    "args_pipe_user",
)

_EVENT_CASES = (
    "event_given_fields",
    "event_kwargs",
    "event_returns_value",
    "event_subject_type_only",
    "event_system_startup",
    "event_tool_created",
    "event_user_actor",
    "event_without_method",
)

_IMAGE_URLS = (
    "host_modules_default",
    "host_modules_image_data_uri",
    "host_modules_image_reply",
    "host_modules_non_admin",
    "host_modules_not_an_image",
    "host_modules_stream",
    "host_modules_unknown_model",
)

# release -> {host change id (actionkit.releases.CHANGES) -> the cases it makes differ from 0.12.4}, as
# the conformance suite finds them (``actionkit.testing.compare`` names the change behind each
# difference). A release not listed here (one run on demand, ``make conformance RELEASES=0.10.1``) is
# held to the first half of the rule only: a difference no known change explains fails.
RELEASE_DIFFERENCES: dict[str, dict[str, tuple[str, ...]]] = {
    "0.8.12": {
        "async-database": (
            "community_chat_files",
            "community_chat_files_no_files",
            "community_chat_files_temporary_chat",
            "community_summarize_chat_model",
            "community_summarize_unknown_model",
            "community_summarize_valve_model",
            "community_user_context_default",
            "community_user_context_given_user",
            "community_user_context_hidden_name",
            "host_call_without_await",
            "host_call_without_await_attribute",
            "host_modules_default",
            "host_modules_image_data_uri",
            "host_modules_image_fails",
            "host_modules_image_reply",
            "host_modules_non_admin",
            "host_modules_not_an_image",
            "host_modules_stream",
            "host_modules_unknown_model",
            "pipe_calls_model__non_stream",
            "pipe_calls_model__stream",
            "users_lookup_default",
            "users_lookup_given",
        ),
        "request-hook": ("args_filter_request",),
        "pipe-files": _PIPE_FILES,
        "compact-sse": (
            "community_upstream_stream",
            "manifold_async_one",
            "manifold_empty_sub_id",
            "pipe_async_generator__stream",
            "pipe_async_str__stream",
            "pipe_dict__stream",
            "pipe_emits__stream",
            "pipe_emits_null_session",
            "pipe_generator_raises__stream",
            "pipe_iterator__stream",
            "pipe_line_kinds__stream",
            "pipe_raises__stream",
            "pipe_str__stream",
            "pipe_sync_generator__stream",
            "pipe_unicode__stream",
            "pipe_yields_int__stream",
        ),
        "stream-end": (
            "community_upstream_stream",
            "manifold_async_one",
            "pipe_async_generator__stream",
            "pipe_bytes__stream",
            "pipe_emits__stream",
            "pipe_emits_null_session",
            "pipe_iterator__stream",
            "pipe_list__stream",
            "pipe_none__stream",
            "pipe_pydantic__stream",
            "pipe_returns_coroutine__stream",
        ),
        "event-call-without-browser": (
            "calls_no_replies",
            "calls_non_dict_without_browser",
            "calls_out_of_replies",
        ),
        "event-functions": _EVENT_CASES,
    },
    "0.9.6": {
        "request-hook": ("args_filter_request",),
        "pipe-files": _PIPE_FILES,
        "compact-sse": _JSON_DUMPS_STREAMS,
        "event-functions": _EVENT_CASES,
        "image-file-records": _IMAGE_URLS,
    },
    "0.10.2": {
        "request-hook": ("args_filter_request",),
        "pipe-files": _PIPE_FILES,
        "compact-sse": _JSON_DUMPS_STREAMS,
        "image-file-records": _IMAGE_URLS,
        "chat-finished-event": ("event_kwargs",),
    },
    "0.11.4": {
        "pipe-files": _PIPE_FILES,
        "compact-sse": _JSON_DUMPS_STREAMS,
        "image-type-from-bytes": (
            "host_modules_image_reply",
            "host_modules_not_an_image",
        ),
    },
}


# release -> {host change id -> the corpus functions whose load facts it makes differ from 0.12.4}
RELEASE_FACT_DIFFERENCES: dict[str, dict[str, tuple[str, ...]]] = {
    release: {"event-functions": ("event_arguments", "event_kwargs", "event_quiet", "event_without_method")}
    for release in ("0.8.12", "0.9.6")
}


def release_fact_differences(release: str, function_id: str) -> set[str]:
    """The host changes listed as making ``function_id``'s load facts differ on ``release``."""
    return {c for c, ids in RELEASE_FACT_DIFFERENCES.get(release, {}).items() if function_id in ids}


def release_differences(release: str, case_name: str) -> set[str]:
    """The host changes listed as making ``case_name`` differ on ``release``."""
    return {change for change, cases in RELEASE_DIFFERENCES.get(release, {}).items() if case_name in cases}


def skipped_fields(case_name: str) -> dict[str, str]:
    """The fields left out of ``case_name``'s comparison (deliberate differences and known gaps)."""
    return {**DELIBERATE.get(case_name, {}), **KNOWN_GAPS.get(case_name, {})}


# tool id -> {fact: reason}; "load.line" leaves only the line of a load failure out.
TOOL_FACT_DIFFERENCES: dict[str, dict[str, str]] = {
    "unresolvable_annotation": {
        "load.line": "the host reports line 1 of the annotation text it evaluated; actionkit names no line"
    },
}

# turn case name -> {field: reason}
TOOL_TURN_DIFFERENCES: dict[str, dict[str, str]] = {}
