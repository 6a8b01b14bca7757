"""Talking HTTP to an Open WebUI server: the token kept secret, every failure one clear ServerError.

httpx is imported here, on first use, never at ``import actionkit`` time.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit, urlunsplit

from ..errors import ServerError, UsageError
from ..secrets import MASK, mask_text
from ._words import PYTHON, TOKEN_ENV, URL_ENV, Words

if TYPE_CHECKING:
    import httpx

# Open WebUI answers "not found" for a function id with 401 and this text.
NOT_FOUND_DETAIL = "We could not find what you're looking for :/"
_TOKEN_KINDS = (
    "an admin's API key (off by default in Open WebUI 0.12.4: Admin Panel > Settings > Authentication "
    "> API Keys turns them on) or session token (Settings > Account > JWT Token)"
)


def token_hint(words: Words) -> str:
    return f"{words.token}: {_TOKEN_KINDS}"


class Token:
    """A bearer token that never shows itself: ``repr``/``str`` print a mask."""

    __slots__ = ("_forms", "_value")

    def __init__(self, value: str) -> None:
        self._value = value.strip()
        if not all(33 <= ord(char) < 127 for char in self._value):
            raise UsageError(
                "the Open WebUI token holds a line break, a space or another character an HTTP "
                "header cannot carry, so nothing was sent with it",
                hint="give the key or token alone (no line break, no 'Bearer '), copied again "
                "from Open WebUI",
            )
        # The token as it can appear in text: itself, quoted in a repr or JSON, URL-encoded.
        forms = {
            self._value,
            repr(self._value)[1:-1],
            json.dumps(self._value)[1:-1],
            quote(self._value, safe=""),
        }
        self._forms = tuple(sorted((f for f in forms if len(f) >= 4), key=len, reverse=True))

    def reveal(self) -> str:
        return self._value

    def mask(self, text: str) -> str:
        """``text`` with every occurrence of the token (in any of its written forms) masked."""
        for form in self._forms:
            text = text.replace(form, MASK)
        return text

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


def resolve_url(url: str | None, words: Words = PYTHON) -> str:
    value = url if url is not None else os.environ.get(URL_ENV, "")
    if not value.strip():
        raise ServerError("no Open WebUI server given", hint=words.url)
    return normalize_url(value)


_LOOPBACK = ("localhost", "0.0.0.0", "::1", "::", "0:0:0:0:0:0:0:1")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def server_key(url: str) -> str:
    """One name per server: ``http://localhost:8080``, ``http://127.0.0.1:8080`` and
    ``http://[::1]:8080`` are the same server, as are ``http://host`` and ``http://host:80``."""
    parts = urlsplit(normalize_url(url))
    host = (parts.hostname or "").rstrip(".")
    if host in _LOOPBACK or host.startswith("127.") or host.endswith(".localhost"):
        host = "localhost"
    elif ":" in host:
        host = f"[{host}]"
    port = parts.port or _DEFAULT_PORTS.get(parts.scheme)
    netloc = host if port == _DEFAULT_PORTS.get(parts.scheme) else f"{host}:{port}"
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def resolve_token(token: str | Token | None, url: str, *, prompt: bool, words: Words = PYTHON) -> Token:
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
        raise ServerError(f"no token for {display_url(url)}", hint=token_hint(words))
    return Token(value)


@dataclass(frozen=True)
class Answer:
    status: int
    data: Any = field(repr=False)  # the server's JSON: valves with their secrets


class Connection:
    """One server, one token: ``request`` returns parsed JSON or raises :class:`ServerError`."""

    def __init__(
        self,
        url: str,
        token: Token,
        *,
        timeout: float = 30.0,
        transport: httpx.BaseTransport | None = None,
        words: Words = PYTHON,
    ) -> None:
        import httpx

        self.url = url
        self.token = token
        self.words = words
        self._hidden: frozenset[str] = frozenset()
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
                hint=f"the server may be overloaded or stuck (or still busy with the request): "
                f"try again or {self.words.timeout}",
                function_id=function_id,
            ) from None
        except (httpx.ConnectError, httpx.NetworkError) as exc:
            raise self._error(
                f"cannot reach the Open WebUI server at {display_url(self.url)} ({_reason(exc)})",
                hint=f"is the server running and the URL right? ({self.words.url}); "
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
        if status in (401, 404) and detail == NOT_FOUND_DETAIL and allow_nf:
            return Answer(404, None)  # functions answer an unknown id with 401, tools with 404
        if status in (401, 403):
            refused = "refused the token" if status == 401 else "does not allow this for the token's user"
            raise self._error(
                f"{where}: the server {refused} ({status}: {detail or response.reason_phrase})",
                hint=token_hint(self.words) + "; functions can only be managed by an admin",
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

    def hide(self, texts: frozenset[str]) -> None:
        """Mask these texts too (secret valves being sent) in every error from now on."""
        self._hidden |= texts

    def _mask(self, text: str) -> str:
        return mask_text(self.token.mask(text), self._hidden)

    def _error(
        self,
        message: str,
        *,
        hint: str | None,
        function_id: str | None,
        status: int | None = None,
        detail: str | None = None,
    ) -> ServerError:
        mask = self._mask
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
