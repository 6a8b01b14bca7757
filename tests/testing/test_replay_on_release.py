"""Replaying a recorded case on a release: the host's random ids are not a difference, and a real
difference names the known host change behind it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import actionkit
from actionkit.errors import CaseError
from actionkit.runtimes import simulate as real_simulate
from actionkit.testing import _replay, accept, replay

STREAM = '''"""
title: Streamer
"""


class Pipe:
    async def pipe(self, body: dict):
        yield "a"
'''


@pytest.fixture
def case(tmp_path: Path) -> Path:
    sim = actionkit.simulate(actionkit.load(STREAM), stream=True)
    return sim.save_case(tmp_path / "stream.case.json")


def _as_release(monkeypatch: pytest.MonkeyPatch, change: Any) -> None:
    def simulate(target: Any, *, runtime: str, **options: Any) -> Any:
        return change(real_simulate(target, **options))

    monkeypatch.setattr(_replay, "simulate", simulate)


def _random_ids(sim: Any) -> Any:
    sim.chunks = [
        c.replace("00000000-0000-4000-8000-000000000000", "3f2b9c1e-8a4d-4b6e-9f1a-2c3d4e5f6a7b")
        for c in sim.chunks
    ]
    return sim


def _without_end(sim: Any) -> Any:
    sim.chunks = [c.replace('":', '": ').replace('",', '", ') for c in sim.chunks[:-2]]
    sim.result = sim.result[:-1]
    return sim


def test_the_hosts_random_ids_are_no_difference_on_a_release(
    case: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _as_release(monkeypatch, _random_ids)
    assert replay(case, runtime="open-webui==0.12.4").passed
    assert not replay(case).passed  # the simulator's ids are fixed, so there they are compared


def test_a_difference_on_a_release_names_the_host_changes_behind_it(
    case: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _as_release(monkeypatch, _without_end)
    result = replay(case, runtime="open-webui==0.8.12")
    assert not result.passed
    assert sorted(e.change.id for e in result.explained) == ["compact-sse", "stream-end"]
    assert "  explained: 0.9 ends every pipe stream with a finish chunk" in result.report()
    assert result.to_dict()["runtime"] == "open-webui==0.8.12"
    with pytest.raises(CaseError, match="cannot update stream.case.json with what open-webui produced"):
        accept(result)
