"""The dialogue table: every state a stored conversation can be in answers every message."""

from __future__ import annotations

import pytest

from bot.conversation import State
from bot.machine import FALLBACK, TABLE

#: A handed-off conversation is answered ahead of the table (``dispatch``): quiet, or back.
ANSWERED_AHEAD = {State.HANDOFF}


@pytest.mark.parametrize("state", [s for s in State if s not in ANSWERED_AHEAD])
def test_every_state_has_a_fallback_for_a_message_no_row_routes(state: State) -> None:
    assert state in FALLBACK


def test_the_table_routes_only_states_that_also_have_a_fallback() -> None:
    assert set(TABLE) <= set(FALLBACK)


def test_a_handed_off_conversation_has_no_row_and_no_fallback() -> None:
    assert State.HANDOFF not in TABLE and State.HANDOFF not in FALLBACK
