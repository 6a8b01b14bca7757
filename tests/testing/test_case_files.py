"""Case files: the content hash is computed from the source, so an edited copy can never replay or
pass as another case's function; a case that cannot be recorded or written is a clear CaseError."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import actionkit
from actionkit.cli import main
from actionkit.errors import CaseError
from actionkit.function import content_hash
from actionkit.sim import load_case, save_case

SOURCE = '"""\ntitle: Rep\n"""\nclass Action:\n    async def action(self, body):\n        return "a"\n'


def _record(folder: Path) -> Path:
    fn = actionkit.load(SOURCE)
    return save_case(actionkit.simulate(fn), folder / "a.case.json", function=fn)


def _copy_with_edited_source(original: Path, target: Path, *, fix_hash: bool) -> Path:
    data = json.loads(original.read_text(encoding="utf-8"))
    data["function"]["content"] = data["function"]["content"].replace('return "a"', 'return "b"')
    if fix_hash:
        data["function"]["content_hash"] = content_hash(data["function"]["content"])
    target.write_text(json.dumps(data), encoding="utf-8")
    return target


def test_a_case_whose_stored_hash_disagrees_with_its_source_is_a_case_error(tmp_path: Path) -> None:
    copy = _copy_with_edited_source(_record(tmp_path), tmp_path / "b.case.json", fix_hash=False)
    with pytest.raises(CaseError, match="content_hash .* does not match the recorded source"):
        load_case(copy)


def test_the_case_hash_is_the_hash_of_its_recorded_source(tmp_path: Path) -> None:
    copy = _copy_with_edited_source(_record(tmp_path), tmp_path / "b.case.json", fix_hash=True)
    case = load_case(copy)
    assert case.content_hash == actionkit.load(case.function["content"], id="rep").content_hash


def test_a_case_file_that_cannot_be_written_is_a_case_error(tmp_path: Path) -> None:
    fn = actionkit.load(SOURCE)
    with pytest.raises(CaseError, match="cannot write the case file /proc/nope/x.case.json"):
        save_case(actionkit.simulate(fn), "/proc/nope/x.case.json", function=fn)


def test_a_body_nested_too_deeply_to_record_is_a_case_error() -> None:
    body: dict[str, object] = {"messages": [{"role": "user", "content": "x"}]}
    inner = body
    for _ in range(10_000):
        inner["next"] = {}
        inner = inner["next"]  # type: ignore[assignment]
    fn = actionkit.load(SOURCE)
    sim = actionkit.simulate(fn, body)
    with pytest.raises(CaseError, match="cannot record the 'body' input .* nested too deeply"):
        save_case(sim, "/tmp/never-written.case.json", function=fn)


@pytest.mark.parametrize("mode", ["--in-process", "--isolate"])
@pytest.mark.parametrize("fix_hash", [False, True], ids=["stale-hash", "recomputed-hash"])
def test_a_folder_with_an_edited_copy_never_passes_the_copy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], mode: str, fix_hash: bool
) -> None:
    folder = tmp_path / "cases"
    _copy_with_edited_source(_record(folder), folder / "b.case.json", fix_hash=fix_hash)
    code = main(["test", str(folder), "--recorded", mode, "--json"])
    report = json.loads(capsys.readouterr().out)
    statuses = {Path(r["case"]).name: r["status"] for r in report["results"]}
    assert code == 1
    assert statuses == {"a.case.json": "PASS", "b.case.json": "FAIL" if fix_hash else "ERROR"}
