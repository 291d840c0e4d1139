"""Enumerations of the accounts domain."""

from enum import StrEnum


class Role(StrEnum):
    """What an account may do: owner (everything in its business), staff, platform admin."""

    ADMIN = "admin"
    OWNER = "owner"
    STAFF = "staff"
