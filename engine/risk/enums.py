"""Enumerations of the risk domain."""

from enum import StrEnum


class RiskDecision(StrEnum):
    """What a hold's score means: go ahead, ask staff first, or decline politely."""

    ALLOW = "allow"
    REVIEW = "review"
    DECLINE = "decline"
