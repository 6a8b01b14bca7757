"""The shipped notebooks are committed executed, with deterministic outputs nbval can compare.

(nbval itself re-runs them: ``pytest --nbval --nbval-current-env --nbval-sanitize-with
actionkit/nbval_sanitize.cfg notebooks/``.)
"""

from __future__ import annotations

import configparser
import re
from pathlib import Path

import nbformat
import pytest

import actionkit

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
OURS = ["quickstart", "actions", "filters", "pipes", "tools", "testing", "gallery"]
SANITIZER = Path(actionkit.__file__).with_name("nbval_sanitize.cfg")


def read(name: str) -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)


def code_cells(name: str) -> list[nbformat.NotebookNode]:
    return [cell for cell in read(name).cells if cell.cell_type == "code"]


def output_texts(cell: nbformat.NotebookNode) -> list[str]:
    texts = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream":
            texts.append(output["text"])
        for mime, value in output.get("data", {}).items():
            if mime.startswith("text/"):
                texts.append(value if isinstance(value, str) else "".join(value))
    return texts


@pytest.mark.parametrize("name", OURS)
def test_notebook_is_committed_executed_in_order_without_errors(name: str) -> None:
    cells = code_cells(name)
    assert [cell.execution_count for cell in cells] == list(range(1, len(cells) + 1))
    assert all(output.output_type != "error" for cell in cells for output in cell.outputs)
    assert sum(bool(cell.outputs) for cell in cells) >= len(cells) // 2


@pytest.mark.parametrize("name", OURS)
def test_notebook_outputs_hold_no_addresses_clocks_or_temp_paths(name: str) -> None:
    texts = [text for cell in code_cells(name) for text in output_texts(cell)]
    joined = "\n".join(texts)
    assert not re.search(r" at 0x[0-9a-fA-F]+", joined)
    assert not re.search(r"/tmp/|/var/folders/", joined)
    assert not re.search(r"127\.0\.0\.1:\d+", joined)
    assert not re.search(r"\b\d+\.\d+ ?(s|ms|seconds)\b", joined)


@pytest.mark.parametrize("name", OURS)
def test_notebook_uses_the_python3_kernel(name: str) -> None:
    assert read(name).metadata["kernelspec"]["name"] == "python3"


def test_quickstart_is_short_and_shows_the_four_steps() -> None:
    sources = [cell.source for cell in code_cells("quickstart")]
    assert len(sources) <= 6
    assert sources[0] == "%load_ext actionkit"
    assert any(s.startswith("%%action") and "class Valves" in s for s in sources)
    assert any("simulate(" in s for s in sources)
    assert any("set_valves(" in s for s in sources)


def test_testing_notebook_shows_a_regression_caught_and_fixed() -> None:
    outputs = ["\n".join(output_texts(cell)) for cell in code_cells("testing")]
    failing = next(text for text in outputs if "FAIL reading_time-" in text)
    assert "the function changed since this case was recorded" in failing
    assert '-message: "\\n\\n⏱ 1 min read"' in failing and '+message: "\\n\\n⏱ 0 min read"' in failing
    assert "2 cases: 0 passed, 2 failed" in failing
    after = outputs[outputs.index(failing) + 2]
    assert "2 cases: 2 passed, 0 failed" in after


def test_sanitizer_ships_in_the_package_and_its_patterns_compile() -> None:
    parser = configparser.ConfigParser()
    assert parser.read(SANITIZER) == [str(SANITIZER)]
    replaced = "wrote /tmp/actionkit-nb-x1/exports/a.md to http://127.0.0.1:43123/hook for <Obj at 0x7f3a>"
    for section in parser.sections():
        replaced = re.sub(parser[section]["regex"], parser[section]["replace"], replaced)
    assert replaced == "wrote <TMP>/exports/a.md to http://127.0.0.1:<PORT>/hook for <Obj at 0x<ADDR>>"
