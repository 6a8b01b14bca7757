"""The store keeps secret valves as they are and shows them masked: in record and save-result
reprs, in what ``set_valves`` returns, in valve dicts a notebook displays, and in validation errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from IPython.lib.pretty import pretty

import actionkit
from actionkit import Store, ValvesError
from actionkit.secrets import MASK

MANIFOLD = '''"""
title: OpenAI Manifold
"""
from pydantic import BaseModel, Field


class Pipe:
    class Valves(BaseModel):
        OPENAI_API_BASE_URL: str = "https://api.openai.com/v1"
        OPENAI_API_KEY: str = ""
        bearer: str = Field("", min_length=12, json_schema_extra={"input": {"type": "password"}})

    class UserValves(BaseModel):
        personal_token: str = ""

    def __init__(self):
        self.valves = self.Valves()

    def pipes(self):
        return [{"id": "gpt", "name": "GPT"}]

    def pipe(self, body):
        return "ok"
'''
KEY = "sk-manifold-7f3a9c"
BEARER = "bearer-value-123456"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "store.db")
    store.save(actionkit.load(MANIFOLD, id="openai"))
    return store


def shown(value: object) -> list[str]:
    return [repr(value), str(value), pretty(value)]


def test_set_valves_returns_the_values_shown_masked(store: Store) -> None:
    stored = store.set_valves("openai", {"OPENAI_API_KEY": KEY, "bearer": BEARER})
    assert stored == {"OPENAI_API_KEY": KEY, "bearer": BEARER}
    for text in shown(stored):
        assert KEY not in text and BEARER not in text and MASK in text


def test_the_store_keeps_the_values_and_its_reprs_mask_them(store: Store, tmp_path: Path) -> None:
    base = "https://llm.example.org/v1"
    store.set_valves("openai", {"OPENAI_API_KEY": KEY, "bearer": BEARER, "OPENAI_API_BASE_URL": base})
    store.set_user_valves("openai", "alice", {"personal_token": "tok-alice-0001"})
    fresh = Store(tmp_path / "store.db")
    assert fresh.valves("openai") == {"OPENAI_API_KEY": KEY, "bearer": BEARER, "OPENAI_API_BASE_URL": base}
    assert fresh.user_valves("openai", "alice") == {"personal_token": "tok-alice-0001"}
    for value in (fresh.get("openai"), fresh.valves("openai"), fresh.user_valves("openai", "alice")):
        for text in shown(value):
            assert KEY not in text and BEARER not in text and "tok-alice-0001" not in text
    assert f"'OPENAI_API_BASE_URL': '{base}'" in repr(fresh.get("openai"))


def test_a_save_result_shows_the_record_masked(store: Store) -> None:
    store.set_valves("openai", {"OPENAI_API_KEY": KEY})
    result = store.save(actionkit.load(MANIFOLD.replace("OpenAI Manifold", "OpenAI"), id="openai"))
    assert result.record.valves == {"OPENAI_API_KEY": KEY}
    assert KEY not in repr(result) and MASK in repr(result)


def test_validation_errors_of_secret_fields_say_what_is_wrong_without_the_value(store: Store) -> None:
    with pytest.raises(ValvesError) as err:
        store.set_valves("openai", {"bearer": "SUPERSECRET"})
    assert err.value.errors == {"bearer": "String should have at least 12 characters"}
    assert "SUPERSECRET" not in str(err.value)


def test_validation_errors_of_other_fields_still_quote_the_value(store: Store) -> None:
    with pytest.raises(ValvesError, match=r"\(got 3\)"):
        store.set_valves("openai", {"OPENAI_API_BASE_URL": 3})


def test_a_stored_secret_dropped_by_new_code_is_reported_without_its_value(store: Store) -> None:
    store.set_valves("openai", {"bearer": BEARER})
    result = store.save(actionkit.load(MANIFOLD.replace("min_length=12", "min_length=40"), id="openai"))
    assert result.dropped_valves == {"bearer": "String should have at least 40 characters"}
    assert BEARER not in repr(result)
