"""Dates, stays and money as guests read them, from CLDR through Babel."""

from __future__ import annotations

from datetime import date

import pytest

from bot.format import format_day, format_money, format_stay
from bot.render import is_gsm7


@pytest.mark.parametrize(
    ("amount", "currency", "ascii_only", "expected"),
    [
        (350_000, "INR", False, "₹3,500"),
        (350_000, "INR", True, "Rs 3,500"),
        (12_345_650, "INR", False, "₹1,23,456.50"),
        (10_550_000_000, "INR", False, "₹10,55,00,000"),
        (-50_000, "INR", False, "-₹500"),
        (10_500_000, "EUR", False, "€105,000"),
        (10_500_000, "EUR", True, "EUR 105,000"),
        (1_000, "JPY", False, "¥1,000"),
    ],
)
def test_money_reads_in_its_currencys_conventions(
    amount: int, currency: str, ascii_only: bool, expected: str
) -> None:
    assert format_money(amount, currency, ascii_only=ascii_only) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Thu 24 Dec"),
        ("es", "jue 24 dic"),
        ("hi", "गुरु 24 दिस॰"),
        ("hi-Latn", "Thu 24 Dec"),
        (None, "Thu 24 Dec"),
    ],
)
def test_a_day_has_its_weekday_in_the_guests_language(language: str | None, expected: str) -> None:
    assert format_day(date(2026, 12, 24), language) == expected


def test_a_day_in_another_year_shows_the_year() -> None:
    assert format_day(date(2027, 12, 1), today=date(2026, 12, 5)) == "Wed 1 Dec 2027"


def test_a_stay_reads_as_one_range_and_plain_on_sms() -> None:
    same_month = format_stay(date(2027, 1, 6), date(2027, 1, 13))
    assert same_month.replace("\u2009", "") == "6–13 Jan"
    assert format_stay(date(2027, 1, 6), date(2027, 1, 13), ascii_only=True) == "6-13 Jan"
    across = format_stay(date(2026, 12, 31), date(2027, 1, 2), "hi-Latn", ascii_only=True)
    assert across == "31 Dec-2 Jan" and is_gsm7(across)
