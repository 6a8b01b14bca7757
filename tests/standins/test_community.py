"""Functions written for a real Open WebUI (tests/functions/community/) run unchanged, offline."""

from __future__ import annotations

import pytest

import actionkit
from actionkit import Chat, MockModel, simulate
from actionkit.errors import FunctionLoadError
from actionkit.function._requirements import check_requirements
from actionkit.store import Store
from tests._sources import action_body, community

pytestmark = pytest.mark.usefixtures("standins_installed")


def test_summarizer_action_calls_generate_chat_completion_and_gets_the_scripted_reply():
    model = MockModel(["The user asked for the capital of France."])
    with model.use():
        sim = simulate(community("summarize_action"), action_body(), valves={"max_words": 12})
    assert sim.ok, sim.error
    assert sim.result == {"summary": "The user asked for the capital of France."}
    assert sim.content == "Paris.\n\n**Summary:** The user asked for the capital of France."
    assert [s["description"] for s in sim.message["statusHistory"]] == [
        "Summarizing the conversation",
        "Summarized 6 characters",
    ]
    request = model.calls[0]
    assert request["model"] == "gpt-4o-mini" and request["stream"] is False
    assert request["messages"][0] == {"role": "system", "content": "Summarize in at most 12 words."}
    assert request["messages"][1]["content"] == "user: What is the capital of France?\nassistant: Paris."


def test_summarizer_fails_as_on_the_host_for_an_unknown_model():
    with MockModel(["never used"]).use():
        unknown = simulate(community("summarize_action"), action_body(), valves={"model_id": "gpt-5"})
    assert unknown.error == "Error: Model not found"


def test_a_plain_user_may_not_call_a_base_model_without_bypass_filter():
    chat = Chat(
        llm=MockModel(["answer", "never used"]),
        actions=[community("summarize_action")],
        user={"id": "u-bob", "name": "Bob", "role": "user"},
    )
    turn = chat.send("Hi")
    step = turn.click("summarize_conversation")
    assert step.errors == ["Error: Model not found"]
    assert len(chat.llm.calls) == 1


def test_running_out_of_scripted_replies_is_a_clear_error():
    with MockModel([]).use():
        sim = simulate(community("summarize_action"), action_body())
    assert sim.error is not None
    assert sim.error.startswith(
        "Error: the mock model has no reply left for request 1 (it was given 0 replies)"
    )
    assert "MockModelError" in sim.traceback
    with MockModel(["ok"]).use():
        assert simulate(community("summarize_action"), action_body()).ok


def test_user_context_filter_reads_the_simulated_user_through_users():
    fn = community("user_context_filter")
    body = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hi"}]}
    named = simulate(fn, body, hook="inlet")
    hidden = simulate(fn, body, hook="inlet", user_valves={"share_name": False})
    assert named.result["messages"][0] == {"role": "system", "content": "You are talking to User (admin)."}
    assert hidden.result["messages"][0] == {"role": "system", "content": "You are talking to a user (admin)."}


def test_a_chat_runs_a_community_filter_pipe_and_action_together():
    fn_filter = community("user_context_filter")
    upstream = MockModel(["Paris is the capital of France."])
    summarizer = MockModel(["Asked about France; answered Paris."])
    with upstream.serve() as server:
        chat = Chat(
            community("upstream_pipe"),
            filters=[fn_filter],
            actions=[community("summarize_action")],
            valves={"upstream_proxy": {"BASE_URL": server.url, "API_KEY": "sk-test", "MODEL": "gpt-4o"}},
            user={"id": "u-ada", "name": "Ada", "email": "ada@example.com", "role": "admin"},
            llm=summarizer,
        )
        turn = chat.send("What is the capital of France?")
    assert turn.ok, turn.transcript()
    assert turn.content == "Paris is the capital of France."
    sent = upstream.calls[0]
    assert sent["model"] == "gpt-4o" and sent["stream"] is True
    assert sent["messages"][0] == {"role": "system", "content": "You are talking to Ada (admin)."}
    step = turn.click("summarize_conversation")
    assert step.ok, turn.transcript()
    assert turn.content.endswith("**Summary:** Asked about France; answered Paris.")
    assert "sk-test" not in chat.transcript()


def test_upstream_pipe_streams_and_answers_through_aiohttp_against_a_local_server():
    fn = community("upstream_pipe")
    upstream = MockModel(["whole answer", "streamed answer here"])
    body = {
        "model": "upstream_proxy",
        "messages": [{"role": "system", "content": "Be terse."}, {"role": "user", "content": "Hi"}],
    }
    with upstream.serve() as server:
        valves = {"BASE_URL": server.url, "SYSTEM_PREFIX": "[proxy] "}
        whole = simulate(fn, body, valves=valves)
        streamed = simulate(fn, body, valves=valves, stream=True)
        url = server.url
    assert whole.ok and whole.result["choices"][0]["message"]["content"] == "whole answer"
    assert streamed.ok and streamed.content == "streamed answer here"
    assert streamed.chunks[-1] == "data: [DONE]"
    assert upstream.calls[0]["messages"][0] == {"role": "system", "content": "[proxy] Be terse."}
    down = simulate(fn, body, valves={"BASE_URL": url})
    assert not down.ok and "Cannot connect to host 127.0.0.1" in down.error
    assert simulate(fn, body, valves={"BASE_URL": "http://127.0.0.1:9/v1"}, timeout=10).ok is False


def test_chat_files_action_reads_chats_files_and_models():
    notes = {
        "type": "file",
        "id": "f1",
        "name": "notes.txt",
        "file": {"id": "f1", "filename": "notes.txt", "data": {"content": "hello world"}},
    }
    chat = Chat(llm=MockModel("Seen."), actions=[community("chat_files_action")])
    chat.send("Read this", files=[notes])
    step = chat.click("chat_files_digest")
    assert step.simulations[0].result == {
        "stored_messages": 2,
        "files": ["notes.txt (11 chars)"],
        "workspace_model": None,
    }


def test_function_with_satisfied_requirements_runs():
    fn = community("markdown_report_action")
    check_requirements(fn)
    sim = simulate(
        fn,
        {"model": "gpt-4o-mini", "messages": [{"role": "assistant", "content": "# Title"}]},
        valves={"timezone": "Europe/Paris"},
    )
    assert sim.ok, sim.error
    assert sim.result == {"html": "<h1>Title</h1>", "task": "title_generation"}
    assert sim.message["statusHistory"][0]["description"] == "Rendered at 2024-01-01 13:00 CET"


def test_importing_open_webui_modules_without_stand_in_fails_at_load_with_what_to_do():
    source = '"""\ntitle: Retrieval User\n"""\nfrom open_webui.retrieval.utils import get_sources\n'
    with pytest.raises(FunctionLoadError) as info:
        actionkit.load(source + "class Action:\n    pass\n")
    text = str(info.value)
    assert info.value.line == 4
    assert "open_webui.retrieval is part of Open WebUI 0.12.4" in text
    assert 'simulate(..., runtime="open-webui")' in text
    with pytest.raises(FunctionLoadError, match="No module named 'actionkit_nobody_provides_this'"):
        actionkit.load("import actionkit_nobody_provides_this\nclass Action:\n    pass\n", id="x")


def test_a_failing_stand_in_call_leaves_the_store_unchanged(tmp_path):
    store = Store(str(tmp_path / "store.db"))
    store.save(community("summarize_action"))
    store.set_valves("summarize_conversation", {"model_id": "gpt-5"})
    before = (store.get("summarize_conversation"), store.valves("summarize_conversation"))
    with MockModel(["unused"]).use():
        sim = simulate("summarize_conversation", action_body(), store=store)
    assert sim.error == "Error: Model not found"
    assert (store.get("summarize_conversation"), store.valves("summarize_conversation")) == before
