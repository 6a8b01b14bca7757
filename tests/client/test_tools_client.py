from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import actionkit
from actionkit.client import ConflictError, OpenWebUIClient
from actionkit.store import Store
from tests._tool_sources import WEATHER
from tests.client._fake_owui import TOKEN, FakeOpenWebUI

URL = "http://owui.test:8080"


@pytest.fixture
def fake() -> FakeOpenWebUI:
    return FakeOpenWebUI()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "store.db") as opened:
        yield opened


@pytest.fixture
def client(fake: FakeOpenWebUI, store: Store) -> Iterator[OpenWebUIClient]:
    with OpenWebUIClient(URL, TOKEN, store=store, transport=fake.transport(), prompt=False) as opened:
        yield opened


def test_push_creates_the_tool_over_the_tools_api_then_sets_its_valves(client, fake, store) -> None:
    store.save(actionkit.load(WEATHER, id="weather"))
    store.tools.set_valves("weather", {"unit": "F"})
    result = client.tools.push("weather")
    assert result.status("weather") == "created" and result.items[0].changes == ["valves"]
    assert fake.tools.rows["weather"]["content"] == WEATHER and fake.tools.valves["weather"] == {"unit": "F"}
    assert ("POST", "/api/v1/tools/create") in fake.writes() and not fake.rows
    assert client.tools.push("weather").status("weather") == "unchanged"


def test_a_tool_and_a_function_with_one_id_live_side_by_side_on_the_server(client, fake, store) -> None:
    store.save(actionkit.load(WEATHER, id="shared"))
    store.save(
        actionkit.load("class Action:\n    async def action(self, body):\n        return body\n", id="shared")
    )
    client.push("shared")
    client.tools.push("shared")
    assert fake.rows["shared"]["type"] == "action" and "shared" in fake.tools.rows


def test_push_refuses_to_overwrite_a_tool_changed_on_the_server(client, fake, store) -> None:
    store.save(actionkit.load(WEATHER, id="weather"))
    client.tools.push("weather")
    fake.tools.edit("weather", content=WEATHER.replace("12:00", "09:00"))
    store.save(actionkit.load(WEATHER.replace("12:00", "18:00"), id="weather"))
    with pytest.raises(ConflictError, match="changed on"):
        client.tools.push("weather")
    assert client.tools.push("weather", force=True).items[0].changes == ["content"]
    assert "18:00" in fake.tools.rows["weather"]["content"]


def test_pull_brings_server_tools_with_their_valves_into_the_store(client, fake, store) -> None:
    fake.tools.add("weather", WEATHER, valves={"unit": "K"})
    result = client.tools.pull()
    assert result.status("weather") == "new"
    assert store.tools.get("weather").content == WEATHER and store.tools.valves("weather") == {"unit": "K"}
    assert store.ids() == []


def test_diff_compares_the_stores_tool_with_the_servers(client, fake, store) -> None:
    store.save(actionkit.load(WEATHER, id="weather"))
    assert "only in the store" in str(client.tools.diff("weather"))
    client.tools.push("weather")
    assert client.tools.diff("weather").same
    store.save(actionkit.load(WEATHER.replace("12:00", "13:00"), id="weather"))
    diff = client.tools.diff("weather")
    assert not diff.same and any("13:00" in line for line in diff.content_diff)
