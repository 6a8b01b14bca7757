"""``actionkit lint --target``: what goes wrong on the Open WebUI releases a function must run on."""

from __future__ import annotations

import textwrap

import pytest

from actionkit.errors import SimulationError
from actionkit.lint import lint_source

AWAITED = """
from open_webui.models.users import Users


class Action:
    async def action(self, body, __user__):
        user = await Users.get_user_by_id(__user__["id"])
        return user.name
"""

NOT_AWAITED = """
from open_webui.models.users import Users as U


class Action:
    async def action(self, body, __user__):
        user = U.get_user_by_id(__user__["id"])
        return user.name
"""

BOTH = """
import inspect

from open_webui.models.users import Users


class Action:
    async def action(self, body, __user__):
        user = Users.get_user_by_id(__user__["id"])
        if inspect.isawaitable(user):
            user = await user
        return user.name
"""


def found(source: str, target: list[str] | None) -> list[tuple[str, int]]:
    findings = lint_source(textwrap.dedent(source).lstrip("\n"), target=target)
    return [(f.rule, f.line) for f in findings if f.rule >= "AK015" and f.rule != "AK016"]


@pytest.mark.parametrize(
    ("source", "target", "expected"),
    [
        (AWAITED, ["0.8"], [("AK017", 6)]),
        (AWAITED, ["0.9", "0.12"], []),
        (AWAITED, None, []),
        (NOT_AWAITED, ["0.8"], []),
        (NOT_AWAITED, ["0.8", "0.12"], [("AK015", 6)]),
        (NOT_AWAITED, None, [("AK015", 6)]),
        (BOTH, ["0.8", "0.12"], []),
    ],
    ids=[
        "awaited-on-0.8",
        "awaited-from-0.9",
        "awaited-default-target",
        "not-awaited-on-0.8",
        "not-awaited-from-0.9",
        "not-awaited-default-target",
        "checked-with-isawaitable",
    ],
)
def test_database_calls_are_awaited_from_0_9_on_and_not_before(
    source: str, target: list[str] | None, expected: list[tuple[str, int]]
) -> None:
    assert found(source, target) == expected


def test_the_findings_name_the_releases_and_the_fix() -> None:
    (finding,) = [
        f for f in lint_source(textwrap.dedent(AWAITED), target=["0.8", "0.12"]) if f.rule == "AK017"
    ]
    assert "on Open WebUI 0.8.12 the database layer is sync" in finding.message
    assert "inspect.isawaitable" in finding.fix
    (finding,) = [f for f in lint_source(textwrap.dedent(NOT_AWAITED), target=["0.12"]) if f.rule == "AK015"]
    assert finding.message.startswith("U.get_user_by_id(...) is async in Open WebUI 0.12.4: without `await`")
    assert finding.fix == "write `await U.get_user_by_id(...)` (inside an `async def`)"


def test_a_table_method_that_stays_sync_is_not_flagged() -> None:
    source = """
    from open_webui.models.users import Users

    class Action:
        async def action(self, body, __user__):
            return Users.is_active(__user__)
    """
    assert found(source, ["0.8", "0.12"]) == []


def test_an_event_function_before_0_10_is_refused_by_the_host() -> None:
    source = """
    class Event:
        async def event(self, event):
            return None
    """
    assert found(source, ["0.9", "0.10"]) == [("AK018", 1)]
    assert found(source, ["0.10", "0.12"]) == []


def test_a_request_hook_before_0_11_is_never_called() -> None:
    source = """
    class Filter:
        def inlet(self, body):
            return body

        def request(self, body):
            return body
    """
    assert found(source, ["0.10"]) == [("AK019", 5)]
    assert found(source, ["0.11"]) == []


@pytest.mark.parametrize(
    ("line", "target", "rule"),
    [
        ("from open_webui.utils.chat_id import is_saved_chat_id", ["0.10"], [("AK020", 1)]),
        ("import open_webui.utils.chat_id", ["0.8"], [("AK020", 1)]),
        ("from open_webui.utils import chat_id", ["0.8"], [("AK020", 1)]),
        ("from open_webui.utils.chat_id import is_saved_chat_id", ["0.11"], []),
        ("from open_webui.utils.oauth import get_system_oauth_token", ["0.11"], [("AK020", 1)]),
        ("from open_webui.utils.oauth import OAuthManager", ["0.11"], []),
        ("from open_webui.utils.oauth import get_system_oauth_token", ["0.12"], []),
    ],
)
def test_host_imports_a_release_does_not_have_yet_fail_to_load(
    line: str, target: list[str], rule: list[tuple[str, int]]
) -> None:
    assert (
        found(line + "\n\nclass Action:\n    def action(self, body):\n        return None\n", target) == rule
    )


def test_an_async_generator_pipe_streams_without_an_end_on_0_8() -> None:
    source = """
    class Pipe:
        async def pipe(self, body):
            yield "a"
    """
    assert found(source, ["0.8"]) == [("AK021", 2)]
    assert found(source, ["0.9"]) == []
    returns = """
    class Pipe:
        async def pipe(self, body):
            return "a"
    """
    assert found(returns, ["0.8"]) == []


def test_a_pipe_using_files_as_a_list_fails_before_0_12() -> None:
    source = """
    class Pipe:
        def pipe(self, body, __files__=None):
            names = [f["name"] for f in __files__ or []]
            for f in __files__:
                names.append(f)
            return len(__files__)
    """
    assert found(source, ["0.11"]) == [("AK022", 4), ("AK022", 6)]
    assert found(source, ["0.12"]) == []


def test_a_target_that_is_not_a_supported_release_is_refused() -> None:
    with pytest.raises(SimulationError, match="actionkit does not run Open WebUI '0.7'"):
        lint_source("x = 1\n", target=["0.7"])
