"""A server address or token that cannot be used is a clear error (a ServerError for the address, a
UsageError for the token), never a raw exception, and the message never shows the token or a
password."""

from __future__ import annotations

import pytest

from actionkit.client import OpenWebUIClient
from actionkit.errors import ServerError, UsageError
from actionkit.secrets import MASK


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("http://[::1", "'http://[::1' is not a valid URL (Invalid IPv6 URL)"),
        ("http://localhost:port", "'http://localhost:port' is not a valid URL"),
        ("http://admin:hunter2@[::1", "'http://" + MASK + "@[::1' is not a valid URL"),
    ],
    ids=["unclosed-ipv6", "bad-port", "credentials"],
)
def test_an_address_that_does_not_parse_is_a_server_error(
    url: str, fragment: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENWEBUI_URL", url)
    with pytest.raises(ServerError) as info:
        OpenWebUIClient(token="sk-123456", prompt=False)
    assert fragment in str(info.value) and "hunter2" not in str(info.value)


@pytest.mark.parametrize("token", ["sk-tökén-123", "sk-123\n456"], ids=["non-ascii", "control-character"])
def test_a_token_an_http_header_cannot_carry_is_refused_before_sending(token: str) -> None:
    with pytest.raises(UsageError, match="character an HTTP header cannot carry") as info:
        OpenWebUIClient("http://localhost:8080", token=token, prompt=False)
    assert token.strip() not in str(info.value) and "tökén" not in str(info.value)
