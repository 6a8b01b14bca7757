"""Round trips to a real ``open-webui serve`` (0.12.4, installed by actionkit) on a loopback port.

The module starts one server in a temporary DATA_DIR with the offline settings of
shared/spec/oracle.md, signs up the first admin, and then drives it only through
:class:`actionkit.client.OpenWebUIClient`: push with valves, flags, an action run through
``POST /api/chat/actions/{id}`` against a pushed pipe as the model, pull into a fresh store and
compare; then the errors users meet (wrong token, id conflict, invalid valve, a source the server
cannot load, valves the server does not store, a server that is down).
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

import actionkit
from actionkit.client import ConflictError, OpenWebUIClient, ServerError
from actionkit.errors import ValvesError
from actionkit.store import Store

from ._venv import owui_python

pytestmark = pytest.mark.conformance

START_TIMEOUT = 240.0
ADMIN = {"name": "Admin", "email": "admin@actionkit.invalid", "password": "round-trip-pw-1"}

COUNTER = '''"""
title: Counter
description: reports its limit valve
version: 0.1
"""
from pydantic import BaseModel, Field


class Action:
    class Valves(BaseModel):
        limit: int = 3
        api_key: str = Field("", json_schema_extra={"input": {"type": "password"}})

    def __init__(self):
        self.valves = self.Valves()

    async def action(self, body, __event_emitter__=None):
        if __event_emitter__:
            await __event_emitter__({"type": "status", "data": {"description": "counted", "done": True}})
        return {"limit": self.valves.limit, "has_key": bool(self.valves.api_key), "model": body.get("model")}
'''

ECHO_MODEL = '''"""
title: Echo model
"""
from pydantic import BaseModel


class Pipe:
    class Valves(BaseModel):
        greeting: str = "hello"

    def __init__(self):
        self.valves = self.Valves()

    def pipe(self, body):
        return self.valves.greeting
'''

SHOUT = '''"""
title: Shout
"""
from pydantic import BaseModel


class Filter:
    class Valves(BaseModel):
        priority: int = 0

    def __init__(self):
        self.valves = self.Valves()

    def inlet(self, body):
        for message in body.get("messages", []):
            message["content"] = str(message.get("content", "")).upper()
        return body
'''


@dataclass
class Server:
    url: str
    token: str
    process: subprocess.Popen[bytes]
    log: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)

    def client(self, store: Store, token: str | None = None) -> OpenWebUIClient:
        return OpenWebUIClient(self.url, token or self.token, store=store, prompt=False, timeout=120)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _tail(log: Path, lines: int = 40) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:]) if log.exists() else ""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    python = owui_python()
    executable = python.parent / "open-webui"
    work = tmp_path_factory.mktemp("owui-server")
    data = work / "data"
    (data / "static").mkdir(parents=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ACTIONKIT_", "OPENWEBUI_"))}
    env.update(
        DATA_DIR=str(data),
        STATIC_DIR=str(data / "static"),
        FROM_INIT_PY="true",
        WEBUI_SECRET_KEY="actionkit-round-trip",
        OFFLINE_MODE="true",
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        ENABLE_PIP_INSTALL_FRONTMATTER_REQUIREMENTS="False",
        ENABLE_VERSION_UPDATE_CHECK="false",
        ANONYMIZED_TELEMETRY="false",
        DO_NOT_TRACK="true",
        ENABLE_OLLAMA_API="false",
        ENABLE_OPENAI_API="false",
        ENABLE_WEB_SEARCH="false",
        RAG_EMBEDDING_ENGINE="openai",
        RAG_OPENAI_API_BASE_URL="http://127.0.0.1:9/v1",
    )
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = work / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(executable), "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=work,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    handle = Server(url, "", process, log)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if process.poll() is not None:
                pytest.fail(f"open-webui serve exited with {process.returncode}:\n{_tail(log)}")
            try:
                if httpx.get(f"{url}/health", timeout=5).json().get("status") is True:
                    break
            except (httpx.HTTPError, ValueError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"open-webui serve not healthy after {START_TIMEOUT:g} s:\n{_tail(log)}")
            time.sleep(0.5)
        signup = httpx.post(f"{url}/api/v1/auths/signup", json=ADMIN, timeout=60)
        assert signup.status_code == 200, signup.text
        assert signup.json()["role"] == "admin"
        handle.token = signup.json()["token"]
        yield handle
    finally:
        handle.stop()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "store.db") as opened:
        yield opened


def test_push_run_and_pull_round_trip(server: Server, store: Store, tmp_path: Path) -> None:
    store.save(actionkit.load(COUNTER, id="counter"))
    store.set_valves("counter", {"limit": 7, "api_key": "sk-round-trip"})
    store.save(actionkit.load(ECHO_MODEL, id="echo_model"))
    store.set_valves("echo_model", {"greeting": "hi there"})
    store.save(actionkit.load(SHOUT, id="shout"), is_active=False, is_global=True)
    store.set_valves("shout", {"priority": 2})

    with server.client(store) as client:
        assert client.version().version == "0.12.4"
        pushed = client.push(["counter", "echo_model", "shout"])
        assert [(i.function_id, i.status, i.changes) for i in pushed.items] == [
            ("counter", "created", ["valves", "activated"]),
            ("echo_model", "created", ["valves", "activated"]),
            ("shout", "created", ["valves", "global"]),
        ]
        assert client.push(["counter", "echo_model", "shout"]).items[0].status == "unchanged"
        assert client.diff("counter").same

        # toggles: deactivate locally, push, the server follows
        store.set_active("echo_model", False)
        assert client.push("echo_model").items[0].changes == ["deactivated"]
        assert client.get("echo_model")["is_active"] is False  # type: ignore[index]
        store.set_active("echo_model", True)
        assert client.push("echo_model").items[0].changes == ["activated"]

        # the pushed pipe serves as the model of an action run on the server, with the pushed valves
        body = {
            "model": "echo_model",
            "messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}],
            "id": "message-1",
            "chat_id": "chat-1",
            "session_id": "session-1",
        }
        assert client.call_action("counter", body) == {"limit": 7, "has_key": True, "model": "echo_model"}
        models = client._conn.request("GET", "/api/models").data["data"]
        assert [m["id"] for m in models] == ["echo_model"]

        # a local edit goes up as an update; the valves survive
        store.save(actionkit.load(COUNTER.replace("version: 0.1", "version: 0.2"), id="counter"))
        assert client.push("counter").items[0].changes == ["content"]
        assert client.get("counter")["meta"]["manifest"]["version"] == "0.2"  # type: ignore[index]

    with Store(tmp_path / "pulled.db") as fresh, server.client(fresh) as client:
        pulled = client.pull()
        assert {"counter", "echo_model", "shout"} <= set(pulled.ids)
        assert {i.status for i in pulled.items} == {"new"}
        for function_id in ("counter", "echo_model", "shout"):
            mine, theirs = store.get(function_id), fresh.get(function_id)
            assert (theirs.content, theirs.valves, theirs.is_active, theirs.is_global, theirs.type) == (
                mine.content,
                mine.valves,
                mine.is_active,
                mine.is_global,
                mine.type,
            ), function_id
        # pulled functions can be pushed back without force: the server's updated_at was remembered
        fresh.set_valves("counter", {"limit": 8})
        assert client.push("counter").items[0].changes == ["valves"]
        assert client.call_action("counter", body)["limit"] == 8


def test_change_on_server_since_last_pull_blocks_push_until_forced(server: Server, store: Store) -> None:
    store.save(actionkit.load(ECHO_MODEL, id="echo_edit"))
    with server.client(store) as client:
        client.push("echo_edit")
        # someone edits the valves in the web page meanwhile
        client._conn.request(
            "POST", "/api/v1/functions/id/echo_edit/valves/update", json_body={"greeting": "yo"}
        )
        store.set_valves("echo_edit", {"greeting": "mine"})
        diff = client.diff("echo_edit")
        assert diff.changed_on_server is True
        assert diff.valves == {"greeting": ("mine", "yo")}
        with pytest.raises(ConflictError, match="changed on .* since the last pull/push"):
            client.push("echo_edit")
        assert client.get("echo_edit")["valves"] == {"greeting": "yo"}  # type: ignore[index]
        client.push("echo_edit", force=True)
        assert client.get("echo_edit")["valves"] == {"greeting": "mine"}  # type: ignore[index]


def test_id_conflict_with_a_function_never_pulled(server: Server, store: Store, tmp_path: Path) -> None:
    with Store(tmp_path / "other.db") as other, server.client(other) as client:
        other.save(actionkit.load(ECHO_MODEL, id="taken"))
        client.push("taken")
    store.save(actionkit.load(COUNTER, id="taken"))
    with server.client(store) as client:
        with pytest.raises(ConflictError, match="never pulled") as err:
            client.push("taken")
        assert err.value.function_id == "taken"
        assert client.get("taken")["type"] == "pipe"  # type: ignore[index]


def test_wrong_token_is_refused_and_never_shown(server: Server, store: Store) -> None:
    wrong = "sk-" + "0" * 32
    with (
        server.client(store, token=wrong) as client,
        pytest.raises(ServerError, match=r"refused the token \(401") as err,
    ):
        client.pull()
    assert err.value.status == 401
    assert wrong not in str(err.value) and server.token not in str(err.value)
    assert len(store) == 0


def test_invalid_valve_is_named_and_the_server_would_refuse_it(server: Server, store: Store) -> None:
    store.save(actionkit.load(COUNTER, id="valved"))
    with server.client(store) as client:
        client.push("valved")
        with pytest.raises(ValvesError) as err:
            client.set_valves("valved", {"limit": "many"})
        assert err.value.fields == ["limit"]
        # what the check spares the user: the server's own answer names nothing
        raw = httpx.post(
            f"{server.url}/api/v1/functions/id/valved/valves/update",
            json={"limit": "many"},
            headers={"Authorization": f"Bearer {server.token}"},
            timeout=60,
        )
        assert (raw.status_code, raw.json()) == (400, {"detail": "[ERROR: Error updating function valves]"})
        assert client.set_valves("valved", {"limit": 4}) == {"limit": 4}


def test_secret_str_valves_are_refused_locally_because_the_server_stores_nothing(
    server: Server, store: Store
) -> None:
    source = COUNTER.replace(
        'api_key: str = Field("", json_schema_extra={"input": {"type": "password"}})',
        'api_key: SecretStr = SecretStr("")',
    ).replace("from pydantic import BaseModel, Field", "from pydantic import BaseModel, Field, SecretStr")
    store.save(actionkit.load(source, id="secretive"))
    with pytest.raises(ValvesError, match="stores nothing") as err:
        store.set_valves("secretive", {"api_key": "sk-hidden"})
    assert set(err.value.errors) == {"api_key"}
    with server.client(store) as client:
        client.push("secretive")
    # The fact behind the refusal: the real server answers OK and keeps nothing.
    headers = {"Authorization": f"Bearer {server.token}"}
    answer = httpx.post(
        f"{server.url}/api/v1/functions/id/secretive/valves/update",
        json={"api_key": "sk-hidden"},
        headers=headers,
        timeout=60,
    )
    assert answer.status_code == 200, answer.text
    stored = httpx.get(f"{server.url}/api/v1/functions/id/secretive/valves", headers=headers, timeout=60)
    assert stored.json() == {}


def test_source_the_server_cannot_load_is_refused_clearly(server: Server, store: Store) -> None:
    source = (
        '"""\ntitle: Needs nbformat\nrequirements: nbformat\n"""\nimport nbformat\n\n\n'
        + ECHO_MODEL.split('"""\n', 2)[2]
    )
    store.save(actionkit.load(source, id="needs_nbformat"))
    with server.client(store) as client:
        with pytest.raises(ServerError, match="refused to create 'needs_nbformat'") as err:
            client.push("needs_nbformat")
        assert "missing on the server" in str(err.value)
        assert client.get("needs_nbformat") is None


def test_failed_pull_changes_nothing_locally(server: Server, store: Store) -> None:
    store.save(actionkit.load(SHOUT, id="shout_local"))
    store.set_valves("shout_local", {"priority": 1})
    # a function the server loads but this machine cannot (sqlalchemy is only on the server)
    needs_sqlalchemy = "import sqlalchemy\n\n" + SHOUT.split('"""\n', 2)[2]
    headers = {"Authorization": f"Bearer {server.token}"}
    created = httpx.post(
        f"{server.url}/api/v1/functions/create",
        json={"id": "server_only", "name": "Server only", "content": needs_sqlalchemy, "meta": {}},
        headers=headers,
        timeout=60,
    )
    assert created.status_code == 200, created.text
    try:
        with server.client(store) as client:
            client.push("shout_local")
            client._conn.request(
                "POST", "/api/v1/functions/id/shout_local/valves/update", json_body={"priority": 5}
            )
            before = store.export(include_valves=True)
            with pytest.raises(ServerError, match="nothing was pulled") as err:
                client.pull(["shout_local", "server_only"])
            assert "'server_only'" in str(err.value) and "sqlalchemy" in str(err.value)
            with pytest.raises(ServerError, match="has no function 'does_not_exist': nothing was pulled"):
                client.pull(["shout_local", "does_not_exist"])
            assert store.export(include_valves=True) == before
            assert client.pull("shout_local").items[0].changes == ["valves"]
            assert store.valves("shout_local") == {"priority": 5}
    finally:
        httpx.delete(f"{server.url}/api/v1/functions/id/server_only/delete", headers=headers, timeout=60)


TONER = '''"""
title: Toner
"""
import os
from typing import Literal

from pydantic import BaseModel


class Action:
    class Valves(BaseModel):
        # Options from the environment: this machine and the server need not agree.
        tone: Literal[tuple(os.environ.get("ACTIONKIT_TEST_TONES", "neutral,formal").split(","))] = "neutral"

    def __init__(self):
        self.valves = self.Valves()

    async def action(self, body):
        return self.valves.tone
'''


def _raw(server: Server, method: str, path: str, body: object = None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {server.token}"}
    return httpx.request(method, f"{server.url}{path}", json=body, headers=headers, timeout=60)


def _wait_for_the_next_second() -> None:
    """The server stamps updated_at in whole seconds: the next write then moves it."""
    time.sleep(1.05 - time.time() % 1)


def test_never_pulled_guard_compares_name_description_and_flags(
    server: Server, store: Store, tmp_path: Path
) -> None:
    with Store(tmp_path / "colleague.db") as theirs, server.client(theirs) as client:
        theirs.save(actionkit.load(ECHO_MODEL, id="same_code"))
        client.push("same_code")
    form = {"id": "same_code", "name": "Their echo", "content": ECHO_MODEL, "meta": {"description": "theirs"}}
    assert _raw(server, "POST", "/api/v1/functions/id/same_code/update", form).status_code == 200
    assert _raw(server, "POST", "/api/v1/functions/id/same_code/toggle").json()["is_active"] is False
    store.save(actionkit.load(ECHO_MODEL, id="same_code"))
    with server.client(store) as client:
        with pytest.raises(ConflictError, match="replace its name, description, is_active"):
            client.push("same_code")
        row = client.get("same_code")
        assert (row["name"], row["meta"]["description"], row["is_active"]) == ("Their echo", "theirs", False)  # type: ignore[index]
        client.push("same_code", force=True)
        assert client.get("same_code")["name"] == "Echo model"  # type: ignore[index]


def test_toggling_off_and_on_in_the_web_page_is_no_conflict(server: Server, store: Store) -> None:
    store.save(actionkit.load(ECHO_MODEL, id="toggled"))
    with server.client(store) as client:
        client.push("toggled")
        before = client.get("toggled")["updated_at"]  # type: ignore[index]
        _wait_for_the_next_second()
        _raw(server, "POST", "/api/v1/functions/id/toggled/toggle")
        _raw(server, "POST", "/api/v1/functions/id/toggled/toggle")
        assert client.get("toggled")["updated_at"] > before  # type: ignore[index]
        store.save(actionkit.load(ECHO_MODEL.replace('"hello"', '"hi"'), id="toggled"))
        assert client.diff("toggled").changed_on_server is False
        assert client.push("toggled").items[0].changes == ["content"]


def test_a_push_applied_but_never_remembered_is_no_conflict(server: Server, store: Store) -> None:
    """What a push leaves when its request timed out after the server applied it: the server holds
    the store's version, the remembered state is the one before."""
    store.save(actionkit.load(ECHO_MODEL, id="applied"))
    with server.client(store) as client:
        client.push("applied")
        edited = ECHO_MODEL.replace('"hello"', '"applied"')
        store.save(actionkit.load(edited, id="applied"))
        _wait_for_the_next_second()
        form = {"id": "applied", "name": "Echo model", "content": edited, "meta": {"description": ""}}
        assert _raw(server, "POST", "/api/v1/functions/id/applied/update", form).status_code == 200
        assert client.diff("applied").same
        assert client.push("applied").items[0].status == "unchanged"


def test_valves_the_server_refuses_are_checked_first_and_a_failed_push_changes_nothing(
    server: Server, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACTIONKIT_TEST_TONES", "neutral,formal,cheerful")  # not in the server's environment
    store.save(actionkit.load(TONER, id="toner"))
    store.set_valves("toner", {"tone": "cheerful"})
    with server.client(store) as client:
        with pytest.raises(ValvesError) as err:
            client.push("toner")
        assert err.value.errors == {"tone": "the server allows 'neutral', 'formal' (got 'cheerful')"}
        assert "nothing was pushed" in str(err.value)
        assert client.get("toner") is None  # the create was undone
        store.set_valves("toner", {"tone": "formal"})
        client.push("toner")
        before = client.get("toner")
        store.save(
            actionkit.load(TONER.replace("title: Toner", "title: Toner 2"), id="toner"), is_active=False
        )
        store.set_valves("toner", {"tone": "cheerful"})
        with pytest.raises(ValvesError, match="tone: the server allows 'neutral', 'formal'"):
            client.push("toner")
        after = client.get("toner")
        assert after is not None and before is not None
        for key in ("content", "name", "valves", "is_active", "is_global"):
            assert after[key] == before[key], key


def test_a_refused_update_and_a_refused_create_name_the_missing_module(server: Server, store: Store) -> None:
    store.save(actionkit.load(ECHO_MODEL, id="grows_a_dependency"))
    needs = "import nbformat\n\n" + ECHO_MODEL
    with server.client(store) as client:
        client.push("grows_a_dependency")
        store.save(actionkit.load(needs, id="grows_a_dependency"))
        with pytest.raises(ServerError, match="No module named 'nbformat'") as updated:
            client.push("grows_a_dependency")
        assert "the server has no module 'nbformat'" in str(updated.value)
        store.save(actionkit.load(needs, id="new_with_dependency"))
        with pytest.raises(ServerError, match="refused to create 'new_with_dependency'") as created:
            client.push("new_with_dependency")
        assert "imports nbformat, which Open WebUI 0.12.4 does not ship" in str(created.value)


def test_loopback_aliases_name_one_server(server: Server, store: Store) -> None:
    store.save(actionkit.load(ECHO_MODEL, id="aliased"))
    with server.client(store) as client:
        client.push("aliased")
    store.save(actionkit.load(ECHO_MODEL.replace('"hello"', '"alias"'), id="aliased"))
    alias = server.url.replace("127.0.0.1", "localhost")
    with OpenWebUIClient(alias, server.token, store=store, prompt=False, timeout=120) as client:
        assert client.diff("aliased").changed_on_server is False
        assert client.push("aliased").items[0].changes == ["content"]


def test_cli_messages_speak_cli_and_mask_key_named_valves(
    server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from actionkit.cli import main

    keyed = ECHO_MODEL.replace(
        'greeting: str = "hello"', 'greeting: str = "hello"\n        OPENAI_API_KEY: str = ""'
    )
    path = str(tmp_path / "cli.db")
    with Store(path) as cli_store:
        cli_store.save(actionkit.load(keyed, id="cli_keyed"))
        cli_store.set_valves("cli_keyed", {"OPENAI_API_KEY": "sk-cli-store-81f2"})
    monkeypatch.setenv("OPENWEBUI_TOKEN", server.token)
    common = ["--url", server.url, "--store", path, "--timeout", "120"]
    assert main(["push", "cli_keyed", *common]) == 0
    _raw(
        server,
        "POST",
        "/api/v1/functions/id/cli_keyed/valves/update",
        {"OPENAI_API_KEY": "sk-cli-server-3b9d"},
    )
    capsys.readouterr()
    assert main(["diff", "cli_keyed", *common]) == 1
    assert main(["diff", "cli_keyed", "--json", *common]) == 1
    assert main(["push", "cli_keyed", *common]) == 3
    captured = capsys.readouterr()
    assert "OPENAI_API_KEY: store ••••••, server ••••••" in captured.out
    assert "actionkit push cli_keyed --force" in captured.err and "force=True" not in captured.err
    assert "sk-cli-" not in captured.out + captured.err


def test_api_keys_are_off_by_default_and_the_readme_says_how_to_turn_them_on(server: Server) -> None:
    answer = _raw(server, "POST", "/api/v1/auths/api_key")
    assert answer.status_code == 403, answer.text
    assert "not allowed" in answer.json()["detail"]
    readme = " ".join((Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8").split())
    for fact in (
        "Admin Panel > Settings > Authentication",
        "ENABLE_API_KEYS=true",
        "Settings > Account > JWT Token",
    ):
        assert fact in readme, fact


def test_server_that_is_down(server: Server, store: Store) -> None:
    """Last in the module: stops the shared server."""
    server.stop()
    with (
        server.client(store) as client,
        pytest.raises(ServerError, match=f"cannot reach the Open WebUI server at {server.url}") as err,
    ):
        client.pull()
    assert err.value.status is None
    assert len(store) == 0
