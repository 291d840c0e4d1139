"""Checking the shape of provider JSON before trusting any of it."""

from __future__ import annotations

from typing import Any


class MalformedPayloadError(ValueError):
    """The document does not have the provider's webhook shape (answered with 400)."""


def as_object(value: Any, where: str) -> dict[str, Any]:
    """``value`` if it is a JSON object, else MalformedPayloadError naming ``where``."""
    if not isinstance(value, dict):
        raise MalformedPayloadError(f"{where} must be an object")
    return value
