from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from IPython.core.interactiveshell import InteractiveShell


@pytest.fixture
def shell(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[InteractiveShell]:
    """A fresh in-process IPython shell with ``%load_ext actionkit`` run and its store in tmp_path."""
    monkeypatch.setenv("ACTIONKIT_STORE", str(tmp_path / "store.db"))
    InteractiveShell.clear_instance()
    ip = InteractiveShell.instance()
    ip.run_line_magic("load_ext", "actionkit")  # registers the remote magics too
    yield ip
    InteractiveShell.clear_instance()
