"""Stored valves always fit the version current when they were written, and a value a new version
could not take is kept with its version: reverting brings it back."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

import actionkit
import actionkit.store._store as store_module
from actionkit import Store

INT_LIMIT = (
    "from pydantic import BaseModel\nclass Action:\n    class Valves(BaseModel):\n        limit: int = 1\n"
    "    class UserValves(BaseModel):\n        depth: int = 1\n"
    "    def __init__(self):\n        self.valves = self.Valves()\n"
)
STR_LIMIT = INT_LIMIT.replace("limit: int = 1", 'limit: str = "a"').replace(
    "depth: int = 1", 'depth: str = "d"'
)


def test_set_valves_validates_against_the_version_current_inside_its_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "store.db"
    store, other = Store(path), Store(path)
    store.save(actionkit.load(INT_LIMIT, id="f"))
    real = store_module.stored_valves
    racers: list[threading.Thread] = []

    def racing_stored_valves(*args: Any, **kwargs: Any) -> dict[str, Any]:
        if not racers:  # another writer changes the field's type while the values are validated
            racer = threading.Thread(target=other.save, args=(actionkit.load(STR_LIMIT, id="f"),))
            racers.append(racer)
            racer.start()
            racer.join(1.0)
        return real(*args, **kwargs)

    monkeypatch.setattr(store_module, "stored_valves", racing_stored_valves)
    store.set_valves("f", {"limit": 5})
    racers[0].join(30)
    current = store.load("f")
    assert current.Valves is not None
    current.Valves(**store.valves("f"))  # what is stored fits the version that is current now
    assert store.valves("f") == {}
    assert store.revert("f", 1).restored_valves == ["limit"]
    assert store.valves("f") == {"limit": 5}


def test_values_dropped_by_a_re_registration_come_back_with_revert() -> None:
    store = Store(":memory:")
    store.save(actionkit.load(INT_LIMIT, id="f"))
    store.set_valves("f", {"limit": 5})
    store.set_user_valves("f", "alice", {"depth": 3})
    changed = store.save(actionkit.load(STR_LIMIT, id="f"))
    assert set(changed.dropped_valves) == {"limit"} and set(changed.dropped_user_valves["alice"]) == {"depth"}
    assert store.valves("f") == {} and store.user_valves("f", "alice") == {}
    back = store.revert("f", 1)
    assert back.restored_valves == ["limit"] and back.restored_user_valves == {"alice": ["depth"]}
    assert store.valves("f") == {"limit": 5}
    assert store.user_valves("f", "alice") == {"depth": 3}


def test_saving_the_old_source_again_restores_its_values_and_the_newer_ones_are_kept_too() -> None:
    store = Store(":memory:")
    store.save(actionkit.load(INT_LIMIT, id="f"))
    store.set_valves("f", {"limit": 5})
    store.save(actionkit.load(STR_LIMIT, id="f"))
    store.set_valves("f", {"limit": "text"})
    assert store.save(actionkit.load(INT_LIMIT, id="f")).restored_valves == ["limit"]
    assert store.valves("f") == {"limit": 5}
    assert store.save(actionkit.load(STR_LIMIT, id="f")).restored_valves == ["limit"]
    assert store.valves("f") == {"limit": "text"}


def test_a_value_cleared_after_a_revert_stays_cleared_when_the_same_source_is_saved_again() -> None:
    store = Store(":memory:")
    store.save(actionkit.load(INT_LIMIT, id="f"))
    store.set_valves("f", {"limit": 5})
    store.save(actionkit.load(STR_LIMIT, id="f"))
    store.revert("f", 1)
    store.set_valves("f", {})
    assert store.save(actionkit.load(INT_LIMIT, id="f")).restored_valves == []
    assert store.valves("f") == {}


def test_a_value_set_now_wins_over_a_kept_one() -> None:
    store = Store(":memory:")
    store.save(actionkit.load(INT_LIMIT, id="f"))
    store.set_valves("f", {"limit": 5})
    store.save(actionkit.load(STR_LIMIT, id="f"))  # 5 does not fit a str field: kept with version 1
    store.set_valves("f", {"limit": "7"})  # fits both versions
    assert store.revert("f", 1).restored_valves == []
    assert store.valves("f") == {"limit": 7}
