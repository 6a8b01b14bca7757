"""README's table of the ``open_webui`` names the stand-ins serve is ``standins.supported()``.

After adding a stand-in, rewrite the table with ``python -m tests.standins.test_readme_table``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import actionkit.function  # noqa: F401 - registers the loader's own open_webui.utils.plugin stand-in
from actionkit.standins import supported

README = Path(__file__).resolve().parents[2] / "README.md"
START, END = "<!-- stand-ins: start -->", "<!-- stand-ins: end -->"
SECTION = re.compile(re.escape(START) + r"\n(.*?)" + re.escape(END), re.S)


def table() -> str:
    rows = ["| module | names |", "|---|---|"]
    for module, names in sorted(supported().items()):
        rows.append(f"| `{module}` | {', '.join(f'`{name}`' for name in names)} |")
    return "\n".join(rows) + "\n"


def test_the_readme_lists_every_name_the_stand_ins_serve() -> None:
    found = SECTION.search(README.read_text(encoding="utf-8"))
    assert found is not None, f"README.md has no {START} … {END} section"
    assert found.group(1) == table(), "the table is out of date: python -m tests.standins.test_readme_table"


def rewrite() -> None:
    text = README.read_text(encoding="utf-8")
    README.write_text(SECTION.sub(lambda _: f"{START}\n{table()}{END}", text), encoding="utf-8")


if __name__ == "__main__":
    rewrite()
    sys.exit(0)
