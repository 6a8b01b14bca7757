"""pytest plugin (entry point ``pytest11``): isolated store, static rendering, simulation fixtures,
snapshots and recorded cases.

At configure time ``ACTIONKIT_STORE`` points at a temporary file (tests never write into a project's
store) and ``ACTIONKIT_RENDER=static`` (deterministic, final-only output; notebook kernels started by
nbval inherit both).

Fixtures: ``actionkit_store`` (a fresh store, also the default for code under test), ``simulate``
(``actionkit.simulate`` bound to that store), ``snapshot`` / ``assert_snapshot`` (compare a
``Simulation`` with readable JSON in ``__snapshots__/<test module>/<test>.json`` next to the test;
``pytest --actionkit-update`` writes or rewrites them). Files named ``*.case.json`` (see
:mod:`actionkit.cases`) are collected and replayed as tests; ``--actionkit-update`` rewrites the
failing ones with their new outcome.

pytest loads this plugin in every session of an environment where actionkit is installed, so it
imports the store and the simulator only inside the fixtures and items that use them.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from ..sim import Simulation
    from ..store import Store
    from ._replay import CaseResult

_SESSION_KEY = pytest.StashKey[tuple[tempfile.TemporaryDirectory[str], dict[str, str | None]]]()
_UPDATE_KEY = pytest.StashKey[bool]()
_WRITTEN_KEY = pytest.StashKey[list[str]]()
_ENV = ("ACTIONKIT_STORE", "ACTIONKIT_RENDER")


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("actionkit")
    group.addoption(
        "--actionkit-update",
        action="store_true",
        default=False,
        help="write missing actionkit snapshots, rewrite those that differ and re-record failing *.case.json",
    )
    parser.addini(
        "actionkit_cases",
        "collect and replay *.case.json recorded cases (default: true)",
        type="bool",
        default=True,
    )


def pytest_configure(config: pytest.Config) -> None:
    session_dir = tempfile.TemporaryDirectory(prefix="actionkit-test-")
    config.stash[_SESSION_KEY] = (session_dir, {name: os.environ.get(name) for name in _ENV})
    os.environ["ACTIONKIT_STORE"] = str(Path(session_dir.name) / "store.db")
    os.environ["ACTIONKIT_RENDER"] = "static"
    config.stash[_UPDATE_KEY] = bool(config.getoption("actionkit_update", False))
    config.stash[_WRITTEN_KEY] = []


def pytest_unconfigure(config: pytest.Config) -> None:
    session = config.stash.get(_SESSION_KEY, None)
    if session is None:
        return
    session_dir, previous = session
    for name, value in previous.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    session_dir.cleanup()
    del config.stash[_SESSION_KEY]


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    written = config.stash.get(_WRITTEN_KEY, [])
    if written:
        terminalreporter.write_line(f"actionkit: {len(written)} snapshot(s) or case(s) written:")
        for path in written:
            terminalreporter.write_line(f"  {path}")


# --------------------------------------------------------------------------------------- fixtures


@pytest.fixture
def actionkit_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    """A fresh store in a temporary folder, also made the default for code under test."""
    from ..store import Store

    path = tmp_path / "store.db"
    monkeypatch.setenv("ACTIONKIT_STORE", str(path))
    store = Store(path)
    yield store
    store.close()


@pytest.fixture
def simulate(actionkit_store: Store) -> Callable[..., Simulation]:
    """``actionkit.simulate`` with ``store=`` defaulting to the test's isolated store."""
    from ..runtimes import simulate as run

    def simulate_in_store(fn_or_id_or_source: Any, body: Any = None, **kwargs: Any) -> Simulation:
        target = fn_or_id_or_source
        named = target if isinstance(target, str) and "\n" not in target else None
        function_id = getattr(target, "id", named)
        if function_id is not None and function_id.partition(".")[0] in actionkit_store:
            kwargs.setdefault("store", actionkit_store)
        return run(fn_or_id_or_source, body, **kwargs)

    return simulate_in_store


class Snapshot:
    """Compares values with JSON files in ``__snapshots__/<test module>/`` next to the test."""

    def __init__(self, folder: Path, test_name: str, update: bool, written: list[str]) -> None:
        self.folder = folder
        self.test_name = test_name
        self.update = update
        self._written = written
        self._count = 0

    def path(self, name: str | None = None) -> Path:
        """The file for the snapshot ``name`` (or the next unnamed one) of this test."""
        stem = self.test_name if name is None else f"{self.test_name}--{name}"
        return self.folder / f"{_safe(stem)}.json"

    def __call__(self, value: Any, name: str | None = None, *, logs: bool = False) -> None:
        self.assert_match(value, name, logs=logs)

    def assert_match(self, value: Any, name: str | None = None, *, logs: bool = False) -> None:
        """Pass when ``value`` (a Simulation, anything with ``to_dict()``, or JSON data) equals the
        stored snapshot; fail with a short diff otherwise. What the function printed or logged is
        stored too, and compared only with ``logs=True``."""
        from ..sim import normalized
        from ._diff import simulation_diff, without_logs

        if name is None:
            self._count += 1
            name = None if self._count == 1 else str(self._count)
        path = self.path(name)
        actual = normalized(value.to_dict() if hasattr(value, "to_dict") else value)
        text = json.dumps(actual, ensure_ascii=False, indent=2) + "\n"
        shown = _shown(path)
        if not path.exists():
            if self.update:
                self._write(path, text)
                return
            pytest.fail(
                f"snapshot {shown} does not exist yet; run pytest --actionkit-update to write it",
                pytrace=False,
            )
        expected = json.loads(path.read_text(encoding="utf-8"))
        if expected == actual or (not logs and without_logs(expected) == without_logs(actual)):
            return
        if self.update:
            self._write(path, text)
            return
        if isinstance(expected, dict) and isinstance(actual, dict):
            diff = simulation_diff(expected, actual, logs=logs)
        else:
            diff = _json_diff(expected, actual)
        pytest.fail(
            f"snapshot {shown} differs (- expected, + now); pytest --actionkit-update accepts the change:\n"
            + "\n".join("  " + line for line in diff),
            pytrace=False,
        )

    def _write(self, path: Path, text: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self._written.append(_shown(path))


@pytest.fixture
def snapshot(request: pytest.FixtureRequest) -> Snapshot:
    """``snapshot(sim)`` / ``snapshot.assert_match(sim, name=None)``: compare with a stored JSON snapshot."""
    test_file = Path(str(request.node.path))
    folder = test_file.parent / "__snapshots__" / test_file.stem
    config = request.config
    return Snapshot(folder, request.node.name, config.stash[_UPDATE_KEY], config.stash[_WRITTEN_KEY])


@pytest.fixture
def assert_snapshot(snapshot: Snapshot) -> Callable[..., None]:
    """``assert_snapshot(sim, name=None)``: the same as ``snapshot.assert_match``."""
    return snapshot.assert_match


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_") or "snapshot"


def _shown(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def _json_diff(expected: Any, actual: Any) -> list[str]:
    import difflib

    old = json.dumps(expected, ensure_ascii=False, indent=2, sort_keys=True).splitlines()
    new = json.dumps(actual, ensure_ascii=False, indent=2, sort_keys=True).splitlines()
    return [line for line in difflib.unified_diff(old, new, lineterm="", n=2)][2:]


# ---------------------------------------------------------------------------------- recorded cases


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.name.endswith(".case.json") and parent.config.getini("actionkit_cases"):
        return CaseFile.from_parent(parent, path=file_path)
    return None


class CaseFile(pytest.File):
    """A ``*.case.json`` file: one recorded case."""

    def collect(self) -> Iterator[pytest.Item]:
        yield CaseItem.from_parent(self, name=self.path.name.removesuffix(".case.json"))


class CaseFailed(Exception):
    def __init__(self, result: CaseResult) -> None:
        super().__init__(result.report())
        self.result = result


class CaseItem(pytest.Item):
    """Replays the recorded call against the recorded source and compares the outcome."""

    def runtest(self) -> None:
        from ._replay import accept, replay

        result = replay(self.path)
        if not result.passed and result.error is None and self.config.stash[_UPDATE_KEY]:
            accept(result)
            self.config.stash[_WRITTEN_KEY].append(_shown(self.path))
        if not result.passed:
            raise CaseFailed(result)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, CaseFailed):
            return excinfo.value.result.report()
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"recorded case {self.name}"
