from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

import actionkit
from actionkit import Store, StoreError, ValvesError
from actionkit.store import default_store_path
from tests._sources import VALVED_ACTION


def test_saving_mirrors_open_webui_function_row(valved_action: actionkit.Function) -> None:
    store = Store(":memory:")
    result = store.save(valved_action)
    row = result.record
    assert result.created and result.new_version and row.version == 1
    assert (row.id, row.name, row.type, row.content) == ("counter", "Counter", "action", VALVED_ACTION)
    assert row.meta == {"description": "counts", "manifest": valved_action.manifest, "toggle": False}
    assert row.valves == {} and row.is_active and not row.is_global
    assert row.created_at == row.updated_at > 0


def test_every_distinct_content_is_a_version_and_resaving_same_content_is_not(
    valved_action: actionkit.Function,
) -> None:
    store = Store(":memory:")
    store.save(valved_action)
    assert not store.save(valved_action).new_version
    changed = actionkit.load(VALVED_ACTION.replace("counts", "counts more"))
    assert store.save(changed).record.version == 2
    assert [v.version for v in store.history("counter")] == [1, 2]
    assert store.history("counter")[0].content == VALVED_ACTION


def test_revert_makes_an_old_version_current_and_keeps_history(valved_action: actionkit.Function) -> None:
    store = Store(":memory:")
    store.save(valved_action)
    store.save(actionkit.load(VALVED_ACTION.replace("counts", "v2")))
    result = store.revert("counter", 1)
    assert result.record.content == VALVED_ACTION and result.record.version == 3
    with pytest.raises(StoreError, match="no version 9; versions: 1, 2, 3"):
        store.revert("counter", 9)


def test_valves_are_saved_with_host_semantics(valved_action: actionkit.Function) -> None:
    store = Store(":memory:")
    store.save(valved_action)
    stored = store.set_valves("counter", {"limit": "5", "priority": None, "unknown": 1, "api_key": "k"})
    assert stored == {"limit": 5, "api_key": "k"}
    assert store.valves("counter") == {"limit": 5, "api_key": "k"}


def test_invalid_valves_name_the_field_and_keep_stored_values(valved_action: actionkit.Function) -> None:
    store = Store(":memory:")
    store.save(valved_action)
    store.set_valves("counter", {"limit": 4})
    with pytest.raises(ValvesError) as info:
        store.set_valves("counter", {"limit": 50, "priority": "high"})
    assert set(info.value.errors) == {"limit", "priority"}
    assert "less than or equal to 10" in info.value.errors["limit"]
    assert store.valves("counter") == {"limit": 4}


def test_user_valves_are_per_user(valved_action: actionkit.Function) -> None:
    store = Store(":memory:")
    store.save(valved_action)
    store.set_user_valves("counter", "alice", {"language": "fr"})
    assert store.user_valves("counter", "alice") == {"language": "fr"}
    assert store.user_valves("counter", "bob") == {}
    assert store.user_ids("counter") == ["alice"]


def test_function_without_valves_class_cannot_take_valves() -> None:
    store = Store(":memory:")
    store.save(actionkit.load("class Action:\n    pass\n", id="bare"))
    with pytest.raises(ValvesError, match="no Valves class"):
        store.set_valves("bare", {"x": 1})
    with pytest.raises(ValvesError, match="no UserValves class"):
        store.set_user_valves("bare", "u", {"x": 1})


def test_changed_code_drops_only_values_that_no_longer_fit_and_says_why(
    valved_action: actionkit.Function,
) -> None:
    store = Store(":memory:")
    store.save(valved_action)
    store.set_valves("counter", {"limit": 8, "priority": 2})
    store.set_user_valves("counter", "alice", {"language": "de"})
    changed = actionkit.load(VALVED_ACTION.replace("le=10", "le=5").replace("language: str", "lang: str"))
    result = store.save(changed)
    assert result.dropped_valves == {"limit": "Input should be less than or equal to 5 (got 8)"}
    assert result.record.valves == {"priority": 2}
    assert result.dropped_user_valves == {"alice": {"language": "no longer a field"}}
    assert store.user_valves("counter", "alice") == {}


def test_active_and_global_flags(valved_action: actionkit.Function) -> None:
    store = Store(":memory:")
    store.save(valved_action, is_active=False)
    assert not store.get("counter").is_active
    assert store.toggle("counter") is True
    assert store.set_global("counter").is_global
    store.save(valved_action)
    assert store.get("counter").is_active and store.get("counter").is_global


def test_unknown_ids_list_what_is_stored(valved_action: actionkit.Function) -> None:
    store = Store(":memory:")
    store.save(valved_action)
    with pytest.raises(StoreError, match=r"no function 'nope' .*stored: counter"):
        store.get("nope")
    with pytest.raises(StoreError):
        store.history("nope")
    with pytest.raises(StoreError):
        store.set_active("nope")


def test_load_keeps_one_instance_per_function_until_its_content_changes(
    valved_action: actionkit.Function,
) -> None:
    store = Store(":memory:")
    store.save(valved_action)
    first = store.load("counter")
    assert first is store.load("counter")
    store.save(actionkit.load(VALVED_ACTION.replace("counts", "new")))
    second = store.load("counter")
    assert second is not first and "new" in second.description
    store.revert("counter", 1)
    assert store.load("counter").description == "counts"
    assert store.load("counter") is store.load("counter")


def test_delete_removes_row_versions_and_user_valves(valved_action: actionkit.Function) -> None:
    store = Store(":memory:")
    store.save(valved_action)
    store.set_user_valves("counter", "alice", {"language": "fr"})
    assert store.delete("counter") and not store.delete("counter")
    assert "counter" not in store and len(store) == 0


def test_store_persists_across_opens(tmp_path: Path, valved_action: actionkit.Function) -> None:
    path = tmp_path / "sub" / "store.db"
    with Store(path) as store:
        store.save(valved_action)
        store.set_valves("counter", {"limit": 2})
    with Store(path) as again:
        assert again.valves("counter") == {"limit": 2}
        assert again.load("counter").Valves is not None


def write_corrupt_file(path: Path) -> None:
    path.write_bytes(b"this is not a database at all" * 100)


def write_foreign_database(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoices (id INTEGER)")
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    ("name", "write", "refusal"),
    [
        pytest.param("store.db", write_corrupt_file, "not an actionkit store", id="corrupt-file"),
        pytest.param(
            "other.db", write_foreign_database, "another application .*invoices", id="foreign-database"
        ),
    ],
)
def test_file_that_is_not_an_actionkit_store_is_refused_and_left_untouched(
    tmp_path: Path, name: str, write: Callable[[Path], None], refusal: str
) -> None:
    path = tmp_path / name
    write(path)
    before = path.read_bytes()
    with pytest.raises(StoreError, match=refusal):
        Store(path)
    assert path.read_bytes() == before


def test_store_from_newer_actionkit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    Store(path).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(StoreError, match="newer actionkit"):
        Store(path)


def test_unwritable_store_path_names_the_fix(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="cannot create the folder") as info:
        Store(blocker / "store.db")
    assert info.value.hint and "ACTIONKIT_STORE" in info.value.hint
    with pytest.raises(StoreError, match="is a folder"):
        Store(tmp_path)


def test_default_path_is_env_then_nearest_project_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ACTIONKIT_STORE", raising=False)
    project = tmp_path / "proj"
    (project / "notebooks" / "deep").mkdir(parents=True)
    (project / "pyproject.toml").write_text("")
    assert default_store_path(project / "notebooks" / "deep") == project / ".actionkit" / "store.db"
    monkeypatch.setenv("ACTIONKIT_STORE", str(tmp_path / "x.db"))
    assert default_store_path(project) == tmp_path / "x.db"


def test_values_open_webui_cannot_store_are_refused_with_the_fix() -> None:
    source = (
        "from pydantic import BaseModel, SecretStr, HttpUrl\n"
        "class Action:\n"
        "    class Valves(BaseModel):\n"
        "        token: SecretStr = SecretStr('')\n"
        "        endpoint: HttpUrl | None = None\n"
        "        name: str = 'x'\n"
        "    def __init__(self):\n"
        "        self.valves = self.Valves()\n"
    )
    store = Store(":memory:")
    store.save(actionkit.load(source, id="secretive"))
    with pytest.raises(ValvesError) as info:
        store.set_valves("secretive", {"token": "abc", "endpoint": "https://example.org/", "name": "y"})
    assert set(info.value.errors) == {"token", "endpoint"}
    assert "stores nothing" in str(info.value) and "password" in (info.value.hint or "")
    assert store.valves("secretive") == {}
    assert store.set_valves("secretive", {"name": "y"}) == {"name": "y"}


def test_meta_keeps_descriptions_given_elsewhere_and_marks_toggle_filters() -> None:
    store = Store(":memory:")
    source = "class Filter:\n    toggle = True\n    def inlet(self, body):\n        return body\n"
    store.import_([{"id": "chip", "content": source, "meta": {"description": "typed in the UI", "x": 1}}])
    assert store.get("chip").meta == {
        "description": "typed in the UI",
        "x": 1,
        "manifest": {},
        "toggle": True,
    }
    store.save(actionkit.load(source + "# edited\n", id="chip"))
    assert store.get("chip").meta["description"] == "typed in the UI"
    titled = '"""\ndescription: from the frontmatter\n"""\n' + source
    store.save(actionkit.load(titled, id="chip"))
    assert store.get("chip").meta["description"] == "from the frontmatter"
