"""Session fixture: run the whole corpus through each real open-webui release once.

The expected outcome of every comparison is what the real release did in this run: one runner
subprocess per release (``real_runner.py``), all started together, each calling its release through
``runtime="open-webui==<version>"``; never a stored copy. The newest release also runs the
in-process checks of ``runtime="open-webui"`` in its own environment. Tools are compared with
0.12.4 (the release the simulator follows) whichever releases are chosen: ``real_tool_report`` runs
the Tools corpus in 0.12.4's own environment, on its own, so the Tools tests need no other release.
Set
``ACTIONKIT_CONFORMANCE_REPORT=path.md`` to also get every mismatch of the run written as one
Markdown report, ``ACTIONKIT_CONFORMANCE_SAVE=folder`` to keep what each release did (one JSON file
per release).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pytest

from actionkit.host import VERSION

from ._venv import ROOT, conformance_releases, owui_python
from .cases import UPSTREAM_ENV, upstream_model

RUNNER_TIMEOUT = 3600
MISMATCHES: list[str] = []
RELEASES = conformance_releases()
NEWEST = max(RELEASES, key=lambda v: tuple(int(p) for p in v.split(".")))


@pytest.fixture(scope="session")
def upstream() -> Iterator[str]:
    """The local OpenAI-compatible server both sides' upstream_pipe cases talk to (its URL)."""
    previous = os.environ.get(UPSTREAM_ENV)
    with upstream_model().serve() as server:
        os.environ[UPSTREAM_ENV] = server.url
        try:
            yield server.url
        finally:
            if previous is None:
                os.environ.pop(UPSTREAM_ENV, None)
            else:
                os.environ[UPSTREAM_ENV] = previous


def _install_all() -> None:
    """Install the releases one after the other first (they share one package cache)."""
    for release in RELEASES:
        owui_python(release)


@pytest.fixture(scope="session")
def real_reports(tmp_path_factory: pytest.TempPathFactory, upstream: str) -> dict[str, dict[str, Any]]:
    """What each release did on every corpus function and case (see real_runner.py), by release,
    and under ``"in-process"`` the in-process checks run in the newest release's environment."""
    _install_all()
    work = tmp_path_factory.mktemp("owui-run")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ACTIONKIT_STORE")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    runs: dict[str, tuple[subprocess.Popen[bytes], Path, Path, IO[bytes]]] = {}
    jobs = [
        (release, [sys.executable, "-m", "tests.conformance.real_runner", release]) for release in RELEASES
    ]
    jobs.append(
        ("in-process", [str(owui_python(NEWEST)), "-m", "tests.conformance.real_runner", "--in-process"])
    )
    started = time.monotonic()
    for name, command in jobs:
        folder = work / name
        folder.mkdir()
        out, log = folder / "real.json", folder / "runner.log"
        log_file = log.open("wb")
        job_env = {**env, "ACTIONKIT_OWUI_DATA_DIR": str(folder / "data")}
        process = subprocess.Popen(
            [*command, str(out)], cwd=folder, env=job_env, stdout=log_file, stderr=subprocess.STDOUT
        )
        runs[name] = (process, out, log, log_file)
    reports: dict[str, dict[str, Any]] = {}
    failures = []
    for name, (process, out, log, log_file) in runs.items():
        try:
            code = process.wait(timeout=max(1.0, RUNNER_TIMEOUT - (time.monotonic() - started)))
        except subprocess.TimeoutExpired:
            process.kill()
            code = process.wait()
        log_file.close()
        if code != 0 or not out.exists():
            tail = "\n".join(log.read_text(errors="replace").splitlines()[-40:])
            failures.append(f"the {name} runner failed (exit {code}); log {log}:\n{tail}")
            continue
        reports[name] = json.loads(out.read_text(encoding="utf-8"))
    if failures:
        pytest.fail("\n\n".join(failures))
    keep = os.environ.get("ACTIONKIT_CONFORMANCE_SAVE")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        for name, report in reports.items():
            (Path(keep) / f"{name}.json").write_text(json.dumps(report, indent=1, sort_keys=True))
    return reports


@pytest.fixture(scope="session")
def real_tool_report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """What open-webui 0.12.4 did on every tool, tool call and chat turn with tools (see
    tool_runner.py), run in that release's environment with ``runtime="open-webui"``."""
    python = owui_python(VERSION)
    work = tmp_path_factory.mktemp("owui-tools")
    out, log = work / "real.json", work / "runner.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("ACTIONKIT_STORE")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env["ACTIONKIT_OWUI_DATA_DIR"] = str(work / "data")
    with log.open("wb") as log_file:
        try:
            code = subprocess.run(
                [str(python), "-m", "tests.conformance.real_runner", "--tools", str(out)],
                cwd=work,
                env=env,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                timeout=RUNNER_TIMEOUT,
            ).returncode
        except subprocess.TimeoutExpired:
            code = -1
    if code != 0 or not out.exists():
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-40:])
        pytest.fail(f"the tools runner failed (exit {code}); log {log}:\n{tail}")
    report: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    assert report["open_webui"] == VERSION, report["open_webui"]
    return report


def record_mismatch(text: str) -> None:
    MISMATCHES.append(text)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    target = os.environ.get("ACTIONKIT_CONFORMANCE_REPORT")
    if not target or not MISMATCHES:
        return
    body = "\n\n".join(MISMATCHES)
    Path(target).write_text(f"# Conformance mismatches\n\n{body}\n", encoding="utf-8")
