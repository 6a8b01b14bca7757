"""Line magics for a running Open WebUI server: ``%action_push``, ``%action_pull``, ``%action_diff``.

The server comes from ``--url`` or ``$OPENWEBUI_URL``; the token from ``$OPENWEBUI_TOKEN`` or a
password prompt, kept in memory for the session only (never printed, never in a cell's output).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from IPython.core.magic import Magics, line_magic, magics_class
from IPython.core.magic_arguments import argument, magic_arguments

from ..client import (
    MAGIC,
    FunctionDiff,
    OpenWebUIClient,
    PullResult,
    PushResult,
    Token,
    resolve_url,
    server_key,
)
from ..errors import ServerError, UsageError
from ._args import parse_magic_line
from ._stores import OpenStores


@magics_class
class RemoteMagics(Magics):
    """Push to, pull from and diff against an Open WebUI server."""

    def __init__(self, shell: Any, stores: OpenStores | None = None) -> None:
        super().__init__(shell)
        self._stores = stores if stores is not None else OpenStores()
        self._tokens: dict[str, Token] = {}

    def client(self, url: str | None, store: str | None, timeout: float = 30.0) -> OpenWebUIClient:
        """A client for ``url`` on the notebook's store; asks for the token once per server."""
        server = resolve_url(url, MAGIC)
        client = OpenWebUIClient(
            server,
            self._tokens.get(server_key(server)),
            store=self._stores.get(store),
            timeout=timeout,
            words=MAGIC,
        )
        self._tokens[server_key(server)] = client.token
        return client

    @contextmanager
    def _session(self, url: str | None, store: str | None, timeout: float) -> Iterator[OpenWebUIClient]:
        """A client that is closed afterwards; a token the server refused is forgotten."""
        client = self.client(url, store, timeout)
        try:
            yield client
        except ServerError as exc:
            if exc.status == 401:
                self._tokens.pop(server_key(client.url), None)
            raise
        finally:
            client.close()

    @magic_arguments()
    @argument("ids", nargs="*", help="stored function ids to push")
    @argument("--all", dest="push_all", action="store_true", help="push every function in the store")
    @argument("--force", action="store_true", help="overwrite changes made on the server since the last pull")
    @argument("--no-valves", action="store_true", help="leave the server's admin valves as they are")
    @argument("--url", help="Open WebUI address; default: $OPENWEBUI_URL")
    @argument("--store", help="store file; default: $ACTIONKIT_STORE or .actionkit/store.db")
    @argument("--timeout", type=float, default=30.0, help="seconds per request (default 30)")
    @line_magic
    def action_push(self, line: str) -> PushResult:
        """Push functions with their valves and flags to an Open WebUI server."""
        args = parse_magic_line(self.action_push, line)
        if not args.ids and not args.push_all:
            raise UsageError(
                "%action_push needs the ids to push",
                hint="e.g. %action_push my_action, or --all for every one",
            )
        with self._session(args.url, args.store, args.timeout) as client:
            ids = None if args.push_all else args.ids
            return client.push(ids, force=args.force, valves=not args.no_valves)

    @magic_arguments()
    @argument("ids", nargs="*", help="function ids to pull; default: every function on the server")
    @argument("--force", action="store_true", help="replace functions edited in the store")
    @argument("--url", help="Open WebUI address; default: $OPENWEBUI_URL")
    @argument("--store", help="store file; default: $ACTIONKIT_STORE or .actionkit/store.db")
    @argument("--timeout", type=float, default=30.0, help="seconds per request (default 30)")
    @line_magic
    def action_pull(self, line: str) -> PullResult:
        """Pull functions with their valves and flags from an Open WebUI server into the store."""
        args = parse_magic_line(self.action_pull, line)
        with self._session(args.url, args.store, args.timeout) as client:
            return client.pull(args.ids or None, force=args.force)

    @magic_arguments()
    @argument("id", help="function id")
    @argument("--url", help="Open WebUI address; default: $OPENWEBUI_URL")
    @argument("--store", help="store file; default: $ACTIONKIT_STORE or .actionkit/store.db")
    @argument("--timeout", type=float, default=30.0, help="seconds per request (default 30)")
    @line_magic
    def action_diff(self, line: str) -> FunctionDiff:
        """Show how a stored function differs from the server's (secrets masked)."""
        args = parse_magic_line(self.action_diff, line)
        with self._session(args.url, args.store, args.timeout) as client:
            return client.diff(args.id)
