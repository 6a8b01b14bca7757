"""The open-webui releases the suite runs on, and their interpreters.

The releases are installed by actionkit itself (``actionkit.realhost.release_python``: one venv per
release in ``$ACTIONKIT_RELEASES``, one shared uv package cache, the CPU build of torch first), on
first use; ``ACTIONKIT_OWUI_PYTHON`` may name an interpreter that already has one of them.
``ACTIONKIT_CONFORMANCE_RELEASES`` chooses the releases (comma-separated, or ``all``); by default
the suite runs on 0.8.12, 0.10.2 and 0.12.4. A release that cannot be installed fails the suite
with uv's output: it never skips.
"""

from __future__ import annotations

import os
from pathlib import Path

from actionkit.host import VERSION
from actionkit.releases import RELEASES, release

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_RELEASES = ("0.8.12", "0.10.2", VERSION)


def conformance_releases() -> list[str]:
    given = os.environ.get("ACTIONKIT_CONFORMANCE_RELEASES", "").strip()
    if given == "all":
        return list(RELEASES)
    if not given:
        return list(DEFAULT_RELEASES)
    return [release(part.strip()) for part in given.split(",") if part.strip()]


def owui_python(version: str = VERSION) -> Path:
    """An interpreter with open-webui ``version`` importable (installed on first use)."""
    from actionkit.realhost import release_python

    return release_python(version)
