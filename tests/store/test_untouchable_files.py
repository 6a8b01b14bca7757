"""A foreign, damaged or read-only file is never modified: it is refused, or opened read-only, with
a StoreError that says which and what to do."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

import actionkit
from actionkit import Store, StoreError
from tests._files import damage_past_the_header, files_in, read_only

SOURCE = "class Action:\n    marker = {n!r}\n"


def _store_with_functions(path: Path, count: int = 40) -> None:
    with Store(path) as store:
        for n in range(count):
            store.save(actionkit.load(SOURCE.format(n="x" * 200 + str(n)), id=f"f{n}"))


def test_a_read_only_store_file_is_read_and_refuses_writes_with_a_store_error(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    _store_with_functions(path, 2)
    before = path.read_bytes()
    with read_only(path):
        store = Store(path)
        assert store.read_only == "the file is not writable"
        assert store.ids() == ["f0", "f1"]
        with pytest.raises(StoreError, match="is read-only .the file is not writable."):
            store.save(actionkit.load(SOURCE.format(n="new"), id="f2"))
        with pytest.raises(StoreError, match="is read-only"):
            store.set_active("f0", False)
        store.close()
    assert path.read_bytes() == before


def test_a_valid_store_in_a_read_only_folder_opens_read_only(tmp_path: Path) -> None:
    folder = tmp_path / "project"
    folder.mkdir()
    _store_with_functions(folder / "store.db", 2)
    before = files_in(folder)
    with read_only(folder):
        store = Store(folder / "store.db")
        assert store.read_only is not None and "folder is not writable" in store.read_only
        assert store.ids() == ["f0", "f1"]
        with pytest.raises(StoreError, match="is read-only .its folder is not writable"):
            store.save(actionkit.load(SOURCE.format(n="new"), id="f2"))
        store.close()
    assert files_in(folder) == before


def test_a_store_damaged_past_its_header_is_refused_and_never_written(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    _store_with_functions(path)
    damage_past_the_header(path)
    before = path.read_bytes()
    store = Store(path)
    with pytest.raises(StoreError, match="is damaged .SQLite says: database disk image is malformed"):
        store.list()
    with pytest.raises(StoreError, match="is damaged"):
        store.save(actionkit.load(SOURCE.format(n="new"), id="fresh"))
    store.close()
    assert path.read_bytes() == before


def _foreign_with_user_version(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 7")
    conn.close()


def _foreign_with_only_views(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE VIEW totals AS SELECT 1 AS total")
    conn.close()


@pytest.mark.parametrize(
    ("make", "refusal"),
    [
        (_foreign_with_user_version, "another application .user_version 7, no tables"),
        (_foreign_with_only_views, "another application .user_version 0, view totals"),
    ],
    ids=["user-version-7", "only-views"],
)
def test_a_foreign_sqlite_file_is_refused_and_left_exactly_as_it_was(
    tmp_path: Path, make, refusal: str
) -> None:
    path = tmp_path / "other.db"
    make(path)
    before = files_in(tmp_path)
    with pytest.raises(StoreError, match=refusal):
        Store(path)
    assert files_in(tmp_path) == before
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "delete"


def test_a_store_that_must_exist_is_not_created(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="there is no store at .*typo"):
        Store(tmp_path / "typo", create=False)
    assert list(tmp_path.iterdir()) == []
