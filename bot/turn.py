"""Everything a dialogue handler needs for one turn, in one object."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from redis import Redis
from sqlalchemy.orm import Session

from bot.catalog import plural, t
from bot.conversation import Conversation
from bot.format import format_day, format_money, format_stay, format_time
from bot.messages import Option, Reply
from bot.understanding import Understanding
from engine.bookings.enums import Channel
from engine.bookings.models import Booking, BookingRoom
from engine.bookings.rooms import live_rooms
from engine.guests.models import Guest
from engine.inventory.models import RoomType
from engine.messaging.enums import MessageChannel
from engine.tenants.models import Venue


@dataclass
class Turn:
    """One guest message being answered."""

    session: Session
    redis: Redis
    venue: Venue
    guest: Guest
    conversation: Conversation
    understood: Understanding
    channel: MessageChannel
    now: datetime
    #: The guest was mid-conversation but its state is gone (see ``bot.machine``).
    state_lost: bool = False
    #: The bot's last message listed the offers whole (``bot.flows.offers.listed``).
    listed_whole: bool = False

    @property
    def language(self) -> str | None:
        """The language replies are written in."""
        return self.conversation.language or self.guest.language

    @property
    def today(self) -> date:
        """The venue's date as the message arrived."""
        return self.now.astimezone(self.venue.tz).date()

    def day(self, value: date) -> str:
        """A date as the guest reads it, with its year when that is not this one."""
        return format_day(value, self.language, today=self.today)

    @property
    def booking_channel(self) -> Channel:
        """The channel a booking made in this chat records (SMS or WhatsApp)."""
        return Channel.SMS if self.channel == MessageChannel.SMS else Channel.WHATSAPP

    @property
    def actor(self) -> str:
        """Who the audit trail says acted: this guest on this channel."""
        return f"guest:{self.guest.phone}:{self.channel.value}"

    def say(self, key: str, options: list[Option] | None = None, **values: object) -> Reply:
        """A reply from the catalog in the guest's language."""
        return Reply(
            t(key, self.language, **values),
            options or [],
            list_button=self.text("list_button"),
            language=self.language,
        )

    def text(self, key: str, **values: object) -> str:
        """A catalog sentence in the guest's language."""
        return t(key, self.language, **values)

    def count(self, key: str, number: int) -> str:
        """A counted phrase in the guest's language and its plural form ("3 nights")."""
        return plural(key, number, self.language)

    def stay_dates(self, check_in: date, check_out: date) -> str:
        """A stay's dates as one range ("6–13 Jan"; a plain hyphen on SMS, for GSM-7)."""
        return format_stay(
            check_in, check_out, self.language, ascii_only=self.channel == MessageChannel.SMS
        )

    def money(self, amount: int) -> str:
        """A price as this channel should show it (no ₹ on SMS: it forces UCS-2)."""
        return format_money(
            amount, self.venue.currency, ascii_only=self.channel == MessageChannel.SMS
        )

    def yes_no(self, yes_key: str = "button_yes", no_key: str = "button_no") -> list[Option]:
        """Yes / No buttons."""
        return [Option("yes", self.text(yes_key)), Option("no", self.text(no_key))]

    def describe(self, booking: Booking) -> str:
        """One line about a booking: what, when, reference, status."""
        status = self.text(f"status_{booking.status.value}")
        return f"{booking.reference}: {self.summary(booking)} ({status})"

    def summary(self, booking: Booking) -> str:
        """What a booking is for: the seating, or the room and the stay."""
        if booking.starts_at is not None:
            return self.table_summary(booking.party_size, booking.starts_at)
        assert booking.check_in is not None and booking.check_out is not None
        if booking.several_rooms:
            return self.rooms_summary(booking)
        return self.stay_summary(
            self.room_name(booking), booking.check_in, booking.check_out, booking.party_size
        )

    def room_name(self, booking: Booking) -> str:
        """The name of the room type a stay is for ("" for a table)."""
        return self._room_type_name(booking.room_type_id) if booking.room_type_id else ""

    def rooms_summary(self, booking: Booking, rooms: list[BookingRoom] | None = None) -> str:
        """ "2 rooms (Standard room for 2 (₹7,000), Deluxe room for 3 (₹11,000)), 2 night(s),
        Thu 24 Dec to Sat 26 Dec, 5 guest(s)": the stay's rooms still booked (or ``rooms``),
        each with its guests; one room reads as a stay of one room."""
        assert booking.check_in is not None and booking.check_out is not None
        live = rooms if rooms is not None else live_rooms(booking)
        names = {r.room_type_id: self._room_type_name(r.room_type_id) for r in live}
        guests = sum(room.guests for room in live)
        if len(live) == 1:
            name = names[live[0].room_type_id]
            return self.stay_summary(name, booking.check_in, booking.check_out, guests)
        lines = ", ".join(
            self.text(
                "room_share",
                room=names[r.room_type_id],
                guests=self.count("n_guests", r.guests),
                total=self.money(r.amount),
            )
            for r in live
        )
        return self.text(
            "rooms_summary",
            count=len(live),
            rooms=lines,
            nights=self.count("n_nights", (booking.check_out - booking.check_in).days),
            check_in=self.day(booking.check_in),
            check_out=self.day(booking.check_out),
            guests=self.count("n_guests", guests),
        )

    def _room_type_name(self, room_type_id: int) -> str:
        room_type = self.session.get(RoomType, room_type_id)
        return room_type.name if room_type is not None else ""

    def table_summary(self, party: int, starts_at: datetime) -> str:
        """ "table for 2 on Sun 6 Dec at 20:00", on the venue's clock."""
        local = starts_at.astimezone(self.venue.tz)
        return self.text(
            "table_summary", party=party, day=self.day(local.date()), time=format_time(local)
        )

    def stay_summary(self, room: str, check_in: date, check_out: date, guests: int) -> str:
        """ "Deluxe room, 3 nights, Thu 24 Dec to Sun 27 Dec, 2 guests"."""
        return self.text(
            "stay_summary",
            room=room,
            nights=self.count("n_nights", (check_out - check_in).days),
            check_in=self.day(check_in),
            check_out=self.day(check_out),
            guests=self.count("n_guests", guests),
        )
