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
# The same code as an Action: what a load and a call cost without the specs and the tool loop.
ACTION = SOURCE.replace("class Tools:", "class Action:") + (
    "    async def action(self, body):\n        return self.method_0(query='x', limit=2)\n"
)


def main() -> None:
    counter = itertools.count()

    def load(source: str) -> None:
        actionkit.load(source, id=f"bench_{next(counter)}")

    action_load = median_seconds(lambda: load(ACTION), repeat=15, number=5)
    tool_load = median_seconds(lambda: load(SOURCE), repeat=15, number=5)
    tool = actionkit.load(SOURCE, id="bench_tool")
    action = actionkit.load(ACTION, id="bench_action")
    action_call = median_seconds(lambda: simulate(action), repeat=15, number=20)
    tool_call = median_seconds(lambda: simulate(tool, tool_call=CALL), repeat=15, number=20)

    def turn(with_tools: bool) -> None:
        replies = [{"tool_calls": [{"id": "c1", "type": "function", "function": CALL}]}, "done"]
        chat = Chat(tools=[tool] if with_tools else [], llm=MockModel(replies if with_tools else ["done"]))
        chat.send("hi")

    plain_turn = median_seconds(lambda: turn(False), repeat=9, number=5)
    tool_turn = median_seconds(lambda: turn(True), repeat=9, number=5)
    print(HEADER)
    print(row(f"`actionkit.load` of {METHODS} methods in an Action (baseline)", action_load, None, "-"))
    print(row("`actionkit.load` of them as a Tool (their specs built)", tool_load, action_load, "info"))
    print(row("`simulate` of that Action calling one method (baseline)", action_call, None, "-"))
    print(row("`simulate(tool, tool_call=...)` of that method", tool_call, action_call, "info"))
    print(row("a chat turn without tools (baseline)", plain_turn, None, "-"))
    print(row("a chat turn with one tool call (two model rounds)", tool_turn, plain_turn, "info"))


if __name__ == "__main__":
    main()
