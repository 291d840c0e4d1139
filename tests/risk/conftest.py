"""Risk tests use the engine's demo business."""

from tests.engine.conftest import demo, owner_password_hash  # noqa: F401 - shared fixtures
