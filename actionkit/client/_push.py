"""Writing to a server, all or nothing: create or update a function, its valves (checked against the
server's own schema first), its flags; and putting a function back as it was when a push fails.

:class:`Remote` is the server side of push, pull and diff: reads, writes whose refusals say what to
fix, valves written and read back. :func:`push_one` pushes one function; :func:`restore` undoes it
from the row the server held before (deleting what the push created), by what the server holds now,
so a write whose answer timed out but was applied is undone too.
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import ActionkitError, ConflictError, ServerError, ValvesError
from ..function import stored_valves, unshipped_imports
from ..secrets import secret_fields
from ._conflicts import differing
from ._http import Answer, Connection
from ._results import Outcome
from ._spec import spec_problems
from ._words import Words

API = "/api/v1/functions"
_INCOMPATIBLE_VALVES = "Current Valves are incompatible"
_NO_MODULE = re.compile(r"No module named '([^']+)'")
_CONTENT_FIELDS = ("content", "name", "description")


class Remote:
    """One server as push, pull and diff see it: its rows, and writes that explain a refusal."""

    def __init__(self, conn: Connection, server: str, words: Words) -> None:
        self.conn = conn
        self.server = server
        self.words = words

    def get(self, function_id: str) -> dict[str, Any] | None:
        """The server's row for ``function_id``, admin valves under ``"valves"``; ``None`` if absent."""
        answer = self.conn.request(
            "GET", f"{API}/id/{function_id}", function_id=function_id, allow_not_found=True
        )
        if answer.data is None:
            return None
        row = _row(answer, function_id)
        valves = self.conn.request("GET", f"{API}/id/{function_id}/valves", function_id=function_id).data
        row["valves"] = valves if isinstance(valves, dict) else {}
        return row

    def write(self, path: str, body: Any, function_id: str, what: str, content: str = "") -> dict[str, Any]:
        try:
            answer = self.conn.request("POST", path, json_body=body, function_id=function_id)
        except ServerError as exc:
            if exc.status != 400:
                raise
            raise self.refused(what, function_id, exc, content) from None
        return answer.data if isinstance(answer.data, dict) else {}

    def refused(self, what: str, function_id: str, exc: ServerError, content: str = "") -> ServerError:
        """The server's 400 answer to a write, with what to do about it."""
        detail = exc.detail or ""
        words = self.words
        if detail.startswith("Uh-oh! This id is already registered"):
            return ConflictError(
                f"{self.server} already has a function {function_id!r} (created there meanwhile)",
                function_id=function_id,
                hint=f"{words.call('pull', function_id)} or {words.call('diff', function_id)}, then push "
                f"again ({words.call('push', function_id, force=True)} overwrites)",
                status=400,
                detail=detail,
            )
        hint = None
        missing = _NO_MODULE.search(detail)
        if missing:
            hint = (
                f"the server has no module {missing.group(1)!r}: install it where Open WebUI runs, or "
                "list it in the frontmatter requirements (installed when the server runs with "
                "ENABLE_PIP_INSTALL_FRONTMATTER_REQUIREMENTS=true)"
            )
        elif "Error creating function" in detail or "Error loading function" in detail:
            suspects = unshipped_imports(content)
            if suspects:
                hint = (
                    f"Open WebUI names no reason, but the source imports {', '.join(suspects)}, which "
                    f"Open WebUI 0.12.4 does not ship: most likely missing on the server (install it "
                    "there, or list it in the frontmatter requirements, installed when the server runs "
                    "with ENABLE_PIP_INSTALL_FRONTMATTER_REQUIREMENTS=true); the server log has the "
                    "traceback"
                )
            else:
                hint = (
                    "the server loads the source when it saves it and failed, although it loads here: "
                    "usually a module or frontmatter requirement missing on the server, or code that "
                    "depends on this machine; the server log has the traceback"
                )
        elif "valves" in what:
            hint = "the server's Valves class rejected a value; check each field's type and constraints"
        return ServerError(
            f"{self.server} refused to {what} {function_id!r}: {detail}",
            function_id=function_id,
            hint=hint,
            status=exc.status,
            detail=detail,
        )

    def check_valves(self, function_id: str, values: dict[str, Any], valves_cls: Any) -> None:
        """Raise :class:`ValvesError` naming each field the server's own schema refuses, with what it
        allows (``GET …/valves/spec``), before anything is written."""
        spec = self.conn.request("GET", f"{API}/id/{function_id}/valves/spec", function_id=function_id).data
        problems = spec_problems(spec, values, secret_fields(valves_cls) if valves_cls else ())
        if problems:
            raise ValvesError(
                f"{self.server} would refuse the valves of {function_id!r}: "
                + "; ".join(f"{name}: {reason}" for name, reason in problems.items()),
                function_id=function_id,
                errors=problems,
                hint="the server's Valves differ from the ones loaded here (its environment or "
                "libraries decide them): set values it allows",
            )

    def put_valves(self, function_id: str, values: dict[str, Any], valves_cls: Any) -> dict[str, Any]:
        """Write admin valves, then read them back: 0.12.4 answers 200 yet stores nothing when a
        ``SecretStr`` valve is set (it cannot serialise it), so success is checked, not assumed."""
        path = f"{API}/id/{function_id}/valves"
        answer = self.write(f"{path}/update", values, function_id, "set the valves of")
        expected = stored_valves(valves_cls, values, function_id=function_id) if valves_cls else answer
        stored = self.conn.request("GET", path, function_id=function_id).data
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
                f"Open WebUI cannot store SecretStr valves ({', '.join(secret)}): declare them as str "
                "with Field(..., json_schema_extra={'input': {'type': 'password'}})"
                if secret
                else f"the server's log may say why; compare with {self.words.call('diff', function_id)}"
            ),
        )


def push_one(
    remote: Remote,
    local: dict[str, Any],
    fn: Any,
    valves: dict[str, Any] | None,
    before: dict[str, Any] | None,
) -> Outcome:
    """Create or update one function, then its valves and flags. A write the server refuses raises;
    the caller puts the function back with :func:`restore`."""
    fid = local["id"]
    form = _form(local, fn.manifest)
    if before is None:
        outcome = Outcome(fid, "created")
        row = remote.write(f"{API}/create", form, fid, "create", local["content"])
        now = {**row, "content": local["content"], "valves": {}}
    else:
        outcome = Outcome(fid, "updated")
        now = dict(before)
        if differing(local, before, _CONTENT_FIELDS):
            now.update(_update(remote, form, valves, now))
            outcome.changes.append("content")
    if valves is not None and valves != (now.get("valves") or {}):
        remote.check_valves(fid, valves, fn.Valves)
        remote.put_valves(fid, valves, fn.Valves)
        outcome.changes.append("valves")
    for flag, path, on, off in (
        ("is_active", "toggle", "activated", "deactivated"),
        ("is_global", "toggle/global", "global", "not global"),
    ):
        if bool(local[flag]) != bool(now.get(flag)):
            remote.write(f"{API}/id/{fid}/{path}", None, fid, "toggle")
            outcome.changes.append(on if local[flag] else off)
    if outcome.status == "updated" and not outcome.changes:
        outcome.status = "unchanged"
    return outcome


def _update(remote: Remote, form: dict[str, Any], valves: dict[str, Any] | None, now: dict[str, Any]) -> Any:
    fid = form["id"]
    try:
        return remote.write(f"{API}/id/{fid}/update", form, fid, "update", form["content"])
    except ServerError as exc:
        # The server refuses new code its stored valves do not fit; the valves pushed next do.
        if valves is None or _INCOMPATIBLE_VALVES not in (exc.detail or ""):
            raise
    remote.write(f"{API}/id/{fid}/valves/update", {}, fid, "clear the valves of")
    now["valves"] = {}
    return remote.write(f"{API}/id/{fid}/update", form, fid, "update", form["content"])


def restore(remote: Remote, function_id: str, before: dict[str, Any] | None) -> str | None:
    """Put ``function_id`` back as the server held it ``before`` a push (delete it when the push
    created it); ``None`` when done, else what could not be undone."""
    try:
        now = remote.get(function_id)
        if before is None:
            if now is not None:
                remote.conn.request("DELETE", f"{API}/id/{function_id}/delete", function_id=function_id)
            return None
        if now is None:
            return "it is gone from the server"
        old_valves = before.get("valves") or {}
        if differing(before, now, _CONTENT_FIELDS):
            if (now.get("valves") or {}) != old_valves:  # the old code may not fit the new valves
                remote.write(f"{API}/id/{function_id}/valves/update", {}, function_id, "clear the valves of")
                now["valves"] = {}
            form = _form(before, (before.get("meta") or {}).get("manifest") or {})
            remote.write(f"{API}/id/{function_id}/update", form, function_id, "restore", before["content"])
        if (now.get("valves") or {}) != old_valves:
            remote.write(
                f"{API}/id/{function_id}/valves/update", old_valves, function_id, "restore the valves of"
            )
        for flag, path in (("is_active", "toggle"), ("is_global", "toggle/global")):
            if bool(now.get(flag)) != bool(before.get(flag)):
                remote.write(f"{API}/id/{function_id}/{path}", None, function_id, "toggle")
    except ActionkitError as exc:
        return exc.message
    return None


def restore_all(remote: Remote, pushed: list[tuple[str, dict[str, Any] | None]]) -> dict[str, str]:
    """Undo a failed push, last function first: ``{id: what could not be undone}``."""
    failed = {}
    for function_id, before in reversed(pushed):
        problem = restore(remote, function_id, before)
        if problem:
            failed[function_id] = problem
    return failed


def _form(row: dict[str, Any], manifest: dict[str, Any]) -> dict[str, Any]:
    meta = row.get("meta") or {}
    return {
        "id": row["id"],
        "name": row["name"],
        "content": row["content"],
        "meta": {
            "description": (meta.get("description") if isinstance(meta, dict) else "") or "",
            "manifest": manifest,
        },
    }


def _is_secret_type(model: Any, name: str) -> bool:
    info = model.model_fields.get(name)
    return info is not None and "Secret" in repr(info.annotation)


def _row(answer: Answer, function_id: str) -> dict[str, Any]:
    if not isinstance(answer.data, dict) or "content" not in answer.data:
        raise ServerError(
            f"the server's answer for {function_id!r} is not a function row", function_id=function_id
        )
    return dict(answer.data)
