"""Widget speed targets: building a 20-field valves editor, and a playground re-run after a valve change.

Run: .venv/bin/python benchmarks/bench_widgets.py
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _timing import HEADER, median_seconds, row

import actionkit
from actionkit import Store
from actionkit.runtimes import simulate
from actionkit.widgets import Playground, ValvesEditor

os.environ.pop("ACTIONKIT_RENDER", None)


def twenty_field_source() -> str:
    fields = []
    kinds = [
        'f{n}: float = Field(0.5, ge=0, le=1, description="a slider")',
        'f{n}: int = Field(3, ge=0, description="a number box")',
        'f{n}: str = Field("text", description="a text box")',
        'f{n}: bool = Field(True, description="a checkbox")',
        'f{n}: Literal["a", "b", "c"] = Field("a", description="a dropdown")',
    ]
    for n in range(20):
        fields.append("        " + kinds[n % len(kinds)].format(n=n))
    return (
        "from typing import Literal\nfrom pydantic import BaseModel, Field\n\n"
        "class Action:\n    class Valves(BaseModel):\n" + "\n".join(fields) + "\n\n"
        "    def __init__(self):\n        self.valves = self.Valves()\n\n"
        "    async def action(self, body):\n        return body\n"
    )


def editor_build() -> list[str]:
    import ipywidgets as w

    fn = actionkit.load(twenty_field_source(), id="twenty")
    store = Store(":memory:")
    store.save(fn)

    def bare_widgets() -> None:  # one plain control + label per field, no logic
        w.VBox([w.HBox([w.HTML("label"), w.FloatSlider()]) for _ in range(20)])

    baseline = median_seconds(bare_widgets, repeat=15)
    schema = median_seconds(lambda: fn.Valves.model_json_schema(), repeat=15)  # type: ignore[union-attr]
    build = median_seconds(lambda: ValvesEditor(fn, store=store), repeat=15)
    store.close()
    return [
        row("20 bare ipywidgets rows, no logic (baseline)", baseline, None, "-"),
        row("pydantic model_json_schema() of the 20 fields", schema, baseline, "-"),
        row("ValvesEditor for a 20-field Valves", build, baseline, "<= 100 ms"),
    ]


QUICK = """
from pydantic import BaseModel, Field

class Action:
    class Valves(BaseModel):
        count: int = Field(3, ge=1, le=1000)

    def __init__(self):
        self.valves = self.Valves()

    async def action(self, body, __event_emitter__=None):
        await __event_emitter__({"type": "status", "data": {"description": "working", "done": True}})
        return {"count": self.valves.count}
"""

SLOW = QUICK.replace(
    "async def action(self, body, __event_emitter__=None):",
    (
        "async def action(self, body, __event_emitter__=None):\n        import asyncio\n"
        "        await asyncio.sleep(0.02)"
    ),
)


def rerun(source: str, label: str, own: float) -> list[str]:
    fn = actionkit.load(source, id="quick")
    store = Store(":memory:")
    store.save(fn)
    direct = median_seconds(lambda: simulate(fn, valves={"count": 5}, store=store), repeat=21)
    pg = Playground(fn, store=store, static=False, debounce=0, rerun_on_change=True)
    pg.wait(30)
    slider = pg.valves.control("count").slider  # type: ignore[union-attr]
    values = iter(range(2, 10_000))

    def change() -> None:
        slider.value = next(values)
        pg.wait(30)
        assert pg.state == "done" and pg.simulation is not None and pg.simulation.ok

    measured = median_seconds(change, repeat=21)
    store.close()
    return [
        row(f"simulate() of the {label} action directly (baseline)", direct, None, "-"),
        row(
            f"playground valve change -> re-run -> redraw ({label})",
            measured,
            direct,
            f"<= 50 ms + the function's own {own * 1000:.0f} ms",
        ),
        f"| overhead over the function's own time ({label}) | {(measured - own) * 1000:.3f} ms | - | "
        "<= 50 ms |",
    ]


def main() -> None:
    print("## Widgets (bench_widgets.py)\n")
    print(HEADER)
    started = time.perf_counter()
    for lines in (editor_build(), rerun(QUICK, "quick", 0.0), rerun(SLOW, "20 ms", 0.02)):
        for line in lines:
            print(line, flush=True)
    print(f"\n(total {time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main()
