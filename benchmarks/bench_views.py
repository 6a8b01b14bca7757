"""What the page-like views and the log capture cost: a simulation with and without capturing what
the function prints, and the HTML of a simulation and a chat turn against their plain text."""

from __future__ import annotations

import logging
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _timing import HEADER, median_seconds, row

import actionkit
import actionkit.sim._engine as engine
from actionkit.store import Store

QUIET = """
class Action:
    async def action(self, body, __event_emitter__=None):
        await __event_emitter__({"type": "status", "data": {"description": "working", "done": True}})
        return {"ok": True}
"""

PRINTING = QUIET.replace("        return", '        print("a line the function prints")\n        return')

RICH = """
class Action:
    async def action(self, body, __event_emitter__=None):
        for i in range(20):
            await __event_emitter__({"type": "status", "data": {"description": f"step {i}", "done": i == 19}})
        text = "\\n\\n".join(f"**Part {i}:** some `code`, a [link](https://example.com/{i}) [1]" for i in range(40))
        await __event_emitter__({"type": "message", "data": {"content": text}})
        await __event_emitter__({"type": "citation", "data": {"document": ["d"], "metadata": [{"source": "https://a.b/c"}], "source": {"name": "A"}}})
"""


def main() -> None:
    store = Store(":memory:")
    quiet = actionkit.load(QUIET, id="quiet")
    printing = actionkit.load(PRINTING, id="printing")
    for _ in range(50):
        actionkit.simulate(quiet, store=store)  # warm up the loop thread
    start, stop = engine.start_logs, engine.stop_logs

    def run_quiet() -> None:
        actionkit.simulate(quiet, store=store)

    bare_runs, captured_runs = [], []
    for _ in range(15):  # interleaved, so the shared machine's load hits both alike
        engine.start_logs, engine.stop_logs = (lambda entries: None), (lambda token: None)
        try:
            bare_runs.append(median_seconds(run_quiet, repeat=3, number=20))
        finally:
            engine.start_logs, engine.stop_logs = start, stop
        captured_runs.append(median_seconds(run_quiet, repeat=3, number=20))
    bare, captured = statistics.median(bare_runs), statistics.median(captured_runs)
    printed = median_seconds(lambda: actionkit.simulate(printing, store=store), repeat=15, number=20)

    rich = actionkit.simulate(actionkit.load(RICH, id="rich"), store=store)
    rich.message  # noqa: B018 - settle the lazy fields first
    text = median_seconds(rich.transcript, repeat=15, number=10)
    page = median_seconds(lambda: rich._repr_mimebundle_(), repeat=15, number=10)
    chat = actionkit.Chat(llm=actionkit.MockModel("**Hello** there\n\n- one\n- two"))
    turn = chat.send("hi")
    turn_text = median_seconds(turn.transcript, repeat=15, number=20)
    turn_page = median_seconds(lambda: turn._repr_mimebundle_(), repeat=15, number=20)

    import actionkit.sim._logs as logs

    entries: list[dict[str, object]] = []
    capture = median_seconds(lambda: logs.stop_logs(logs.start_logs(entries)), repeat=15, number=200)
    for i in range(600):
        logging.getLogger(f"library{i}.module")
    crowded = median_seconds(lambda: logs.stop_logs(logs.start_logs(entries)), repeat=15, number=200)

    print(HEADER)
    print(row("simulate() of a small action, log capture off (baseline)", bare, None, "-"))
    print(row("the same with log capture (every simulate)", captured, bare, "<= 1.10x"))
    print(row("the same action printing one line", printed, bare, "-"))
    print(row("log capture set up and taken down, from idle", capture, bare, "-"))
    print(row("the same with 600 more loggers in the process", crowded, bare, "-"))
    print(row("text view of a simulation: 20 statuses, 40 Markdown paragraphs (baseline)", text, None, "-"))
    print(row("its HTML (Markdown, statuses, sources)", page, text, "<= 20 ms"))
    print(row("text view of a chat turn (baseline)", turn_text, None, "-"))
    print(row("its HTML", turn_page, turn_text, "<= 20 ms"))


if __name__ == "__main__":
    main()
