"""The Cloud API's payload rules that the product must respect (PROTOCOLS.md), checked like Meta.

A product that renders too many buttons or too long a title gets the same 131009 error it would
get in production, instead of a fake that silently accepts anything.
"""

from __future__ import annotations

from typing import Any, NamedTuple

TEXT_MAX = 4096
INTERACTIVE_BODY_MAX = 1024
HEADER_TEXT_MAX = 60
FOOTER_MAX = 60
BUTTONS_MAX = 3
BUTTON_TITLE_MAX = 20
BUTTON_ID_MAX = 256
LIST_BUTTON_MAX = 20
LIST_ROWS_MAX = 10
LIST_SECTIONS_MAX = 10
SECTION_TITLE_MAX = 24
ROW_TITLE_MAX = 24
ROW_DESCRIPTION_MAX = 72
ROW_ID_MAX = 200

MISSING = 100  # Graph: a required parameter is absent
INVALID = 131009  # Cloud API: "Parameter value is not valid"


class Violation(NamedTuple):
    """Why a send payload was refused: the Graph error code and its ``details`` text."""

    code: int
    details: str


def _length(value: Any, limit: int, what: str, *, required: bool = True) -> Violation | None:
    """Check a string field's presence and 1..limit length."""
    if value is None or value == "":
        return Violation(MISSING, f"The parameter {what} is required.") if required else None
    if not isinstance(value, str) or len(value) > limit:
        return Violation(INVALID, f"{what} length invalid. Min length: 1, Max length: {limit}")
    return None


def _first(*checks: Violation | None) -> Violation | None:
    """The first violation among already-evaluated checks."""
    return next((c for c in checks if c is not None), None)


def check_send(payload: dict[str, Any]) -> Violation | None:
    """The first rule ``payload`` breaks, or None when Meta would accept it."""
    if payload.get("messaging_product") != "whatsapp":
        return Violation(MISSING, "The parameter messaging_product is required.")
    if not payload.get("to"):
        return Violation(MISSING, "The parameter to is required.")
    kind = payload.get("type", "text")
    if kind == "text":
        return _length((payload.get("text") or {}).get("body"), TEXT_MAX, "text['body']")
    if kind == "interactive":
        return _check_interactive(payload.get("interactive") or {})
    if kind == "template":
        return _length((payload.get("template") or {}).get("name"), 512, "template['name']")
    return None


def _check_interactive(interactive: dict[str, Any]) -> Violation | None:
    """Body/header/footer lengths, then the rules of the interactive type."""
    header = interactive.get("header") or {}
    common = _first(
        _length((interactive.get("body") or {}).get("text"), INTERACTIVE_BODY_MAX, "body['text']"),
        _length(header.get("text"), HEADER_TEXT_MAX, "header['text']", required=False),
        _length(
            (interactive.get("footer") or {}).get("text"),
            FOOTER_MAX,
            "footer['text']",
            required=False,
        ),
    )
    if common is not None:
        return common
    action = interactive.get("action") or {}
    if interactive.get("type") == "button":
        return _check_buttons(action.get("buttons") or [])
    if interactive.get("type") == "list":
        return _check_list(action)
    return None


def _check_buttons(buttons: list[dict[str, Any]]) -> Violation | None:
    """Reply buttons: 1..3, each with a unique id ≤256 and a title ≤20."""
    if not 1 <= len(buttons) <= BUTTONS_MAX:
        return Violation(INVALID, f"Buttons count invalid. Min: 1, Max: {BUTTONS_MAX}")
    replies = [b.get("reply") or {} for b in buttons]
    ids = [r.get("id") for r in replies]
    if len(set(ids)) != len(ids):
        return Violation(INVALID, "Button IDs must be unique.")
    return _first(
        *(_length(r.get("title"), BUTTON_TITLE_MAX, "Button title") for r in replies),
        *(_length(r.get("id"), BUTTON_ID_MAX, "Button id") for r in replies),
    )


def _check_list(action: dict[str, Any]) -> Violation | None:
    """List messages: button ≤20, 1..10 sections, 1..10 rows in all, row title/description."""
    sections: list[dict[str, Any]] = action.get("sections") or []
    rows = [row for section in sections for row in section.get("rows") or []]
    if not 1 <= len(sections) <= LIST_SECTIONS_MAX:
        return Violation(INVALID, f"Sections count invalid. Min: 1, Max: {LIST_SECTIONS_MAX}")
    if not 1 <= len(rows) <= LIST_ROWS_MAX:
        return Violation(INVALID, f"Total row count invalid. Min: 1, Max: {LIST_ROWS_MAX}")
    needs_titles = len(sections) > 1
    return _first(
        _length(action.get("button"), LIST_BUTTON_MAX, "action['button']"),
        *(
            _length(s.get("title"), SECTION_TITLE_MAX, "Section title", required=needs_titles)
            for s in sections
        ),
        *(_length(r.get("title"), ROW_TITLE_MAX, "Row title") for r in rows),
        *(_length(r.get("id"), ROW_ID_MAX, "Row id") for r in rows),
        *(
            _length(r.get("description"), ROW_DESCRIPTION_MAX, "Row description", required=False)
            for r in rows
        ),
    )
