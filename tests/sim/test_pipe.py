"""Pipes run like functions.py::generate_function_chat_completion in 0.12.4 (checked against the
real package: chunk text, finish chunk and [DONE], errors)."""

from __future__ import annotations

import json
import re

import pytest

import actionkit
from actionkit import SimulationError
from actionkit.runtimes import simulate

FIXED = '"id":"pp-00000000-0000-4000-8000-000000000000","created":1767225600,"model":"pp"'
FINISH = (
    f'data: {{{FIXED},"choices":[{{"index":0,"logprobs":null,"finish_reason":"stop","delta":{{}}}}],'
    '"object":"chat.completion.chunk"}\n\n'
)
DONE = "data: [DONE]"


def chunk(text: str) -> str:
    return (
        f'data: {{{FIXED},"choices":[{{"index":0,"logprobs":null,"finish_reason":null,'
        f'"delta":{{"content":{json.dumps(text, ensure_ascii=False)}}}}}],"object":"chat.completion.chunk"}}\n\n'
    )


def pipe(body: str, prelude: str = "") -> actionkit.Function:
    return actionkit.load(f"{prelude}\nfrom pydantic import BaseModel\nclass Pipe:\n{body}", id="pp")


STR = "    def pipe(self, body):\n        return 'héllo'\n"
EMPTY = "    def pipe(self, body):\n        return ''\n"
DICT = "    def pipe(self, body):\n        return {'a': 1, 'b': [1.5, None, 'é']}\n"
GEN = (
    "    def pipe(self, body):\n        yield 'a'\n        yield ''\n        yield {'x': 1}\n"
    "        yield b'bytes'\n        yield 'data: raw'\n"
)
AGEN = "    async def pipe(self, body):\n        yield 'a'\n        yield 'b'\n"
ITER = "    def pipe(self, body):\n        return iter(['x', 'y'])\n"
LIST = "    def pipe(self, body):\n        return ['x', 'y']\n"
NONE = "    def pipe(self, body):\n        return None\n"
MODEL = "    class M(BaseModel):\n        v: int = 3\n    def pipe(self, body):\n        return self.M()\n"
GENMODEL = "    class M(BaseModel):\n        v: int = 3\n    def pipe(self, body):\n        yield self.M()\n"
RAISE = "    def pipe(self, body):\n        raise ValueError('boom')\n"
GENRAISE = "    def pipe(self, body):\n        yield 'a'\n        raise ValueError('mid')\n"
ASYNCSTR = "    async def pipe(self, body):\n        return 'x'\n"


@pytest.mark.parametrize(
    ("source", "chunks"),
    [
        (STR, [chunk("héllo"), FINISH, DONE]),
        (EMPTY, [FINISH, FINISH, DONE]),
        (DICT, ['data: {"a":1,"b":[1.5,null,"é"]}\n\n']),
        (GEN, [chunk("a"), FINISH, 'data: {"x":1}\n\n', chunk("bytes"), "data: raw\n\n", FINISH, DONE]),
        (AGEN, [chunk("a"), chunk("b"), FINISH, DONE]),
        (ITER, [chunk("x"), chunk("y"), FINISH, DONE]),
        (LIST, [FINISH, DONE]),
        (NONE, [FINISH, DONE]),
        (MODEL, [FINISH, DONE]),
        (GENMODEL, ['data: {"v":3}\n\n', FINISH, DONE]),
        (RAISE, ['data: {"error":{"detail":"boom"}}\n\n']),
        (ASYNCSTR, [chunk("x"), FINISH, DONE]),
    ],
    ids=[
        "str",
        "empty",
        "dict",
        "generator",
        "async-generator",
        "iterator",
        "list",
        "none",
        "model",
        "generator-of-models",
        "raises",
        "async-str",
    ],
)
def test_streaming_pipe_yields_the_hosts_sse_lines(source: str, chunks: list[str]) -> None:
    sim = simulate(pipe(source), stream=True)
    assert sim.chunks == chunks


@pytest.mark.parametrize(
    ("source", "content"),
    [(STR, "héllo"), (EMPTY, ""), (GEN, "a{'x': 1}b'bytes'data: raw"), (AGEN, "ab"), (ASYNCSTR, "x")],
    ids=["str", "empty", "generator", "async-generator", "async-str"],
)
def test_non_streaming_pipe_returns_a_chat_completion(source: str, content: str) -> None:
    sim = simulate(pipe(source))
    assert sim.result == {
        "id": "pp-00000000-0000-4000-8000-000000000000",
        "created": 1767225600,
        "model": "pp",
        "choices": [
            {
                "index": 0,
                "logprobs": None,
                "finish_reason": "stop",
                "message": {"role": "assistant", "content": content},
            }
        ],
        "object": "chat.completion",
    }
    assert sim.content == content


@pytest.mark.parametrize("source", [ITER, LIST, NONE], ids=["iterator", "list", "none"])
def test_non_streaming_pipe_with_unsupported_value_has_no_message(source: str) -> None:
    sim = simulate(pipe(source))
    assert sim.result["choices"] == [{"index": 0, "logprobs": None, "finish_reason": "stop"}]
    assert sim.content == ""


def test_non_streaming_dict_and_model_are_returned_as_they_are() -> None:
    assert simulate(pipe(DICT)).result == {"a": 1, "b": [1.5, None, "é"]}
    assert simulate(pipe(MODEL)).result == {"v": 3}


def test_pipe_exception_is_the_hosts_error_object() -> None:
    sim = simulate(pipe(RAISE))
    assert sim.result == {"error": {"detail": "boom"}}
    assert not sim.ok and sim.error == "boom"
    assert sim.message["error"] == {"content": "boom"}


def test_exception_while_streaming_breaks_the_stream_after_the_chunks_sent() -> None:
    sim = simulate(pipe(GENRAISE), stream=True)
    assert sim.chunks == [chunk("a")]
    assert sim.error == "mid"
    assert sim.content == "a"
    assert any("stream broke" in w for w in sim.warnings)


def test_generator_yielding_a_non_string_breaks_the_stream_like_the_host() -> None:
    sim = simulate(pipe("    def pipe(self, body):\n        yield 'a'\n        yield 5\n"), stream=True)
    assert sim.chunks == [chunk("a")]
    assert sim.error == "'int' object has no attribute 'startswith'"


def test_streaming_response_is_passed_through() -> None:
    src = (
        "    def pipe(self, body):\n        from starlette.responses import StreamingResponse\n"
        "        async def gen():\n            yield 'data: 1\\n\\n'\n            yield b'data: 2\\n\\n'\n"
        "        return StreamingResponse(gen())\n"
    )
    sim = simulate(pipe(src), stream=True)
    assert sim.chunks == ["data: 1\n\n", "data: 2\n\n"]
    assert sim.result == [1, 2]


def test_streaming_response_is_recognised_without_starlette() -> None:
    prelude = "class StreamingResponse:\n    def __init__(self, it):\n        self.body_iterator = it\n"
    src = "    def pipe(self, body):\n        return StreamingResponse(iter(['data: {\"a\": 1}\\n\\n']))\n"
    sim = simulate(pipe(src, prelude), stream=True)
    assert sim.chunks == ['data: {"a": 1}\n\n']


def test_streamed_result_is_the_list_of_chunk_objects() -> None:
    sim = simulate(pipe(AGEN), stream=True)
    assert [c["choices"][0]["delta"].get("content") for c in sim.result] == ["a", "b", None]
    assert sim.content == "ab"


def test_body_stream_true_also_streams() -> None:
    sim = simulate(pipe(AGEN), {"messages": [{"role": "user", "content": "x"}], "stream": True})
    assert sim.stream and sim.chunks[-1] == DONE


def test_real_ids_use_uuid_and_clock() -> None:
    sim = simulate(pipe(STR), stream=True, real_ids=True)
    first = json.loads(sim.chunks[0][6:])
    assert re.fullmatch(
        r"pp-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", first["id"]
    )
    assert first["created"] != 1767225600


def test_chunk_with_event_key_is_emitted_by_the_host() -> None:
    src = (
        "    def pipe(self, body):\n"
        "        yield {'event': {'type': 'status', 'data': {'description': 'thinking', 'done': False}}}\n"
        "        yield 'answer'\n"
    )
    sim = simulate(pipe(src), stream=True)
    assert sim.events == [{"type": "status", "data": {"description": "thinking", "done": False}}]
    assert sim.message["statusHistory"] == [{"description": "thinking", "done": False}]
    assert sim.content == "answer"


PIPE_ARGS = """
class Pipe:
    async def pipe(self, body, __user__=None, __event_emitter__=None, __event_call__=None,
                   __chat_id__=None, __session_id__=None, __message_id__=None, __task__=None,
                   __task_body__=None, __files__=None, __metadata__=None, __oauth_token__='-',
                   __request__=None, __tools__=None, __model__='-', __id__='-'):
        return {
            "emitter": __event_emitter__ is not None, "caller": __event_call__ is not None,
            "chat": __chat_id__, "session": __session_id__, "message": __message_id__,
            "task": __task__, "task_body": __task_body__, "files": __files__,
            "metadata_task": __metadata__.get("task"), "oauth": __oauth_token__,
            "request": __request__.url.path, "tools": __tools__, "model": __model__, "id": __id__,
            "body_keys": sorted(body), "user_keys": len(__user__),
        }
"""


def test_pipe_receives_the_offered_arguments_and_not___model___or___id__() -> None:
    sim = simulate(actionkit.load(PIPE_ARGS, id="args"), files=[{"id": "f"}])
    result = sim.result
    assert result["emitter"] and result["caller"]
    assert result["chat"] == "00000000-0000-4000-8000-00000000c4a7"
    assert result["session"] == "actionkit-session"
    assert result["message"] == "00000000-0000-4000-8000-0000000000a2"
    assert result["task"] is None and result["task_body"] is None
    assert result["files"] == [{"id": "f"}]
    assert result["oauth"] is None
    assert result["request"] == "/api/chat/completions"
    assert result["tools"] == {}
    assert result["model"] == "-" and result["id"] == "-"
    assert result["body_keys"] == ["messages", "model", "stream"]
    assert result["user_keys"] == 22
    assert any("__model__" in w for w in sim.warnings) and any("__id__" in w for w in sim.warnings)


def test_background_task_sets___task___and___task_body__() -> None:
    sim = simulate(actionkit.load(PIPE_ARGS, id="args"), task="title_generation")
    assert sim.result["task"] == "title_generation"
    assert sim.result["metadata_task"] == "title_generation"
    assert sim.result["task_body"]["model"] == "args"


def test_unknown_task_name_warns_with_a_suggestion() -> None:
    sim = simulate(actionkit.load(PIPE_ARGS, id="args"), task="title_generaton")
    assert any("did you mean 'title_generation'" in w for w in sim.warnings)


def test_task_for_an_action_is_rejected() -> None:
    with pytest.raises(SimulationError):
        simulate(
            actionkit.load("class Action:\n    def action(self, body):\n        pass\n", id="a"), task="x"
        )


def test_pipe_user_valves_fall_back_to_defaults_and_admin_valves_strip_none() -> None:
    src = (
        "from pydantic import BaseModel\nclass Pipe:\n"
        "    class Valves(BaseModel):\n        key: str = 'k'\n"
        "    class UserValves(BaseModel):\n        n: int = 1\n"
        "    def __init__(self):\n        self.valves = self.Valves(key='init')\n"
        "    def pipe(self, body, __user__):\n        return f\"{self.valves.key}-{__user__['valves'].n}\"\n"
    )
    fn = actionkit.load(src, id="vp")
    assert simulate(fn).content == "k-1"
    assert simulate(fn, valves={"key": "set"}, user_valves={"n": 4}).content == "set-4"


MANIFOLD_LIST = (
    "class Pipe:\n    def __init__(self):\n        self.name = 'Pre/'\n        self.pipes = [{'id': 'a', 'name': 'A'}, {'id': 'b', 'name': 'B'}]\n"
    "    def pipe(self, body):\n        return body['model']\n"
)
MANIFOLD_FUNC = (
    "class Pipe:\n    def pipes(self):\n        return [{'id': 'a', 'name': 'A'}, {'id': 'b', 'name': 'B'}]\n"
    "    def pipe(self, body):\n        return body['model']\n"
)
MANIFOLD_ASYNC = (
    "class Pipe:\n    async def pipes(self):\n        return [{'id': 'a', 'name': 'A'}, {'id': 'b', 'name': 'B'}]\n"
    "    def pipe(self, body):\n        return body['model']\n"
)


@pytest.mark.parametrize(
    "source", [MANIFOLD_LIST, MANIFOLD_FUNC, MANIFOLD_ASYNC], ids=["list", "function", "coroutine"]
)
def test_manifold_sub_model_is_selected_by_sub_id_or_body_model(source: str) -> None:
    fn = actionkit.load(source, id="mf")
    assert simulate(fn, sub_id="b").content == "mf.b"
    assert simulate(fn, {"model": "mf.b", "messages": []}).content == "mf.b"
    assert simulate(fn).content == "mf.a"


def test_manifold_model_name_is_prefixed_with_the_pipe_name() -> None:
    src = MANIFOLD_LIST.replace("return body['model']", "return __metadata__['model']['name']").replace(
        "def pipe(self, body)", "def pipe(self, body, __metadata__)"
    )
    assert simulate(actionkit.load(src, id="mf"), sub_id="b").content == "Pre/B"


def test_unlisted_manifold_model_is_a_clear_error() -> None:
    with pytest.raises(SimulationError) as info:
        simulate(actionkit.load(MANIFOLD_FUNC, id="mf"), sub_id="c")
    assert "mf.a, mf.b" in str(info.value)


def test_manifold_whose_pipes_fail_lists_nothing_but_runs_with_its_base_id_like_the_host() -> None:
    src = (
        "class Pipe:\n    def pipes(self):\n        raise RuntimeError('down')\n"
        "    def pipe(self, body):\n        return body['model']\n"
    )
    sim = simulate(actionkit.load(src, id="mf"))
    assert sim.ok and sim.content == "mf"
    assert any("mf lists no models (pipes raised RuntimeError: down)" in w for w in sim.warnings)


@pytest.mark.parametrize(
    ("kwargs", "model"),
    [
        ({}, "mf"),
        ({"sub_id": "anything"}, "mf.anything"),
        ({"body": {"model": "mf.x", "messages": []}}, "mf.x"),
    ],
    ids=["base", "sub_id", "body_model"],
)
def test_empty_manifold_runs_the_pipe_with_the_model_id_as_called(kwargs: dict, model: str) -> None:
    src = "class Pipe:\n    def __init__(self):\n        self.pipes = []\n    def pipe(self, body):\n        return body['model']\n"
    sim = simulate(actionkit.load(src, id="mf"), **kwargs)
    assert sim.ok and sim.content == model
    assert any("no chat can select it" in w and repr(model) in w for w in sim.warnings)


def test_sub_id_for_a_single_pipe_is_rejected() -> None:
    with pytest.raises(SimulationError):
        simulate(pipe(STR), sub_id="x")


def test_body_model_of_another_model_is_replaced_with_a_warning() -> None:
    src = "    def pipe(self, body):\n        return body['model']\n"
    sim = simulate(pipe(src), {"model": "gpt-4", "messages": []})
    assert sim.content == "pp"
    assert any("gpt-4" in w for w in sim.warnings)


def test_pipe_without_messages_is_rejected() -> None:
    with pytest.raises(SimulationError):
        simulate(pipe(STR), {"model": "pp"})


def test_pipe_message_events_are_overwritten_by_streamed_output() -> None:
    src = (
        "    async def pipe(self, body, __event_emitter__):\n"
        "        await __event_emitter__({'type': 'message', 'data': {'content': 'early '}})\n"
        "        yield 'streamed'\n"
    )
    sim = simulate(pipe(src), stream=True)
    assert sim.content == "streamed"
    assert any("overwritten" in w for w in sim.warnings)
