"""Push functions with their valves to an Open WebUI server, pull them back, and diff the two.

    from actionkit.client import OpenWebUIClient
    with OpenWebUIClient("http://localhost:8080") as server:   # token: $OPENWEBUI_TOKEN or a prompt
        server.push("my_action")      # create or update, then valves, active and global flags
        server.diff("my_action")      # store versus server
        server.pull()                 # every server function, with valves, into the local store

A push refuses to overwrite a function that changed on the server since the last pull or push (or
that this store never pulled from that server) unless ``force=True``. A pull checks everything
first and then writes in one transaction: a failed pull changes nothing in the store.
"""

from __future__ import annotations

import contextlib
import warnings
from typing import Any

from ..errors import ActionkitError, ServerError, ValvesError
from ..function import load, stored_valves
from ..secrets import MASK, secret_fields
from ..store import Store
from ._conflicts import check_pull, check_push, server_changed, synced_state
from ._diff import FunctionDiff
from ._http import Answer, Connection, Token, display_url, refused, resolve_token, resolve_url
from ._results import Outcome, PullResult, PushResult
from ._state import RemoteState
from ._untested import untested_notes
from ._version import ServerVersion, server_version

_API = "/api/v1/functions"
_INCOMPATIBLE_VALVES = "Current Valves are incompatible"


class ServerVersionWarning(UserWarning):
    """The server runs another Open WebUI version than the one actionkit follows."""


class OpenWebUIClient:
    """One Open WebUI server and one local store. The token is never shown: every repr and error
    message masks it, and it is not written anywhere."""

    def __init__(
        self,
        url: str | None = None,
        token: str | Token | None = None,
        *,
        store: Store | str | None = None,
        timeout: float = 30.0,
        prompt: bool = True,
        transport: Any = None,
    ) -> None:
        self.url = resolve_url(url)
        self._conn = Connection(
            self.url, resolve_token(token, self.url, prompt=prompt), timeout=timeout, transport=transport
        )
        self._store = store if isinstance(store, Store) else None
        self._store_path = store if isinstance(store, str) else None
        self._version: ServerVersion | None = None

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = Store(self._store_path)
        return self._store

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
        data = self._conn.request("GET", f"{_API}/").data
        return [row for row in _list(data, "GET /api/v1/functions/") if isinstance(row, dict)]

    def get(self, function_id: str) -> dict[str, Any] | None:
        """The server's row for ``function_id``, admin valves under ``"valves"``; ``None`` if absent."""
        answer = self._conn.request(
            "GET", f"{_API}/id/{function_id}", function_id=function_id, allow_not_found=True
        )
        if answer.data is None:
            return None
        row = _row(answer, function_id)
        valves = self._conn.request("GET", f"{_API}/id/{function_id}/valves", function_id=function_id).data
        row["valves"] = valves if isinstance(valves, dict) else {}
        return row

    def diff(self, function_id: str) -> FunctionDiff:
        """The store's function against the server's (content, name, description, valves, flags)."""
        self.version()
        store = self.store
        local = store.get(function_id).to_owui(include_valves=True) if function_id in store else None
        remote = self.get(function_id)
        secrets: frozenset[str] = frozenset()
        if local is not None:
            secrets = secret_fields(store.load(function_id).Valves)
        changed = server_changed(remote, RemoteState(store).get(self.url, function_id))
        return FunctionDiff(function_id, self.server, local, remote, changed, secrets)

    # -- push --------------------------------------------------------------------------------

    def push(
        self, ids: str | list[str] | None = None, *, force: bool = False, valves: bool = True
    ) -> PushResult:
        """Create or update each function on the server, then its valves, active and global flags.

        Every function is checked before anything is written: a function changed on the server since
        the last pull/push, or one this store never pulled, raises :class:`ConflictError` unless
        ``force``. Default: every function in the store.
        """
        result = PushResult(self.server, self.version())
        store = self.store
        wanted = [ids] if isinstance(ids, str) else list(ids) if ids is not None else store.ids()
        plans = []
        state = RemoteState(store)
        for function_id in wanted:
            record = store.get(function_id)
            fn = store.load(function_id)
            local = record.to_owui(include_valves=True)
            if valves and local["valves"]:
                local["valves"] = stored_valves(fn.Valves, local["valves"], function_id=function_id)
            remote = self.get(function_id)
            if remote is not None and not force:
                check_push(self.server, function_id, local, remote, state.get(self.url, function_id))
            plans.append((local, fn, remote))
        done: list[str] = []
        for local, fn, remote in plans:
            fid = local["id"]
            try:
                outcome = self._push_one(local, fn, local["valves"] if valves else None, remote)
            except ActionkitError as exc:
                self._remember_after_failure(state, fid)
                if done:
                    exc.message += f" (already pushed: {', '.join(done)})"
                raise
            self._remember(state, fid)
            result.items.append(outcome)
            done.append(fid)
        pushed = {fn.id: fn.content_hash for _, fn, _ in plans}
        result.untested = untested_notes(str(store.path), result.version.version, pushed)
        return result

    def _remember(self, state: RemoteState, function_id: str) -> None:
        after = self.get(function_id)
        if after is not None:
            local = self.store.get(function_id).to_owui(include_valves=True)
            state.remember(self.url, {function_id: synced_state(after, local)})

    def _remember_after_failure(self, state: RemoteState, function_id: str) -> None:
        """After a push failed half-way, remember what the server now has, so that what this push
        did already is not taken for someone else's change by the next push."""
        with contextlib.suppress(ActionkitError):
            self._remember(state, function_id)

    def _push_one(
        self, local: dict[str, Any], fn: Any, valves: dict[str, Any] | None, remote: dict[str, Any] | None
    ) -> Outcome:
        fid = local["id"]
        form = {
            "id": fid,
            "name": local["name"],
            "content": local["content"],
            "meta": {"description": local["meta"].get("description") or "", "manifest": fn.manifest},
        }
        if remote is None:
            outcome = Outcome(fid, "created")
            row = self._write(f"{_API}/create", form, fid, "create")
            remote = {**row, "content": local["content"], "valves": {}}
        else:
            outcome = Outcome(fid, "updated")
            if any(_differs(local, remote, key) for key in ("content", "name", "description")):
                row = self._update(form, valves, remote)
                remote = {**remote, **row}
                outcome.changes.append("content")
        if valves is not None and valves != (remote.get("valves") or {}):
            self._put_valves(fid, valves, fn.Valves)
            outcome.changes.append("valves")
        for flag, path, on, off in (
            ("is_active", "toggle", "activated", "deactivated"),
            ("is_global", "toggle/global", "global", "not global"),
        ):
            if bool(local[flag]) != bool(remote.get(flag)):
                self._write(f"{_API}/id/{fid}/{path}", None, fid, "toggle")
                outcome.changes.append(on if local[flag] else off)
        if outcome.status == "updated" and not outcome.changes:
            outcome.status = "unchanged"
        return outcome

    def _update(
        self, form: dict[str, Any], valves: dict[str, Any] | None, remote: dict[str, Any]
    ) -> dict[str, Any]:
        fid = form["id"]
        try:
            return self._write(f"{_API}/id/{fid}/update", form, fid, "update")
        except ServerError as exc:
            # The server refuses new code its stored valves do not fit; the valves pushed next do.
            if valves is None or _INCOMPATIBLE_VALVES not in (exc.detail or ""):
                raise
        self._write(f"{_API}/id/{fid}/valves/update", {}, fid, "clear the valves of")
        remote["valves"] = {}
        return self._write(f"{_API}/id/{fid}/update", form, fid, "update")

    def _write(self, path: str, body: Any, function_id: str, what: str) -> dict[str, Any]:
        try:
            answer = self._conn.request("POST", path, json_body=body, function_id=function_id)
        except ServerError as exc:
            if exc.status != 400:
                raise
            raise refused(self.server, what, function_id, exc) from None
        return answer.data if isinstance(answer.data, dict) else {}

    # -- valves on the server -----------------------------------------------------------------

    def set_valves(self, function_id: str, values: dict[str, Any]) -> dict[str, Any]:
        """Set the server's admin valves of a function (checked here first, naming bad fields)."""
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
                stored_valves(valves_cls, values, function_id=function_id)
            except ValvesError as exc:
                exc.hint = "the server would refuse these valves (400); fix the fields named above"
                raise
        return self._put_valves(function_id, values, valves_cls)

    def _put_valves(self, function_id: str, values: dict[str, Any], valves_cls: Any) -> dict[str, Any]:
        """Write admin valves, then read them back: 0.12.4 answers 200 yet stores nothing when a
        ``SecretStr`` valve is set (it cannot serialise it), so success is checked, not assumed."""
        path = f"{_API}/id/{function_id}/valves"
        answer = self._write(f"{path}/update", values, function_id, "set the valves of")
        expected = stored_valves(valves_cls, values, function_id=function_id) if valves_cls else answer
        stored = self._conn.request("GET", path, function_id=function_id).data
        stored = stored if isinstance(stored, dict) else {}
        if stored == expected:
            return stored
        lost = sorted(k for k in set(expected) | set(stored) if expected.get(k) != stored.get(k))
        secret = [k for k in lost if valves_cls and _is_secret_type(valves_cls, k)]
        raise ServerError(
            f"{self.server} accepted the valves of {function_id!r} but did not store them "
            f"(differing: {', '.join(lost)})",
            function_id=function_id,
            hint=(
                f"Open WebUI {self.version().version} cannot store SecretStr valves ({', '.join(secret)}): "
                "declare them as str with Field(..., json_schema_extra={'input': {'type': 'password'}})"
                if secret
                else "the server's log may say why; check the valves with diff()"
            ),
        )

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
        data = self._conn.request("GET", f"{_API}/export", params={"include_valves": "true"}).data
        items = [item for item in _list(data, "GET /api/v1/functions/export") if isinstance(item, dict)]
        if any(not isinstance(i.get("id"), str) or not isinstance(i.get("content"), str) for i in items):
            raise ServerError(
                f"{self.server} exported functions without 'id' or 'content': nothing was pulled",
                hint="is this an Open WebUI server of a version that exports functions?",
            )
        by_id = {item["id"]: item for item in items}
        if ids is not None:
            wanted = [ids] if isinstance(ids, str) else list(ids)
            missing = [i for i in wanted if i not in by_id]
            if missing:
                raise ServerError(
                    f"{self.server} has no function {', '.join(map(repr, missing))}: nothing was pulled "
                    f"(it has: {', '.join(sorted(by_id)) or 'none'})",
                    function_id=missing[0],
                )
            items = [by_id[i] for i in wanted]
        store = self.store
        state = RemoteState(store)
        before = {i["id"]: store.get(i["id"]).to_owui(True) for i in items if i["id"] in store}
        if not force:
            for item in items:
                if item["id"] in before:
                    synced = state.get(self.url, item["id"])
                    check_pull(self.server, item["id"], before[item["id"]], item, synced)
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
        answer = self._conn.request("DELETE", f"{_API}/id/{function_id}/delete", function_id=function_id)
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


def _is_secret_type(model: Any, name: str) -> bool:
    info = model.model_fields.get(name)
    return info is not None and "Secret" in repr(info.annotation)


def _differs(local: dict[str, Any], remote: dict[str, Any], key: str) -> bool:
    if key == "description":
        theirs = (remote.get("meta") or {}).get("description") or ""
        return (local["meta"].get("description") or "") != theirs
    return bool(local.get(key) != remote.get(key))


def _list(data: Any, what: str) -> list[Any]:
    if not isinstance(data, list):
        raise ServerError(
            f"{what} answered a {type(data).__name__}, not a list: is this an Open WebUI server?"
        )
    return data


def _row(answer: Answer, function_id: str) -> dict[str, Any]:
    if not isinstance(answer.data, dict) or "content" not in answer.data:
        raise ServerError(
            f"the server's answer for {function_id!r} is not a function row", function_id=function_id
        )
    return dict(answer.data)
