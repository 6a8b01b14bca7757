"""A push is all or nothing: valves are checked against the server's own schema before they are
written, and a push that fails puts back every function it touched, as the server held it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

import actionkit
from actionkit.client import OpenWebUIClient, ServerError
from actionkit.errors import ValvesError
from actionkit.store import Store
from tests._sources import ECHO
from tests.client._fake_owui import TOKEN, FakeOpenWebUI

URL = "http://owui.test:8080"

# A tone valve whose options come from the environment: this machine allows "cheerful", the server not.
TONES = '''"""
title: Toner
"""
from typing import Literal
from pydantic import BaseModel, Field

class Action:
    class Valves(BaseModel):
        tone: Literal[{tones}] = "neutral"
        api_key: str = Field("", json_schema_extra={{"input": {{"type": "password"}}}})

    def __init__(self):
        self.valves = self.Valves()

    async def action(self, body):
        return self.valves.tone
'''
HERE = TONES.format(tones='"neutral", "formal", "cheerful"')
ON_SERVER = TONES.format(tones='"neutral", "formal"')

# Valves whose check only the server's validator makes (its key list is not this machine's).
PICKY = """
from pydantic import BaseModel, field_validator

class Action:
    class Valves(BaseModel):
        region: str = "eu"

        @field_validator("region")
        @classmethod
        def known(cls, value):
            if value not in {regions}:
                raise ValueError("unknown region")
            return value

    def __init__(self):
        self.valves = self.Valves()

    async def action(self, body):
        return self.valves.region
"""


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "store.db") as opened:
        yield opened


@pytest.fixture
def client(fake: FakeOpenWebUI, store: Store) -> Iterator[OpenWebUIClient]:
    with OpenWebUIClient(URL, TOKEN, store=store, transport=fake.transport(), prompt=False) as opened:
        yield opened


def test_valves_the_servers_schema_refuses_name_the_field_and_what_it_allows(client, fake, store):
    fake.server_code["toner"] = ON_SERVER
    store.save(actionkit.load(HERE, id="toner"))
    store.set_valves("toner", {"tone": "cheerful", "api_key": "sk-toner-secret"})
    with pytest.raises(ValvesError) as err:
        client.push("toner")
    assert err.value.errors == {"tone": "the server allows 'neutral', 'formal' (got 'cheerful')"}
    assert "nothing was pushed" in str(err.value)
    assert "toner" not in fake.rows  # the create is undone
    assert ("POST", "/api/v1/functions/id/toner/valves/update") not in fake.requests
    assert "sk-toner-secret" not in str(err.value)


def test_a_secret_value_the_server_refuses_is_named_without_its_value(client, fake, store):
    fake.server_code["toner"] = ON_SERVER.replace('Field("",', 'Field("", max_length=4,')
    store.save(actionkit.load(HERE, id="toner"))
    store.set_valves("toner", {"api_key": "sk-too-long-secret"})
    with pytest.raises(ValvesError) as err:
        client.push("toner")
    assert err.value.errors == {"api_key": "the server wants a value at most 4 characters long"}
    assert "sk-too-long-secret" not in str(err.value)


def test_a_failed_update_puts_content_valves_and_flags_back(client, fake, store):
    store.save(actionkit.load(HERE, id="toner"))
    store.set_valves("toner", {"tone": "formal"})
    client.push("toner")
    before = (dict(fake.rows["toner"]), dict(fake.valves["toner"]))
    fake.server_code["toner"] = ON_SERVER.replace(
        '"neutral"', '"plain"', 1
    )  # the new code, as the server sees it
    store.save(actionkit.load(HERE.replace("title: Toner", "title: Toner 2"), id="toner"), is_active=False)
    store.set_valves("toner", {"tone": "neutral"})
    with pytest.raises(ValvesError, match="tone: the server allows 'plain', 'formal'"):
        client.push("toner")
    row, valves = fake.rows["toner"], fake.valves["toner"]
    assert (row["content"], row["name"], row["is_active"], valves) == (
        before[0]["content"],
        before[0]["name"],
        True,
        before[1],
    )


def test_valves_the_server_refuses_with_no_schema_reason_undo_the_create(client, fake, store):
    fake.server_code["picky"] = PICKY.format(regions='("eu",)')
    store.save(actionkit.load(PICKY.format(regions='("eu", "us")'), id="picky"))
    store.set_valves("picky", {"region": "us"})
    with pytest.raises(ServerError, match="refused to set the valves of 'picky'") as err:
        client.push("picky")
    assert "nothing was pushed" in str(err.value)
    assert "picky" not in fake.rows


def test_a_push_of_several_functions_undoes_the_ones_already_pushed(client, fake, store):
    store.save(actionkit.load(ECHO, id="echo"))
    fake.server_code["toner"] = ON_SERVER
    store.save(actionkit.load(HERE, id="toner"))
    store.set_valves("toner", {"tone": "cheerful"})
    with pytest.raises(ValvesError, match="nothing was pushed"):
        client.push(["echo", "toner"])
    assert fake.rows == {}


def test_what_could_not_be_undone_is_said(client, fake, store):
    fake.server_code["toner"] = ON_SERVER
    store.save(actionkit.load(HERE, id="toner"))
    store.set_valves("toner", {"tone": "cheerful"})
    fake.fail_next[("DELETE", "/api/v1/functions/id/toner/delete")] = 500
    with pytest.raises(ValvesError) as err:
        client.push("toner")
    assert "could not be undone everywhere: toner (" in str(err.value)
    # what is left on the server came from this store: the next push finishes it without force
    store.set_valves("toner", {"tone": "formal"})
    assert client.push("toner").items[0].changes == ["valves", "activated"]


def test_a_refused_create_names_the_module_the_server_lacks(client, fake, store):
    fake.refuse_create = True
    store.save(actionkit.load("import nbformat\n\n" + ECHO, id="needs_nbformat"))
    with pytest.raises(ServerError, match="refused to create 'needs_nbformat'") as err:
        client.push("needs_nbformat")
    assert "imports nbformat, which Open WebUI 0.12.4 does not ship" in str(err.value)


def test_a_refused_update_names_the_module_from_the_servers_answer(client, fake, store):
    store.save(actionkit.load(ECHO, id="echo"))
    client.push("echo")
    store.save(actionkit.load("import nbformat\n\n" + ECHO, id="echo"))
    original = fake.handle

    def no_nbformat(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/echo/update") and b"nbformat" in request.content:
            return httpx.Response(400, json={"detail": "No module named 'nbformat'"})
        return original(request)

    with (
        OpenWebUIClient(URL, TOKEN, store=store, transport=httpx.MockTransport(no_nbformat)) as other,
        pytest.raises(ServerError, match="No module named 'nbformat'") as err,
    ):
        other.push("echo")
    assert "the server has no module 'nbformat'" in str(err.value)
    assert "import nbformat" not in fake.rows["echo"]["content"]


def test_a_failed_flag_write_puts_the_other_flag_back(client, fake, store):
    store.save(actionkit.load(ECHO, id="echo"))
    client.push("echo")
    store.set_active("echo", False)
    store.set_global("echo", True)
    fake.fail_next[("POST", "/api/v1/functions/id/echo/toggle/global")] = 500
    with pytest.raises(ServerError, match="nothing was pushed"):
        client.push("echo")
    assert (fake.rows["echo"]["is_active"], fake.rows["echo"]["is_global"]) == (True, False)
    assert client.push("echo").items[0].changes == ["deactivated", "global"]


def test_a_refusal_quoting_a_secret_valve_is_masked(client, fake, store):
    store.save(actionkit.load(HERE, id="toner"))
    store.set_valves("toner", {"api_key": "sk-echoed-by-server"})
    original = fake.handle

    def quoting(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/create"):
            return httpx.Response(400, json={"detail": "key sk-echoed-by-server was revoked"})
        return original(request)

    with (
        OpenWebUIClient(URL, TOKEN, store=store, transport=httpx.MockTransport(quoting)) as other,
        pytest.raises(ServerError) as err,
    ):
        other.push("toner")
    assert "key •••••• was revoked" in str(err.value)
    assert "sk-echoed" not in str(err.value) + (err.value.detail or "")
