"""pytest plugin (entry point ``pytest11``): isolated store and static rendering for every test run.

Sets ``ACTIONKIT_STORE`` to a temporary file (so tests never write into a project's store) and
``ACTIONKIT_RENDER=static`` (deterministic, final-only output), and provides fixtures.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from .store import Store

_SESSION_DIR: tempfile.TemporaryDirectory[str] | None = None


def pytest_configure(config: pytest.Config) -> None:
    global _SESSION_DIR
    _SESSION_DIR = tempfile.TemporaryDirectory(prefix="actionkit-test-")
    os.environ["ACTIONKIT_STORE"] = str(Path(_SESSION_DIR.name) / "store.db")
    os.environ["ACTIONKIT_RENDER"] = "static"


def pytest_unconfigure(config: pytest.Config) -> None:
    global _SESSION_DIR
    if _SESSION_DIR is not None:
        _SESSION_DIR.cleanup()
        _SESSION_DIR = None


@pytest.fixture
def actionkit_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    """A fresh store in a temporary folder, also made the default for code under test."""
    from .store import Store

    path = tmp_path / "store.db"
    monkeypatch.setenv("ACTIONKIT_STORE", str(path))
    store = Store(path)
    yield store
    store.close()
