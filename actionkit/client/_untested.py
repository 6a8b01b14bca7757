"""What a push says about the pushed functions' recorded cases and the server's release.

``actionkit test`` remembers which cases of each function ran on which release (the store's
``.releases.json`` sidecar). A function pushed to a server whose release its cases have not run on,
with the source being pushed, gets one line saying so and the command that runs them there.
"""

from __future__ import annotations

import os
import shlex
from pathlib import Path

from ..errors import SimulationError
from ..releases import LINES, release, runtime_name
from ..store import ReleaseRuns


def untested_notes(store_path: str, server_version: str, pushed: dict[str, str]) -> list[str]:
    """One line per pushed function (``{id: content hash}``) whose cases have not passed on the
    server's release with that source."""
    runs = ReleaseRuns(store_path)
    with_cases = {fid: h for fid, h in pushed.items() if runs.cases(fid)}
    if not with_cases:
        return []
    try:
        version = release(server_version)
    except SimulationError:
        lines = ", ".join(".".join(map(str, line)) for line in LINES)
        return [f"the recorded cases cannot run on Open WebUI {server_version}: actionkit runs {lines}"]
    notes: list[str] = []
    for function_id, content_hash in sorted(with_cases.items()):
        last = runs.run(function_id, version)
        folders = _folders(runs.cases(function_id))
        command = f"actionkit test {folders} --runtime {runtime_name(version)}"
        if last is None:
            state = "have not been run on"
        elif last.get("content_hash") != content_hash:
            state = "ran on an earlier version of the function on"
        elif last.get("failed"):
            state = f"failed ({last['failed']} of {last['failed'] + last.get('passed', 0)}) on"
        else:
            continue
        notes.append(f"the recorded cases of {function_id} {state} the server's release {version}: {command}")
    return notes


def _folders(cases: list[str]) -> str:
    """The case folders, relative to the working folder where they are under it."""
    here = Path.cwd()
    shown: list[str] = []
    for case in cases:
        folder = Path(case).parent
        try:
            text = os.path.relpath(folder, here) if folder.is_relative_to(here) else str(folder)
        except ValueError:
            text = str(folder)
        if text not in shown:
            shown.append(text)
    return " ".join(shlex.quote(text) for text in shown)
