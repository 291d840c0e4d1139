"""What a guest message asks for, as far as the dialogue needs to know."""

from __future__ import annotations

from enum import StrEnum


class Intent(StrEnum):
    """The intent labels of the corpus and the classifier's answers."""

    BOOK = "book"
    CHECK = "check"
    CHANGE = "change"
    CANCEL = "cancel"
    HELP = "help"
    AGENT = "agent"
    YES = "yes"
    NO = "no"
    GREET = "greet"
    THANKS = "thanks"
    OPT_OUT = "opt_out"
    OPT_IN = "opt_in"
    #: Asking how, where or until when to pay a held booking ("payment link?").
    PAY = "pay"
    #: Asking about the venue rather than a booking ("do you have parking?", "check-in time?").
    QUESTION = "question"
    CHOOSE = "choose"
    UNKNOWN = "unknown"
