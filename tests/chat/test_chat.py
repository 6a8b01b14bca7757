from __future__ import annotations

from collections.abc import Iterator

import pytest

import actionkit
import actionkit.standins as standins
from actionkit import Chat, MockModel
from actionkit.errors import SimulationError
from actionkit.store import Store

TAGGING_FILTER = """
from pydantic import BaseModel

class Filter:
    class Valves(BaseModel):
        priority: int = 0
        tag: str = "{tag}"

    def __init__(self):
        self.valves = self.Valves()

    def inlet(self, body):
        body["messages"][-1]["content"] += " [" + self.valves.tag + "]"
        return body
"""

TOGGLE_FILTER = """
class Filter:
    def __init__(self):
        self.toggle = True

    def inlet(self, body):
        body["messages"][-1]["content"] += " [toggle]"
        return body
"""

STREAM_FILTER = """
class Filter:
    def stream(self, event):
        delta = event["choices"][0]["delta"]
        text = delta.get("content") or ""
        if text.strip() == "drop":
            return None
        if text.strip() == "boom":
            raise ValueError("cannot take it")
        delta["content"] = text.upper() if text else text
        return event
"""

OUTLET_FILTERS = {
    "a_outlet": """
class Filter:
    async def outlet(self, body, __event_emitter__=None):
        await __event_emitter__({"type": "status", "data": {"description": "checked", "done": True}})
        body["messages"][-1]["content"] += " (checked)"
        return body
""",
    "b_outlet": """
class Filter:
    def outlet(self, body):
        raise RuntimeError("outlet broke")
""",
    "c_outlet": """
class Filter:
    def outlet(self, body):
        body["messages"][-1]["content"] = "never"
        return body
""",
}

ECHO_PIPE = """
class Pipe:
    def pipe(self, body):
        for word in ["keep ", "drop ", "boom ", "end"]:
            yield word
"""

FAILING_INLET = """
class Filter:
    def inlet(self, body):
        raise ValueError("not allowed")
"""

ACTION = """
class Action:
    actions = [{"id": "short", "name": "Shorten"}]

    async def action(self, body, __id__=None, __event_emitter__=None):
        await __event_emitter__({"type": "status", "data": {"description": "acting " + __id__, "done": True}})
        last = body["messages"][-1]
        return {"messages": [{"id": last["id"], "content": last["content"][:5]}], "seen": body}
"""


def load(source: str, id: str):
    return actionkit.load(source, id=id)


def test_inlet_filters_run_in_priority_then_id_order_and_each_result_feeds_the_next(tmp_path):
    store = Store(str(tmp_path / "s.db"))
    first = load(TAGGING_FILTER.replace("{tag}", "z"), "zeta")
    second = load(TAGGING_FILTER.replace("{tag}", "a"), "alpha")
    third = load(TAGGING_FILTER.replace("{tag}", "s"), "stored")
    store.save(third)
    store.set_valves("stored", {"priority": -1})
    model = MockModel("ok")
    chat = Chat(filters=[first, second, third], valves={"zeta": {"priority": 0}}, llm=model, store=store)
    assert chat.filter_order == ["stored", "alpha", "zeta"]
    turn = chat.send("hi")
    assert model.calls[0]["messages"] == [{"role": "user", "content": "hi [s] [a] [z]"}]
    assert [s.function_id for s in turn.steps] == ["stored", "alpha", "zeta", None]
    assert turn.content == "ok" and turn.ok


def test_toggle_filters_run_only_when_switched_on():
    toggle = load(TOGGLE_FILTER, "toggler")
    off = Chat(filters=[toggle], llm=MockModel("x"))
    turn = off.send("hi")
    assert off.llm.calls[0]["messages"][-1]["content"] == "hi"
    assert turn.steps[0].skipped == "toggle filter not switched on (add its id to filter_ids)"
    on = Chat(filters=[toggle], filter_ids=["toggler"], llm=MockModel("x"))
    on.send("hi")
    assert on.llm.calls[0]["messages"][-1]["content"] == "hi [toggle]"
    assert on.model["filters"][0]["id"] == "toggler"


def test_stream_hooks_see_every_chunk_and_may_change_drop_or_fail_on_it():
    chat = Chat(load(ECHO_PIPE, "echo"), filters=[load(STREAM_FILTER, "shout")])
    turn = chat.send("hi")
    step = turn.step("stream", "shout")
    assert len(step.simulations) == 5  # four words and the finish chunk
    assert step.dropped == 2
    assert turn.content == "KEEP END"
    assert step.ok
    assert len(step.errors) == 1 and "cannot take it" in step.errors[0]


def test_without_streaming_the_stream_hooks_do_not_run():
    chat = Chat(load(ECHO_PIPE, "echo"), filters=[load(STREAM_FILTER, "shout")], stream=False)
    turn = chat.send("hi")
    assert turn.content == "keep drop boom end"
    assert [s.stage for s in turn.steps] == ["pipe"]


def test_outlet_gets_the_hosts_synthetic_body_and_its_changes_are_kept():
    chat = Chat(filters=[load(OUTLET_FILTERS["a_outlet"], "a_outlet")], llm=MockModel("answer"))
    turn = chat.send("question")
    sent = turn.step("outlet").simulations[0].inputs["body"]
    assert turn.content == "answer (checked)"
    assert turn.message["originalContent"] == "answer"
    assert chat.messages[-1]["content"] == "answer (checked)"
    assert turn.message["statusHistory"][-1]["description"] == "checked"
    assert set(sent) == {"model", "messages", "filter_ids", "chat_id", "session_id", "id"}
    assert sent["id"] == turn.assistant_id and sent["model"] == "gpt-4o-mini"
    assert [m["role"] for m in sent["messages"]] == ["user", "assistant"]
    assert set(sent["messages"][0]) == {"id", "role", "content", "info", "timestamp"}
    assert sent["messages"][-1]["content"] == "answer" and sent["messages"][-1]["finish_reason"] == "stop"


def test_an_outlet_error_is_ignored_and_drops_the_outlet_changes_as_the_host_does():
    filters = [load(src, fid) for fid, src in OUTLET_FILTERS.items()]
    chat = Chat(filters=filters, llm=MockModel("answer"))
    turn = chat.send("question")
    failed = turn.step("outlet", "b_outlet")
    assert [s.function_id for s in turn.steps if s.stage == "outlet"] == ["a_outlet", "b_outlet"]
    assert turn.content == "answer"
    assert not failed.ok and failed.note.startswith("error ignored by Open WebUI (logged)")
    assert turn.message["statusHistory"][-1]["description"] == "checked"


def test_an_inlet_error_ends_the_turn_before_the_model():
    model = MockModel("never")
    chat = Chat(filters=[load(FAILING_INLET, "guard")], llm=model)
    turn = chat.send("hi")
    assert model.calls == []
    assert not turn.ok
    assert "not allowed" in turn.message["error"]["content"]
    assert turn.error.startswith("inlet guard: ")


def test_turns_build_on_the_conversation_history():
    model = MockModel(["one", "two"])
    chat = Chat(llm=model, system="Be brief.")
    chat.send("first")
    chat.send("second")
    assert model.calls[1]["messages"] == [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "first"},
        {"role": "assistant", "content": "one"},
        {"role": "user", "content": "second"},
    ]
    ids = [m["id"] for m in chat.messages]
    assert len(set(ids)) == 4
    assert chat.messages[2]["parentId"] == ids[1] and chat.messages[1]["parentId"] == ids[0]


def test_action_clicks_get_the_page_body_and_may_patch_the_answer():
    chat = Chat(llm=MockModel("A long answer"), actions=[load(ACTION, "trim")])
    turn = chat.send("hi")
    step = turn.click("trim.short")
    sent = step.simulations[0].result["seen"]
    assert set(sent) == {"model", "messages", "chat_id", "session_id", "id"}
    assert sent["id"] == turn.assistant_id and sent["messages"][-1]["content"] == "A long answer"
    assert step.events[0]["data"]["description"] == "acting short"
    assert turn.content == "A lon" and turn.message["originalContent"] == "A long answer"
    assert chat.messages[-1]["content"] == "A lon"
    with pytest.raises(SimulationError, match=r"no action 'other' in this chat \(actions: trim\)"):
        chat.click("other")


def test_functions_of_the_wrong_kind_and_clicks_before_any_turn_are_clear_errors():
    with pytest.raises(SimulationError, match="is a filter, not a pipe"):
        Chat(load(FAILING_INLET, "guard"))
    with pytest.raises(SimulationError, match="send a message first"):
        Chat(actions=[load(ACTION, "trim")]).click("trim")
    with pytest.raises(SimulationError, match="as text"):
        Chat().send(42)  # type: ignore[arg-type]


def test_transcript_is_deterministic_text():
    def run() -> str:
        chat = Chat(
            filters=[load(TAGGING_FILTER.replace("{tag}", "t"), "tagger")], llm=MockModel("Hello there")
        )
        chat.send("hi")
        return chat.transcript()

    text = run()
    assert text == run()
    assert text.splitlines() == [
        "Chat with gpt-4o-mini (mock model)",
        "filters in order: tagger",
        "Turn 1",
        "  user: hi",
        "  inlet  tagger: ok",
        '           body ~ messages[0].content: "hi" -> "hi [t]"',
        "  model  gpt-4o-mini: ok, mock model, 4 chunks",
        "  assistant: Hello there",
    ]
    assert "0x" not in text


def test_html_view_escapes_the_conversation():
    chat = Chat(llm=MockModel("<b>bold</b>"))
    turn = chat.send("<script>")
    bundle = turn._repr_mimebundle_()
    assert "&lt;script&gt;" in bundle["text/html"] and "<script>" not in bundle["text/html"]
    assert "&lt;b&gt;bold&lt;/b&gt;" in bundle["text/html"]
    assert chat._repr_mimebundle_()["text/plain"] == chat.transcript()


@pytest.fixture
def stand_ins() -> Iterator[None]:
    standins.install()
    yield
    standins.uninstall()


def test_send_works_inside_a_running_event_loop_and_stand_ins_see_the_chat(stand_ins):
    import asyncio

    reader = load(
        """
from open_webui.models.chats import Chats
from open_webui.utils.plugin import load_function_module_by_id

class Filter:
    async def inlet(self, body, __user__=None):
        chat = await Chats.get_chat_by_id(body["metadata"]["chat_id"])
        _, kind, _, _ = await load_function_module_by_id("reader")
        body["messages"][-1]["content"] += f" [{len(chat.chat['history']['messages'])} {kind}]"
        return body
""",
        "reader",
    )

    async def in_a_notebook_cell():
        chat = Chat(filters=[reader], llm=MockModel("x", cycle=True))
        chat.send("one")
        chat.send("two")
        return chat.llm.calls

    calls = asyncio.run(in_a_notebook_cell())
    assert calls[0]["messages"][-1]["content"] == "one [2 filter]"
    assert calls[1]["messages"][-1]["content"] == "two [4 filter]"


def test_a_pipe_failing_mid_stream_keeps_what_streamed_and_the_statuses_and_skips_outlet():
    pipe = load(
        """
class Pipe:
    async def pipe(self, body, __event_emitter__=None):
        await __event_emitter__({"type": "status", "data": {"description": "thinking", "done": False}})
        yield "partial "
        raise RuntimeError("upstream hung up")
""",
        "flaky",
    )
    outlet = load(OUTLET_FILTERS["a_outlet"], "a_outlet")
    turn = Chat(pipe, filters=[outlet]).send("hi")
    assert turn.content == "partial "
    assert "upstream hung up" in turn.message["error"]["content"]
    assert turn.message["statusHistory"][0]["description"] == "thinking"
    assert [s.stage for s in turn.steps] == ["pipe"]
    assert not turn.ok


def test_filters_given_as_stored_ids_are_ordered_by_their_stored_valves(tmp_path, monkeypatch):
    monkeypatch.setenv("ACTIONKIT_STORE", str(tmp_path / "default.db"))
    store = Store()
    store.save(load(TAGGING_FILTER.replace("{tag}", "a"), "alpha"))
    store.save(load(TAGGING_FILTER.replace("{tag}", "b"), "beta"))
    store.set_valves("beta", {"priority": -5})
    chat = Chat(filters=["alpha", "beta"], llm=MockModel("ok"))
    assert chat.filter_order == ["beta", "alpha"]
