"""Push functions with their valves to an Open WebUI server, pull them back, and diff the two.

    from actionkit.client import OpenWebUIClient
    with OpenWebUIClient("http://localhost:8080") as server:   # token: $OPENWEBUI_TOKEN or a prompt
        server.push("my_action")      # create or update, then valves, active and global flags
        server.diff("my_action")      # store versus server
        server.pull()                 # every server function, with valves, into the local store

A push refuses to overwrite what someone changed on the server since the last pull or push (or a
function this store never pulled from that server, where it differs) unless ``force=True``, and is
all or nothing: a push that fails puts every function it touched back as the server held it. A pull
checks everything first and then writes in one transaction: a failed pull changes nothing in the store.
"""

from __future__ import annotations

import contextlib
import warnings
from typing import Any

from ..errors import ActionkitError, ServerError, ValvesError
from ..function import load, stored_valves
from ..secrets import MASK, secret_fields, secret_values
from ..store import Store
from ._conflicts import check_pull, check_push, conflicts, pulled_items
from ._diff import FunctionDiff
from ._http import Connection, Token, display_url, resolve_token, resolve_url
from ._push import API, Remote, push_one, restore_all
from ._results import Outcome, PullResult, PushResult
from ._state import FIELDS, RemoteState, synced_state
from ._tools import ToolsClient
from ._untested import untested_notes
from ._version import ServerVersion, server_version
from ._words import PYTHON, Words


class ServerVersionWarning(UserWarning):
    """The server runs another Open WebUI version than the one actionkit follows."""


class OpenWebUIClient:
    """One Open WebUI server and one local store. The token is never shown: every repr and error
    message masks it, and it is not written anywhere. ``words`` is how messages spell what to do
    (the command line and the magics pass their own)."""

    def __init__(
        self,
        url: str | None = None,
        token: str | Token | None = None,
        *,
        store: Store | str | None = None,
        timeout: float = 30.0,
        prompt: bool = True,
        transport: Any = None,
        words: Words = PYTHON,
    ) -> None:
        self.url = resolve_url(url, words)
        self.words = words
        self._conn = Connection(
            self.url,
            resolve_token(token, self.url, prompt=prompt, words=words),
            timeout=timeout,
            transport=transport,
            words=words,
        )
        self._remote = Remote(self._conn, self.server, words)
        self._store = store if isinstance(store, Store) else None
        self._store_path = store if isinstance(store, str) else None
        self._version: ServerVersion | None = None

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = Store(self._store_path)
        return self._store

    @property
    def tools(self) -> ToolsClient:
        """The server's tools (``/api/v1/tools``): ``push``, ``pull``, ``diff`` as for functions."""
        return ToolsClient(self)

    @property
    def token(self) -> Token:
        """The token, as an object that prints only a mask."""
        return self._conn.token

    @property
    def server(self) -> str:
        return display_url(self.url)

    # -- reading the server -----------------------------------------------------------------

    def version(self) -> ServerVersion:
        """``GET /api/version``; warns once (``ServerVersionWarning``) when it is not 0.12.4."""
        if self._version is None:
            data = self._conn.request("GET", "/api/version", auth=False).data
            if not isinstance(data, dict) or not isinstance(data.get("version"), str):
                raise ServerError(
                    f"{self.server} answered GET /api/version without a version: it does not look "
                    "like an Open WebUI server",
                    hint="check the URL: it is the address you open Open WebUI at in the browser",
                )
            self._version = server_version(data["version"])
            if not self._version.matches:
                warnings.warn(self._version.summary(), ServerVersionWarning, stacklevel=3)
        return self._version

    def functions(self) -> list[dict[str, Any]]:
        """The server's functions (``GET /api/v1/functions/``: no content, no valves)."""
        data = self._conn.request("GET", f"{API}/").data
        return [row for row in _list(data, "GET /api/v1/functions/") if isinstance(row, dict)]

    def get(self, function_id: str) -> dict[str, Any] | None:
        """The server's row for ``function_id``, admin valves under ``"valves"``; ``None`` if absent."""
        return self._remote.get(function_id)

    def diff(self, function_id: str) -> FunctionDiff:
        """The store's function against the server's (content, name, description, valves, flags)."""
        self.version()
        store = self.store
        local = store.get(function_id).to_owui(include_valves=True) if function_id in store else None
        remote = self.get(function_id)
        secrets: frozenset[str] = frozenset()
        changed: bool | None = None
        if local is not None:
            secrets = secret_fields(store.load(function_id).Valves)
        if local is not None and remote is not None:
            found = conflicts(remote, local, RemoteState(store).get(self.url, function_id))
            changed = None if found is None else bool(found)
        return FunctionDiff(function_id, self.server, local, remote, changed, secrets, words=self.words)

    # -- push --------------------------------------------------------------------------------

    def push(
        self, ids: str | list[str] | None = None, *, force: bool = False, valves: bool = True
    ) -> PushResult:
        """Create or update each function on the server, then its valves, active and global flags.

        Every function is checked before anything is written: one whose fields were changed on the
        server since the last pull/push, or one this store never pulled that differs, raises
        :class:`ConflictError` unless ``force``. Valves are checked against the server's own schema.
        All or nothing: when a write fails, every function pushed so far is put back as it was.
        Default: every function in the store.
        """
        result = PushResult(self.server, self.version())
        store = self.store
        wanted = [ids] if isinstance(ids, str) else list(ids) if ids is not None else store.ids()
        fields = FIELDS if valves else tuple(name for name in FIELDS if name != "valves")
        state = RemoteState(store)
        plans = []
        for function_id in wanted:
            record = store.get(function_id)
            fn = store.load(function_id)
            local = record.to_owui(include_valves=True)
            if valves and local["valves"]:
                local["valves"] = stored_valves(fn.Valves, local["valves"], function_id=function_id)
            remote = self.get(function_id)
            if remote is not None and not force:
                synced = state.get(self.url, function_id)
                check_push(self.server, function_id, local, remote, synced, fields=fields, words=self.words)
            plans.append((local, fn, remote))
        # A server's refusal may quote what it was sent: never its secret valves.
        self._conn.hide(frozenset().union(*(secret_values(f.Valves, row["valves"]) for row, f, _ in plans)))
        pushed: list[tuple[str, dict[str, Any] | None]] = []
        for local, fn, remote in plans:
            pushed.append((local["id"], remote))
            try:
                result.items.append(
                    push_one(self._remote, local, fn, local["valves"] if valves else None, remote)
                )
            except ActionkitError as exc:
                self._undo(exc, pushed, state)
                raise
        for function_id, _ in pushed:
            self._remember(state, function_id)
        contents = {fn.id: fn.content_hash for _, fn, _ in plans}
        result.untested = untested_notes(str(store.path), result.version.version, contents)
        return result

    def _undo(
        self, exc: ActionkitError, pushed: list[tuple[str, dict[str, Any] | None]], state: RemoteState
    ) -> None:
        """Put back what a failed push changed, and say so in ``exc``."""
        failed = restore_all(self._remote, pushed)
        if not failed:
            exc.message += f"; nothing was pushed: {self.server} is as it was"
            return
        for function_id in failed:
            # What the server holds now came from this store: not someone else's change next time.
            with contextlib.suppress(ActionkitError):
                self._remember(state, function_id)
        exc.message += "; the push could not be undone everywhere: " + "; ".join(
            f"{function_id} ({problem})" for function_id, problem in failed.items()
        )

    def _remember(self, state: RemoteState, function_id: str) -> None:
        after = self.get(function_id)
        if after is not None:
            local = self.store.get(function_id).to_owui(include_valves=True)
            state.remember(self.url, {function_id: synced_state(after, local)})

    # -- valves on the server -----------------------------------------------------------------

    def set_valves(self, function_id: str, values: dict[str, Any]) -> dict[str, Any]:
        """Set the server's admin valves of a function (checked here and against the server's
        schema first, naming bad fields)."""
        self.version()
        remote = self.get(function_id)
        if remote is None:
            raise ServerError(f"{self.server} has no function {function_id!r}", function_id=function_id)
        try:
            valves_cls = load(str(remote.get("content", "")), id=function_id).Valves
        except ActionkitError:
            valves_cls = None  # cannot be loaded here: the server alone decides
        if valves_cls is not None:
            try:
                checked = stored_valves(valves_cls, values, function_id=function_id)
            except ValvesError as exc:
                exc.hint = "the server would refuse these valves (400); fix the fields named above"
                raise
                self._conn.hide(secret_values(valves_cls, checked))
            self._remote.check_valves(function_id, checked, valves_cls)
        return self._remote.put_valves(function_id, values, valves_cls)

    # -- pull --------------------------------------------------------------------------------

    def pull(self, ids: str | list[str] | None = None, *, force: bool = False) -> PullResult:
        """Bring the server's functions (all, or ``ids``), with admin valves and flags, into the store.

        Everything is fetched and checked (each source loaded as the host loads it, valves validated)
        before one transaction writes it: a failed pull leaves the store as it was. A function edited
        in the store since the last pull/push (or never synced with this server) that differs from
        the server's raises :class:`ConflictError` unless ``force`` (replaced content stays in the
        store's history).
        """
        result = PullResult(self.server, self.version())
        data = self._conn.request("GET", f"{API}/export", params={"include_valves": "true"}).data
        items = [item for item in _list(data, "GET /api/v1/functions/export") if isinstance(item, dict)]
        if any(not isinstance(i.get("id"), str) or not isinstance(i.get("content"), str) for i in items):
            raise ServerError(
                f"{self.server} exported functions without 'id' or 'content': nothing was pulled",
                hint="is this an Open WebUI server of a version that exports functions?",
            )
        items = pulled_items(items, ids, self.server, "function")
        store = self.store
        state = RemoteState(store)
        before = {i["id"]: store.get(i["id"]).to_owui(True) for i in items if i["id"] in store}
        if not force:
            for item in items:
                if item["id"] in before:
                    synced = state.get(self.url, item["id"])
                    check_pull(self.server, item["id"], before[item["id"]], item, synced, words=self.words)
        try:
            store.import_(items)
        except ActionkitError as exc:
            raise ServerError(
                f"nothing was pulled from {self.server}: {exc.message}",
                function_id=exc.function_id,
                hint=exc.hint or "the store is unchanged; fix the function on the server or pull other ids",
            ) from None
        after = {i["id"]: store.get(i["id"]).to_owui(True) for i in items}
        state.remember(self.url, {i["id"]: synced_state(i, after[i["id"]]) for i in items})
        for item in items:
            old, new = before.get(item["id"]), after[item["id"]]
            if old is None:
                result.items.append(Outcome(item["id"], "new"))
                continue
            changes = [k for k in ("content", "name", "valves", "is_active", "is_global") if old[k] != new[k]]
            result.items.append(Outcome(item["id"], "updated" if changes else "unchanged", changes))
        return result

    sync = pull

    # -- other calls ---------------------------------------------------------------------------

    def call_action(self, action_id: str, body: dict[str, Any]) -> Any:
        """Run an action on the server (``POST /api/chat/actions/{id}``); ``body["model"]`` must exist."""
        return self._conn.request("POST", f"/api/chat/actions/{action_id}", json_body=body).data

    def delete(self, function_id: str) -> bool:
        """Delete a function on the server and forget its remembered state."""
        answer = self._conn.request("DELETE", f"{API}/id/{function_id}/delete", function_id=function_id)
        RemoteState(self.store).forget(self.url, function_id)
        return bool(answer.data)

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> OpenWebUIClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"OpenWebUIClient({self.server!r}, token={MASK})"


def _list(data: Any, what: str) -> list[Any]:
    if not isinstance(data, list):
        raise ServerError(
            f"{what} answered a {type(data).__name__}, not a list: is this an Open WebUI server?"
        )
    return data
