from __future__ import annotations

from collections.abc import Iterator

import pytest

from actionkit.store import Store


@pytest.fixture
def store() -> Iterator[Store]:
    """An in-memory store for the editors and the playground, closed after the test."""
    s = Store(":memory:")
    yield s
    s.close()
