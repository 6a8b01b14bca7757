from __future__ import annotations

import tomllib
from pathlib import Path

from actionkit.function._host_libs import HOST_EXTRA


def test_host_extra_in_pyproject_matches_the_host_library_table() -> None:
    pyproject = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())
    assert tuple(pyproject["project"]["optional-dependencies"]["host"]) == HOST_EXTRA
