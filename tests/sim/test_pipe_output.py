"""Pipe output normalisation and the host's JSON text (orjson mode of 0.12.4)."""

from __future__ import annotations

import asyncio
import datetime
import json
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from actionkit.sim._host_json import host_dumps, host_loads
from actionkit.sim._pipe_output import (
    DONE,
    ChunkWriter,
    Ids,
    chunk_template,
    complete_output,
    completion_template,
    is_streaming_response,
    parse_chunks,
    stream_output,
    stream_text,
    streamed_text,
)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        pytest.param(
            {"a": [1, 2.5, None, True], "t": "é☃"},
            '{"a":[1,2.5,null,true],"t":"é☃"}',
            id="compact-and-raw-utf8",
        ),
        pytest.param(
            {"t": "a\u2028b\u2029c\x85"}, '{"t":"a\\u2028b\\u2029c\\u0085"}', id="escapes-line-separators"
        ),
        pytest.param(
            [
                float("nan"),
                datetime.datetime(2026, 1, 2, 3, 4, 5),
                uuid.UUID("12345678-1234-5678-1234-567812345678"),
            ],
            '[null,"2026-01-02T03:04:05","12345678-1234-5678-1234-567812345678"]',
            id="nan-as-null-and-dates-iso",
        ),
        pytest.param({1: "é"}, '{"1": "\\u00e9"}', id="stdlib-format-for-non-string-keys"),
    ],
)
def test_host_json_writes_what_the_host_writes(value: Any, text: str) -> None:
    assert host_dumps(value) == text


def test_chunk_template_matches_openai_chat_chunk_message_template() -> None:
    assert chunk_template("m", "hi", Ids()) == {
        "id": "m-00000000-0000-4000-8000-000000000000",
        "created": 1767225600,
        "model": "m",
        "choices": [{"index": 0, "logprobs": None, "finish_reason": None, "delta": {"content": "hi"}}],
        "object": "chat.completion.chunk",
    }
    empty = chunk_template("m", "", Ids())
    assert empty["choices"][0] == {"index": 0, "logprobs": None, "finish_reason": "stop", "delta": {}}


def test_completion_template_without_message_has_no_message_key() -> None:
    assert completion_template("m", None, Ids())["choices"] == [
        {"index": 0, "logprobs": None, "finish_reason": "stop"}
    ]


def test_fast_text_path_writes_the_same_line_as_the_general_one() -> None:
    fast: list[str] = []
    writer = ChunkWriter("m", Ids(), fast, None)
    for text in ["plain", 'quote " and \\ slash', "line\nbreak", "sep\u2028", "é☃", "\x00"]:
        writer.text(text)
        assert fast[-1] == f"data: {host_dumps(chunk_template('m', text, Ids()))}\n\n"


def test_bytes_and_data_lines_pass_through_process_line() -> None:
    out: list[str] = []
    writer = ChunkWriter("m", Ids(), out, None)
    writer.line(b"data: {}")
    writer.line("data: keep")
    assert out == ["data: {}\n\n", "data: keep\n\n"]


def _run(coro: Any) -> Any:
    return asyncio.run(coro)


def test_stream_output_of_an_async_generator_ends_with_finish_and_done() -> None:
    async def pipe() -> AsyncIterator[str]:
        yield "a"

    async def call() -> Any:
        return pipe()

    sink: list[str] = []
    assert _run(stream_output(call, "m", Ids(), sink)) is None
    assert sink[-1] == DONE
    assert json.loads(sink[-2][6:])["choices"][0]["finish_reason"] == "stop"


def test_stream_output_reports_an_exception_of_the_call_as_an_error_line() -> None:
    async def call() -> Any:
        raise ValueError("no")

    sink: list[str] = []
    error = _run(stream_output(call, "m", Ids(), sink))
    assert isinstance(error, ValueError)
    assert sink == ['data: {"error":{"detail":"no"}}\n\n']


def test_complete_output_joins_generators_with_str() -> None:
    def gen() -> Iterator[Any]:
        yield "a"
        yield 1

    result = _run(complete_output(gen(), "m", Ids()))
    assert result["choices"][0]["message"]["content"] == "a1"


def test_streaming_response_detection_is_by_class_name_and_body_iterator() -> None:
    class StreamingResponse:
        body_iterator: tuple[str, ...] = ()

    class Other:
        body_iterator: tuple[str, ...] = ()

    assert is_streaming_response(StreamingResponse())
    assert not is_streaming_response(Other())


def test_parse_chunks_skips_done_and_keeps_unparsable_payloads() -> None:
    lines = ['data: {"a":1}\n\n', "data: not json\n\n", DONE]
    assert parse_chunks(lines) == [{"a": 1}, "not json"]


def test_streamed_text_joins_deltas_and_finds_errors() -> None:
    objects = [
        chunk_template("m", "a", Ids()),
        chunk_template("m", "b", Ids()),
        {"error": {"detail": "x"}},
    ]
    assert streamed_text(objects) == ("ab", {"detail": "x"})


def test_host_loads_reads_what_host_dumps_wrote() -> None:
    value = {"k": ["é", 1, 2.5, None]}
    assert host_loads(host_dumps(value)) == value


def test_host_json_spells_floats_like_orjson() -> None:
    assert host_dumps([1e-7, 1e-5, 2.5e-5, 1e16, 0.1, -1e22]) == "[1e-7,0.00001,0.000025,1e+16,0.1,-1e+22]"


def _written(items: list[Any], finish: bool = True) -> tuple[list[str], list[str | None]]:
    sink: list[str] = []
    texts: list[str | None] = []
    writer = ChunkWriter("m", Ids(), sink, None, texts)
    for item in items:
        writer.line(item)
    if finish:
        writer.finish()
    return sink, texts


@pytest.mark.parametrize(
    "items",
    [
        pytest.param(["a", "b", "é☃", "line\nbreak", "sep\u2028", "\ud800"], id="plain-text"),
        pytest.param(["a", {"choices": [{"delta": {"content": "B"}}]}, "c"], id="dict-lines"),
        pytest.param(["a", 'data: {"error": {"detail": "x"}}', "b"], id="error-line"),
        pytest.param(["a", "data: not json", b"data: {}", "", "d"], id="unparsable-bytes-and-empty"),
        pytest.param(
            ['data: {"choices": [{"message": {"content": "M"}}]}', "z", {"error": "late"}],
            id="message-then-error",
        ),
    ],
)
def test_stream_text_reads_what_parsing_every_chunk_reads(items: list[Any]) -> None:
    sink, texts = _written(items)
    assert len(texts) == len(sink)
    assert stream_text(sink, texts) == streamed_text(parse_chunks(sink))


def test_stream_text_parses_every_line_when_the_texts_do_not_match_the_chunks() -> None:
    sink, texts = _written(["a", "b"])
    sink.insert(0, 'data: {"choices": [{"delta": {"content": "first "}}]}\n\n')
    assert stream_text(sink, texts) == ("first ab", None)
    assert stream_text(sink, None) == ("first ab", None)
