"""Checking the shape of provider JSON before trusting any of it."""

from __future__ import annotations

import json
from typing import Any

from application.storable import nodes

#: Deeper than any provider's webhook document (theirs are under ten levels). A signed body
#: nested thousands deep would otherwise exhaust the interpreter's recursion limit in the
#: parser, or later in whatever walks the document (the JSON column's serialiser, a repr).
MAX_DEPTH = 32


class MalformedPayloadError(ValueError):
    """The document does not have the provider's webhook shape (answered with 400)."""


def parse_json(body: bytes | str) -> Any:
    """The JSON document in ``body``: MalformedPayloadError if it is not JSON or nests too
    deeply to be a provider's."""
    try:
        document = json.loads(body)
    except RecursionError as exc:
        raise MalformedPayloadError(f"nested more than {MAX_DEPTH} levels deep") from exc
    except ValueError as exc:  # invalid JSON, or bytes that are not UTF-8
        raise MalformedPayloadError(f"invalid JSON: {exc}") from exc
    if any(depth > MAX_DEPTH for _, depth in nodes(document)):
        raise MalformedPayloadError(f"nested more than {MAX_DEPTH} levels deep")
    return document


def as_object(value: Any, where: str) -> dict[str, Any]:
    """``value`` if it is a JSON object, else MalformedPayloadError naming ``where``."""
    if not isinstance(value, dict):
        raise MalformedPayloadError(f"{where} must be an object")
    return value
