"""The store under concurrent writers and abrupt kills."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

from actionkit import Store

WRITER = textwrap.dedent(
    """
    import sys
    import actionkit
    from actionkit import Store

    path, tag, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    store = Store(path)
    for i in range(count):
        source = "class Action:\\n    marker = '" + tag + "-" + str(i) + "'\\n"
        store.save(actionkit.load(source, id="shared"))
        print(f"{tag}-{i}", flush=True)
    """
)


def _writer(path: Path, tag: str, count: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), tag, str(count)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_processes_saving_at_once_lose_no_save(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    Store(path).close()
    writers = [_writer(path, "a", 500), _writer(path, "b", 500)]
    for proc in writers:
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err
        assert len(out.split()) == 500
    with Store(path) as store:
        history = store.history("shared")
    markers = {v.content.split("marker = ")[1].strip() for v in history}
    expected = {f"'{tag}-{i}'" for tag in "ab" for i in range(500)}
    assert markers == expected
    assert [v.version for v in history] == list(range(1, 1001))


def test_sigkill_during_saves_leaves_an_intact_store_with_every_committed_version(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    proc = _writer(path, "k", 100_000)
    assert proc.stdout is not None
    committed = []
    for line in proc.stdout:
        committed.append(line.strip())
        if len(committed) == 150:
            os.kill(proc.pid, signal.SIGKILL)
            break
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    with Store(path) as store:
        stored = {v.content.split("marker = ")[1].strip().strip("'") for v in store.history("shared")}
    assert set(committed) <= stored
