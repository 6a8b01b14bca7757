"""Core speed targets: import cost, load+save of a 300-line function, a 10,000-function store.

Run: .venv/bin/python benchmarks/bench_core.py
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _timing import HEADER, median_seconds, row

import actionkit
from actionkit import Store
from actionkit.store import StoreEntry


def import_cost() -> list[str]:
    def timed(stmt: str) -> float:
        code = f"import time; t=time.perf_counter(); {stmt}; print(time.perf_counter()-t)"
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        return float(out.stdout)

    pydantic = sorted(timed("import pydantic; import pydantic.main") for _ in range(11))[5]
    both = sorted(timed("import pydantic; import pydantic.main; import actionkit") for _ in range(11))[5]
    heavy = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, actionkit; print(sorted(m for m in ('ipywidgets','httpx','IPython','requests')"
            " if m in sys.modules))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    return [
        row("import pydantic (baseline)", pydantic, None, "-"),
        row("import pydantic + actionkit", both, pydantic, "<= +150 ms over baseline"),
        f"| actionkit's own import cost | {(both - pydantic) * 1000:.1f} ms | - | <= 150 ms |",
        f"| heavy modules imported by `import actionkit` | {heavy} | - | none |",
    ]


def function_source(lines: int = 300) -> str:
    head = '"""\ntitle: Big Action\nversion: 1.0\n"""\nfrom pydantic import BaseModel, Field\n\n'
    head += "class Action:\n    class Valves(BaseModel):\n"
    head += "".join(f"        v{i}: int = Field({i}, ge=0)\n" for i in range(20))
    head += "    def __init__(self):\n        self.valves = self.Valves()\n"
    body = []
    i = 0
    while len((head + "".join(body)).splitlines()) < lines - 2:
        body.append(f"    def helper_{i}(self, x):\n        return x + {i}\n")
        i += 1
    return head + "".join(body) + "    async def action(self, body):\n        return body\n"


def load_and_save() -> list[str]:
    source = function_source()
    assert len(source.splitlines()) >= 298
    compiled_baseline = median_seconds(lambda: exec(compile(source, "<bench>", "exec"), {}), repeat=51)
    load_only = median_seconds(lambda: actionkit.load(source, id="big"), repeat=51)
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "store.db")
        counter = iter(range(10**9))

        def load_save() -> None:
            # a distinct content every time, so every save writes a new version
            store.save(actionkit.load(source + f"# {next(counter)}\n", id="big"))

        both = median_seconds(load_save, repeat=51)
        store.close()
    return [
        row("compile+exec of the 300-line source (baseline)", compiled_baseline, None, "-"),
        row("actionkit.load (300 lines)", load_only, compiled_baseline, "-"),
        row("load + save as a new version (300 lines)", both, compiled_baseline, "<= 10 ms"),
    ]


def big_store() -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "store.db"
        store = Store(path)
        template = "class Action:\n    tag = {tag!r}\n    def action(self, body):\n        return body\n"
        for version in range(5):
            batch = []
            for n in range(10_000):
                fn = actionkit.load(template.format(tag=f"{n}-{version}"), id=f"fn_{n:05d}")
                batch.append(StoreEntry(fn))
                if len(batch) == 2000:
                    store.save_many(batch)
                    batch = []
        raw = sqlite3.connect(path)
        baseline = median_seconds(
            lambda: raw.execute(
                "SELECT id, user_id, name, type, meta, is_active, is_global, updated_at, created_at "
                "FROM function ORDER BY id"
            ).fetchall(),
            repeat=11,
        )
        listing = median_seconds(store.list, repeat=11)
        raw_get = median_seconds(
            lambda: raw.execute("SELECT * FROM function WHERE id = 'fn_05000'").fetchone(), repeat=201
        )
        get = median_seconds(lambda: store.get("fn_05000"), repeat=201)
        assert len(store.list()) == 10_000 and store.get("fn_05000").version == 5
        raw.close()
        store.close()
    return [
        row("raw SQL select of 10,000 rows (baseline)", baseline, None, "-"),
        row("Store.list() of 10,000 functions", listing, baseline, "<= 50 ms"),
        row("raw SQL select of one row (baseline)", raw_get, None, "-"),
        row("Store.get() of one function (5 versions each)", get, raw_get, "<= 1 ms"),
    ]


def main() -> None:
    print("## Core (bench_core.py)\n")
    print(HEADER)
    for section in (import_cost, load_and_save, big_store):
        for line in section():
            print(line, flush=True)


if __name__ == "__main__":
    main()
