"""Risk tests use the engine's demo business, and start with no fitted venue models."""

from collections.abc import Iterator

import pytest

from engine.risk.fitted import MODELS
from tests.engine.conftest import demo  # noqa: F401 - shared fixture


@pytest.fixture(autouse=True)
def no_fitted_models() -> Iterator[None]:
    """Each test's fresh schema may reuse venue ids: a model kept from another test is wrong."""
    MODELS.clear()
    yield
    MODELS.clear()
