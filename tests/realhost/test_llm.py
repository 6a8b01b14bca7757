"""The scripted model of the real-runtime mode, in the parts that need no open-webui: which mock
model a run uses, the model registry the host gets, and that the model's own failures are not taken
for the function's. Runs through the real package are in tests/conformance (``community_*`` cases)."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest

from actionkit import MockModel
from actionkit.errors import SimulationError
from actionkit.realhost._events import HostErrorLog, Recorder, current_recorder
from actionkit.realhost._llm import (
    PIPE_MARK,
    SCRIPTED_MODEL_SOURCE,
    answer,
    current_llm,
    model_registry,
    scripted_model,
)

CHAT_MODEL = {"id": "gpt-4o-mini", "name": "gpt-4o-mini", "owned_by": "openai", "actions": []}


def test_scripted_model_is_llm_coerced_or_the_one_a_use_block_set() -> None:
    given = scripted_model(["first", "second"])
    assert isinstance(given, MockModel) and given.models == ["gpt-4o-mini"]
    model = MockModel("hi", models=["scripted_model"])
    assert scripted_model(model) is model
    assert scripted_model(None) is None
    with model.use():
        assert scripted_model(None) is model
        assert scripted_model(["own"]) is not model


def test_scripted_model_refuses_what_cannot_be_a_mock_model() -> None:
    with pytest.raises(SimulationError, match="cannot use int as the mock model"):
        scripted_model(3)


def test_model_registry_marks_scripted_models_as_pipes_and_keeps_the_chat_model_as_given() -> None:
    llm = MockModel("hi", models=["scripted_model"])
    registry = model_registry(llm, ["scripted_model"], CHAT_MODEL)
    assert registry["gpt-4o-mini"] == CHAT_MODEL
    assert registry["scripted_model"]["pipe"] == PIPE_MARK
    assert registry["scripted_model"]["id"] == "scripted_model"


def test_model_registry_marks_the_chat_model_when_the_scripted_model_answers_for_it() -> None:
    llm = MockModel("hi")
    registry = model_registry(llm, ["gpt-4o-mini"], CHAT_MODEL)
    assert registry == {"gpt-4o-mini": {**CHAT_MODEL, "pipe": PIPE_MARK}}
    assert "pipe" not in CHAT_MODEL


def test_model_registry_without_scripted_model_holds_only_the_chat_model() -> None:
    assert model_registry(None, [], CHAT_MODEL) == {"gpt-4o-mini": CHAT_MODEL}


def test_the_scripted_pipe_source_loads_as_a_pipe_answering_with_the_runs_model() -> None:
    import actionkit

    fn = actionkit.load(SCRIPTED_MODEL_SOURCE, id="scripted_model")
    assert fn.type == "pipe"
    llm = MockModel(["From the pipe."])
    body = {"model": "scripted_model", "messages": [], "stream": False}

    async def run() -> Any:
        token = current_llm.set(llm)
        try:
            return await fn.instance.pipe(body)
        finally:
            current_llm.reset(token)

    assert asyncio.run(run())["choices"][0]["message"]["content"] == "From the pipe."


def _answer_in_run(llm: MockModel | None, body: dict[str, Any], recorder: Recorder) -> Any:
    async def run() -> Any:
        recorder_token = current_recorder.set(recorder)
        llm_token = current_llm.set(llm)
        try:
            return await answer(body)
        finally:
            current_llm.reset(llm_token)
            current_recorder.reset(recorder_token)

    return asyncio.run(run())


def test_answer_is_the_mock_models_chat_completion_for_the_request() -> None:
    llm = MockModel(["Scripted."])
    body = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hi"}], "stream": False}
    completion = _answer_in_run(llm, body, Recorder())
    assert completion["choices"][0]["message"] == {"role": "assistant", "content": "Scripted."}
    assert completion["model"] == "gpt-4o-mini"
    assert llm.calls == [body]


def test_a_failing_scripted_model_is_not_reported_as_the_functions_error() -> None:
    recorder = Recorder()
    body = {"model": "gpt-4o-mini", "messages": [], "stream": False}
    with pytest.raises(SimulationError, match="no reply left"):
        _answer_in_run(MockModel([]), body, recorder)
    assert recorder.model_errors == 1

    handler = HostErrorLog()

    def log_in_run(message: str) -> None:
        token = current_recorder.set(recorder)
        try:
            record = logging.LogRecord(
                "open_webui.functions", logging.ERROR, __file__, 1, message, None, None
            )
            handler.emit(record)
        finally:
            current_recorder.reset(token)

    log_in_run("Error: the mock model has no reply left for request 1")
    assert recorder.host_errors == [] and recorder.model_errors == 0
    log_in_run("Error: the pipe under test failed")
    assert recorder.host_errors == ["the pipe under test failed"]


def test_answer_without_a_scripted_model_says_so() -> None:
    with pytest.raises(RuntimeError, match="no llm= is set for this run"):
        _answer_in_run(None, {"model": "m", "messages": []}, Recorder())
