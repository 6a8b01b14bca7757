from __future__ import annotations

import http.server
import json
import pickle
import socket
import threading
import warnings
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest

import actionkit
from actionkit.client import ConflictError, OpenWebUIClient, ServerError, ServerVersionWarning
from actionkit.errors import UsageError, ValvesError
from actionkit.store import Store
from tests._sources import COUNTER, ECHO
from tests.client._fake_owui import TOKEN, FakeOpenWebUI

URL = "http://owui.test:8080"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "store.db") as opened:
        yield opened


@pytest.fixture
def client(fake: FakeOpenWebUI, store: Store) -> Iterator[OpenWebUIClient]:
    with OpenWebUIClient(URL, TOKEN, store=store, transport=fake.transport(), prompt=False) as opened:
        yield opened


def save(store: Store, source: str, function_id: str, valves: dict[str, object] | None = None) -> None:
    store.save(actionkit.load(source, id=function_id))
    if valves:
        store.set_valves(function_id, valves)


# -- push ------------------------------------------------------------------------------------


def test_push_creates_function_then_sets_valves_and_activates_it(client, fake, store):
    save(store, COUNTER, "counter", {"limit": 7, "api_key": "sk-valve"})
    result = client.push("counter")
    assert result.status("counter") == "created"
    assert result.items[0].changes == ["valves", "activated"]
    assert fake.rows["counter"]["content"] == COUNTER
    assert fake.rows["counter"]["meta"]["description"] == "counts things"
    assert fake.valves["counter"] == {"limit": 7, "api_key": "sk-valve"}
    assert fake.rows["counter"]["is_active"] is True
    assert fake.rows["counter"]["is_global"] is False


def test_push_of_global_function_toggles_global_flag(client, fake, store):
    save(store, ECHO, "echo")
    store.set_global("echo", True)
    client.push("echo")
    assert fake.rows["echo"]["is_global"] is True


def test_second_push_without_local_change_writes_nothing(client, fake, store):
    save(store, COUNTER, "counter", {"limit": 7})
    client.push("counter")
    writes = len(fake.writes())
    result = client.push("counter")
    assert result.status("counter") == "unchanged"
    assert len(fake.writes()) == writes


def test_push_after_local_edit_updates_content_only(client, fake, store):
    save(store, COUNTER, "counter", {"limit": 7})
    client.push("counter")
    save(store, COUNTER.replace("limit: int = 3", "limit: int = 4"), "counter")
    result = client.push("counter")
    assert result.items[0].changes == ["content"]
    assert "limit: int = 4" in fake.rows["counter"]["content"]
    assert fake.valves["counter"] == {"limit": 7}


def test_push_without_valves_leaves_server_valves_alone(client, fake, store):
    fake.add("counter", COUNTER, valves={"limit": 9})
    save(store, COUNTER, "counter", {"limit": 1})
    client.push("counter", force=True, valves=False)
    assert fake.valves["counter"] == {"limit": 9}


def test_push_refuses_function_changed_on_server_since_last_push(client, fake, store):
    save(store, COUNTER, "counter")
    client.push("counter")
    fake.edit("counter", is_active=False)
    save(store, COUNTER.replace("limit: int = 3", "limit: int = 5"), "counter")
    writes = len(fake.writes())
    with pytest.raises(
        ConflictError, match="changed on http://owui.test:8080 since the last pull/push"
    ) as err:
        client.push("counter")
    assert "force=True" in str(err.value)
    assert len(fake.writes()) == writes
    assert "limit: int = 3" in fake.rows["counter"]["content"]


def test_conflict_within_the_same_second_is_caught_by_fingerprint(client, fake, store):
    save(store, COUNTER, "counter")
    client.push("counter")
    fake.edit("counter", bump=False, content=COUNTER.replace("limit: int = 3", "limit: int = 8"))
    with pytest.raises(ConflictError):
        client.push("counter")


def test_forced_push_overwrites_server_changes(client, fake, store):
    save(store, COUNTER, "counter")
    client.push("counter")
    fake.edit("counter", content=COUNTER.replace("limit: int = 3", "limit: int = 8"))
    client.push("counter", force=True)
    assert fake.rows["counter"]["content"] == COUNTER
    assert client.push("counter").status("counter") == "unchanged"


def test_push_refuses_server_function_this_store_never_pulled(client, fake, store):
    fake.add("counter", COUNTER.replace("limit: int = 3", "limit: int = 6"))
    save(store, COUNTER, "counter")
    with pytest.raises(ConflictError, match="never pulled") as err:
        client.push("counter")
    assert err.value.function_id == "counter"
    assert "pull('counter')" in str(err.value)
    assert fake.writes() == []


def test_push_accepts_unpulled_server_function_that_is_the_same_in_everything(client, fake, store):
    fake.add("counter", COUNTER, active=True)
    save(store, COUNTER, "counter")
    assert client.push("counter").items[0].status == "unchanged"


def test_never_pulled_guard_compares_everything_a_push_would_change(client, fake, store):
    """A colleague's function with the same content but its own name, description and flags is
    not overwritten without force, and the refusal names what differs."""
    fake.add("counter", COUNTER, active=False)
    fake.edit("counter", name="Their counter", meta={"description": "theirs", "manifest": {}})
    save(store, COUNTER, "counter")
    writes = len(fake.writes())
    with pytest.raises(ConflictError, match="never pulled") as err:
        client.push("counter")
    assert "replace its name, description, is_active" in str(err.value)
    assert len(fake.writes()) == writes
    assert client.push("counter", force=True).items[0].changes == ["content", "activated"]
    assert fake.rows["counter"]["name"] == "Counter"


def test_push_checks_every_function_before_writing_any(client, fake, store):
    save(store, ECHO, "echo")
    save(store, COUNTER, "counter")
    fake.add("counter", COUNTER.replace("limit: int = 3", "limit: int = 6"))
    with pytest.raises(ConflictError):
        client.push(["echo", "counter"])
    assert "echo" not in fake.rows


def test_push_of_every_function_when_no_ids_given(client, fake, store):
    save(store, ECHO, "echo")
    save(store, COUNTER, "counter")
    assert sorted(client.push().ids) == ["counter", "echo"]


def test_create_race_reports_id_conflict(client, fake, store, monkeypatch):
    save(store, COUNTER, "counter")
    original = fake.handle

    def create_first(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/create"):
            fake.add("counter", ECHO)
        return original(request)

    monkeypatch.setattr(fake, "handle", create_first)
    with (
        OpenWebUIClient(URL, TOKEN, store=store, transport=httpx.MockTransport(fake.handle)) as racing,
        pytest.raises(ConflictError, match="already has a function 'counter'"),
    ):
        racing.push("counter")


def test_source_the_server_cannot_load_is_explained(client, fake, store):
    fake.refuse_create = True
    save(store, COUNTER, "counter")
    with pytest.raises(ServerError, match="refused to create 'counter'") as err:
        client.push("counter")
    assert err.value.status == 400
    assert "missing on the server" in str(err.value)


def test_valves_the_server_silently_drops_are_reported(client, fake, store):
    fake.drop_valves = True
    save(store, COUNTER, "counter", {"limit": 7})
    with pytest.raises(ServerError, match="did not store them") as err:
        client.push("counter")
    assert "limit" in str(err.value)
    # the half-done push is remembered: pushing again is not taken for a change on the server
    fake.drop_valves = False
    assert client.push("counter").items[0].changes == ["valves", "activated"]


def test_incompatible_stored_valves_are_cleared_before_new_code(client, fake, store):
    save(store, COUNTER, "counter", {"limit": 7})
    client.push("counter")
    fake.incompatible_valves_on_update = True
    save(store, COUNTER.replace("limit: int = 3", "limit: int = 2"), "counter")
    client.push("counter")
    assert "limit: int = 2" in fake.rows["counter"]["content"]
    assert fake.valves["counter"] == {"limit": 7}


# -- pull -------------------------------------------------------------------------------------


def test_pull_brings_functions_valves_and_flags_into_store(client, fake, store):
    fake.add("counter", COUNTER, valves={"limit": 5, "api_key": "sk-x"}, active=True)
    fake.add("echo", ECHO)
    result = client.pull()
    assert sorted(result.ids) == ["counter", "echo"]
    assert result.status("counter") == "new"
    assert store.get("counter").content == COUNTER
    assert store.valves("counter") == {"limit": 5, "api_key": "sk-x"}
    assert store.get("counter").is_active is True
    assert store.get("echo").is_active is False


def test_pull_reports_what_changed_in_the_store(client, fake, store):
    fake.add("counter", COUNTER, valves={"limit": 5})
    client.pull()
    fake.valves["counter"] = {"limit": 6}
    result = client.pull("counter")
    assert result.status("counter") == "updated"
    assert result.items[0].changes == ["valves"]
    assert client.pull("counter").status("counter") == "unchanged"


def test_failed_pull_leaves_the_store_unchanged(client, fake, store):
    save(store, COUNTER, "counter", {"limit": 1})
    fake.add("counter", COUNTER.replace("limit: int = 3", "limit: int = 4"))
    fake.add("broken", ECHO)
    fake.rows["broken"]["content"] = "class Pipe(:\n"
    before = store.export(include_valves=True)
    with pytest.raises(ServerError, match="nothing was pulled") as err:
        client.pull(force=True)
    assert "broken" in str(err.value)
    assert store.export(include_valves=True) == before
    assert "broken" not in store


def test_pull_refuses_to_replace_local_edits_made_since_last_pull(client, fake, store):
    fake.add("counter", COUNTER, valves={"limit": 5})
    client.pull()
    store.set_valves("counter", {"limit": 6})
    fake.edit("counter", content=COUNTER.replace("limit: int = 3", "limit: int = 4"))
    with pytest.raises(
        ConflictError,
        match="the store's 'counter' changed since the last pull/push from http://owui.test:8080",
    ) as err:
        client.pull()
    assert "push('counter') keeps yours" in str(err.value)
    assert store.valves("counter") == {"limit": 6}
    result = client.pull(force=True)
    assert result.items[0].changes == ["content", "valves"]
    assert len(store.history("counter")) == 2


def test_pull_replaces_unedited_local_copy_with_newer_server_version(client, fake, store):
    fake.add("counter", COUNTER)
    client.pull()
    fake.edit("counter", content=COUNTER.replace("limit: int = 3", "limit: int = 4"))
    assert client.pull().items[0].changes == ["content"]


def test_pull_refuses_to_replace_a_local_function_never_synced(client, fake, store):
    save(store, COUNTER, "counter")
    fake.add("counter", ECHO)
    with pytest.raises(ConflictError, match="was never pulled from or pushed to http://owui.test:8080"):
        client.pull("counter")
    assert store.get("counter").type == "action"


def test_pull_accepts_a_never_synced_local_function_equal_to_the_server(client, fake, store):
    save(store, COUNTER, "counter")
    fake.add("counter", COUNTER, active=True)
    assert client.pull().status("counter") == "unchanged"


def test_pull_of_unknown_id_names_the_server_functions(client, fake, store):
    fake.add("echo", ECHO)
    with pytest.raises(ServerError, match="has no function 'nope'.*it has: echo"):
        client.pull("nope")


def test_push_after_pull_is_allowed_and_sidecar_remembers_each_field(client, fake, store):
    fake.add("counter", COUNTER)
    client.pull()
    sidecar = Path(store.path + ".remote.json")
    remembered = json.loads(sidecar.read_text())["servers"][URL]["counter"]
    assert (
        set(remembered["server"])
        == set(remembered["store"])
        == {"content", "name", "description", "valves", "is_active", "is_global"}
    )
    save(store, COUNTER.replace("limit: int = 3", "limit: int = 4"), "counter")
    assert client.push("counter").status("counter") == "updated"
    assert TOKEN not in sidecar.read_text()


def test_sync_is_pull(client):
    assert client.sync == client.pull


# -- diff -------------------------------------------------------------------------------------


def test_diff_shows_content_valves_and_flags_with_secrets_masked(client, fake, store):
    fake.add("counter", COUNTER, valves={"api_key": "sk-server-secret"}, active=True)
    client.pull()
    save(store, COUNTER.replace("limit: int = 3", "limit: int = 4"), "counter")
    store.set_valves("counter", {"api_key": "sk-local-secret", "limit": 2})
    store.set_active("counter", False)
    diff = client.diff("counter")
    text = str(diff)
    assert not diff.same
    assert "sk-" not in text and "sk-" not in diff._repr_mimebundle_()["text/html"]
    assert "api_key: store ••••••, server ••••••" in text
    assert "limit: store 2, server (unset)" in text
    assert "is_active: store no, server yes" in text
    assert "    -        limit: int = 3" in text and "    +        limit: int = 4" in text
    assert diff.changed_on_server is False


def test_diff_of_equal_function_says_they_agree(client, fake, store):
    save(store, COUNTER, "counter")
    client.push("counter")
    diff = client.diff("counter")
    assert diff.same
    assert str(diff) == "counter: the store and http://owui.test:8080 agree (content, valves, flags)"


def test_diff_of_function_only_in_store(client, store):
    save(store, ECHO, "echo")
    assert str(client.diff("echo")) == "echo: only in the store; push creates it on http://owui.test:8080"


# -- set_valves, actions ----------------------------------------------------------------------


def test_invalid_valve_is_named_before_the_server_is_asked(client, fake):
    fake.add("counter", COUNTER)
    with pytest.raises(ValvesError) as err:
        client.set_valves("counter", {"limit": "many"})
    assert err.value.fields == ["limit"]
    assert fake.writes() == []


def test_set_valves_stores_them_on_the_server(client, fake):
    fake.add("counter", COUNTER)
    assert client.set_valves("counter", {"limit": 4, "unknown": 1}) == {"limit": 4}
    assert fake.valves["counter"] == {"limit": 4}


def test_call_action_posts_the_body(client, fake):
    assert client.call_action("counter", {"model": "echo"}) == {"ran": "counter", "model": "echo"}


# -- tokens, URLs, versions -------------------------------------------------------------------


def test_token_never_shows_in_repr_or_pickle(client):
    assert TOKEN not in repr(client)
    assert repr(client) == "OpenWebUIClient('http://owui.test:8080', token=••••••)"
    assert TOKEN not in repr(client.token) and TOKEN not in str(client.token)
    with pytest.raises(TypeError):
        pickle.dumps(client.token)


def test_wrong_token_error_names_the_variable_and_masks_the_token(store):
    fake = FakeOpenWebUI(token="the-right-one")
    with (
        OpenWebUIClient(URL, TOKEN, store=store, transport=fake.transport()) as wrong,
        pytest.raises(ServerError, match="refused the token") as err,
    ):
        wrong.pull()
    assert err.value.status == 401
    assert "OPENWEBUI_TOKEN" in str(err.value)
    assert TOKEN not in str(err.value)


def test_token_echoed_by_server_is_masked_in_errors(store):
    def echo_header(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api/version":
            return httpx.Response(200, json={"version": "0.12.4"})
        return httpx.Response(500, json={"detail": f"bad header {request.headers['authorization']}"})

    with (
        OpenWebUIClient(URL, TOKEN, store=store, transport=httpx.MockTransport(echo_header)) as c,
        pytest.raises(ServerError) as err,
    ):
        c.pull()
    assert TOKEN not in str(err.value) and TOKEN not in (err.value.detail or "")
    assert "bad header Bearer ••••••" in str(err.value)


def test_answer_that_is_not_json_is_explained(store):
    page = httpx.MockTransport(
        lambda r: httpx.Response(200, text="<html>login</html>", headers={"content-type": "text/html"})
    )
    with (
        OpenWebUIClient(URL, TOKEN, store=store, transport=page) as c,
        pytest.raises(ServerError, match="text/html instead of JSON: '<html>login</html>'") as err,
    ):
        c.pull()
    assert "Open WebUI address itself" in str(err.value)
    assert len(store) == 0


def test_server_down_is_explained(store):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with (
        OpenWebUIClient(f"http://127.0.0.1:{port}", TOKEN, store=store, timeout=5) as c,
        pytest.raises(
            ServerError, match=f"cannot reach the Open WebUI server at http://127.0.0.1:{port}"
        ) as err,
    ):
        c.pull()
    assert err.value.status is None
    assert "OPENWEBUI_URL" in str(err.value)


def test_html_answer_from_a_real_socket(store):
    class Page(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = b"<!doctype html><title>proxy</title>"
            self.send_response(200)
            self.send_header("content-type", "text/html; charset=utf-8")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with (
            OpenWebUIClient(f"http://127.0.0.1:{server.server_port}", TOKEN, store=store, timeout=5) as c,
            pytest.raises(ServerError, match="GET .*/api/version answered 200 with text/html"),
        ):
            c.version()
    finally:
        server.shutdown()
        server.server_close()


def test_other_server_version_warns_with_behaviours_that_may_differ(store):
    fake = FakeOpenWebUI(version="0.8.5")
    fake.add("echo", ECHO)
    with (
        OpenWebUIClient(URL, TOKEN, store=store, transport=fake.transport()) as old,
        pytest.warns(ServerVersionWarning, match="actionkit follows 0.12.4") as caught,
    ):
        result = old.pull()
    message = str(caught[0].message)
    assert "since 0.9.0: outlet filters run inline" in message
    assert "since 0.8.6" in message and "since 0.6.31" not in message
    assert "Open WebUI 0.8.5" in str(result)
    assert result.to_dict()["version_matches"] is False


def test_newer_server_version_says_later_changes_are_not_simulated(store):
    fake = FakeOpenWebUI(version="0.13.0")
    with (
        OpenWebUIClient(URL, TOKEN, store=store, transport=fake.transport()) as new,
        pytest.warns(ServerVersionWarning, match="newer than 0.12.4"),
    ):
        new.version()


def test_matching_version_does_not_warn(client):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert client.version().matches


def test_url_and_token_come_from_the_environment(monkeypatch, store, fake):
    monkeypatch.setenv("OPENWEBUI_URL", "owui.test:8080/api/v1/")
    monkeypatch.setenv("OPENWEBUI_TOKEN", TOKEN)
    with OpenWebUIClient(store=store, transport=fake.transport()) as c:
        assert c.url == URL
        assert c.version().version == "0.12.4"


def test_missing_url_and_token_say_how_to_give_them(monkeypatch, store):
    monkeypatch.delenv("OPENWEBUI_URL", raising=False)
    monkeypatch.delenv("OPENWEBUI_TOKEN", raising=False)
    with pytest.raises(ServerError, match="no Open WebUI server given") as err:
        OpenWebUIClient(token=TOKEN, store=store)
    assert "OPENWEBUI_URL" in str(err.value)
    with pytest.raises(ServerError, match="no token for http://owui.test:8080") as err:
        OpenWebUIClient(URL, store=store, prompt=False)
    assert "OPENWEBUI_TOKEN" in str(err.value)


def test_token_prompt_uses_getpass(monkeypatch, store, fake):
    monkeypatch.delenv("OPENWEBUI_TOKEN", raising=False)
    asked: list[str] = []

    def fake_getpass(prompt: str) -> str:
        asked.append(prompt)
        return TOKEN

    monkeypatch.setattr("getpass.getpass", fake_getpass)
    with OpenWebUIClient(URL, store=store, transport=fake.transport()) as c:
        assert c.functions() == []
    assert asked == ["Open WebUI API key or token for http://owui.test:8080: "]


def test_url_credentials_are_masked_when_shown(store, fake):
    with OpenWebUIClient(
        "http://admin:pw@owui.test:8080", TOKEN, store=store, transport=fake.transport()
    ) as c:
        assert "pw" not in repr(c)
        assert c.server == "http://••••••@owui.test:8080"


def test_not_a_url_is_refused():
    with pytest.raises(ServerError, match="not an http"):
        OpenWebUIClient("ftp://owui.test", TOKEN)


def test_memory_store_remembers_server_state_in_memory(fake):
    with Store(":memory:") as memory:
        save(memory, COUNTER, "counter")
        with OpenWebUIClient(URL, TOKEN, store=memory, transport=fake.transport()) as c:
            c.push("counter")
            fake.edit("counter", is_global=True)
            with pytest.raises(ConflictError):
                c.push("counter")


def test_python_messages_keep_python_words(client, fake, store):
    fake.add("counter", ECHO)
    save(store, COUNTER, "counter")
    with pytest.raises(ConflictError) as err:
        client.push("counter")
    assert "diff('counter')" in str(err.value) and "push('counter', force=True)" in str(err.value)
    assert "--force" not in str(err.value)


def test_token_with_a_line_break_is_refused_before_anything_is_sent(fake, store):
    with pytest.raises(UsageError, match="holds a line break") as err:
        OpenWebUIClient(URL, "sk-leaky-0123\nX-Injected: 1", store=store, transport=fake.transport())
    assert "sk-leaky" not in str(err.value) and "X-Injected" not in str(err.value)
    assert fake.requests == []


def test_every_written_form_of_the_token_is_masked(store):
    token = "sk-a/b+c=d\\e"

    def echo_forms(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api/version":
            return httpx.Response(200, json={"version": "0.12.4"})
        forms = [token, repr(token), json.dumps(token), quote(token, safe="")]
        return httpx.Response(500, json={"detail": " | ".join(forms)})

    with (
        OpenWebUIClient(URL, token, store=store, transport=httpx.MockTransport(echo_forms)) as c,
        pytest.raises(ServerError) as err,
    ):
        c.pull()
    text = str(err.value) + (err.value.detail or "")
    assert "a/b+c" not in text and "a%2Fb" not in text
    assert text.count("••••••") >= 8
