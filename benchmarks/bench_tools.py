"""Tools: loading a tool (its specs built as the host's create handler builds them), one tool call
as the host's tool loop makes it, and a whole chat turn with one tool call, each as a ratio to a
baseline measured in the same run.

Run: .venv/bin/python benchmarks/bench_tools.py
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _timing import HEADER, median_seconds, row

import actionkit
from actionkit import Chat, MockModel
from actionkit.runtimes import simulate

METHODS = 5
SOURCE = "from typing import Optional\n\nclass Tools:\n" + "".join(
    f'''    def method_{n}(self, query: str, limit: int = 3, mode: Optional[str] = None) -> dict:
        """
        Search number {n}.

        :param query: what to look for
        :param limit: how many hits
        """
        return {{"query": query, "limit": limit}}

'''
    for n in range(METHODS)
)
CALL = {"name": "method_0", "arguments": '{"query": "x", "limit": "2"}'}


def main() -> None:
    counter = itertools.count()
    code = compile(SOURCE, "<bench>", "exec")

    def compile_and_exec() -> None:
        namespace: dict[str, object] = {}
        exec(code, namespace)
        namespace["Tools"]()  # type: ignore[operator]

    exec_time = median_seconds(compile_and_exec, repeat=15, number=20)
    load_time = median_seconds(
        lambda: actionkit.load(SOURCE, id=f"bench_{next(counter)}"), repeat=15, number=5
    )
    tool = actionkit.load(SOURCE, id="bench_tool")
    method = tool.instance.method_0
    direct = median_seconds(lambda: method(query="x", limit=2), repeat=15, number=2000)
    call_time = median_seconds(lambda: simulate(tool, tool_call=CALL), repeat=15, number=20)

    def turn(with_tools: bool) -> None:
        replies = [{"tool_calls": [{"id": "c1", "type": "function", "function": CALL}]}, "done"]
        chat = Chat(tools=[tool] if with_tools else [], llm=MockModel(replies if with_tools else ["done"]))
        chat.send("hi")

    plain_turn = median_seconds(lambda: turn(False), repeat=9, number=5)
    tool_turn = median_seconds(lambda: turn(True), repeat=9, number=5)
    print(HEADER)
    print(
        row(f"compile + exec + instantiate a {METHODS}-method Tools source (baseline)", exec_time, None, "-")
    )
    print(row(f"`actionkit.load` of it (specs of {METHODS} methods built)", load_time, exec_time, "info"))
    print(row("calling the method directly (baseline)", direct, None, "-"))
    print(row("`simulate(tool, tool_call=...)`", call_time, direct, "info"))
    print(row("a chat turn without tools (baseline)", plain_turn, None, "-"))
    print(row("a chat turn with one tool call (two model rounds)", tool_turn, plain_turn, "info"))


if __name__ == "__main__":
    main()
