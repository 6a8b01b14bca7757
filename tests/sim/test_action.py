"""Actions run like open_webui.utils.actions.chat_action in 0.12.4."""

from __future__ import annotations

import json

import pytest

import actionkit
from actionkit import SimulationError, ValvesError
from actionkit.runtimes import simulate
from actionkit.store import Store
from tests._sources import HOST_USER_FIELDS

ECHO_ARGS = """
class Action:
    async def action(self, body, __user__=None, __event_emitter__=None, __event_call__=None,
                     __model__=None, __id__=None, __request__=None):
        return {
            "user": None if __user__ is None else sorted(__user__),
            "emitter": __event_emitter__ is not None,
            "caller": __event_call__ is not None,
            "model": None if __model__ is None else __model__["id"],
            "id": __id__,
            "request": None if __request__ is None else __request__.method,
            "body_keys": sorted(body),
        }
"""


def test_action_receives_every_offered_argument_it_names() -> None:
    sim = simulate(actionkit.load(ECHO_ARGS, id="echo"))
    assert sim.ok, sim.error
    assert sim.result["emitter"] and sim.result["caller"]
    assert sim.result["model"] == "gpt-4o-mini"
    assert sim.result["id"] == "echo"
    assert sim.result["request"] == "POST"
    assert sim.result["body_keys"] == ["chat_id", "id", "messages", "model", "session_id"]
    assert sim.result["user"] == sorted(HOST_USER_FIELDS)


def test_action_gets_only_body_when_signature_names_nothing_else() -> None:
    src = "class Action:\n    def action(self, body):\n        return body['id']\n"
    sim = simulate(actionkit.load(src, id="plain"))
    assert sim.ok and sim.result == "00000000-0000-4000-8000-0000000000a2"


def test_action_does_not_receive_metadata_and_says_so() -> None:
    src = (
        "class Action:\n    async def action(self, body, __metadata__='unset', __chat_id__='unset'):\n"
        "        return [__metadata__, __chat_id__]\n"
    )
    sim = simulate(actionkit.load(src, id="nometa"))
    assert sim.result == ["unset", "unset"]
    assert any("__metadata__" in w and "does not pass" in w for w in sim.warnings)
    assert any("__chat_id__" in w for w in sim.warnings)


def test_kwargs_receive_nothing() -> None:
    src = "class Action:\n    async def action(self, body, **kwargs):\n        return sorted(kwargs)\n"
    sim = simulate(actionkit.load(src, id="kw"))
    assert sim.result == []
    assert any("**kwargs" in w for w in sim.warnings)


def test_misspelled_dunder_gets_did_you_mean_warning() -> None:
    src = "class Action:\n    async def action(self, body, __event_emiter__=None):\n        return 1\n"
    sim = simulate(actionkit.load(src, id="typo"))
    assert any("did you mean '__event_emitter__'" in w for w in sim.warnings)


VALVED = """
from pydantic import BaseModel, Field
class Action:
    class Valves(BaseModel):
        limit: int = Field(3, ge=0, le=10)
        label: str = "x"
    class UserValves(BaseModel):
        lang: str = "en"
    def __init__(self):
        self.valves = self.Valves(limit=9)
    async def action(self, body, __user__):
        return {"limit": self.valves.limit, "label": self.valves.label,
                "valves_type": type(__user__["valves"]).__name__, "lang": __user__["valves"].lang}
"""


def test_action_receives_user_valves_instance() -> None:
    sim = simulate(actionkit.load(VALVED, id="valved"), user_valves={"lang": "fr"})
    assert sim.result["valves_type"] == "UserValves"
    assert sim.result["lang"] == "fr"


def test_admin_valves_replace_what_init_set() -> None:
    fn = actionkit.load(VALVED, id="valved")
    assert simulate(fn).result["limit"] == 3  # __init__ said 9, the host re-applies defaults
    assert simulate(fn, valves={"limit": 5}).result["limit"] == 5


def test_given_valves_use_save_semantics() -> None:
    fn = actionkit.load(VALVED, id="valved")
    sim = simulate(fn, valves={"limit": None, "label": "y", "unknown": 1})
    assert sim.result["limit"] == 3 and sim.result["label"] == "y"
    assert sim.inputs["valves"] == {"label": "y"}


def test_invalid_valves_raise_valves_error_naming_the_field() -> None:
    with pytest.raises(ValvesError) as info:
        simulate(actionkit.load(VALVED, id="valved"), valves={"limit": 99})
    assert info.value.fields == ["limit"]


def test_user_valves_for_function_without_uservalves_raise() -> None:
    with pytest.raises(ValvesError):
        simulate(actionkit.load(ECHO_ARGS, id="echo"), user_valves={"x": 1})


def test_user_valves_appear_in_user_settings_like_the_host_stores_them() -> None:
    src = (
        "from pydantic import BaseModel\nclass Action:\n    class UserValves(BaseModel):\n        a: int = 1\n"
        "    async def action(self, body, __user__):\n        return __user__['settings']\n"
    )
    sim = simulate(actionkit.load(src, id="settings"), user_valves={"a": 2})
    assert sim.result == {"ui": {}, "functions": {"valves": {"settings": {"a": 2}}}}


SUBS = """
class Action:
    actions = [{"id": "one", "name": "One"}, {"id": "two"}]
    async def action(self, body, __id__, __model__):
        return [__id__, [a["id"] for a in __model__["actions"]]]
"""


def test_sub_action_passes_its_sub_id_as___id__() -> None:
    sim = simulate(actionkit.load(SUBS, id="multi"), sub_id="two")
    assert sim.result == ["two", ["multi.one", "multi.two"]]
    assert sim.target == "multi.two"


def test_unknown_sub_id_lists_the_ones_that_exist() -> None:
    with pytest.raises(SimulationError) as info:
        simulate(actionkit.load(SUBS, id="multi"), sub_id="tow")
    assert "one, two" in str(info.value) and "did you mean 'two'" in str(info.value)


def test_action_with_sub_actions_called_without_sub_id_warns() -> None:
    sim = simulate(actionkit.load(SUBS, id="multi"))
    assert sim.result[0] == "multi"
    assert any("sub_id=" in w for w in sim.warnings)


def test_action_exception_reports_host_text_and_cell_line() -> None:
    src = (
        "class Action:\n    async def action(self, body):\n        x = 1\n        raise ValueError('boom')\n"
    )
    fn = actionkit.load(src, id="boom", line_offset=1)
    sim = simulate(fn)
    assert not sim.ok
    assert sim.error == "Error: boom"
    assert sim.traceback is not None
    assert 'File "<boom>", line 5, in action' in sim.traceback
    assert "raise ValueError('boom')" in sim.traceback
    assert sim.traceback.endswith("ValueError: boom")
    assert sim.message["error"] == {"content": "Error: boom"}
    assert {"type": "error", "content": "Error: boom"} in sim.message["notifications"]


def test_events_before_an_exception_are_kept() -> None:
    src = (
        "class Action:\n    async def action(self, body, __event_emitter__):\n"
        "        await __event_emitter__({'type': 'status', 'data': {'description': 'a', 'done': False}})\n"
        "        raise RuntimeError('late')\n"
    )
    sim = simulate(actionkit.load(src, id="late"))
    assert sim.error == "Error: late"
    assert sim.event_types() == ["status"]


def test_sync_action_is_called_without_await() -> None:
    src = "class Action:\n    def action(self, body, __id__):\n        return __id__ + '!'\n"
    assert simulate(actionkit.load(src, id="syncy")).result == "syncy!"


def test_sync_action_returning_a_coroutine_is_not_awaited() -> None:
    src = (
        "class Action:\n    def action(self, body):\n        return self.later()\n"
        "    async def later(self):\n        return 1\n"
    )
    sim = simulate(actionkit.load(src, id="coro"))
    assert any("returned a coroutine" in w for w in sim.warnings)


def test_action_without_action_method_returns_the_body() -> None:
    src = "class Action:\n    pass\n"
    sim = simulate(actionkit.load(src, id="empty"), {"messages": [], "x": 1})
    assert sim.result["x"] == 1


def test_inline_html_response_becomes_an_embeds_event() -> None:
    src = (
        "from starlette.responses import HTMLResponse\nclass Action:\n    async def action(self, body):\n"
        "        return HTMLResponse('<b>hi</b>', headers={'Content-Disposition': 'inline'})\n"
    )
    sim = simulate(actionkit.load(src, id="ui"))
    assert sim.events == [{"type": "embeds", "data": {"embeds": ["<b>hi</b>"]}}]
    assert json.loads(sim.result)["code"] == "ui_component"
    assert sim.message["embeds"] == ["<b>hi</b>"]


def test_html_tuple_with_inline_headers_becomes_an_embed_with_its_context() -> None:
    src = (
        "class Action:\n    async def action(self, body):\n"
        "        return (('<i>x</i>', 'context'), {'Content-Disposition': 'inline', 'Content-Type': 'text/html'})\n"
    )
    sim = simulate(actionkit.load(src, id="ui2"))
    assert sim.message["embeds"] == ["<i>x</i>"]
    assert sim.result == "context"


def test_action_result_the_host_cannot_process_fails_like_the_host() -> None:
    src = "class Action:\n    async def action(self, body):\n        return {'a': {1, 2}}\n"
    sim = simulate(actionkit.load(src, id="settish"))
    assert sim.error == "Error: Object of type set is not JSON serializable"


def test_returned_messages_patch_the_message_content() -> None:
    src = (
        "class Action:\n    async def action(self, body):\n"
        "        return {'messages': [{'id': body['id'], 'content': 'rewritten'}]}\n"
    )
    sim = simulate(actionkit.load(src, id="patch"))
    assert sim.content == "rewritten"
    assert sim.message["originalContent"] == "Hello! How can I help you today?"


def test_request_is_a_starlette_request_with_app_state_models() -> None:
    src = (
        "class Action:\n    async def action(self, body, __request__):\n"
        "        return [__request__.url.path, list(__request__.app.state.MODELS), type(__request__).__name__]\n"
    )
    sim = simulate(actionkit.load(src, id="req"))
    assert sim.result == ["/api/chat/actions/req", ["gpt-4o-mini"], "Request"]


def test_model_argument_becomes___model__() -> None:
    src = "class Action:\n    async def action(self, body, __model__):\n        return [__model__['id'], body['model']]\n"
    sim = simulate(actionkit.load(src, id="mod"), model={"id": "llama3", "name": "Llama"})
    assert sim.result == ["llama3", "llama3"]


def test_user_argument_overlays_the_default_user() -> None:
    src = "class Action:\n    async def action(self, body, __user__):\n        return [__user__['id'], __user__['role'], __user__['email']]\n"
    sim = simulate(actionkit.load(src, id="who"), user={"id": "u2", "role": "user"})
    assert sim.result == ["u2", "user", "user@example.com"]


def test_stored_id_uses_the_store_valves_and_user_valves() -> None:
    store = Store(":memory:")
    store.save(actionkit.load(VALVED, id="valved"))
    store.set_valves("valved", {"limit": 7})
    store.set_user_valves("valved", "user", {"lang": "de"})
    sim = simulate("valved", store=store)
    assert sim.result["limit"] == 7 and sim.result["lang"] == "de"
    other = simulate("valved", store=store, user={"id": "someone"})
    assert other.result["lang"] == "en"


def test_stored_id_with_dot_selects_the_sub_action() -> None:
    store = Store(":memory:")
    store.save(actionkit.load(SUBS, id="multi"))
    assert simulate("multi.one", store=store).result[0] == "one"


def test_source_text_is_loaded_and_run() -> None:
    src = '"""\ntitle: From Source\n"""\nclass Action:\n    async def action(self, body, __id__):\n        return __id__\n'
    assert simulate(src).result == "from_source"


def test_inputs_name_the_arguments_the_host_passes() -> None:
    src = "class Action:\n    async def action(self, body, __user__, __metadata__=None, __id__=None):\n        return 1\n"
    assert simulate(actionkit.load(src, id="a")).inputs["arguments"] == ["body", "__id__", "__user__"]


def test_inputs_keep_the_default_body_as_the_action_got_it_not_as_it_changed_it() -> None:
    src = (
        "class Action:\n    async def action(self, body):\n"
        "        seen = json.dumps(body, sort_keys=True)\n"
        "        body['messages'].append({'role': 'user', 'content': 'added'})\n"
        "        body['model'] = 'changed'\n        return seen\n"
    )
    fn = actionkit.load("import json\n" + src, id="mutates")
    for sim in (simulate(fn), simulate(fn)):
        assert json.dumps(sim.inputs["body"], sort_keys=True) == sim.result
        assert sim.inputs["body"]["model"] != "changed"


def test_body_model_that_differs_from_the_model_dict_warns() -> None:
    sim = simulate(actionkit.load(ECHO_ARGS, id="echo"), {"model": "a", "messages": []}, model={"id": "b"})
    assert any("body model 'a' is not model['id'] 'b'" in w for w in sim.warnings)


def test_html_response_with_context_returns_the_context() -> None:
    src = (
        "from starlette.responses import HTMLResponse\nclass Action:\n    async def action(self, body):\n"
        "        return (HTMLResponse('<p>x</p>', headers={'Content-Disposition': 'inline'}), {'rows': 3})\n"
    )
    sim = simulate(actionkit.load(src, id="ctx"))
    assert sim.message["embeds"] == ["<p>x</p>"]
    assert json.loads(sim.result) == {"rows": 3}


def test_inline_location_header_embeds_the_url() -> None:
    src = (
        "class Action:\n    async def action(self, body):\n"
        "        return ('ignored', {'content-disposition': 'inline', 'location': 'https://example.org/app'})\n"
    )
    sim = simulate(actionkit.load(src, id="loc"))
    assert sim.events == [{"type": "embeds", "data": {"embeds": ["https://example.org/app"]}}]


def test_html_response_that_is_not_inline_is_returned_as_it_is() -> None:
    src = (
        "from starlette.responses import HTMLResponse\nclass Action:\n    async def action(self, body):\n"
        "        return HTMLResponse('<p>x</p>')\n"
    )
    sim = simulate(actionkit.load(src, id="plainhtml"))
    assert sim.events == [] and type(sim.result).__name__ == "HTMLResponse"


def test_a_python_file_path_is_loaded_as_the_function(tmp_path) -> None:
    path = tmp_path / "answer.py"
    path.write_text("class Action:\n    async def action(self, body):\n        return 42\n")
    assert simulate(str(path)).result == 42
    with pytest.raises(actionkit.FunctionLoadError, match="cannot read"):
        simulate(str(tmp_path / "missing.py"))


def test_errors_name_the_function_type_with_the_right_article() -> None:
    fn = actionkit.load("class Action:\n    async def action(self, body):\n        return 1\n", id="plain")
    with pytest.raises(SimulationError, match="plain is an action: leave hook out"):
        simulate(fn, hook="inlet")
