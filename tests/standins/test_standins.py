from __future__ import annotations

import asyncio
import gc
import importlib
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest

import actionkit
import actionkit.standins as standins
from actionkit.errors import StandinImportError
from actionkit.host import DEFAULT_USER_ID, FIXED_TIME
from actionkit.standins import MockModel
from actionkit.standins import context as _sim_context
from tests._sources import HOST_USER_FIELDS

ADMIN = {
    "id": "u-admin",
    "email": "ada@example.com",
    "name": "Ada",
    "role": "admin",
    "last_active_at": 1,
    "updated_at": 1,
    "created_at": 1,
}
MEMBER = {
    "id": "u-member",
    "email": "bob@example.com",
    "name": "Bob",
    "role": "user",
    "last_active_at": 2,
    "updated_at": 2,
    "created_at": 2,
}


@pytest.fixture(autouse=True)
def installed() -> Iterator[None]:
    assert standins.install() is True
    yield
    standins.uninstall()


def run(coro):
    return asyncio.run(coro)


def request(**state):
    return SimpleNamespace(state=SimpleNamespace(**state))


def test_stand_ins_serve_open_webui_only_when_the_real_package_is_absent():
    assert standins.real_package_available() is False
    import open_webui.models.users as users

    assert standins.is_standin(users)
    assert standins.installed()
    assert repr(sys.modules["open_webui"]) == "<module 'open_webui' (actionkit stand-in)>"


def test_a_real_open_webui_package_wins_and_the_stand_ins_step_aside(tmp_path: Path, monkeypatch):
    import open_webui.models.users

    package = tmp_path / "open_webui"
    package.mkdir()
    (package / "__init__.py").write_text("REAL = True\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        assert standins.real_package_available() is True
        assert standins.install() is False
        assert not standins.installed()
        assert "open_webui.models.users" not in sys.modules
        import open_webui

        assert open_webui.REAL is True
    finally:
        sys.modules.pop("open_webui", None)
        monkeypatch.undo()
        importlib.invalidate_caches()
    assert standins.install() is True


def test_uninstall_removes_the_finder_and_forgets_stand_in_modules():
    import open_webui.utils.misc

    standins.uninstall()
    assert not standins.installed()
    assert not any(name.startswith("open_webui") for name in sys.modules)
    with pytest.raises(ModuleNotFoundError):
        import open_webui.utils.misc  # noqa: F401


def test_users_answer_with_the_simulated_users_through_async_methods():
    from open_webui.models.users import UserModel, Users

    with _sim_context.simulation_context(user=ADMIN, users=[MEMBER]):
        user = run(Users.get_user_by_id("u-admin"))
        other = run(Users.get_user_by_email("BOB@example.com"))
        unknown = run(Users.get_user_by_id("nobody"))
        listing = run(Users.get_users())
        first = run(Users.get_first_user())
        count = run(Users.get_num_users())
    assert isinstance(user, UserModel)
    assert (user.name, user.role, user.profile_image_url) == (
        "Ada",
        "admin",
        "/api/v1/users/u-admin/profile/image",
    )
    assert other.name == "Bob"
    assert unknown is None
    assert listing["total"] == 2 and [u.id for u in listing["users"]] == ["u-admin", "u-member"]
    assert first.id == "u-admin"
    assert count == 2
    assert "valves" not in user.model_dump()


def test_user_model_dump_has_the_host_fields():
    from open_webui.models.users import Users

    with _sim_context.simulation_context(user=ADMIN):
        dumped = run(Users.get_user_by_id("u-admin")).model_dump()
    assert list(dumped) == HOST_USER_FIELDS


def test_user_writes_change_only_the_simulation_copy():
    from open_webui.models.users import Users

    given = dict(ADMIN)
    with _sim_context.simulation_context(user=given):
        updated = run(Users.update_user_settings_by_id("u-admin", {"ui": {"theme": "dark"}, "x": 1}))
        again = run(Users.get_user_by_id("u-admin"))
    assert updated.settings.ui == {"theme": "dark"}
    assert again.settings.model_dump() == {"ui": {"theme": "dark"}, "x": 1}
    assert given == ADMIN


def test_host_async_methods_work_with_asyncio_helpers():
    from open_webui.models.users import Users

    async def main():
        task = asyncio.create_task(Users.get_num_users())
        both = await asyncio.gather(Users.has_users(), Users.get_user_by_id(DEFAULT_USER_ID))
        return await task, both[0], both[1].name

    assert run(main()) == (1, True, "User")


def test_forgetting_await_gives_a_plain_coroutine_like_the_host():
    import inspect

    from open_webui.models.users import Users

    pending = Users.get_user_by_id("u-admin")
    assert type(pending).__name__ == "coroutine" and bool(pending) is True
    assert pending.__qualname__ == "UsersTable.get_user_by_id"  # as Python's warning names it
    with pytest.raises(AttributeError) as no_attribute:
        pending.name  # noqa: B018
    assert str(no_attribute.value) == "'coroutine' object has no attribute 'name'"
    listing = Users.get_users()
    with pytest.raises(TypeError) as no_len:
        len(listing)
    assert str(no_len.value) == "object of type 'coroutine' has no len()"
    listing.close()
    assert inspect.iscoroutinefunction(Users.get_user_by_id)
    assert list(inspect.signature(Users.get_user_by_id).parameters) == ["id", "db"]
    pending.close()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        Users.update_user_by_id("u-admin", {"name": "x"})
        gc.collect()
    assert any("UsersTable.update_user_by_id' was never awaited" in str(w.message) for w in caught)


def test_a_forgotten_await_is_named_in_the_simulation_warnings_not_in_the_error():
    source = (
        '"""\ntitle: Forgot Await\n"""\nfrom open_webui.models.users import Users\n\n\n'
        "class Action:\n"
        "    async def action(self, body, __user__):\n"
        "        Users.get_num_users()\n"
        "        Users.get_num_users()\n"
        '        return {"name": Users.get_user_by_id(__user__["id"]).name}\n'
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # closed by the simulation: no late "never awaited" warning
        sim = actionkit.simulate(source)
        gc.collect()
    assert sim.error == "Error: 'coroutine' object has no attribute 'name'"
    hints = [w for w in sim.warnings if "without `await`" in w]
    assert hints == [
        "Users.get_num_users(...) was called without `await` (2 times): it is async in Open WebUI "
        "0.12.4, so it returns a coroutine (always true, no attributes, no len()), which is never run; "
        "write `await Users.get_num_users(...)`",
        "Users.get_user_by_id(...) was called without `await`: it is async in Open WebUI 0.12.4, so it "
        "returns a coroutine (always true, no attributes, no len()), which is never run; "
        "write `await Users.get_user_by_id(...)`",
    ]


def test_awaited_host_calls_leave_no_warning():
    source = (
        '"""\ntitle: Awaits\n"""\nimport asyncio\nfrom open_webui.models.users import Users\n\n\n'
        "class Action:\n"
        "    async def action(self, body, __user__):\n"
        "        task = asyncio.create_task(Users.get_num_users())\n"
        '        user = await Users.get_user_by_id(__user__["id"])\n'
        '        return {"name": user.name, "count": await task}\n'
    )
    sim = actionkit.simulate(source)
    assert sim.result == {"name": "User", "count": 1}
    assert not [w for w in sim.warnings if "await" in w]


def test_methods_the_host_has_but_the_stand_in_lacks_say_so():
    from open_webui.models.users import Users

    with pytest.raises(
        AttributeError,
        match="Users.get_user_by_oauth_sub exists in Open WebUI 0.12.4 but "
        'the actionkit stand-in does not provide it .*runtime="open-webui"',
    ):
        Users.get_user_by_oauth_sub("sub")
    with pytest.raises(
        AttributeError,
        match="'UsersTable' object has no attribute 'get_user_by_nickname' "
        r"\(Open WebUI 0.12.4's Users has no such method either\)",
    ):
        Users.get_user_by_nickname("x")


def test_user_row_class_accepts_only_columns_like_sqlalchemy():
    from open_webui.models.users import User

    assert User(id="a", name="n").name == "n"
    with pytest.raises(TypeError, match="'valves' is an invalid keyword argument for User"):
        User(id="a", valves={})


def test_names_and_modules_outside_the_stand_ins_fail_with_what_to_do():
    with pytest.raises(
        StandinImportError,
        match="it exists in Open WebUI 0.12.4, but the actionkit stand-in provides only User, UserModel",
    ):
        from open_webui.models.users import ApiKey  # noqa: F401
    with pytest.raises(StandinImportError) as info:
        import open_webui.retrieval.utils  # noqa: F401
    assert "open_webui.retrieval is part of Open WebUI 0.12.4" in str(info.value)
    assert "open_webui.utils.chat: chat_completion, generate_chat_completion" in str(info.value)
    assert "install open-webui==0.12.4" in str(info.value)
    with pytest.raises(StandinImportError, match="open_webui.config is part of Open WebUI 0.12.4"):
        from open_webui.config import UPLOAD_DIR  # noqa: F401


def test_names_open_webui_0_12_4_does_not_have_fail_as_on_the_host():
    with pytest.raises(
        ImportError,
        match="cannot import name 'get_active_user_ids' from 'open_webui.socket.main': "
        "Open WebUI 0.12.4 has no such name",
    ):
        from open_webui.socket.main import get_active_user_ids  # noqa: F401
    with pytest.raises(ModuleNotFoundError, match="No module named 'open_webui.apps'"):
        from open_webui.apps.webui.models.users import Users  # noqa: F401


def test_submodules_import_through_their_packages():
    from open_webui.models import chats, users
    from open_webui.utils import misc

    assert users.Users is not None and chats.Chats is not None and misc.pop_system_message is not None


def test_legacy_utils_import_form_is_rewritten_onto_the_stand_ins():
    fn = actionkit.load(
        "from utils.misc import get_last_user_message\n"
        "class Filter:\n    def inlet(self, body):\n        return body\n",
        id="legacy",
    )
    assert fn.module.get_last_user_message([{"role": "user", "content": "hi"}]) == "hi"


def test_misc_helpers_behave_like_the_host():
    from open_webui.utils.misc import (
        add_or_update_system_message,
        get_last_assistant_message,
        get_last_user_message,
        get_message_list,
        pop_system_message,
    )

    messages = [
        {"role": "system", "content": "be brief"},
        {"role": "user", "content": [{"type": "image_url"}, {"type": "text", "text": "look"}]},
        {"role": "assistant", "content": "", "output": [{"type": "message", "content": [{"text": "seen"}]}]},
    ]
    system, rest = pop_system_message(messages)
    assert system == {"role": "system", "content": "be brief"}
    assert [m["role"] for m in rest] == ["user", "assistant"]
    assert get_last_user_message(messages) == "look"
    assert get_last_assistant_message(messages) == "seen"
    assert add_or_update_system_message("first", [dict(messages[0])])[0]["content"] == "first\nbe brief"
    assert add_or_update_system_message("s", [])[0] == {"role": "system", "content": "s"}
    tree = {"a": {"id": "a"}, "b": {"id": "b", "parentId": "a"}, "c": {"id": "c", "parentId": "b"}}
    assert [m["id"] for m in get_message_list(tree, "c")] == ["a", "b", "c"]


def test_message_templates_are_deterministic_inside_a_simulation():
    from open_webui.utils.misc import (
        openai_chat_chunk_message_template,
        openai_chat_completion_message_template,
    )

    with _sim_context.simulation_context():
        chunk = openai_chat_chunk_message_template("m", "hi")
        done = openai_chat_completion_message_template("m", "all")
    assert chunk["id"] == "m-00000000-0000-4000-8000-000000000000" and chunk["created"] == FIXED_TIME
    assert chunk["choices"][0] == {
        "index": 0,
        "logprobs": None,
        "finish_reason": None,
        "delta": {"content": "hi"},
    }
    assert done["choices"][0]["message"] == {"role": "assistant", "content": "all"}
    assert openai_chat_chunk_message_template("m")["choices"][0]["finish_reason"] == "stop"


def test_constants_and_env_have_the_host_values(monkeypatch):
    from open_webui.constants import TASKS
    from open_webui.env import SRC_LOG_LEVELS

    assert (
        str(TASKS.TITLE_GENERATION) == "title_generation" and f"{TASKS.TAGS_GENERATION}" == "tags_generation"
    )
    assert TASKS.DEFAULT() == "generation" and TASKS.DEFAULT("x") == "x"
    assert len(list(TASKS)) == 9
    assert SRC_LOG_LEVELS == {}
    env_module = importlib.import_module("actionkit.standins._env")
    monkeypatch.setenv("AIOHTTP_CLIENT_TIMEOUT", "")
    assert importlib.reload(env_module).AIOHTTP_CLIENT_TIMEOUT is None
    monkeypatch.setenv("AIOHTTP_CLIENT_TIMEOUT", "30")
    assert importlib.reload(env_module).AIOHTTP_CLIENT_TIMEOUT == 30
    monkeypatch.setenv("AIOHTTP_CLIENT_TIMEOUT", "soon")
    assert importlib.reload(env_module).AIOHTTP_CLIENT_TIMEOUT == 300
    monkeypatch.delenv("AIOHTTP_CLIENT_TIMEOUT")
    importlib.reload(env_module)


def test_chats_hold_the_simulated_chat_built_from_the_messages():
    from open_webui.models.chats import ChatModel, Chats

    messages = [{"id": "m1", "role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]
    metadata = {"chat_id": "chat-1", "message_id": "m3"}
    with _sim_context.simulation_context(user=ADMIN, messages=messages, metadata=metadata):
        chat = run(Chats.get_chat_by_id("chat-1"))
        history = run(Chats.get_messages_map_by_chat_id("chat-1"))
        run(Chats.upsert_message_to_chat_by_id_and_message_id("chat-1", "m3", {"content": "done"}))
        message = run(Chats.get_message_by_id_and_message_id("chat-1", "m3"))
        mine = run(Chats.get_chats_by_user_id("u-admin"))
        other = run(Chats.get_chat_by_id("chat-2"))
        title = run(Chats.get_chat_title_by_id("chat-1"))
    assert isinstance(chat, ChatModel) and chat.user_id == "u-admin"
    assert list(history) == ["m1", "message-1", "m3"]
    assert history["message-1"]["parentId"] == "m1" and history["m1"]["childrenIds"] == ["message-1"]
    assert history["m3"]["role"] == "assistant" and history["m3"]["content"] == ""
    assert chat.chat["history"]["currentId"] == "m3"
    assert message["content"] == "done"
    assert mine.total == 1 and other is None and title == "New Chat"
    assert messages[1] == {"role": "assistant", "content": "hello"}


def test_files_come_from_the_simulation_files():
    from open_webui.models.files import Files

    files = [
        {
            "type": "file",
            "id": "f1",
            "name": "notes.txt",
            "file": {
                "id": "f1",
                "filename": "notes.txt",
                "meta": {"content_type": "text/plain"},
                "data": {"content": "abc"},
            },
        },
        {"id": "f2", "filename": "plain.md", "content": "# hi"},
    ]
    with _sim_context.simulation_context(user=ADMIN, files=files):
        one = run(Files.get_file_by_id("f1"))
        two = run(Files.get_files_by_ids(["f2", "missing"]))
        run(Files.update_file_data_by_id("f1", {"status": "done"}))
        updated = run(Files.get_file_by_id("f1"))
        mine = run(Files.get_file_by_id_and_user_id("f1", "someone-else"))
    assert (one.filename, one.data, one.user_id) == ("notes.txt", {"content": "abc"}, "u-admin")
    assert one.meta["content_type"] == "text/plain"
    assert [(f.id, f.data) for f in two] == [("f2", {"content": "# hi"})]
    assert updated.data == {"content": "abc", "status": "done"}
    assert mine is None
    assert files[0]["file"]["data"] == {"content": "abc"}


def test_models_lists_workspace_models_of_the_registry_only():
    from open_webui.models.models import ModelModel, Models

    workspace = {
        "id": "helper",
        "name": "Helper",
        "info": {"base_model_id": "gpt-4o", "params": {"system": "Be nice"}, "meta": {"description": "nice"}},
    }
    with _sim_context.simulation_context(model=workspace, llm=MockModel("x", models=["gpt-4o"])):
        row = run(Models.get_model_by_id("helper"))
        base = run(Models.get_model_by_id("gpt-4o"))
        listed = run(Models.get_all_models())
    assert isinstance(row, ModelModel)
    assert (row.name, row.base_model_id, row.meta.description) == ("Helper", "gpt-4o", "nice")
    assert row.params.model_dump() == {"system": "Be nice"}
    assert base is None
    assert [m.id for m in listed] == ["helper"]


def test_generate_chat_completion_answers_with_the_mock_model():
    from open_webui.models.users import Users
    from open_webui.utils.chat import generate_chat_completion

    model = MockModel(["Summary."], models=["gpt-4o"])
    req = request(metadata={"chat_id": "c1"})
    with _sim_context.simulation_context(user=ADMIN, llm=model):
        user = run(Users.get_user_by_id("u-admin"))
        answer = run(
            generate_chat_completion(
                req, {"model": "gpt-4o", "messages": [{"role": "user", "content": "x"}]}, user
            )
        )
    assert answer["choices"][0]["message"]["content"] == "Summary."
    assert model.calls == [{"model": "gpt-4o", "messages": [{"role": "user", "content": "x"}]}]
    assert req.state.bypass_filter is False and req.state.bypass_system_prompt is False


def test_generate_chat_completion_streams_sse_bytes_in_a_streaming_response():
    from open_webui.models.users import Users
    from open_webui.utils.chat import generate_chat_completion
    from starlette.responses import StreamingResponse

    async def main():
        user = await Users.get_user_by_id("u-admin")
        response = await generate_chat_completion(
            request(), {"model": "gpt-4o", "messages": [], "stream": True}, user
        )
        return response, [line async for line in response.body_iterator]

    with _sim_context.simulation_context(user=ADMIN, llm=MockModel("two words", models=["gpt-4o"])):
        response, lines = run(main())
    assert isinstance(response, StreamingResponse) and response.media_type == "text/event-stream"
    assert all(isinstance(line, bytes) and line.endswith(b"\n\n") for line in lines)
    assert lines[-1] == b"data: [DONE]\n\n"
    assert b'"content": "two "' in lines[1] and b'"content": "words"' in lines[2]


def test_generate_chat_completion_rejects_what_the_host_rejects():
    from open_webui.models.users import Users
    from open_webui.utils.chat import generate_chat_completion

    body = {"model": "gpt-4o", "messages": []}
    with _sim_context.simulation_context(user=ADMIN, users=[MEMBER], llm=MockModel("ok", models=["gpt-4o"])):
        admin = run(Users.get_user_by_id("u-admin"))
        member = run(Users.get_user_by_id("u-member"))
        with pytest.raises(Exception, match="^Model not found") as unknown:
            run(generate_chat_completion(request(), {"model": "gpt-5", "messages": []}, admin))
        assert str(unknown.value) == "Model not found"
        assert "'gpt-5' is not in the simulated model registry" in unknown.value.__notes__[0]
        with pytest.raises(AttributeError, match="'NoneType' object has no attribute 'state'") as no_request:
            run(generate_chat_completion(None, dict(body), admin))
        assert "add __request__ to the handler's parameters" in no_request.value.__notes__[0]
        with pytest.raises(AttributeError, match="'dict' object has no attribute 'role'") as dict_user:
            run(generate_chat_completion(request(), dict(body), ADMIN))
        assert "await Users.get_user_by_id(__user__['id'])" in dict_user.value.__notes__[0]
        with pytest.raises(Exception, match="^Model not found") as member_denied:
            run(generate_chat_completion(request(), dict(body), member))
        assert str(member_denied.value) == "Model not found"
        assert "role 'user'" in member_denied.value.__notes__[0]
        allowed = run(generate_chat_completion(request(), dict(body), member, bypass_filter=True))
    assert allowed["choices"][0]["message"]["content"] == "ok"


def test_event_emitter_helpers_return_the_simulation_emitter():
    from open_webui.socket.main import get_event_call, get_event_emitter

    async def emit(event):
        return None

    with _sim_context.simulation_context(event_emitter=emit):
        assert run(get_event_emitter({"chat_id": "c"})) is emit
        assert run(get_event_call({"chat_id": "c"})) is None


def test_load_function_module_by_id_loads_like_the_host():
    from open_webui.utils.plugin import load_function_module_by_id

    source = "class Action:\n    async def action(self, body):\n        return body\n"
    instance, kind, frontmatter, module = run(load_function_module_by_id("helper", content=source))
    assert kind == "action" and frontmatter == {} and type(instance) is module.Action
    with pytest.raises(Exception, match="^Function not found: other$"):
        run(load_function_module_by_id("other"))
    with pytest.raises(Exception, match="^No Function class found in the module$"):
        run(load_function_module_by_id("empty", content="x = 1\n"))


def test_local_storage_writes_uploads_and_returns_local_paths(tmp_path, monkeypatch):
    import io

    from open_webui.storage.provider import Storage

    storage_module = importlib.import_module("actionkit.standins._storage")
    monkeypatch.setattr(storage_module, "UPLOAD_DIR", tmp_path)
    contents, path = Storage.upload_file(io.BytesIO(b"data"), "a.txt", {})
    assert contents == b"data" and Path(path).read_bytes() == b"data"
    assert Storage.get_file(path) == path
    with pytest.raises(ValueError, match="The content provided is empty"):
        Storage.upload_file(io.BytesIO(b""), "b.txt", {})


@pytest.mark.filterwarnings("ignore:coroutine '.*' was never awaited:RuntimeWarning")
def test_host_async_functions_without_await_fail_as_in_the_host():
    from open_webui.socket.main import get_event_emitter
    from open_webui.utils.chat import generate_chat_completion

    with pytest.raises(TypeError) as not_subscriptable:
        generate_chat_completion(request(), {"model": "gpt-4o-mini", "messages": []}, None)["choices"]
    assert str(not_subscriptable.value) == "'coroutine' object is not subscriptable"
    with pytest.raises(TypeError) as not_callable:
        get_event_emitter({})({"type": "status"})
    assert str(not_callable.value) == "'coroutine' object is not callable"


def test_temporary_and_channel_chats_are_not_stored_like_the_host() -> None:
    from actionkit.standins.context import build_chat

    messages = [{"role": "user", "content": "hi"}]
    for chat_id in ("local:abc", "temporary:abc", "channel:abc", ""):
        assert build_chat(chat_id=chat_id, user_id="u", messages=messages) is None
    assert build_chat(chat_id="chat-1", user_id="u", messages=messages) is not None
