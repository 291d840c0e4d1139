"""Checking the shape of provider JSON before trusting any of it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

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


def nodes(document: Any) -> Iterator[tuple[Any, int]]:
    """Every value in ``document`` (object keys included) with its depth, the root at 1.

    A loop, not a recursion: it must not fail on the very documents it is there to refuse.
    """
    stack = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        yield value, depth
        if isinstance(value, dict):
            stack.extend((item, depth + 1) for pair in value.items() for item in pair)
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)


def as_object(value: Any, where: str) -> dict[str, Any]:
    """``value`` if it is a JSON object, else MalformedPayloadError naming ``where``."""
    if not isinstance(value, dict):
        raise MalformedPayloadError(f"{where} must be an object")
    return value
