from __future__ import annotations

import json
from pathlib import Path

import pytest

import actionkit
from actionkit import Store, StoreError
from tests._sources import VALVED_ACTION

EXPORT_KEYS = {
    "id",
    "user_id",
    "name",
    "type",
    "content",
    "meta",
    "is_active",
    "is_global",
    "updated_at",
    "created_at",
}


KEY_NAMED = """
from pydantic import BaseModel

class Pipe:
    class Valves(BaseModel):
        OPENAI_API_KEY: str = ""
        model: str = "gpt"

    def __init__(self):
        self.valves = self.Valves()

    def pipe(self, body):
        return "ok"
"""


def _store_with_counter() -> Store:
    store = Store(":memory:")
    store.save(actionkit.load(VALVED_ACTION))
    store.set_valves("counter", {"limit": 7, "api_key": "secret"})
    return store


def test_export_is_open_webui_format_without_valves_by_default(tmp_path: Path) -> None:
    store = _store_with_counter()
    items = store.export(tmp_path / "out.json")
    assert set(items[0]) == EXPORT_KEYS
    assert json.loads((tmp_path / "out.json").read_text()) == items
    assert "secret" not in (tmp_path / "out.json").read_text()


def test_export_with_valves_leaves_the_secret_ones_out_unless_asked(tmp_path: Path) -> None:
    store = _store_with_counter()
    store.save(actionkit.load(KEY_NAMED, id="keyed"))
    store.set_valves("keyed", {"OPENAI_API_KEY": "sk-openai-export", "model": "gpt"})
    items = store.export(tmp_path / "out.json", include_valves=True)
    assert [item["valves"] for item in items] == [{"limit": 7}, {"model": "gpt"}]
    written = (tmp_path / "out.json").read_text()
    assert "secret" not in written and "sk-openai-export" not in written
    assert store.valves("keyed")["OPENAI_API_KEY"] == "sk-openai-export"  # the store keeps it


def test_export_with_secrets_round_trips_into_another_store() -> None:
    items = _store_with_counter().export(include_secrets=True)
    assert items[0]["valves"] == {"limit": 7, "api_key": "secret"}
    other = Store(":memory:")
    assert other.import_(json.dumps(items)) == ["counter"]
    assert other.valves("counter") == {"limit": 7, "api_key": "secret"}
    assert other.get("counter").content == VALVED_ACTION


def test_export_into_a_folder_names_the_fix_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    folder = tmp_path / "somedir"
    folder.mkdir()
    with pytest.raises(StoreError, match="it is a folder") as err:
        _store_with_counter().export(folder, include_valves=True, include_secrets=True)
    assert str(folder / "functions.json") in str(err.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["somedir"]
    assert list(folder.iterdir()) == []


def test_a_failed_export_write_leaves_no_temporary_file(tmp_path: Path, monkeypatch) -> None:
    def refuse(*args: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("os.replace", refuse)
    with pytest.raises(StoreError, match="Permission denied"):
        _store_with_counter().export(tmp_path / "out.json", include_valves=True, include_secrets=True)
    assert list(tmp_path.iterdir()) == []


def test_import_unwraps_community_format_and_reads_files(tmp_path: Path) -> None:
    item = {"function": {"id": "counter", "name": "Counter", "content": VALVED_ACTION}}
    path = tmp_path / "community.json"
    path.write_text(json.dumps([item]))
    store = Store(":memory:")
    assert store.import_(path) == ["counter"]
    assert store.get("counter").type == "action"


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ('{"not": "a list"', "not JSON"),
        ('"text"', "is a str, not a list"),
        ("[{}]", "no 'content'"),
        ('[{"content": "class Action: pass"}]', "no 'id'"),
        ('[{"id": "bad-id", "content": "class Action: pass"}]', "Python identifiers"),
        ('[{"id": "x", "content": "class Nope: pass"}]', "No Function class"),
    ],
)
def test_bad_imports_name_the_problem_and_change_nothing(payload: str, message: str) -> None:
    store = _store_with_counter()
    before = store.export(include_valves=True)
    with pytest.raises(StoreError, match=message):
        store.import_(payload)
    assert store.export(include_valves=True) == before


def test_import_is_all_or_nothing() -> None:
    store = Store(":memory:")
    good = {"id": "good", "content": "class Action:\n    pass\n"}
    bad = {"id": "bad", "content": "class Action(:\n"}
    with pytest.raises(StoreError, match="item 1 .*'bad'.*SyntaxError"):
        store.import_([good, bad])
    assert len(store) == 0


def test_import_refuses_invalid_valves() -> None:
    store = Store(":memory:")
    item = {"id": "counter", "content": VALVED_ACTION, "valves": {"limit": 99}}
    with pytest.raises(StoreError, match="limit"):
        store.import_([item])
    assert len(store) == 0
