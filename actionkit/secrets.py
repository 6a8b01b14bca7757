"""Which valve fields are secret, and masking them in every text and HTML output.

A field is secret when it is typed ``SecretStr``/``SecretBytes``, marked as a password in its schema
(Open WebUI's ``json_schema_extra={"input": {"type": "password"}}``, ``writeOnly`` or
``format: password``), or holds text under a name made like a secret's: one of its word parts (split
at ``_``, ``-``, digits and camelCase humps, any case) is ``key``, ``token``, ``secret``,
``password``, ``passwd``, ``pwd``, ``passphrase``, ``credential``, ``auth``, ``authorization`` or
``apikey`` (or their plural). So ``OPENAI_API_KEY``, ``apiKey``, ``auth_header`` and ``bot_tokens``
are secrets; ``monkey``, ``author``, ``keyboard`` and ``max_tokens: int`` are not (a number or a flag
holds no secret). The store keeps the real values; everything shown masks them.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from pydantic import BaseModel, SecretBytes, SecretStr
from pydantic.fields import FieldInfo

MASK = "••••••"

_SECRET_WORDS = frozenset(
    {
        "key",
        "token",
        "secret",
        "password",
        "passwd",
        "pwd",
        "passphrase",
        "credential",
        "auth",
        "authorization",
        "apikey",
    }
)
# Word parts of an identifier: ``HTTPAuthHeader`` -> HTTP, Auth, Header; ``api_key2`` -> api, key, 2.
_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
# Shorter secret values are not searched for in free text (they would mask ordinary words).
MIN_SEARCHED = 3


def is_secret_name(name: str) -> bool:
    """Whether ``name`` is made like a secret's name (see the module docstring)."""
    for part in _WORD.findall(name):
        word = part.lower()
        if word in _SECRET_WORDS or (word.endswith("s") and word[:-1] in _SECRET_WORDS):
            return True
    return False


def _holds_text(annotation: Any) -> bool:
    """Whether a field of this type can hold a text secret: ``str``, ``bytes``, ``Any``, an
    ``Optional``/union with one of them, or a list/tuple/set of them."""
    if annotation in (str, bytes, Any):
        return True
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _holds_text(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType, list, tuple, set, frozenset):
        return any(_holds_text(arg) for arg in typing.get_args(annotation) if arg is not type(None))
    return False


def _is_secret_type(annotation: Any) -> bool:
    if annotation in (SecretStr, SecretBytes):
        return True
    return any(_is_secret_type(arg) for arg in typing.get_args(annotation))


def is_secret_field(name: str, info: FieldInfo) -> bool:
    """Whether the field ``name`` of a pydantic model is secret (see the module docstring)."""
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    widget = extra.get("input")
    return bool(
        _is_secret_type(info.annotation)
        or (isinstance(widget, dict) and widget.get("type") == "password")
        or extra.get("writeOnly")
        or extra.get("format") == "password"
        or (is_secret_name(name) and _holds_text(info.annotation))
    )


def secret_fields(model: type[BaseModel] | None) -> frozenset[str]:
    """The secret fields of a ``Valves``/``UserValves`` class."""
    if model is None:
        return frozenset()
    return frozenset(name for name, info in model.model_fields.items() if is_secret_field(name, info))


def _is_text(value: Any) -> bool:
    if isinstance(value, list | tuple):
        return any(_is_text(item) for item in value)
    return isinstance(value, str | bytes | SecretStr | SecretBytes)


def secret_keys(values: Mapping[str, Any], fields: Iterable[str] = ()) -> frozenset[str]:
    """The keys of ``values`` to mask: the model's secret ``fields``, and every key named like a
    secret that holds text (for values whose model is not at hand, such as a server's)."""
    known = frozenset(fields)
    return frozenset(k for k, v in values.items() if k in known or (is_secret_name(k) and _is_text(v)))


def masked(values: Mapping[str, Any], secrets: Iterable[str] = ()) -> dict[str, Any]:
    """A copy of ``values`` with every non-empty secret (``secrets`` and secret-named text) masked."""
    hidden = secret_keys(values, secrets)
    return {k: (MASK if k in hidden and v not in (None, "") else v) for k, v in values.items()}


def plain_text(value: Any) -> str | None:
    """The text of a secret value (``SecretStr`` revealed, bytes decoded), ``None`` for non-text."""
    if isinstance(value, SecretStr | SecretBytes):
        value = value.get_secret_value()
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return value if isinstance(value, str) else None


def secret_values(model: type[BaseModel] | None, values: Mapping[str, Any] | None) -> frozenset[str]:
    """The secret texts ``model`` would hold for ``values`` (given values, else the defaults), long
    enough to be searched for in free text; values of secret-named keys count too."""
    values = values or {}
    names = secret_keys(values, secret_fields(model))
    found: set[str] = set()
    fields = model.model_fields if model is not None else {}
    for name in names | (secret_fields(model) - set(values)):
        field = fields.get(name)
        value = values.get(name, field.default if field is not None else None)
        for item in value if isinstance(value, list | tuple) else [value]:
            text = plain_text(item)
            if text is not None and len(text) >= MIN_SEARCHED:
                found.add(text)
    return frozenset(found)


def reveal(value: Any) -> Any:
    """``value`` with every ``SecretStr``/``SecretBytes`` inside replaced by its secret value."""
    if isinstance(value, SecretStr | SecretBytes):
        return value.get_secret_value()
    if isinstance(value, dict):
        return {k: reveal(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [reveal(v) for v in value]
    return value


def mask_text(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every occurrence of a secret value replaced by the mask (longest first)."""
    for secret in sorted(secrets, key=len, reverse=True):
        if secret and secret in text:
            text = text.replace(secret, MASK)
    return text


class MaskedValues(dict[str, Any]):
    """Valve values, the real ones, whose ``repr`` (and notebook display) masks the secrets.

    ``secrets`` names the secret fields (``group.child`` paths for nested models), or is a callable
    giving them when first shown (a stored row's model is loaded only if it is displayed). Keys named
    like a secret that hold text are masked in any case.
    """

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        secrets: frozenset[str] | Callable[[], frozenset[str]] = frozenset(),
    ) -> None:
        super().__init__(data or {})
        self._secrets = secrets

    @property
    def secrets(self) -> frozenset[str]:
        if callable(self._secrets):
            self._secrets = self._secrets()
        return self._secrets

    def masked(self) -> dict[str, Any]:
        return _masked_paths(self, self.secrets, "")

    def __repr__(self) -> str:
        return repr(self.masked())

    __str__ = __repr__

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.pretty(self.masked())

    def __reduce__(self) -> Any:
        return (MaskedValues, (dict(self), self.secrets))


def _masked_paths(values: Mapping[str, Any], secrets: frozenset[str], prefix: str) -> dict[str, Any]:
    hidden = secret_keys(values, {path[len(prefix) :] for path in secrets if path.startswith(prefix)})
    shown: dict[str, Any] = {}
    for key, value in values.items():
        if key in hidden and value not in (None, ""):
            shown[key] = MASK
        elif isinstance(value, Mapping):
            shown[key] = _masked_paths(value, secrets, f"{prefix}{key}.")
        else:
            shown[key] = value
    return shown
