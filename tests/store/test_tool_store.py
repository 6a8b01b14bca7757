from __future__ import annotations

import json
import sqlite3

import pytest

import actionkit
from actionkit import Store, StoreError, ValvesError
from tests._tool_sources import WEATHER

ACTION = "class Action:\n    async def action(self, body):\n        return body\n"


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "store.db") as opened:
        yield opened


def test_tools_have_their_own_ids_next_to_functions(store) -> None:
    store.save(actionkit.load(WEATHER, id="weather"))
    store.save(actionkit.load(ACTION, id="weather"))
    assert store.ids() == ["weather"] and store.tools.ids() == ["weather"]
    assert store.get("weather").type == "action"
    assert store.tools.get("weather").name == "Weather"
    assert isinstance(store.tools.load("weather"), actionkit.Tool)
    store.delete("weather")
    assert "weather" in store.tools and "weather" not in store


def test_every_content_is_a_version_and_revert_keeps_history(store) -> None:
    first = actionkit.load(WEATHER, id="weather")
    assert store.save(first).created
    second = actionkit.load(WEATHER.replace("12:00", "13:00"), id="weather")
    result = store.save(second)
    assert result.new_version and not result.created and result.record.version == 2
    assert not store.save(second).new_version
    store.tools.revert("weather", 1)
    assert [v.version for v in store.tools.history("weather")] == [1, 2, 3]
    assert store.tools.get("weather").content == WEATHER
    with pytest.raises(StoreError, match="no version 9"):
        store.tools.revert("weather", 9)


def test_valves_are_stored_with_the_hosts_semantics_and_secrets_are_kept_for_the_call(store) -> None:
    store.save(actionkit.load(WEATHER, id="weather"))
    assert store.tools.set_valves("weather", {"unit": "F", "nope": 1, "api_key": None}) == {"unit": "F"}
    assert store.tools.set_user_valves("weather", "ada", {"city_prefix": ">"}) == {"city_prefix": ">"}
    assert store.tools.user_valves("weather", "ada") == {"city_prefix": ">"}
    assert store.tools.user_valves("weather") == {} and store.tools.user_ids("weather") == ["ada"]
    with pytest.raises(ValvesError, match="unit"):
        store.tools.set_valves("weather", {"unit": {"a": 1}})
    assert store.tools.valves("weather") == {"unit": "F"}


def test_a_code_change_drops_valves_that_no_longer_validate_and_says_so(store) -> None:
    store.save(actionkit.load(WEATHER, id="weather"))
    store.tools.set_valves("weather", {"unit": "F"})
    store.tools.set_user_valves("weather", "ada", {"city_prefix": ">"})
    changed = WEATHER.replace('unit: str = "C"', "unit: int = 1").replace(
        'city_prefix: str = ""', "other: int = 0"
    )
    result = store.save(actionkit.load(changed, id="weather"))
    assert "unit" in result.dropped_valves and "city_prefix" in result.dropped_user_valves["ada"]
    assert store.tools.valves("weather") == {}


def test_valves_a_new_version_dropped_come_back_with_the_old_source(store) -> None:
    store.save(actionkit.load(WEATHER, id="weather"))
    store.tools.set_valves("weather", {"unit": "F"})
    store.tools.set_user_valves("weather", "ada", {"city_prefix": ">"})
    changed = WEATHER.replace('unit: str = "C"', "unit: int = 1").replace(
        'city_prefix: str = ""', "other: int = 0"
    )
    store.save(actionkit.load(changed, id="weather"))
    back = store.tools.revert("weather", 1)
    assert back.restored_valves == ["unit"] and back.restored_user_valves == {"ada": ["city_prefix"]}
    assert store.tools.valves("weather") == {"unit": "F"}
    assert store.tools.user_valves("weather", "ada") == {"city_prefix": ">"}
    assert any("restored" in note for note in back.notes())


def test_stored_tool_valves_show_masked_and_are_checked_against_the_current_version(store) -> None:
    store.save(actionkit.load(WEATHER, id="weather"))
    saved = store.tools.set_valves("weather", {"unit": "F", "api_key": "sk-tool-key-1234"})
    assert "sk-tool-key-1234" not in repr(saved) and saved["api_key"] == "sk-tool-key-1234"
    assert "sk-tool-key-1234" not in repr(store.tools.get("weather").valves)
    assert "sk-tool-key-1234" not in repr(store.tools.valves("weather"))
    store.save(actionkit.load(WEATHER.replace('unit: str = "C"', "unit: int = 1"), id="weather"))
    with pytest.raises(ValvesError, match="unit"):
        store.tools.set_valves("weather", {"unit": "F"})


def test_export_speaks_the_hosts_tools_export_format_without_valves(store, tmp_path) -> None:
    tool = actionkit.load(WEATHER, id="weather")
    store.save(tool)
    store.tools.set_valves("weather", {"unit": "F"})
    [item] = store.tools.export(tmp_path / "tools.json")
    assert list(item) == [
        "version_id",
        "id",
        "user_id",
        "name",
        "content",
        "specs",
        "meta",
        "access_grants",
        "updated_at",
        "created_at",
    ]
    assert item["specs"] == tool.specs and item["meta"]["has_user_valves"] is True
    assert item["meta"]["manifest"] == tool.manifest
    assert json.loads((tmp_path / "tools.json").read_text()) == [item]


def test_import_is_all_or_nothing_and_loads_each_tool_as_the_host_creates_it(store, tmp_path) -> None:
    store.save(actionkit.load(WEATHER, id="weather"))
    exported = store.tools.export()
    other = Store(tmp_path / "other.db")
    assert other.tools.import_(exported) == ["weather"]
    assert other.tools.get("weather").content == WEATHER
    broken = [*exported, {"id": "bad", "content": ACTION}]
    fresh = Store(tmp_path / "fresh.db")
    with pytest.raises(StoreError, match=r"item 1 \('bad'\).*No Tools class"):
        fresh.tools.import_(broken)
    assert fresh.tools.ids() == []


def test_a_store_written_before_tools_existed_is_migrated_and_keeps_its_functions(tmp_path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.executescript(
        "CREATE TABLE function (id TEXT PRIMARY KEY, user_id TEXT NOT NULL, name TEXT NOT NULL, "
        "type TEXT NOT NULL, content TEXT NOT NULL, meta TEXT NOT NULL, valves TEXT NOT NULL DEFAULT '{}', "
        "is_active INTEGER NOT NULL DEFAULT 1, is_global INTEGER NOT NULL DEFAULT 0, "
        "updated_at INTEGER NOT NULL, created_at INTEGER NOT NULL);"
        "CREATE TABLE function_version (function_id TEXT NOT NULL, version INTEGER NOT NULL, content TEXT "
        "NOT NULL, content_hash TEXT NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (function_id, version));"
        "CREATE TABLE user_valves (function_id TEXT NOT NULL, user_id TEXT NOT NULL, valves TEXT NOT NULL, "
        "updated_at INTEGER NOT NULL, PRIMARY KEY (function_id, user_id));"
        "INSERT INTO function VALUES ('kept', 'user', 'Kept', 'action', 'class Action: pass', '{}', '{}', 1, 0, 1, 1);"
        "PRAGMA application_id = 1634429300; PRAGMA user_version = 1;"
    )
    conn.close()
    with Store(path) as migrated:
        assert migrated.ids() == ["kept"] and migrated.tools.ids() == []
        migrated.save(actionkit.load(WEATHER, id="weather"))
        assert migrated.tools.ids() == ["weather"]


def test_store_tools_refuses_a_function(store) -> None:
    with pytest.raises(StoreError, match="keeps Tools"):
        store.tools.save(actionkit.load(ACTION, id="an_action"))  # type: ignore[arg-type]
