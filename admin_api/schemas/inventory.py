"""Room types, rooms, rates, tables, opening hours and closures."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, Field

from admin_api.schemas.common import MAX_ID, ORM, LocalTime

Money = Annotated[int, Field(ge=0, le=10**12, description="Minor units (paise, cents)")]
Label = Annotated[str, Field(min_length=1, max_length=20)]


class Changes(BaseModel):
    """Base of partial updates: omitted or null fields stay as they are."""

    def fields(self) -> dict[str, Any]:
        """The changes as engine fields."""
        return self.model_dump(exclude_none=True)


class RoomTypeChanges(Changes):
    name: str | None = Field(default=None, min_length=1, max_length=100)
    capacity: int | None = Field(default=None, ge=1, le=20)
    nightly_rate: Money | None = None
    description: str | None = Field(default=None, max_length=500)


class RoomTypeCreate(RoomTypeChanges):
    name: str = Field(min_length=1, max_length=100)
    capacity: int = Field(ge=1, le=20)
    nightly_rate: Money


class RoomOut(ORM):
    id: int
    room_type_id: int
    number: str
    active: bool


class RoomTypeOut(ORM):
    id: int
    venue_id: int
    name: str
    capacity: int
    nightly_rate: int
    description: str
    rooms: list[RoomOut]


class RoomChanges(Changes):
    number: Label | None = None
    active: bool | None = None
    room_type_id: int | None = Field(default=None, ge=1, le=MAX_ID)


class RoomCreate(Changes):
    number: Label
    active: bool = True


class RateRange(BaseModel):
    """Nights from ``start`` up to, not including, ``end``."""

    start: date
    end: date
    nightly_rate: Money


class RateOut(ORM):
    night: date
    nightly_rate: int


class TableChanges(Changes):
    label: Label | None = None
    seats: int | None = Field(default=None, ge=1, le=50)
    combine_group: str | None = Field(default=None, max_length=20)
    active: bool | None = None


class TableCreate(TableChanges):
    label: Label
    seats: int = Field(ge=1, le=50)


class TableOut(ORM):
    id: int
    venue_id: int
    label: str
    seats: int
    combine_group: str | None
    active: bool


class HoursChanges(Changes):
    weekday: int | None = Field(default=None, ge=0, le=6, description="0 = Monday")
    opens: LocalTime | None = None
    closes: LocalTime | None = Field(default=None, description="Before `opens`: past midnight")


class HoursCreate(HoursChanges):
    weekday: int = Field(ge=0, le=6, description="0 = Monday")
    opens: LocalTime
    closes: LocalTime = Field(description="Before `opens` means past midnight")


class HoursOut(ORM):
    id: int
    venue_id: int
    weekday: int
    opens: LocalTime
    closes: LocalTime


class ClosureCreate(BaseModel):
    day: date
    reason: str = Field(default="", max_length=200)


class ClosureOut(ORM):
    id: int
    venue_id: int
    day: date
    reason: str
