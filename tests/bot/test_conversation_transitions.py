"""Where a conversation may go next: the table, and the one function that enforces it."""

from __future__ import annotations

import ast
from datetime import UTC, datetime
from itertools import product
from pathlib import Path

import pytest

from bot.conversation import TRANSITIONS, Conversation, State, UndeclaredTransitionError

S = State
#: The dialogue's moves, written out independently of the table under test.
ALLOWED = {
    *product(
        [S.IDLE, S.COLLECTING, S.CHOOSING_OFFER, S.CONFIRMING, S.ASKING_NAME, S.AWAITING_PAYMENT],
        [S.COLLECTING, S.CHOOSING_OFFER, S.CONFIRMING],  # a booking request asked or searched
    ),
    *product([S.REMINDED], [S.COLLECTING, S.CHOOSING_OFFER, S.CONFIRMING]),  # a new booking
    (S.CONFIRMING, S.ASKING_NAME),  # yes to the offer, and no name known
    (S.CHOOSING_OFFER, S.ASKING_NAME),  # picked from a list that showed it whole, no name known
    *product(
        [S.IDLE, S.AWAITING_PAYMENT, S.CHOOSING_BOOKING],
        [S.CHOOSING_BOOKING, S.CONFIRMING_CANCEL, S.CHANGING],  # "cancel" / "change"
    ),
    (S.CONFIRMING_CANCEL, S.CONFIRMING_CANCEL),  # the cancellation put again
    (S.CHANGING, S.CHANGING),
    (S.CHANGING, S.CONFIRMING_CHANGE),
    (S.CONFIRMING_CHANGE, S.CHANGING),  # revised, or refused by the engine
    (S.CONFIRMING_CHANGE, S.CONFIRMING_CHANGE),  # the change put again
    (S.IDLE, S.AWAITING_PAYMENT),  # the booking built is forgotten once held
    (S.IDLE, S.WAITLIST_OFFERED),  # a freed place, offered outside the guest's turn
    (S.IDLE, S.REMINDED),  # a reminder, sent outside the guest's turn
    # the reminder answered: change or cancel it (or, typed, pick one of several bookings)
    *product([S.REMINDED], [S.CHOOSING_BOOKING, S.CONFIRMING_CANCEL, S.CHANGING]),
    (S.IDLE, S.RATING),  # "how was your visit?", asked outside the guest's turn
    (S.RATING, S.COMMENTING),  # rated: anything to add?
    (S.IDLE, S.CROSS_SELL_OFFERED),  # a confirmed stay: a table next door, offered with the news
    (S.CROSS_SELL_OFFERED, S.AWAITING_PAYMENT),  # yes to it, and the party owes a deposit
}
ALL_PAIRS = list(product(S, S))
BOT = Path(__file__).resolve().parents[2] / "bot"


def test_table_has_a_row_for_every_state() -> None:
    assert set(TRANSITIONS) == set(S)


@pytest.mark.parametrize(("current", "target"), sorted(ALLOWED))
def test_allowed_move_changes_the_state(current: State, target: State) -> None:
    conversation = Conversation(state=current)
    conversation.move_to(target)
    assert conversation.state == target


@pytest.mark.parametrize(("current", "target"), [p for p in ALL_PAIRS if p not in ALLOWED])
def test_undeclared_move_raises_and_leaves_the_state(current: State, target: State) -> None:
    conversation = Conversation(state=current)
    with pytest.raises(UndeclaredTransitionError, match=f"{current} cannot lead to {target}"):
        conversation.move_to(target)
    assert conversation.state == current


def test_every_state_can_be_reached_from_a_fresh_conversation() -> None:
    reached, frontier = {S.IDLE, S.HANDOFF}, [S.IDLE]  # a person can take over from anywhere
    while frontier:
        new = TRANSITIONS[frontier.pop()] - reached
        reached |= new
        frontier.extend(new)
    assert reached == set(S)


@pytest.mark.parametrize("state", list(S))
def test_a_fresh_start_and_a_person_are_open_from_every_state(state: State) -> None:
    fresh, handed = Conversation(state=state), Conversation(state=state)
    fresh.reset()
    handed.hand_off(datetime(2026, 12, 1, 12, tzinfo=UTC))
    assert (fresh.state, handed.state) == (S.IDLE, S.HANDOFF)


def test_the_bot_moves_conversations_only_through_the_table() -> None:
    assignments = [
        f"{path.relative_to(BOT.parent)}:{node.lineno}"
        for path in sorted(BOT.rglob("*.py"))
        if path.name != "conversation.py"
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign)
        for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
        if isinstance(target, ast.Attribute) and target.attr == "state"
    ]
    assert assignments == [], "set the state with Conversation.move_to"
