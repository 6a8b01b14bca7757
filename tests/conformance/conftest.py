"""Session fixture: run the whole corpus through the real open-webui once, in ``.venv-owui``.

The expected outcome of every comparison is what the real package did in this run: the runner is a
subprocess of this session, never a stored copy. Set ``ACTIONKIT_CONFORMANCE_REPORT=path.md`` to also
get every mismatch of the run written as one Markdown report.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ._venv import ROOT, owui_python
from .cases import UPSTREAM_ENV, upstream_model

RUNNER_TIMEOUT = 1800
MISMATCHES: list[str] = []


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


@pytest.fixture(scope="session")
def real_report(tmp_path_factory: pytest.TempPathFactory, upstream: str) -> Iterator[dict[str, Any]]:
    """What open-webui 0.12.4 did on every corpus function and case (see real_runner.py)."""
    python = owui_python()
    work = tmp_path_factory.mktemp("owui-run")
    out, log = work / "real.json", work / "runner.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("ACTIONKIT_STORE")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env["ACTIONKIT_OWUI_DATA_DIR"] = str(work / "data")
    with log.open("w") as log_file:
        done = subprocess.run(
            [str(python), "-m", "tests.conformance.real_runner", str(out)],
            cwd=work,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            timeout=RUNNER_TIMEOUT,
        )
    if done.returncode != 0 or not out.exists():
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-40:])
        pytest.fail(f"the open-webui runner failed (exit {done.returncode}); log {log}:\n{tail}")
    yield json.loads(out.read_text(encoding="utf-8"))


def record_mismatch(text: str) -> None:
    MISMATCHES.append(text)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    target = os.environ.get("ACTIONKIT_CONFORMANCE_REPORT")
    if not target or not MISMATCHES:
        return
    body = "\n\n".join(MISMATCHES)
    Path(target).write_text(f"# Conformance mismatches\n\n{body}\n", encoding="utf-8")
