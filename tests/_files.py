"""Files and folders made read-only for a test, also when the tests run as root (which ignores
permission bits): there the file is marked immutable instead."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def read_only(path: Path) -> Iterator[Path]:
    """``path`` (a file or a folder) cannot be written by this process until the block ends."""
    if os.geteuid() == 0:
        chattr = shutil.which("chattr")
        assert chattr, "running as root: read-only files need chattr (e2fsprogs)"
        subprocess.run([chattr, "+i", str(path)], check=True)
        try:
            yield path
        finally:
            subprocess.run([chattr, "-i", str(path)], check=True)
        return
    mode = path.stat().st_mode
    path.chmod(mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    try:
        yield path
    finally:
        path.chmod(mode)


def damage_past_the_header(path: Path) -> None:
    """Overwrite every page after the first (the header and the schema stay readable)."""
    page = sqlite3.connect(path).execute("PRAGMA page_size").fetchone()[0]
    data = bytearray(path.read_bytes())
    assert len(data) > 2 * page, "the database needs more than one page to be damaged past its header"
    data[page:] = b"\x5a" * (len(data) - page)
    path.write_bytes(bytes(data))


def files_in(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}
