"""A conflict is a difference in what the server holds: a field someone changed there since the last
pull or push that a push would overwrite. A moved ``updated_at`` is none, and every spelling of one
server (loopback aliases, default ports) is that one server."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

import actionkit
from actionkit.client import ConflictError, OpenWebUIClient, ServerError, server_key
from actionkit.store import Store
from tests._sources import COUNTER
from tests.client._fake_owui import TOKEN, FakeOpenWebUI

URL = "http://owui.test:8080"
EDITED = COUNTER.replace("limit: int = 3", "limit: int = 4")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "store.db") as opened:
        yield opened


def client_for(
    fake: FakeOpenWebUI, store: Store, url: str = URL, transport: object = None
) -> OpenWebUIClient:
    return OpenWebUIClient(url, TOKEN, store=store, transport=transport or fake.transport(), prompt=False)


def test_toggling_off_and_on_in_the_web_page_is_no_conflict(fake, store):
    store.save(actionkit.load(COUNTER, id="counter"))
    with client_for(fake, store) as client:
        client.push("counter")
        fake.edit("counter", is_active=False)
        fake.edit("counter", is_active=True)
        store.save(actionkit.load(EDITED, id="counter"))
        diff = client.diff("counter")
        assert diff.changed_on_server is False
        assert client.push("counter").items[0].changes == ["content"]


def test_a_real_change_on_the_server_is_still_a_conflict_naming_the_field(fake, store):
    store.save(actionkit.load(COUNTER, id="counter"))
    with client_for(fake, store) as client:
        client.push("counter")
        fake.edit("counter", bump=False, meta={"description": "edited in the page", "manifest": {}})
        store.save(actionkit.load(EDITED, id="counter"))
        assert client.diff("counter").changed_on_server is True
        with pytest.raises(ConflictError, match=r"since the last pull/push from this store \(description\)"):
            client.push("counter")


def test_a_field_changed_on_the_server_to_what_the_push_writes_is_no_conflict(fake, store):
    store.save(actionkit.load(COUNTER, id="counter"))
    with client_for(fake, store) as client:
        client.push("counter")
        store.save(actionkit.load(EDITED, id="counter"))
        fake.edit("counter", content=EDITED)  # a colleague made the same edit
        assert client.push("counter").items[0].status == "unchanged"


def test_a_push_applied_although_its_answer_timed_out_is_no_conflict_next_time(fake, store):
    """The update is applied but its answer never comes, and the server is out of reach after it (so
    the push can neither be put back nor remembered): the server then holds what the store pushed,
    and the next push and diff agree that it is no one else's change."""
    store.save(actionkit.load(COUNTER, id="counter"))
    with client_for(fake, store) as client:
        client.push("counter")
    store.save(actionkit.load(EDITED, id="counter"))
    gone: list[bool] = []

    def applied_then_timed_out(request: httpx.Request) -> httpx.Response:
        if gone:
            raise httpx.ConnectError("connection refused", request=request)
        response = fake.handle(request)
        if request.url.path == "/api/v1/functions/id/counter/update":
            gone.append(True)
            raise httpx.ReadTimeout("timed out", request=request)
        return response

    with (
        client_for(fake, store, transport=httpx.MockTransport(applied_then_timed_out)) as flaky,
        pytest.raises(ServerError, match="no answer within") as err,
    ):
        flaky.push("counter")
    assert "could not be undone everywhere" in str(err.value)
    assert fake.rows["counter"]["content"] == EDITED
    with client_for(fake, store) as client:
        assert client.diff("counter").same
        assert client.diff("counter").changed_on_server is False
        assert client.push("counter").items[0].status == "unchanged"


def test_a_timed_out_push_that_can_be_undone_leaves_the_server_as_it_was(fake, store):
    store.save(actionkit.load(COUNTER, id="counter"))
    with client_for(fake, store) as client:
        client.push("counter")
    store.save(actionkit.load(EDITED, id="counter"))
    once = {"/api/v1/functions/id/counter/update"}

    def applied_then_timed_out_once(request: httpx.Request) -> httpx.Response:
        response = fake.handle(request)
        if request.url.path in once:
            once.clear()
            raise httpx.ReadTimeout("timed out", request=request)
        return response

    with (
        client_for(fake, store, transport=httpx.MockTransport(applied_then_timed_out_once)) as flaky,
        pytest.raises(ServerError, match="nothing was pushed"),
    ):
        flaky.push("counter")
    assert fake.rows["counter"]["content"] == COUNTER
    with client_for(fake, store) as client:
        assert client.push("counter").items[0].changes == ["content"]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("http://localhost:8080", "http://127.0.0.1:8080"),
        ("http://127.0.0.1:8080/", "http://[::1]:8080/api/v1"),
        ("http://localhost", "http://127.0.0.1:80"),
        ("https://owui.example.org", "https://OWUI.example.org:443"),
    ],
)
def test_loopback_aliases_and_default_ports_name_one_server(first, second, fake, store):
    assert server_key(first) == server_key(second)
    store.save(actionkit.load(COUNTER, id="counter"))
    with client_for(fake, store, url=first) as client:
        client.push("counter")
    store.save(actionkit.load(EDITED, id="counter"))
    with client_for(fake, store, url=second) as client:
        assert client.diff("counter").changed_on_server is False
        assert client.push("counter").items[0].changes == ["content"]
    remembered = json.loads(Path(store.path + ".remote.json").read_text())["servers"]
    assert list(remembered) == [server_key(first)]


def test_other_hosts_and_ports_stay_other_servers() -> None:
    assert server_key("http://localhost:8080") != server_key("http://localhost:3000")
    assert server_key("http://localhost:8080") != server_key("https://localhost:8080")
    assert server_key("http://owui.test:8080") != server_key("http://localhost:8080")


def test_a_sidecar_of_the_earlier_format_still_guards_a_push(fake, store):
    store.save(actionkit.load(COUNTER, id="counter"))
    with client_for(fake, store) as client:
        client.push("counter")
    sidecar = Path(store.path + ".remote.json")
    sidecar.write_text(
        json.dumps({"format": 1, "servers": {URL: {"counter": {"updated_at": 1, "fingerprint": "0" * 24}}}})
    )
    store.save(actionkit.load(EDITED, id="counter"))
    with client_for(fake, store) as client, pytest.raises(ConflictError, match=r"\(content\)"):
        client.push("counter")
