"""Risk tests use the engine's demo business."""

from tests.engine.conftest import demo  # noqa: F401 - shared fixture
