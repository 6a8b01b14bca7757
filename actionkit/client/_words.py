"""How each surface spells what a message asks its user to do: Python calls, the command line, the
magics. The client's messages take a :class:`Words`, so that ``actionkit push`` suggests ``--force``
and ``actionkit diff x`` where ``OpenWebUIClient.push`` suggests ``force=True`` and ``diff('x')``."""

from __future__ import annotations

from dataclasses import dataclass

URL_ENV = "OPENWEBUI_URL"
TOKEN_ENV = "OPENWEBUI_TOKEN"


@dataclass(frozen=True)
class Words:
    """The spelling of one surface: its calls, its options and where its token comes from."""

    python: bool  # calls are Python methods (``diff('x')``), else commands (``<prefix>diff x``)
    prefix: str  # before a command's verb: "actionkit " or "%action_"
    timeout: str  # how to give a longer timeout
    url: str  # how to name the server
    token: str  # how to give the token

    def call(self, verb: str, function_id: str | None = None, *, force: bool = False) -> str:
        """``diff('x')`` / ``actionkit diff x`` / ``%action_diff x``, with the force switch if asked."""
        if self.python:
            args = ([repr(function_id)] if function_id is not None else []) + (
                ["force=True"] if force else []
            )
            return f"{verb}({', '.join(args)})"
        parts = [self.prefix + verb, *([function_id] if function_id is not None else [])]
        return " ".join(parts + (["--force"] if force else []))

    @property
    def force(self) -> str:
        return "force=True" if self.python else "--force"


PYTHON = Words(
    python=True,
    prefix="",
    timeout="raise timeout= (seconds per request)",
    url=f"pass url='http://localhost:8080' or set {URL_ENV}",
    token=f"set {TOKEN_ENV} or pass token=... (never in a cell that is saved)",
)
CLI = Words(
    python=False,
    prefix="actionkit ",
    timeout="raise --timeout (seconds per request)",
    url=f"pass --url http://localhost:8080 or set {URL_ENV}",
    token=f"set {TOKEN_ENV}, or type it at the prompt when running in a terminal",
)
MAGIC = Words(
    python=False,
    prefix="%action_",
    timeout="raise --timeout (seconds per request)",
    url=f"pass --url http://localhost:8080 or set {URL_ENV}",
    token=f"set {TOKEN_ENV} or type it at the prompt (never in a cell that is saved)",
)
