"""Which known host change explains how a run on one release differs from a run on another."""

from __future__ import annotations

import json
from typing import Any

import pytest

from actionkit.testing import compare


def _outcome(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "ok": True,
        "error": None,
        "timed_out": False,
        "result": None,
        "events": [],
        "event_calls": [],
        "chunks": [],
        "message": {"content": ""},
    }
    return {**base, **fields}


def _chunk(data: Any, compact: bool) -> str:
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False) if compact else json.dumps(data)
    return f"data: {text}\n\n"


def _content(text: str) -> dict[str, Any]:
    return {"id": "p-<uuid>", "choices": [{"index": 0, "finish_reason": None, "delta": {"content": text}}]}


FINISH = {"id": "p-<uuid>", "choices": [{"index": 0, "finish_reason": "stop", "delta": {}}]}


def _ids(comparison: Any) -> list[str]:
    return [e.change.id for e in comparison.explained]


def test_an_await_error_on_0_8_is_the_async_database_change() -> None:
    older = _outcome(ok=False, error="Error: object UserModel can't be used in 'await' expression")
    newer = _outcome(result={"name": "User"})
    comparison = compare(older, newer, "0.8.12", "0.12.4")
    assert _ids(comparison) == ["async-database"]
    assert comparison.explained[0].fields == ("ok", "error", "result")
    assert comparison.unexplained == ()
    assert comparison.explained[0].summary.startswith("0.9 made the database layer async")


def test_an_unawaited_coroutine_on_a_newer_release_is_the_same_change_seen_from_the_other_side() -> None:
    older = _outcome(result={"name": "User"})
    newer = _outcome(ok=False, error="'coroutine' object has no attribute 'name'")
    assert _ids(compare(older, newer, "0.8.12", "0.9.6")) == ["async-database"]


def test_a_change_outside_the_two_releases_explains_nothing() -> None:
    older = _outcome(ok=False, error="Error: object UserModel can't be used in 'await' expression")
    comparison = compare(older, _outcome(), "0.10.2", "0.12.4")
    assert comparison.explained == ()
    assert comparison.unexplained == ("ok", "error")


def test_the_same_chunks_in_other_json_text_are_the_compact_sse_change() -> None:
    data = [_content("héllo"), FINISH]
    older = _outcome(chunks=[_chunk(d, compact=False) for d in data] + ["data: [DONE]"])
    newer = _outcome(chunks=[_chunk(d, compact=True) for d in data] + ["data: [DONE]"])
    comparison = compare(older, newer, "0.11.4", "0.12.4")
    assert _ids(comparison) == ["compact-sse"]
    assert comparison.unexplained == ()


def test_a_stream_without_finish_and_done_on_0_8_is_the_stream_end_change() -> None:
    older = _outcome(chunks=[_chunk(_content("a"), compact=False)], result=[_content("a")])
    newer = _outcome(
        chunks=[_chunk(_content("a"), compact=True), _chunk(FINISH, compact=True), "data: [DONE]"],
        result=[_content("a"), FINISH],
    )
    comparison = compare(older, newer, "0.8.12", "0.12.4")
    assert sorted(_ids(comparison)) == ["compact-sse", "stream-end"]
    assert comparison.unexplained == ()


def test_other_chunks_are_not_explained_by_a_change_of_their_text() -> None:
    older = _outcome(chunks=[_chunk(_content("a"), compact=False)])
    newer = _outcome(chunks=[_chunk(_content("b"), compact=True)])
    assert compare(older, newer, "0.11.4", "0.12.4").unexplained == ("chunks",)


def test_an_unanswered_event_call_that_never_returns_on_0_8_is_the_event_call_change() -> None:
    older = _outcome(
        ok=False,
        timed_out=True,
        error="timed out after 60s",
        event_calls=[{"type": "input", "data": {}, "reply": None}],
    )
    newer = _outcome(
        event_calls=[{"type": "input", "data": {}, "reply": {"error": "Client session disconnected."}}]
    )
    assert _ids(compare(older, newer, "0.8.12", "0.9.6")) == ["event-call-without-browser"]


def test_a_request_hook_the_host_never_calls_is_named_by_its_warning() -> None:
    older = _outcome(result={"messages": []}, notes=["Open WebUI 0.10.2 never calls the request hook"])
    newer = _outcome(result={"messages": [], "seen": True})
    assert _ids(compare(older, newer, "0.10.2", "0.12.4")) == ["request-hook"]


@pytest.mark.parametrize(
    ("kind", "source", "files", "explained"),
    [
        ("pipe", "def pipe(self, body, __files__): ...", None, ["pipe-files"]),
        ("pipe", "def pipe(self, body, __files__): ...", [{"id": "f1"}], []),
        ("pipe", "def pipe(self, body): ...", None, []),
        ("action", "def action(self, body, __files__): ...", None, []),
    ],
)
def test_a_pipe_reading_files_in_a_chat_without_files_is_the_pipe_files_change(
    kind: str, source: str, files: Any, explained: list[str]
) -> None:
    older = _outcome(ok=False, error="'NoneType' object is not iterable")
    comparison = compare(older, _outcome(), "0.11.4", "0.12.4", kind=kind, source=source, files=files)
    assert _ids(comparison) == explained


def test_the_order_of_the_two_runs_does_not_matter() -> None:
    older = _outcome(ok=False, error="object UserModel can't be used in 'await' expression")
    assert _ids(compare(_outcome(), older, "0.12.4", "0.8.12")) == ["async-database"]


def test_equal_runs_have_nothing_to_explain() -> None:
    comparison = compare(_outcome(result=1), _outcome(result=1), "0.8.12", "0.12.4")
    assert comparison.same and comparison.explained == ()


def test_images_made_with_the_hosts_image_generations_before_0_11_are_the_image_records_change() -> None:
    source = "from open_webui.routers.images import image_generations\n"
    older = _outcome(result={"images": [{"url": "/api/v1/files/f/content"}], "image_error": "KeyError: 'id'"})
    newer = _outcome(result={"images": [{"id": "f", "url": "/api/v1/files/f/content"}]})
    assert _ids(compare(older, newer, "0.10.2", "0.12.4", kind="action", source=source)) == [
        "image-file-records"
    ]
    assert _ids(compare(older, newer, "0.11.4", "0.12.4", kind="action", source=source)) == []
    other = compare(older, newer, "0.10.2", "0.12.4", kind="action", source="class Action: ...")
    assert other.unexplained == ("result",)


def test_a_chat_finished_event_the_release_does_not_know_is_the_chat_finished_change() -> None:
    older = _outcome(ok=False, error="Unknown event: chat.finished")
    newer = _outcome(ok=False, error="got ['event'] for chat.finished")
    assert _ids(compare(older, newer, "0.10.2", "0.12.4")) == ["chat-finished-event"]
    assert compare(older, newer, "0.11.4", "0.12.4").unexplained == ("error",)


def test_an_unawaited_host_call_error_a_function_caught_and_returned_is_the_async_database_change() -> None:
    older = _outcome(result={"type": "UserModel"})
    newer = _outcome(
        result={"type": "coroutine", "name": "AttributeError: 'coroutine' object has no attribute 'name'"}
    )
    assert _ids(compare(older, newer, "0.8.12", "0.12.4")) == ["async-database"]


def test_images_all_stored_as_png_before_0_12_are_the_image_type_change() -> None:
    source = "from open_webui.routers.images import image_generations\n"
    older = _outcome(result={"images": [{"id": "f", "content_type": "image/png"}]})
    gif = _outcome(result={"images": [{"id": "f", "content_type": "image/gif"}]})
    refused = _outcome(result={"image_error": "HTTPException: 400: Something went wrong :/"})
    for newer in (gif, refused):
        assert _ids(compare(older, newer, "0.11.4", "0.12.4", kind="action", source=source)) == [
            "image-type-from-bytes"
        ]
    same_type = _outcome(result={"images": [{"id": "g", "content_type": "image/png"}]})
    assert compare(older, same_type, "0.11.4", "0.12.4", kind="action", source=source).unexplained == (
        "result",
    )
