"""Text a database can hold: no NUL character (PostgreSQL's text and JSON refuse it) and no
lone UTF-16 surrogate (it has no UTF-8 encoding, so neither PostgreSQL nor SQLite takes it).

JSON can carry both (``"\\u0000"``, ``"\\ud800"``), and a signed webhook is JSON someone
else wrote. What a guest wrote is kept as far as it can be stored (``storable``); an
identifier is never rewritten, since a changed id could name someone else's message or
payment: a document whose identifiers cannot be stored is refused or dropped instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from itertools import chain
from typing import Any

#: After JSON decoding a valid surrogate pair is one character, so any surrogate left is lone.
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
SURROGATE = re.compile("[\ud800-\udfff]")


def storable(text: str) -> str:
    """``text`` without NUL characters, each lone surrogate replaced by U+FFFD."""
    if UNSTORABLE.search(text) is None:
        return text
    return SURROGATE.sub("\ufffd", text.replace("\x00", ""))


def storable_fields(fields: Mapping[str, str]) -> dict[str, str]:
    """``fields`` with every name and value ``storable``, in one scan of them all when, as
    nearly always, there is nothing to change (a form has a score of fields)."""
    if UNSTORABLE.search("".join(chain.from_iterable(fields.items()))) is None:
        return dict(fields)
    return {storable(name): storable(value) for name, value in fields.items()}


def unstorable(document: Any) -> bool:
    """True if any string in ``document`` (object keys too) holds what cannot be stored."""
    return any(isinstance(value, str) and UNSTORABLE.search(value) for value, _ in nodes(document))


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
