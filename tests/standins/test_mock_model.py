from __future__ import annotations

import asyncio
import json

import pytest
import requests

from actionkit.errors import MockModelError, SimulationError
from actionkit.host import FIXED_TIME as CREATED
from actionkit.standins import MockModel
from actionkit.standins import context as _sim_context

BODY = {"model": "gpt-test", "messages": [{"role": "user", "content": "Hello there model"}]}


def contents(chunks: list[dict]) -> list[str]:
    return [c["choices"][0]["delta"].get("content") for c in chunks if c["choices"]]


def test_fixed_reply_answers_every_request_with_a_chat_completion():
    model = MockModel("Hi!")
    first = model.complete(BODY)
    second = model.complete(BODY)
    assert first["object"] == "chat.completion"
    assert first["model"] == "gpt-test"
    assert first["choices"][0]["message"] == {"role": "assistant", "content": "Hi!"}
    assert first["choices"][0]["finish_reason"] == "stop"
    assert first["created"] == CREATED
    assert (first["id"], second["id"]) == ("chatcmpl-mock-1", "chatcmpl-mock-2")
    assert first["usage"] == {"prompt_tokens": 3, "completion_tokens": 1, "total_tokens": 4}


def test_scripted_replies_come_in_order_and_running_out_is_a_clear_error():
    model = MockModel(["one", "two"])
    assert model.complete(BODY)["choices"][0]["message"]["content"] == "one"
    assert model.complete(BODY)["choices"][0]["message"]["content"] == "two"
    with pytest.raises(MockModelError, match="no reply left for request 3 .*given 2 replies") as info:
        model.complete(BODY)
    assert isinstance(info.value, SimulationError)
    assert "cycle=True" in str(info.value)


def test_cycle_repeats_the_script():
    model = MockModel(["a", "b"], cycle=True)
    answers = [model.complete(BODY)["choices"][0]["message"]["content"] for _ in range(5)]
    assert answers == ["a", "b", "a", "b", "a"]


def test_default_reply_quotes_the_last_user_message():
    answer = MockModel().complete(BODY)
    assert answer["choices"][0]["message"]["content"] == "Mock reply to: Hello there model"


def test_reply_function_receives_the_request_and_may_be_async():
    seen = []

    def sync_reply(body):
        seen.append(body["messages"][-1]["content"])
        return body["messages"][-1]["content"].upper()

    async def async_reply(body):
        await asyncio.sleep(0)
        return {"content": None, "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "f"}}]}

    assert MockModel(sync_reply).complete(BODY)["choices"][0]["message"]["content"] == "HELLO THERE MODEL"
    assert seen == ["Hello there model"]
    answer = MockModel(async_reply).complete(BODY)
    assert answer["choices"][0]["finish_reason"] == "tool_calls"
    assert answer["choices"][0]["message"]["tool_calls"][0]["id"] == "c1"


def test_an_exception_in_the_script_is_raised_as_a_provider_failure():
    model = MockModel(["fine", ConnectionError("upstream down")])
    model.complete(BODY)
    with pytest.raises(ConnectionError, match="upstream down"):
        model.complete(BODY)


def test_whole_completion_dict_is_returned_unchanged():
    canned = {"id": "x", "object": "chat.completion", "choices": [{"message": {"content": "raw"}}]}
    assert MockModel([canned]).complete(BODY) == canned


def test_requests_are_recorded_as_copies():
    model = MockModel("ok")
    body = {"model": "m", "messages": [{"role": "user", "content": "first"}]}
    model.complete(body)
    body["messages"][0]["content"] = "changed"
    assert model.calls == [{"model": "m", "messages": [{"role": "user", "content": "first"}]}]
    model.reset()
    assert model.calls == []
    assert model.complete(body)["id"] == "chatcmpl-mock-1"


def test_streaming_splits_the_reply_into_word_chunks_with_role_and_finish_chunks():
    chunks = list(MockModel("Hello brave new world").stream({**BODY, "stream": True}))
    assert chunks[0]["choices"][0]["delta"] == {"role": "assistant", "content": ""}
    assert "".join(c or "" for c in contents(chunks)) == "Hello brave new world"
    assert contents(chunks)[1:-1] == ["Hello ", "brave ", "new ", "world"]
    assert chunks[-1]["choices"][0] == {"index": 0, "delta": {}, "logprobs": None, "finish_reason": "stop"}
    assert all(c["object"] == "chat.completion.chunk" and c["created"] == CREATED for c in chunks)


def test_a_list_reply_gives_the_exact_stream_chunks_and_usage_when_asked():
    body = {**BODY, "stream": True, "stream_options": {"include_usage": True}}
    chunks = list(MockModel([["Hel", "lo"]]).stream(body))
    assert contents(chunks) == ["", "Hel", "lo", None]
    assert chunks[-1]["choices"] == []
    assert chunks[-1]["usage"]["completion_tokens"] == 1


def test_sse_lines_end_with_done():
    async def collect():
        return [line async for line in MockModel("a b").asse(BODY)]

    lines = asyncio.run(collect())
    assert lines[-1] == b"data: [DONE]\n\n"
    first = json.loads(lines[0].decode()[len("data: ") :])
    assert first["choices"][0]["delta"]["role"] == "assistant"


def test_complete_works_inside_a_running_event_loop():
    async def inside():
        return MockModel("from a loop").complete(BODY)

    assert asyncio.run(inside())["choices"][0]["message"]["content"] == "from a loop"


def test_replies_of_the_wrong_kind_are_clear_errors():
    with pytest.raises(MockModelError, match="must be a string, a list of strings, a dict or an exception"):
        MockModel([42]).complete(BODY)
    with pytest.raises(MockModelError, match=r"unknown keys \['text'\]"):
        MockModel([{"text": "hi"}]).complete(BODY)
    with pytest.raises(MockModelError, match="must be a dict"):
        MockModel("x").complete(["not", "a", "dict"])  # type: ignore[arg-type]
    with pytest.raises(MockModelError, match="either replies or url"):
        MockModel("x", url="http://127.0.0.1:1/v1")


def test_coerce_accepts_models_strings_lists_and_callables():
    model = MockModel("x")
    assert MockModel.coerce(model) is model
    assert MockModel.coerce("y").complete(BODY)["choices"][0]["message"]["content"] == "y"
    assert MockModel.coerce(["z"]).complete(BODY)["choices"][0]["message"]["content"] == "z"
    assert MockModel.coerce(lambda body: "w").complete(BODY)["choices"][0]["message"]["content"] == "w"
    with pytest.raises(MockModelError, match="cannot use int as the mock model"):
        MockModel.coerce(3)


def test_repr_is_deterministic():
    assert repr(MockModel(["a", "b"], cycle=True)) == (
        "<MockModel 2 scripted replies, cycling, models=['gpt-4o-mini'], 0 calls>"
    )
    assert repr(MockModel()) == "<MockModel default reply, models=['gpt-4o-mini'], 0 calls>"


def test_use_makes_the_model_the_default_of_simulations_in_the_block():
    model = MockModel("scripted", models=["gpt-4o"])
    with model.use():
        ctx = _sim_context.build()
    assert ctx.llm is model
    assert "gpt-4o" in ctx.models
    assert ctx.models["gpt-4o"]["owned_by"] == "openai"
    assert _sim_context.build().llm is not model


def test_served_model_answers_openai_clients_over_http():
    model = MockModel(["served reply", "streamed reply"], models=["gpt-4o", "gpt-4o-mini"])
    with model.serve() as server:
        assert server.url.startswith("http://127.0.0.1:")
        listed = requests.get(f"{server.url}/models", timeout=5).json()
        assert [m["id"] for m in listed["data"]] == ["gpt-4o", "gpt-4o-mini"]
        answer = requests.post(f"{server.url}/chat/completions", json=BODY, timeout=5).json()
        assert answer["choices"][0]["message"]["content"] == "served reply"
        response = requests.post(
            f"{server.url}/chat/completions", json={**BODY, "stream": True}, stream=True, timeout=5
        )
        assert response.headers["Content-Type"] == "text/event-stream"
        lines = [line for line in response.iter_lines() if line]
        assert lines[-1] == b"data: [DONE]"
        chunks = [json.loads(line[len(b"data: ") :]) for line in lines[:-1]]
        assert "".join(c or "" for c in contents(chunks)) == "streamed reply"
        failed = requests.post(f"{server.url}/chat/completions", json=BODY, timeout=5)
        assert failed.status_code == 500
        assert "no reply left" in failed.json()["error"]["message"]
    assert len(model.calls) == 3


def test_url_mode_forwards_to_an_openai_compatible_server():
    upstream = MockModel(["from upstream", "streamed upstream"])
    with upstream.serve() as server:
        proxy = MockModel(url=server.url, api_key="sk-test", upstream_model="real-model")
        answer = proxy.complete(BODY)
        chunks = list(proxy.stream(BODY))
    assert answer["choices"][0]["message"]["content"] == "from upstream"
    assert "".join(c or "" for c in contents(chunks)) == "streamed upstream"
    assert [call["model"] for call in upstream.calls] == ["real-model", "real-model"]
    assert [call["stream"] for call in upstream.calls] == [False, True]
    assert proxy.calls[0]["model"] == "gpt-test"


def test_url_mode_reports_an_unreachable_server_clearly():
    with MockModel("x").serve() as server:
        url = server.url
    with pytest.raises(MockModelError, match=f"the model server at {url} failed"):
        MockModel(url=url, timeout=2).complete(BODY)
