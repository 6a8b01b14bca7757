"""Talking HTTP to an Open WebUI server: the token kept secret, every failure one clear ServerError.

httpx is imported here, on first use, never at ``import actionkit`` time.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from ..errors import ConflictError, ServerError
from ..secrets import MASK

if TYPE_CHECKING:
    import httpx

URL_ENV = "OPENWEBUI_URL"
TOKEN_ENV = "OPENWEBUI_TOKEN"
# Open WebUI answers "not found" for a function id with 401 and this text.
NOT_FOUND_DETAIL = "We could not find what you're looking for :/"
_TOKEN_HINT = (
    f"set {TOKEN_ENV} to an admin's API key (Settings > Account > API keys) or session token, "
    "or pass token=... (never paste it into a cell that is saved)"
)


class Token:
    """A bearer token that never shows itself: ``repr``/``str`` print a mask."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value.strip()

    def reveal(self) -> str:
        return self._value

    def mask(self, text: str) -> str:
        """``text`` with every occurrence of the token replaced by a mask."""
        return text.replace(self._value, MASK) if len(self._value) >= 4 else text

    def __repr__(self) -> str:
        return f"Token({MASK})"

    __str__ = __repr__

    def __reduce__(self) -> Any:
        raise TypeError("a Token cannot be pickled or copied into saved state")


def normalize_url(url: str) -> str:
    """``http://host:port`` from what users paste: trailing ``/``, ``/api`` or ``/api/v1`` removed."""
    text = url.strip()
    if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", text):
        text = "http://" + text
    hint = f"use the address you open in the browser, e.g. http://localhost:8080 (or set {URL_ENV})"
    try:
        parts = urlsplit(text)
        host, _port = parts.hostname, parts.port
    except ValueError as exc:  # an unclosed [IPv6] bracket, a port that is not a number ...
        raise ServerError(f"{_credentials_masked(url)!r} is not a valid URL ({exc})", hint=hint) from None
    if parts.scheme not in ("http", "https") or not host:
        raise ServerError(
            f"{_credentials_masked(url)!r} is not an http(s) URL of an Open WebUI server", hint=hint
        )
    path = re.sub(r"/+(api(/v1)?)?/*$", "", parts.path)
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, "", ""))


def _credentials_masked(url: str) -> str:
    """``url`` (even one that does not parse) with any ``user:password@`` part masked."""
    return re.sub(r"^([^/]*//)?[^/@]*@", lambda m: (m.group(1) or "") + MASK + "@", url.strip())


def display_url(url: str) -> str:
    """``url`` without any ``user:password@`` part, safe to print."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{MASK}@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def resolve_url(url: str | None) -> str:
    value = url if url is not None else os.environ.get(URL_ENV, "")
    if not value.strip():
        raise ServerError(
            "no Open WebUI server given",
            hint=f"pass url='http://localhost:8080' or set the environment variable {URL_ENV}",
        )
    return normalize_url(value)


def resolve_token(token: str | Token | None, url: str, *, prompt: bool) -> Token:
    if isinstance(token, Token):
        return token
    value = token if token is not None else os.environ.get(TOKEN_ENV, "")
    if not value.strip() and prompt:
        import getpass

        try:
            value = getpass.getpass(f"Open WebUI API key or token for {display_url(url)}: ")
        except (EOFError, KeyboardInterrupt):
            value = ""
    if not value.strip():
        raise ServerError(f"no token for {display_url(url)}", hint=_TOKEN_HINT)
    if not value.strip().isascii() or not value.strip().isprintable():
        raise ServerError(  # never the token itself: it is a secret
            f"the token for {display_url(url)} holds characters an HTTP header cannot carry "
            "(non-ASCII or control characters); it was not sent",
            hint=_TOKEN_HINT,
        )
    return Token(value)


@dataclass(frozen=True)
class Answer:
    status: int
    data: Any


class Connection:
    """One server, one token: ``request`` returns parsed JSON or raises :class:`ServerError`."""

    def __init__(
        self,
        url: str,
        token: Token,
        *,
        timeout: float = 30.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        import httpx

        self.url = url
        self.token = token
        self._httpx = httpx
        self._client = httpx.Client(
            base_url=url,
            timeout=timeout,
            transport=transport,
            follow_redirects=False,
            headers={"Accept": "application/json"},
        )
        self.timeout = timeout

    def request(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        params: dict[str, Any] | None = None,
        function_id: str | None = None,
        allow_not_found: bool = False,
        auth: bool = True,
    ) -> Answer:
        """Send one request; a missing function answers ``Answer(404, None)`` when ``allow_not_found``."""
        httpx = self._httpx
        where = f"{method} {display_url(self.url)}{path}"
        headers = {"Authorization": f"Bearer {self.token.reveal()}"} if auth else {}
        try:
            response = self._client.request(method, path, json=json_body, params=params, headers=headers)
        except httpx.TimeoutException:
            raise self._error(
                f"{where}: no answer within {self.timeout:g} s",
                hint="the server may be overloaded or stuck; try again or raise timeout=",
                function_id=function_id,
            ) from None
        except (httpx.ConnectError, httpx.NetworkError) as exc:
            raise self._error(
                f"cannot reach the Open WebUI server at {display_url(self.url)} ({_reason(exc)})",
                hint=f"is the server running and the URL right? (set {URL_ENV} or pass url=); "
                "check the network and any proxy",
                function_id=function_id,
            ) from None
        except httpx.HTTPError as exc:
            raise self._error(f"{where} failed: {_reason(exc)}", function_id=function_id, hint=None) from None
        finally:
            self._client.cookies.clear()
        return self._answer(response, where, function_id, allow_not_found)

    def _answer(
        self, response: httpx.Response, where: str, function_id: str | None, allow_nf: bool
    ) -> Answer:
        status = response.status_code
        data, parsed = _json(response)
        detail = _detail(data) if parsed else None
        if status == 401 and detail == NOT_FOUND_DETAIL and allow_nf:
            return Answer(404, None)
        if status in (401, 403):
            refused = "refused the token" if status == 401 else "does not allow this for the token's user"
            raise self._error(
                f"{where}: the server {refused} ({status}: {detail or response.reason_phrase})",
                hint=_TOKEN_HINT + "; functions can only be managed by an admin",
                function_id=function_id,
                status=status,
                detail=detail,
            )
        if not parsed:
            kind = response.headers.get("content-type", "no content type").split(";")[0]
            sample = " ".join(response.text[:120].split())
            raise self._error(
                f"{where} answered {status} with {kind} instead of JSON: {sample!r}",
                hint="is the URL the Open WebUI address itself (not a proxy, login page or a path "
                "inside it)? Open WebUI answers its API in JSON",
                function_id=function_id,
                status=status,
            )
        if status >= 400:
            raise self._error(
                f"{where}: the server refused ({status}): {detail or response.reason_phrase}",
                function_id=function_id,
                status=status,
                detail=detail,
                hint=None,
            )
        return Answer(status, data)

    def _error(
        self,
        message: str,
        *,
        hint: str | None,
        function_id: str | None,
        status: int | None = None,
        detail: str | None = None,
    ) -> ServerError:
        mask = self.token.mask
        return ServerError(
            mask(message),
            hint=mask(hint) if hint else None,
            function_id=function_id,
            status=status,
            detail=mask(detail) if detail else None,
        )

    def close(self) -> None:
        self._client.close()


def _json(response: httpx.Response) -> tuple[Any, bool]:
    kind = response.headers.get("content-type", "")
    if "json" not in kind:
        return None, False
    try:
        return response.json(), True
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None, False


def _detail(data: Any) -> str | None:
    """FastAPI's ``{"detail": ...}``: a string, or a list of validation errors."""
    if not isinstance(data, dict) or "detail" not in data:
        return None
    detail = data["detail"]
    if isinstance(detail, list):
        parts = []
        for item in detail:
            if isinstance(item, dict):
                loc = ".".join(str(p) for p in item.get("loc", ()) if p != "body")
                parts.append(f"{loc}: {item.get('msg', 'invalid')}" if loc else str(item.get("msg")))
            else:
                parts.append(str(item))
        return "; ".join(parts)
    return str(detail)


def _reason(exc: BaseException) -> str:
    text = str(exc).strip()
    cause = exc.__cause__ or exc.__context__
    while not text and cause is not None:
        text = str(cause).strip()
        cause = cause.__cause__ or cause.__context__
    return text or type(exc).__name__


def refused(server: str, what: str, function_id: str, exc: ServerError) -> ServerError:
    detail = exc.detail or ""
    hint = None
    if detail.startswith("Uh-oh! This id is already registered"):
        return ConflictError(
            f"{server} already has a function {function_id!r} (created there meanwhile)",
            function_id=function_id,
            hint=f"pull({function_id!r}) or diff it, then push again (force=True overwrites)",
            status=400,
            detail=detail,
        )
    if "Error creating function" in detail or "Error loading function" in detail:
        hint = (
            "the server loads the source when it saves it and failed, although it loads here: usually "
            "a module or frontmatter requirement missing on the server, or code that depends on this "
            "machine; the server log has the traceback"
        )
    elif "valves" in what:
        hint = "the server's Valves class rejected a value; check each field's type and constraints"
    return ServerError(
        f"{server} refused to {what} {function_id!r}: {detail}",
        function_id=function_id,
        hint=hint,
        status=exc.status,
        detail=detail,
    )
