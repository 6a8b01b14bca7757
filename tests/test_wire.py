"""What crosses between actionkit and a worker process comes back as it was (``actionkit._wire``)."""

from __future__ import annotations

import datetime
import json
import socket
import uuid
from typing import Any

import pytest
from pydantic import BaseModel, SecretStr

from actionkit._wire import Channel, Remote, decode, decode_error, encode, encode_error
from actionkit.errors import FunctionLoadError, ReleaseError, ValvesError
from actionkit.view import jsonable


class Point(BaseModel):
    x: int
    label: str = "p"


def _roundtrip(value: Any) -> Any:
    return decode(json.loads(json.dumps(encode(value), allow_nan=False)))


@pytest.mark.parametrize(
    "value",
    [
        None,
        True,
        3,
        2.5,
        "héllo",
        [1, "two", None],
        {"a": {"b": [1, 2]}},
        (1, (2, 3)),
        {1: "int key", (1, 2): "tuple key"},
        {"__ak__": "a dict that looks like a tag"},
        {1, 2, 3},
        frozenset({"a"}),
        b"\x00\xffbytes",
        float("inf"),
        datetime.datetime(2026, 1, 1, 12, 30),
        datetime.date(2026, 1, 1),
        uuid.UUID("12345678-1234-4234-8234-123456789abc"),
    ],
    ids=repr,
)
def test_values_come_back_as_they_were(value: Any) -> None:
    assert _roundtrip(value) == value
    assert type(_roundtrip(value)) is type(value)


def test_nan_comes_back_as_nan() -> None:
    back = _roundtrip(float("nan"))
    assert back != back


def test_a_secret_comes_back_as_a_secret_and_stays_masked() -> None:
    back = _roundtrip({"key": SecretStr("sk-live-123")})
    assert isinstance(back["key"], SecretStr)
    assert back["key"].get_secret_value() == "sk-live-123"
    assert "sk-live-123" not in repr(back)


def test_other_objects_come_back_showing_the_same_repr_and_data() -> None:
    class Opaque:
        def __repr__(self) -> str:
            return "<Opaque thing>"

    point = Point(x=1)
    back = _roundtrip({"point": point, "opaque": Opaque()})
    assert isinstance(back["point"], Remote) and isinstance(back["opaque"], Remote)
    assert repr(back["point"]) == repr(point)
    assert repr(back["opaque"]) == "<Opaque thing>"
    assert jsonable(back) == jsonable({"point": point, "opaque": Opaque()})


def test_actionkit_errors_come_back_as_the_same_class_with_their_details() -> None:
    sent = ValvesError("bad valves", function_id="f", errors={"level": "not an int"}, hint="fix it")
    back = decode_error(json.loads(json.dumps(encode_error(sent))))
    assert type(back) is ValvesError
    assert (back.function_id, back.errors, back.hint, str(back)) == (
        "f",
        {"level": "not an int"},
        "fix it",
        str(sent),
    )
    load = decode_error(encode_error(FunctionLoadError("nope", line=4, source_line="x", kind="syntax")))
    assert isinstance(load, FunctionLoadError) and (load.line, load.kind) == (4, "syntax")
    assert type(decode_error(encode_error(ReleaseError("gone")))) is ReleaseError


def test_other_errors_come_back_with_their_class_name_and_text() -> None:
    back = decode_error(encode_error(KeyError("session_id")))
    assert type(back).__name__ == "KeyError"
    assert str(back) == str(KeyError("session_id"))


def test_a_channel_carries_whole_messages_and_says_when_the_other_end_is_gone() -> None:
    ours, theirs = socket.socketpair()
    left, right = Channel(ours), Channel(theirs)
    left.send({"op": "run", "call": {"text": "line\nbreak ✓"}})
    left.send({"op": "stop"})
    assert right.receive() == {"op": "run", "call": {"text": "line\nbreak ✓"}}
    assert right.receive() == {"op": "stop"}
    left.close()
    assert right.receive() is None
    right.close()
