"""Slot extraction: every case states the whole expected ``Slots``, so a stray field fails too.

The fixed now is Wed 25 Nov 2026, 10:00 UTC = 15:30 in Asia/Kolkata.
"""

from __future__ import annotations

import time as timer
from datetime import UTC, date, datetime, time
from typing import Any

import pytest

from bot.nlu.slots import Slots, extract_slots, match_room_type, warm_up

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
INDIA = "Asia/Kolkata"
ROOM_TYPES = ("Standard", "Deluxe", "Suite")

TODAY = date(2026, 11, 25)  # Wednesday
TOMORROW = date(2026, 11, 26)
FRI = date(2026, 11, 27)
SAT = date(2026, 11, 28)
SUN = date(2026, 11, 29)
MON = date(2026, 11, 30)
DEC = {day: date(2026, 12, day) for day in range(1, 32)}


def restaurant(text: str, now: datetime = NOW, timezone: str = INDIA) -> Slots:
    return extract_slots(text, now=now, timezone=timezone, venue_kind="restaurant")


def hotel(text: str, now: datetime = NOW, timezone: str = INDIA) -> Slots:
    return extract_slots(
        text, now=now, timezone=timezone, venue_kind="hotel", room_types=ROOM_TYPES
    )


def case(text: str, **expected: Any) -> Any:
    return pytest.param(text, Slots(**expected), id=text)


RESTAURANT_CASES = [
    # a date taken back is not the day, before or after its negation, in every language
    case("not tomorrow, Friday", day=FRI),
    case("tomorrow, not Friday", day=TOMORROW),
    case("not on Friday but Saturday", day=SAT),
    case("kal nahi parso", day=FRI),
    case("कल नहीं, परसों", day=FRI),
    case("no el viernes, el sábado", day=SAT),
    case("el viernes no, el sábado", day=SAT),
    case("not tomorrow", day=None),
    case("no, tomorrow at 8", day=TOMORROW, time=time(20)),
    case("Friday no problem", day=FRI),
    # day + time + party together, without reading one number as another
    case("table for 4 tomorrow 8pm", day=TOMORROW, time=time(20), party_size=4),
    case("tonight at 7:30", day=TODAY, time=time(19, 30)),
    case("Friday 20:00", day=FRI, time=time(20)),
    case("24th at 8", day=DEC[24], time=time(20)),
    case("dinner tomorrow", day=TOMORROW, time=time(20)),
    case("today lunch", day=TODAY, time=time(13)),
    case("breakfast tomorrow for 2", day=TOMORROW, time=time(9), party_size=2),
    case("tmrw 8pm", day=TOMORROW, time=time(20)),
    case("tomorrow 7", day=TOMORROW, time=time(19)),
    case("tonight 9", day=TODAY, time=time(21)),
    case("in 3 days at 8", day=SAT, time=time(20)),
    case("for 8 at 8", time=time(20), party_size=8),
    case("table for 4 at 8 on 31st", day=DEC[31], time=time(20), party_size=4),
    case("we are 4, tomorrow at 8", day=TOMORROW, time=time(20), party_size=4),
    case("2 people, sunday 1pm", day=SUN, time=time(13), party_size=2),
    case("for 20 people on 5/12", day=DEC[5], party_size=20),
    case(
        "I'd like to book a table for 4 people for dinner on Saturday",
        day=SAT,
        time=time(20),
        party_size=4,
    ),
    # bare hours at a restaurant are afternoon/evening unless the morning is said
    case("8", time=time(20)),
    case("at 8", time=time(20)),
    case("8 baje", time=time(20)),
    case("12", time=time(12)),
    case("at 11", time=time(23)),
    case("8 at night", time=time(20)),
    case("10 am", time=time(10)),
    case("breakfast at 8", time=time(8)),
    case("lunch at 1", time=time(13)),
    case("good morning, table for 3 at 8", time=time(20), party_size=3),
    case("at 7.30pm", time=time(19, 30)),
    case("half past 7", time=time(19, 30)),
    # changes of mind, standalone
    case("actually 6 people", party_size=6),
    case("make it Saturday", day=SAT),
    case("8:30 instead", time=time(20, 30)),
    case("no, 8:30", time=time(20, 30)),
    case("how about 7?", time=time(19)),
    # dates: ordinals, calendar dates and weekdays, preferring the future
    case("24th", day=DEC[24]),
    case("25th", day=TODAY),
    case("31st", day=DEC[31]),
    case("29th feb", day=date(2028, 2, 29)),
    case("next friday", day=FRI),
    case("wednesday", day=TODAY, today_or_next_week=True),  # asked: today or next week?
    case("this wednesday", day=TODAY),
    case("on wednesday", day=TODAY, today_or_next_week=True),
    case("next wednesday", day=DEC[2]),
    case("is friday ok?", day=FRI),
    case("Sat 28th Nov", day=SAT),
    case("5/12 at 8", day=DEC[5], time=time(20)),
    case("5.12", day=DEC[5]),
    case("24.12 at 8", day=DEC[24], time=time(20)),
    case("24 Dec at 8:30", day=DEC[24], time=time(20, 30)),
    case("2026-12-05 8pm", day=DEC[5], time=time(20)),
    case("25 Nov", day=TODAY),
    case("24 Nov", past_day=date(2026, 11, 24)),  # passed yesterday: said so, not next year
    case("yesterday 8pm", time=time(20), past_day=date(2026, 11, 24)),
    case("24 Aug", day=date(2027, 8, 24)),  # long gone this year: next year's
    case("May 5 at 8", day=date(2027, 5, 5), time=time(20)),
    # Hinglish and Hindi
    case("kal raat 8 baje", day=TOMORROW, time=time(20)),
    case("कल रात 8 बजे", day=TOMORROW, time=time(20)),
    case("कल रात 8 बजे 4 लोग", day=TOMORROW, time=time(20), party_size=4),
    case("शुक्रवार शाम 7 बजे", day=FRI, time=time(19)),
    case("parson shaam 7 baje", day=FRI, time=time(19)),
    case("aaj dopahar 1 baje", day=TODAY, time=time(13)),
    case("subah 9 baje kal", day=TOMORROW, time=time(9)),
    case("saade 8 baje kal", day=TOMORROW, time=time(20, 30)),
    case("3 din baad 8 baje", day=SAT, time=time(20)),
    case("agle shukravar 2 log", day=FRI, party_size=2),
    case("hum do log kal 9 baje", day=TOMORROW, time=time(21), party_size=2),
    case("hum 5 log", party_size=5),
    case("5 log", party_size=5),
    case("4 जन", party_size=4),
    case("चार लोग", party_size=4),
    # Spanish
    case("mañana a las 9", day=TOMORROW, time=time(21)),
    case("esta noche para 2", day=TODAY, party_size=2),
    case("el viernes a las 8 para 4 personas", day=FRI, time=time(20), party_size=4),
    case("pasado mañana", day=FRI),
    case("mañana por la mañana a las 10", day=TOMORROW, time=time(10)),
    case("el sábado a las 2 de la tarde", day=SAT, time=time(14)),
    case("a las 8 y media del sábado", day=SAT, time=time(20, 30)),
    case("hoy a la 1", day=TODAY, time=time(13)),
    case("somos 5", party_size=5),
    case("somos cuatro", party_size=4),
    case("para 4", party_size=4),
    case("dos personas", party_size=2),
    # party size in English
    case("four of us", party_size=4),
    case("table for two", party_size=2),
    case("party of 6", party_size=6),
    case("2 adults and a kid", party_size=3),
    case("2 adults 1 child", party_size=3),
    case("just me", party_size=1),
    case("me and my wife tomorrow at 8", day=TOMORROW, time=time(20), party_size=2),
    case("may I book a table for 2", party_size=2),
    case("we sat outside last time, table for 2", party_size=2),
    case("x4"),
    case("party of 60"),
    # names and references
    case("my name is Asha, table for 2 at 9", time=time(21), party_size=2, name="Asha"),
    case("I'm Ravi Kumar", name="Ravi Kumar"),
    case("mera naam Asha hai", name="Asha"),
    case("मेरा नाम आशा है", name="आशा"),
    case("me llamo Ana", name="Ana"),
    case("Me llamo Ana María, mesa para 3", party_size=3, name="Ana María"),
    case("this is Asha from Mumbai", name="Asha"),
    case(
        "table for 4 at 7 tomorrow, my name is ravi",
        day=TOMORROW,
        time=time(19),
        party_size=4,
        name="Ravi",
    ),
    case("cancel booking bk 7f3k2q", reference="BK-7F3K2Q"),
    case("can I change BK7F3K2Q to 9pm", time=time(21), reference="BK-7F3K2Q"),
    case("ref 7F3K2Q", reference="BK-7F3K2Q"),
    # nothing to extract
    case("I'm looking for a table"),
    case("I'm 5 mins late"),
    case("my number is 9876543210"),
    case("reference please"),
    case("bk-7f3k2o"),  # "O" is not in the reference alphabet
    case("hi"),
]

HOTEL_CASES = [
    # ranges: check_out is exclusive, nights follow from the two ends
    case("24-27 Dec", check_in=DEC[24], check_out=DEC[27], nights=3),
    case("24 Dec to 27 Dec", check_in=DEC[24], check_out=DEC[27], nights=3),
    case("24 to 27 December", check_in=DEC[24], check_out=DEC[27], nights=3),
    case("24th-27th Dec", check_in=DEC[24], check_out=DEC[27], nights=3),
    case("Dec 24-27", check_in=DEC[24], check_out=DEC[27], nights=3),
    case("24-27", check_in=DEC[24], check_out=DEC[27], nights=3),
    case("arriving 24th leaving 27th", check_in=DEC[24], check_out=DEC[27], nights=3),
    case("24 se 27 dec tak", check_in=DEC[24], check_out=DEC[27], nights=3),
    case("del 24 al 27 de diciembre", check_in=DEC[24], check_out=DEC[27], nights=3),
    case("30 dec - 2 jan", check_in=DEC[30], check_out=date(2027, 1, 2), nights=3),
    case("24 nov to 26 nov", past_day=date(2026, 11, 24)),
    case("sorry, make that 3 nights", nights=3),
    case("20 aug to 22 aug", check_in=date(2027, 8, 20), check_out=date(2027, 8, 22), nights=2),
    case("check in friday check out sunday", check_in=FRI, check_out=SUN, nights=2),
    case("check out sunday, check in friday", check_in=FRI, check_out=SUN, nights=2),
    case("friday to monday", check_in=FRI, check_out=MON, nights=3),
    case("friday 27th to sunday 29th", check_in=FRI, check_out=SUN, nights=2),
    case("शुक्रवार से रविवार तक", check_in=FRI, check_out=SUN, nights=2),
    case("kal se parson tak", check_in=TOMORROW, check_out=FRI, nights=1),
    case("next weekend", check_in=FRI, check_out=SUN, nights=2),
    case("this weekend", check_in=FRI, check_out=SUN, nights=2),
    # one date plus nights
    case("from 24th for 3 nights", day=DEC[24], check_in=DEC[24], check_out=DEC[27], nights=3),
    case("tomorrow for 2 nights", day=TOMORROW, check_in=TOMORROW, check_out=SAT, nights=2),
    case("from Friday for 2 nights", day=FRI, check_in=FRI, check_out=SUN, nights=2),
    case("1 night tomorrow", day=TOMORROW, check_in=TOMORROW, check_out=FRI, nights=1),
    case("do raat ke liye kal se", day=TOMORROW, check_in=TOMORROW, check_out=SAT, nights=2),
    case("Sat 28th Nov for 2 nights", day=SAT, check_in=SAT, check_out=MON, nights=2),
    case(
        "for a week from 1st jan",
        day=date(2027, 1, 1),
        check_in=date(2027, 1, 1),
        check_out=date(2027, 1, 8),
        nights=7,
    ),
    # one date or nights alone
    case("tonight", day=TODAY, check_in=TODAY),
    case("staying till sunday", check_out=SUN),
    case("3 raat", nights=3),
    case("3 noches", nights=3),
    case("for 2 nights", nights=2),
    # guests and rooms
    case("2 guests", party_size=2),
    case("for 2 people", party_size=2),
    case("2 rooms for 4 people", party_size=4, rooms=("room", "room")),
    case("2 doubles and a single", rooms=("double", "double", "single")),
    case(
        "a double and a twin 24-27 Dec",
        rooms=("double", "twin"),
        check_in=DEC[24],
        check_out=DEC[27],
        nights=3,
    ),
    case("a suite and 2 deluxe rooms for 6", party_size=6, rooms=("Suite", "Deluxe", "Deluxe")),
    case("do kamre 4 log", party_size=4, rooms=("room", "room")),
    case("dos habitaciones para 4", party_size=4, rooms=("room", "room")),
    case("one room for 2", party_size=2),
    case("room 204 is noisy"),
    case("standard room for 2 adults and 2 kids", party_size=4, room_type="Standard"),
    case("the deluxe one", room_type="Deluxe"),
    case("delux", room_type="Deluxe"),
    case("suit", room_type="Suite"),
    case("sweet"),
    case("twin room"),
    case("double room for tomorrow", day=TOMORROW, check_in=TOMORROW),
    case(
        "deluxe room for 2 from 24th to 27th",
        check_in=DEC[24],
        check_out=DEC[27],
        nights=3,
        party_size=2,
        room_type="Deluxe",
    ),
    case(
        "डीलक्स रूम 24 से 27 दिसंबर",
        check_in=DEC[24],
        check_out=DEC[27],
        nights=3,
        room_type="Deluxe",
    ),
    case(
        "estándar para 2 personas, 2 noches desde el viernes",
        day=FRI,
        check_in=FRI,
        check_out=SUN,
        nights=2,
        party_size=2,
        room_type="Standard",
    ),
    case(
        "check-in 24 Dec, check-out 27 Dec, 2 adults, Suite",
        check_in=DEC[24],
        check_out=DEC[27],
        nights=3,
        party_size=2,
        room_type="Suite",
    ),
    case(
        "24th for 3 nights, I'm Ravi Kumar",
        day=DEC[24],
        check_in=DEC[24],
        check_out=DEC[27],
        nights=3,
        name="Ravi Kumar",
    ),
    # a hotel gives bare hours no evening default, and a lone number is not a time
    case("tomorrow at 2pm", day=TOMORROW, check_in=TOMORROW, time=time(14)),
    case("at 8", time=time(8)),
    case("8"),
    # a check-out said before the check-in stays there (a year later is no stay anyone means)
    case("26 Dec to 24 Dec", check_in=DEC[26], check_out=DEC[24], nights=-2),
    case("24 Dec to 24 Dec", check_in=DEC[24], check_out=DEC[24], nights=0),
    case(
        "30 Dec to 2 Jan",
        check_in=DEC[30],
        check_out=date(2027, 1, 2),
        nights=3,
    ),
    case(
        "5 Jan 2028 to 8 Jan",
        check_in=date(2028, 1, 5),
        check_out=date(2028, 1, 8),
        nights=3,
    ),
]


@pytest.mark.parametrize(("text", "expected"), RESTAURANT_CASES)
def test_restaurant_message_slots(text: str, expected: Slots) -> None:
    assert restaurant(text) == expected


@pytest.mark.parametrize(("text", "expected"), HOTEL_CASES)
def test_hotel_message_slots(text: str, expected: Slots) -> None:
    assert hotel(text) == expected


def test_tomorrow_is_the_venue_tomorrow_just_after_midnight_in_india() -> None:
    half_past_midnight_ist = datetime(2026, 11, 25, 19, 0, tzinfo=UTC)  # 00:30 on the 26th
    assert restaurant("tomorrow at 8", now=half_past_midnight_ist) == Slots(
        day=date(2026, 11, 27), time=time(20)
    )
    assert restaurant("today", now=half_past_midnight_ist).day == date(2026, 11, 26)
    assert hotel("tonight", now=half_past_midnight_ist).check_in == date(2026, 11, 26)


def test_same_instant_is_still_the_25th_at_a_london_venue() -> None:
    seven_pm_utc = datetime(2026, 11, 25, 19, 0, tzinfo=UTC)
    slots = restaurant("tomorrow 8pm", now=seven_pm_utc, timezone="Europe/London")
    assert slots == Slots(day=date(2026, 11, 26), time=time(20))


def test_london_summer_time_moves_the_date_an_hour_before_utc_midnight() -> None:
    half_past_midnight_bst = datetime(2026, 6, 25, 23, 30, tzinfo=UTC)
    slots = restaurant("tomorrow 8pm", now=half_past_midnight_bst, timezone="Europe/London")
    assert slots == Slots(day=date(2026, 6, 27), time=time(20))


def test_friday_said_on_a_friday_is_today_and_next_friday_a_week_later() -> None:
    friday = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
    assert restaurant("friday", now=friday).day == date(2026, 11, 27)
    assert restaurant("next friday", now=friday).day == date(2026, 12, 4)


def test_weekend_asked_on_a_saturday() -> None:
    saturday = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
    this = hotel("this weekend", now=saturday)
    assert (this.check_in, this.check_out) == (date(2026, 11, 28), date(2026, 11, 29))
    following = hotel("next weekend", now=saturday)
    assert (following.check_in, following.check_out) == (date(2026, 12, 4), date(2026, 12, 6))


def test_december_range_is_this_year_and_said_to_have_passed_once_it_has() -> None:
    early = hotel("24-27 Dec", now=datetime(2026, 12, 10, 10, 0, tzinfo=UTC))
    assert (early.check_in, early.check_out) == (date(2026, 12, 24), date(2026, 12, 27))
    late = hotel("24-27 Dec", now=datetime(2026, 12, 25, 10, 0, tzinfo=UTC))
    assert (late.check_in, late.check_out, late.past_day) == (None, None, date(2026, 12, 24))
    new_year = hotel("30-31 Dec", now=datetime(2027, 1, 2, 10, 0, tzinfo=UTC))
    assert (new_year.check_in, new_year.past_day) == (None, date(2026, 12, 30))


def test_month_names_are_read_only_in_the_languages_passed() -> None:
    def day(languages: tuple[str, ...]) -> date | None:
        return extract_slots(
            "24 de diciembre",
            now=NOW,
            timezone=INDIA,
            venue_kind="restaurant",
            languages=languages,
        ).day

    assert day(("es",)) == DEC[24]
    assert day(("en",)) is None


def test_multi_word_room_types_match_on_their_distinctive_word() -> None:
    types = ("Deluxe King", "Deluxe Twin", "Garden Suite")
    assert match_room_type("the king one please", types) == "Deluxe King"
    assert match_room_type("deluxe twin", types) == "Deluxe Twin"
    assert match_room_type("garden suite", types) == "Garden Suite"
    assert match_room_type("deluxe", types) is None  # two deluxe types: ask, do not guess


def test_restaurant_never_fills_hotel_fields() -> None:
    slots = restaurant("24-27 Dec for 3 nights")
    assert (slots.check_in, slots.check_out, slots.nights) == (None, None, None)
    assert slots.day == DEC[24]


def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        extract_slots("tomorrow", now=datetime(2026, 11, 25), timezone=INDIA, venue_kind="hotel")


def test_unknown_venue_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="venue_kind"):
        extract_slots("tomorrow", now=NOW, timezone=INDIA, venue_kind="spa")


def test_extraction_is_fast_after_warm_up() -> None:
    """Generous bound for a noisy machine; the real number is measured in bench/."""
    warm_up()
    messages = [
        "table for 4 tomorrow 8pm",
        "kal raat 8 baje 4 log",
        "mañana a las 9 para 2 personas",
        "24-27 Dec deluxe for 2 adults",
        "कल रात 8 बजे 4 लोग",
    ]
    started = timer.perf_counter()
    for index in range(50):
        text = messages[index % len(messages)]
        extract_slots(text, now=NOW, timezone=INDIA, venue_kind="hotel", room_types=ROOM_TYPES)
    average = (timer.perf_counter() - started) / 50
    assert average < 0.2


@pytest.mark.parametrize(
    "text",
    ["double room 24-27 Dec for 2", "a room 24-27 Dec for 2 people", "room 24 to 27 dec for 2"],
)
def test_room_word_before_a_date_range_does_not_swallow_the_start_date(text: str) -> None:
    slots = extract_slots(
        text,
        now=datetime(2026, 11, 25, 10, tzinfo=UTC),
        timezone="Asia/Kolkata",
        venue_kind="hotel",
    )
    assert (slots.check_in, slots.check_out, slots.party_size) == (
        date(2026, 12, 24),
        date(2026, 12, 27),
        2,
    )
