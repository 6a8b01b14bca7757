"""Which valve fields are secret (the one rule, in ``actionkit.secrets``) and how they are masked."""

from __future__ import annotations

import pickle
from typing import Any, Literal

import pytest
from IPython.lib.pretty import pretty
from pydantic import BaseModel, Field, SecretStr

from actionkit.secrets import MASK, MaskedValues, is_secret_name, masked, secret_fields, secret_values


@pytest.mark.parametrize(
    "name",
    [
        "OPENAI_API_KEY",
        "apiKey",
        "api_key",
        "apikey",
        "auth_header",
        "Authorization",
        "HTTPAuthHeader",
        "bot_token",
        "accessTokens",
        "client_secret",
        "password",
        "userPassword",
        "db_passwd",
        "smtp-pwd",
        "key",
        "KEY2",
        "api_keys",
    ],
)
def test_names_made_like_a_secret_are_secret(name: str) -> None:
    assert is_secret_name(name)


@pytest.mark.parametrize(
    "name",
    [
        "monkey",
        "author",
        "authors",
        "keyboard",
        "keyword",
        "hotkey",
        "turkey",
        "tokenizer",
        "secretary",
        "authentication",
        "passage",
        "model",
        "max_words",
        "donkey_count",
    ],
)
def test_names_that_merely_contain_a_secret_word_are_not(name: str) -> None:
    assert not is_secret_name(name)


class Valves(BaseModel):
    OPENAI_API_KEY: str = ""
    apiKey: str | None = None
    api_keys: list[str] = []
    hidden: SecretStr = SecretStr("sk-default-hidden")
    bearer: str = Field("", json_schema_extra={"input": {"type": "password"}})
    max_tokens: int = 512
    token_limit: float = 1.0
    use_auth: bool = True
    auth: Literal["none", "basic"] = "none"
    key_costs: dict[str, float] = {}
    author: str = "me"
    anything_key: Any = None


def test_secret_fields_are_typed_marked_or_named_like_a_secret_and_hold_text() -> None:
    assert secret_fields(Valves) == {
        "OPENAI_API_KEY",
        "apiKey",
        "api_keys",
        "hidden",
        "bearer",
        "anything_key",
    }
    assert secret_fields(None) == frozenset()


def test_masked_hides_model_secrets_and_secret_named_text_without_a_model() -> None:
    values = {"api_key": "sk-1", "bearer": "b-1", "max_tokens": 3, "empty_token": "", "author": "me"}
    assert masked(values) == {
        "api_key": MASK,
        "bearer": "b-1",
        "max_tokens": 3,
        "empty_token": "",
        "author": "me",
    }
    assert masked(values, {"bearer"})["bearer"] == MASK


def test_secret_values_are_the_given_texts_and_the_defaults() -> None:
    found = secret_values(Valves, {"OPENAI_API_KEY": "sk-given-0001", "api_keys": ["sk-list-0001", "x"]})
    assert found == {"sk-given-0001", "sk-list-0001", "sk-default-hidden"}


def test_masked_values_are_the_real_ones_shown_masked_everywhere() -> None:
    values = MaskedValues(
        {"OPENAI_API_KEY": "sk-real-0001", "group": {"token": "t-0001"}, "n": 1}, frozenset()
    )
    assert values["OPENAI_API_KEY"] == "sk-real-0001" and values == {**values}
    for shown in (repr(values), str(values), pretty(values), f"{values}"):
        assert "sk-real-0001" not in shown and "t-0001" not in shown and MASK in shown
    copy = pickle.loads(pickle.dumps(values))
    assert copy == values and "sk-real-0001" not in repr(copy)


def test_masked_values_load_their_secret_fields_only_when_shown() -> None:
    calls: list[int] = []

    def fields() -> frozenset[str]:
        calls.append(1)
        return frozenset({"bearer"})

    values = MaskedValues({"bearer": "b-secret"}, fields)
    assert values["bearer"] == "b-secret" and calls == []
    assert repr(values) == repr({"bearer": MASK}) and repr(values) and calls == [1]
