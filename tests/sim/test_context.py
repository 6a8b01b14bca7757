"""Each simulated call runs in a simulation context: the open_webui stand-ins answer with its user,
chat, files and models, and ``llm=`` scripts ``generate_chat_completion``."""

from __future__ import annotations

import asyncio

import pytest

import actionkit
from actionkit import MockModel
from actionkit.errors import SimulationError
from actionkit.runtimes import asimulate, simulate
from actionkit.standins import context as _sim_context
from tests._sources import TRANSCRIPT, action_body, community

pytestmark = pytest.mark.usefixtures("standins_installed")

ANN = {"id": "u-ann", "name": "Ann", "email": "ann@example.com", "role": "user"}


WHO_AM_I = """
from open_webui.models.users import Users


class Action:
    async def action(self, body, __user__=None):
        user = await Users.get_user_by_id(__user__["id"])
        return {"name": user.name, "email": user.email, "role": user.role}
"""


def test_users_lookup_answers_with_the_user_given_to_simulate() -> None:
    sim = simulate(actionkit.load(WHO_AM_I, id="who_am_i"), action_body(), user=ANN)
    assert sim.ok, sim.error
    assert sim.result == {"name": "Ann", "email": "ann@example.com", "role": "user"}


def test_community_filter_names_the_given_user_in_the_system_message() -> None:
    body = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hi"}]}
    sim = simulate(community("user_context_filter"), body, hook="inlet", user=ANN)
    assert sim.result["messages"][0] == {"role": "system", "content": "You are talking to Ann (user)."}


def test_stand_in_chats_and_files_see_the_calls_messages_and_files() -> None:
    notes = {
        "type": "file",
        "id": "f1",
        "name": "notes.txt",
        "file": {"id": "f1", "filename": "notes.txt", "data": {"content": "hello world"}},
    }
    messages = [{**TRANSCRIPT[0], "files": [notes]}, TRANSCRIPT[1]]
    sim = simulate(community("chat_files_action"), action_body(messages), files=[notes])
    assert sim.ok, sim.error
    assert sim.result == {"stored_messages": 2, "files": ["notes.txt (11 chars)"], "workspace_model": None}


def test_llm_replies_answer_generate_chat_completion() -> None:
    sim = simulate(community("summarize_action"), action_body(), llm=["scripted"])
    assert sim.ok, sim.error
    assert sim.result == {"summary": "scripted"}
    assert sim.inputs["llm"] == ["scripted"]


def test_llm_given_to_simulate_wins_over_an_enclosing_mock_model() -> None:
    outer = MockModel(["from the block"])
    given = MockModel(["from llm="])
    with outer.use():
        sim = simulate(community("summarize_action"), action_body(), llm=given)
        plain = simulate(community("summarize_action"), action_body())
    assert sim.result == {"summary": "from llm="}
    assert plain.result == {"summary": "from the block"}
    assert len(given.calls) == 1 and len(outer.calls) == 1


def test_llm_of_the_wrong_kind_is_a_simulation_error() -> None:
    with pytest.raises(SimulationError, match="llm= cannot use int as the mock model"):
        simulate(actionkit.load(WHO_AM_I, id="who_am_i"), action_body(), llm=3)


TASK_USER = """
import asyncio
from open_webui.models.users import Users


class Action:
    async def action(self, body, __user__=None, __event_emitter__=None):
        async def later():
            await asyncio.sleep(0)
            user = await Users.get_user_by_id(__user__["id"])
            await __event_emitter__({"type": "status", "data": {"description": user.name, "done": True}})

        asyncio.create_task(later())
        return None
"""


def test_tasks_the_function_starts_run_in_its_simulation_context() -> None:
    sim = simulate(actionkit.load(TASK_USER, id="task_user"), action_body(), user=ANN)
    assert sim.events == [{"type": "status", "data": {"description": "Ann", "done": True}}]


STREAMING_USER = """
from open_webui.models.users import Users


class Pipe:
    async def pipe(self, body, __user__=None):
        yield "Hello "
        user = await Users.get_user_by_id(__user__["id"])
        yield user.name
"""


def test_a_streaming_pipe_sees_the_context_while_its_output_is_drained() -> None:
    body = {"model": "p", "messages": [{"role": "user", "content": "Hi"}]}
    sim = simulate(actionkit.load(STREAMING_USER, id="p"), body, stream=True, user=ANN)
    assert sim.ok, sim.error
    assert sim.content == "Hello Ann"


REQUEST = """
class Action:
    async def action(self, body, __request__=None):
        seen = getattr(__request__.state, "seen", False)
        __request__.state.seen = True
        return {"seen_before": seen, "models": sorted(__request__.app.state.MODELS)}
"""


def test_request_has_a_fresh_state_and_the_context_model_registry() -> None:
    fn = actionkit.load(REQUEST, id="request_state")
    first = simulate(fn, action_body(), llm=MockModel("x", models=["helper-model"]))
    second = simulate(fn, action_body())
    assert first.result == {"seen_before": False, "models": ["gpt-4o-mini", "helper-model"]}
    assert second.result["seen_before"] is False


def test_the_context_is_gone_after_the_call_also_with_asimulate() -> None:
    fn = actionkit.load(WHO_AM_I, id="who_am_i")
    simulate(fn, action_body(), user=ANN)
    assert not _sim_context.active()

    async def main() -> dict:
        sim = await asimulate(fn, action_body(), user=ANN)
        assert not _sim_context.active()
        return sim.result

    assert asyncio.run(main())["name"] == "Ann"


def test_metadata_user_message_is_the_bodys_last_user_message() -> None:
    import actionkit
    from actionkit.store import Store

    source = """
class Filter:
    def inlet(self, body, __metadata__=None):
        body["seen"] = __metadata__["user_message"]["content"]
        return body
"""
    body = {
        "messages": [
            {"role": "user", "content": "first"},
            {"role": "assistant", "content": "a"},
            {"role": "user", "content": "What is the weather?"},
        ]
    }
    sim = actionkit.simulate(actionkit.load(source, id="meta_reader"), body, store=Store(":memory:"))
    assert sim.result["seen"] == "What is the weather?"
