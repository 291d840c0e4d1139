"""How dates, times and money read to a guest: in the venue's time zone and the guest's language.

Names of days and months, date ranges and digit grouping come from CLDR through Babel, so each
language reads as its speakers write it (rupees grouped the Indian way: ₹1,05,000).
SMS money uses "Rs" rather than "₹", and SMS date ranges a plain hyphen: one character outside
GSM-7 turns the whole SMS into UCS-2 and more than doubles the segments billed.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal
from functools import cache

from babel import Locale
from babel.dates import format_date, format_interval
from babel.numbers import format_currency, get_currency_symbol

#: The CLDR locale each catalog language is formatted in.
LOCALES = {"en": "en_IN", "hi": "hi_IN", "hi-Latn": "hi_Latn_IN", "es": "es"}
#: Hinglish writers name days and months in English ("Sunday ko", "24 Dec"); CLDR's
#: romanised Hindi weekdays would read oddly ("Ravi 6 Dec" looks like a name).
DATE_LOCALES = {**LOCALES, "hi-Latn": "en_IN"}
#: Prices follow the currency's home conventions, whatever the guest's language.
MONEY_LOCALES = {"INR": "en_IN"}
ASCII_SYMBOLS = {"INR": "Rs ", "EUR": "EUR ", "GBP": "GBP ", "USD": "USD "}
MINOR_UNITS = {"JPY": 0, "KWD": 3, "BHD": 3}
_FRACTION = re.compile(r"\.0+")
_GSM7_RANGE = str.maketrans({"\u2013": "-", "\u2009": "", "\u202f": " ", "\u00a0": " "})


@cache
def _locale(name: str) -> Locale:
    return Locale.parse(name)


def locale_of(language: str | None, *, table: dict[str, str] = LOCALES) -> Locale:
    """The Babel locale of a catalog language (English when unknown)."""
    return _locale(table.get(language or "", table["en"]))


def format_day(day: date, language: str | None = None, *, today: date | None = None) -> str:
    """ "Fri 27 Nov" — always with the weekday, so a misread date is caught by the guest.

    Given ``today``, a date in another year shows it ("Wed 1 Dec 2027"): a date the guest
    meant for this year but that was read as next year's must not look like this year's.
    """
    pattern = "EEE d MMM" if today is None or day.year == today.year else "EEE d MMM y"
    return format_date(day, pattern, locale=locale_of(language, table=DATE_LOCALES))


def format_stay(
    check_in: date, check_out: date, language: str | None = None, *, ascii_only: bool = False
) -> str:
    """A stay's dates as one range, "6–13 Jan" ("6-13 Jan" for SMS)."""
    locale = locale_of(language, table=DATE_LOCALES)
    text = format_interval(check_in, check_out, "MMMd", locale=locale)
    return text.translate(_GSM7_RANGE) if ascii_only else text


def format_time(at: time | datetime) -> str:
    """24-hour wall-clock time, e.g. "20:00"."""
    return f"{at.hour:02d}:{at.minute:02d}"


def format_money(amount: int, currency: str, *, ascii_only: bool = False) -> str:
    """Integer minor units as a price: 350000 INR -> "₹3,500" (or "Rs 3,500" for SMS).

    Whole amounts drop the ".00" a guest does not need; others keep the currency's digits.
    """
    digits = MINOR_UNITS.get(currency, 2)
    value = Decimal(amount).scaleb(-digits)
    locale = _locale(MONEY_LOCALES.get(currency, "en"))
    whole = value == value.to_integral_value()
    pattern = locale.currency_formats["standard"].pattern
    text = format_currency(
        value,
        currency,
        _FRACTION.sub("", pattern) if whole else pattern,
        locale=locale,
        currency_digits=not whole,
    )
    if ascii_only:
        symbol = get_currency_symbol(currency, locale=locale)
        text = text.replace(symbol, ASCII_SYMBOLS.get(currency, currency + " "))
    return text
