"""Valves the real host's update handler refuses: a ValvesError naming each field, never a secret."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, Field, ValidationError

from actionkit.errors import ValvesError
from actionkit.realhost._calls import rejected_valves


class _Refused(Exception):
    """Stands in for the host's HTTPException: its ``__context__`` is pydantic's error."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


def _refusal(values: dict[str, object]) -> _Refused:
    class Valves(BaseModel):
        api_key: str = Field(min_length=30)
        retries: int = 1

    try:
        try:
            Valves(**values)
        except ValidationError:
            raise _Refused("Error updating valves") from None
    except _Refused as exc:
        return exc
    raise AssertionError("the values validated")


@pytest.mark.parametrize(("subject", "function_id"), [("fn", "fn"), ("tool weather", "weather")])
def test_a_refused_secret_valve_is_named_without_its_value(subject: str, function_id: str) -> None:
    values = {"api_key": "sk-TOO-SHORT-SECRET", "retries": "many"}
    error = rejected_valves(_refusal(values), values, "Valves", subject, function_id)
    assert isinstance(error, ValvesError)
    text = str(error)
    assert f"open-webui rejected the Valves for {subject} (Error updating valves)" in text
    assert "api_key" in text and "retries" in text and "'many'" in text
    assert "sk-TOO-SHORT-SECRET" not in text
    assert "sk-TOO-SHORT-SECRET" not in repr(error.errors)
    assert error.function_id == function_id
