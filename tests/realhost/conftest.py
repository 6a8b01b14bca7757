"""A fake installed release whose worker runs actionkit's simulator (see fake_worker.py)."""

from __future__ import annotations

import json
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from actionkit.realhost import stop_workers

FAKE_WORKER = Path(__file__).with_name("fake_worker.py")


def fake_release(root: Path, version: str) -> Path:
    """A release folder holding a 'python' that starts the fake worker (or prints the version)."""
    python = root / version / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text(
        "#!/bin/sh\n"
        'if [ "$1" = "-c" ]; then echo "$FAKE_OPEN_WEBUI"; exit 0; fi\n'
        f'exec {sys.executable} {FAKE_WORKER} "$3"\n'
    )
    python.chmod(python.stat().st_mode | stat.S_IEXEC)
    marker = {"version": version, "torch": "2.13.0+cpu", "installed_at": "2026-01-01 00:00"}
    (root / version / "actionkit-release.json").write_text(json.dumps(marker))
    return python


@pytest.fixture(scope="module")
def releases_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A releases folder with 0.10.2 'installed'; one worker serves the module's tests."""
    root = tmp_path_factory.mktemp("releases")
    fake_release(root, "0.10.2")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ACTIONKIT_RELEASES", str(root))
        patch.setenv("FAKE_OPEN_WEBUI", "0.10.2")
        patch.delenv("FAKE_WORKER", raising=False)
        patch.delenv("ACTIONKIT_OWUI_PYTHON", raising=False)
        stop_workers()
        yield root
        stop_workers()


@pytest.fixture
def release(releases_root: Path) -> str:
    """Release 0.10.2 with its (shared) fake worker."""
    return "0.10.2"


@pytest.fixture
def fresh_worker(releases_root: Path) -> Iterator[None]:
    """A test that changes how the worker behaves starts its own, and leaves none behind."""
    stop_workers()
    yield
    stop_workers()
