"""Rendering replies per channel within each channel's limits."""

from __future__ import annotations

from bot.messages import Option, Reply
from bot.render import fit_sms, render_sms, render_whatsapp, sms_segments


def _options(count: int, title: str = "Option") -> list[Option]:
    return [Option(f"id:{n}", f"{title} {n}") for n in range(1, count + 1)]


def test_up_to_three_short_options_become_whatsapp_reply_buttons() -> None:
    payload = render_whatsapp(Reply("Pick one", _options(3)))
    assert payload["type"] == "interactive"
    assert payload["interactive"]["type"] == "button"
    buttons = payload["interactive"]["action"]["buttons"]
    assert [b["reply"]["id"] for b in buttons] == ["id:1", "id:2", "id:3"]


def test_options_with_descriptions_are_a_whatsapp_list_even_when_three_would_be_buttons() -> None:
    rooms = [
        Option(f"offer:{n}", name, f"₹{price} in total")
        for n, (name, price) in enumerate(
            [("Standard", "10,500"), ("Deluxe", "16,500"), ("Suite", "27,000")]
        )
    ]
    interactive = render_whatsapp(Reply("Which room?", rooms))["interactive"]
    assert interactive["type"] == "list"
    rows = interactive["action"]["sections"][0]["rows"]
    assert [(r["title"], r["description"]) for r in rows] == [
        ("Standard", "₹10,500 in total"),
        ("Deluxe", "₹16,500 in total"),
        ("Suite", "₹27,000 in total"),
    ]


def test_four_to_ten_options_become_a_whatsapp_list() -> None:
    payload = render_whatsapp(Reply("Pick one", _options(7)))
    assert payload["interactive"]["type"] == "list"
    rows = payload["interactive"]["action"]["sections"][0]["rows"]
    assert len(rows) == 7


def test_options_beyond_whatsapp_limits_degrade_to_numbered_text() -> None:
    too_many = render_whatsapp(Reply("Pick one", _options(11)))
    assert too_many["type"] == "text"
    assert "11) Option 11" in too_many["text"]["body"]
    long_title = render_whatsapp(Reply("Pick", [Option("a", "x" * 30), Option("b", "y")]))
    assert long_title["type"] == "text"


def test_button_title_of_exactly_twenty_characters_is_still_a_button() -> None:
    payload = render_whatsapp(Reply("Pick", [Option("a", "x" * 20)]))
    assert payload["interactive"]["type"] == "button"


def test_sms_options_are_numbered_with_how_to_answer() -> None:
    body = render_sms(Reply("Which room?", _options(3, "Room")))["body"]
    assert body.splitlines() == [
        "Which room?",
        "1) Room 1",
        "2) Room 2",
        "3) Room 3",
        "Reply 1, 2 or 3.",
    ]


def test_segments_follow_gsm7_and_ucs2_rules() -> None:
    assert sms_segments("a" * 160) == 1
    assert sms_segments("a" * 161) == 2
    assert sms_segments("€" * 80) == 1
    assert sms_segments("€" * 81) == 2  # extension characters count twice
    assert sms_segments("₹" * 70) == 1
    assert sms_segments("₹" + "a" * 70) == 2  # one rupee sign makes it all UCS-2


def test_long_sms_is_cut_to_three_segments_keeping_the_options() -> None:
    reply = Reply("Lorem ipsum dolor sit amet. " * 40, _options(3))
    body = render_sms(reply)["body"]
    assert sms_segments(body) <= 3
    assert body.endswith("Reply 1, 2 or 3.")
    assert sms_segments(fit_sms("नमस्ते " * 100)) <= 3
