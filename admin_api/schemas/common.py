"""Shapes shared by every route: error bodies and the error responses each route documents."""

from __future__ import annotations

from datetime import time
from typing import Annotated, Any

from fastapi import Path, Query
from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, WithJsonSchema

#: Row ids fit a 32-bit signed integer column on every backend.
MAX_ID = 2**31 - 1
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
QueryId = Annotated[int, Query(ge=1, le=MAX_ID)]
BodyId = Annotated[int, Field(ge=1, le=MAX_ID)]
#: A wall-clock time in the venue's zone, "HH:MM" (JSON Schema's "time" format needs an offset).
LocalTime = Annotated[
    time,
    PlainSerializer(lambda value: value.strftime("%H:%M"), return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "pattern": r"^\d{2}:\d{2}(:\d{2})?$", "example": "19:30"}),
]


class ORM(BaseModel):
    """A response model read from ORM objects or dataclasses by attribute."""

    model_config = ConfigDict(from_attributes=True)


class Problem(BaseModel):
    """An error: a sentence to show, or a list of field problems for a 422."""

    detail: str | list[dict[str, Any]]


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the error statuses a router can answer."""
    return {code: {"model": Problem, "description": DESCRIPTIONS[code]} for code in codes}


DESCRIPTIONS = {
    401: "Not logged in, or the token expired or was revoked",
    403: "Your role does not allow this",
    404: "Not found (or belongs to another business)",
    409: "Conflicts with the current state (taken, wrong status)",
    422: "The request is invalid; the detail says why",
    429: "Too many attempts; retry later",
}
#: What every authenticated route of the API may answer besides success.
AUTHENTICATED = errors(401, 403, 404, 409, 422)
