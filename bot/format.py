"""How dates, times and money read to a guest: in the venue's time zone and the guest's language.

SMS money uses "Rs" rather than "₹": one character outside GSM-7 turns the whole SMS into
UCS-2 and more than doubles the segments billed.
"""

from __future__ import annotations

from datetime import date, datetime, time

WEEKDAYS = {
    "en": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
    "es": ["lun", "mar", "mié", "jue", "vie", "sáb", "dom"],
    "hi": ["सोम", "मंगल", "बुध", "गुरु", "शुक्र", "शनि", "रवि"],
}
MONTHS = {
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
    "es": ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic"],
    "hi": ["जन", "फ़र", "मार्च", "अप्रै", "मई", "जून", "जुल", "अग", "सित", "अक्टू", "नव", "दिस"],
}
SYMBOLS = {"INR": "₹", "EUR": "€", "GBP": "£", "USD": "$"}
ASCII_SYMBOLS = {"INR": "Rs ", "EUR": "EUR ", "GBP": "GBP ", "USD": "USD "}
MINOR_UNITS = {"JPY": 0, "KWD": 3, "BHD": 3}


def _lang(language: str | None) -> str:
    return language if language in WEEKDAYS else "en"


def format_day(day: date, language: str | None = None, *, today: date | None = None) -> str:
    """ "Fri 27 Nov" — always with the weekday, so a misread date is caught by the guest.

    Given ``today``, a date in another year shows it ("Wed 1 Dec 2027"): a date the guest
    meant for this year but that was read as next year's must not look like this year's.
    """
    lang = _lang(language)
    text = f"{WEEKDAYS[lang][day.weekday()]} {day.day} {MONTHS[lang][day.month - 1]}"
    return text if today is None or day.year == today.year else f"{text} {day.year}"


def format_time(at: time | datetime) -> str:
    """24-hour wall-clock time, e.g. "20:00"."""
    return f"{at.hour:02d}:{at.minute:02d}"


def group_digits(number: int, currency: str) -> str:
    """Thousands separators; Indian grouping (1,05,000) for rupees."""
    text = str(number)
    if currency != "INR" or len(text) <= 3:
        return f"{number:,}"
    head, tail = text[:-3], text[-3:]
    pairs: list[str] = []
    while len(head) > 2:
        pairs.insert(0, head[-2:])
        head = head[:-2]
    return ",".join([head, *pairs, tail]) if head else ",".join([*pairs, tail])


def format_money(amount: int, currency: str, *, ascii_only: bool = False) -> str:
    """Integer minor units as a price: 350000 INR -> "₹3,500" (or "Rs 3,500" for SMS)."""
    digits = MINOR_UNITS.get(currency, 2)
    major, minor = divmod(abs(amount), 10**digits) if digits else (abs(amount), 0)
    symbols = ASCII_SYMBOLS if ascii_only else SYMBOLS
    text = symbols.get(currency, currency + " ") + group_digits(major, currency)
    if minor:
        text += f".{minor:0{digits}d}"
    return ("-" if amount < 0 else "") + text
