"""Handlers that work in every state: help, human handoff, greetings, thanks, abandoning a
flow, and what to do when the bot did not understand.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from bot.events import publish
from bot.flows import booking
from bot.messages import Option, Reply, above
from bot.turn import Turn

#: A handler that puts a pending question to the guest again.
Asker = Callable[[Turn], list[Reply]]

HANDOFF_HOURS = 4
MAX_MISUNDERSTANDINGS = 3


def menu_options(turn: Turn) -> list[Option]:
    """The main menu: book, see my bookings, talk to a person."""
    return [
        Option("menu:book", turn.text("menu_book")),
        Option("menu:check", turn.text("menu_check")),
        Option("menu:agent", turn.text("menu_agent")),
    ]


def help_menu(turn: Turn) -> list[Reply]:
    """What the bot can do, with the menu."""
    turn.conversation.misunderstandings = 0
    key = "help_hotel" if turn.venue.kind == "hotel" else "help_restaurant"
    return [turn.say(key, menu_options(turn), venue=turn.venue.name)]


def greet(turn: Turn) -> list[Reply]:
    """Hello, and what the bot can do."""
    key = "greet_hotel" if turn.venue.kind == "hotel" else "greet_restaurant"
    if turn.guest.name:
        key += "_name"
    return [turn.say(key, menu_options(turn), venue=turn.venue.name, name=turn.guest.name)]


def thanks(turn: Turn) -> list[Reply]:
    """You're welcome."""
    return [turn.say("welcome")]


def hand_off(turn: Turn) -> list[Reply]:
    """Hand the conversation to staff: the bot goes quiet until "bot" or the timeout."""
    pass_to_staff(turn, "asked for a person")
    return [turn.say("handoff")]


def pass_to_staff(turn: Turn, why: str) -> None:
    """Quiet the bot and put the guest in the staff's inbox, telling the dashboards ``why``
    ("asked for a person") after the guest's name."""
    turn.conversation.hand_off(turn.now + timedelta(hours=HANDOFF_HOURS))
    publish(
        turn.redis,
        "conversation.handoff",
        {
            "venue_id": turn.venue.id,
            "channel": turn.channel.value,
            "guest_phone": turn.guest.phone,
            "guest_name": turn.guest.name,
            "summary": f"{turn.guest.name or turn.guest.phone} {why} ({turn.channel.value})",
        },
    )


def handoff_over(turn: Turn) -> bool:
    """True when a handoff timed out (the bot answers again)."""
    until = turn.conversation.handoff_until
    return until is None or datetime.fromisoformat(until) <= turn.now


def hand_back(turn: Turn) -> list[Reply]:
    """The guest asked for the bot again (or the handoff timed out): carry on with a booking
    left half-built, searching afresh, or start from the menu.
    """
    kept = turn.conversation.request
    turn.conversation.reset()
    if kept.is_empty():
        return [turn.say("back_to_bot", menu_options(turn))]
    turn.conversation.request = kept
    return [turn.say("back_to_bot_resume"), *booking.book(turn)]


def abandon(turn: Turn) -> list[Reply]:
    """Stop the flow in progress ("cancel", "stop this") without touching any booking."""
    turn.conversation.reset()
    return [turn.say("abandoned", menu_options(turn))]


def not_understood(
    turn: Turn, prompt_key: str | None = None, ask_again: Asker | None = None
) -> list[Reply]:
    """Ask again; after three misses in a row, offer the menu and a human.

    ``ask_again`` puts the pending question back on screen under the note (an offer, a
    change, a cancellation), so a yes after it answers what the guest can see.
    """
    conversation = turn.conversation
    conversation.misunderstandings += 1
    if conversation.misunderstandings >= MAX_MISUNDERSTANDINGS:
        conversation.reset()
        return [turn.say("lost", menu_options(turn))]
    text = turn.text("not_understood")
    if prompt_key:
        text += " " + turn.text(prompt_key)
    return above(text, ask_again(turn)) if ask_again else [Reply(text)]


def number_unclear(turn: Turn, ask_again: Asker) -> list[Reply]:
    """A bare number that picked no option on screen and answers nothing asked ("1" after
    "reply with the name"): say so, and put the question on screen again. It is never read
    as a new time or party, which the guest would not see before the booking.
    """
    note = turn.text("number_unclear", number=turn.understood.text.strip())
    return above(note, ask_again(turn))
