"""The releases actionkit runs and the shape of each one's code (``actionkit.releases``)."""

from __future__ import annotations

import pytest

from actionkit.errors import SimulationError
from actionkit.releases import CHANGES, CHANGES_BY_ID, RELEASES, release, runtime_release, shape


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("0.10", "0.10.2"),
        ("0.8", "0.8.12"),
        ("0.10.1", "0.10.1"),
        ("v0.12.4", "0.12.4"),
        ("0.11.0", "0.11.0"),
    ],
)
def test_a_line_is_its_last_release_and_a_version_of_a_supported_line_is_itself(
    given: str, expected: str
) -> None:
    assert release(given) == expected


@pytest.mark.parametrize("given", ["0.7.6", "0.13.0", "1.0", "latest", ""])
def test_a_release_outside_the_lines_0_8_to_0_12_is_refused_naming_what_is_supported(given: str) -> None:
    with pytest.raises(SimulationError) as caught:
        release(given)
    assert "0.8, 0.9, 0.10, 0.11, 0.12" in str(caught.value)
    assert caught.value.hint == f"tested releases: {', '.join(RELEASES)}"


def test_only_an_open_webui_pin_names_a_release() -> None:
    assert runtime_release("open-webui==0.9") == "0.9.6"
    assert runtime_release("open-webui") is None
    assert runtime_release("actionkit") is None


@pytest.mark.parametrize(
    ("version", "sync", "caches", "context", "oauth", "waits"),
    [
        ("0.8.12", True, False, False, "open_webui.utils.middleware", True),
        ("0.9.6", False, False, False, "open_webui.utils.middleware", False),
        ("0.10.2", False, True, False, "open_webui.utils.middleware", False),
        ("0.11.4", False, True, True, "open_webui.utils.middleware", False),
        ("0.12.4", False, True, True, "open_webui.utils.oauth", False),
    ],
)
def test_each_release_has_the_shape_its_code_has(
    version: str, sync: bool, caches: bool, context: bool, oauth: str, waits: bool
) -> None:
    found = shape(version)
    assert (found.sync_database, found.cache_helpers, found.filter_context, found.oauth_module) == (
        sync,
        caches,
        context,
        oauth,
    )
    assert found.event_call_waits is waits
    assert found.request_hook is found.chat_id_module is context
    assert found.event_functions is caches


def test_a_change_lies_between_two_releases_in_either_order() -> None:
    change = CHANGES_BY_ID["async-database"]
    assert change.between("0.8.12", "0.9.6") and change.between("0.12.4", "0.8.12")
    assert not change.between("0.9.0", "0.12.4")
    assert len({c.id for c in CHANGES}) == len(CHANGES)
