from __future__ import annotations

from collections.abc import Iterator

import pytest

import actionkit
import actionkit.standins as standins
from actionkit import Function
from tests._secret_sweep import (  # noqa: F401  (the secret sweep's hooks, see its docstring)
    pytest_collection_finish,
    pytest_collection_modifyitems,
    pytest_configure,
    pytest_runtest_makereport,
    pytest_unconfigure,
)
from tests._sources import VALVED_ACTION
from tests.client._fake_owui import FakeOpenWebUI


@pytest.fixture
def valved_action() -> Function:
    return actionkit.load(VALVED_ACTION)


@pytest.fixture
def fake() -> FakeOpenWebUI:
    """A fresh in-memory Open WebUI 0.12.4 for the client, the CLI and the magics to talk to."""
    return FakeOpenWebUI()


@pytest.fixture
def standins_installed() -> Iterator[None]:
    """The open_webui stand-ins in place for one test (``install()`` says they are), gone after it."""
    assert standins.install()
    yield
    standins.uninstall()
