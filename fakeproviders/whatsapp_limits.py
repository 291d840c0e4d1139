"""The Cloud API's payload rules that the product must respect (PROTOCOLS.md), checked like Meta.

A product that renders too many buttons or too long a title gets the same 131009 error it would
get in production, instead of a fake that silently accepts anything. A template message is held
to the template's wire format (body parameters, quick-reply buttons with their payloads) and to
what the business had approved: its name, languages, and how many parameters and buttons.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
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

TEMPLATE_NAME_MAX = 512
TEMPLATE_BUTTONS_MAX = 10
BUTTON_SUB_TYPES = ("quick_reply", "url", "copy_code", "flow", "catalog")

MISSING = 100  # Graph: a required parameter is absent
INVALID = 131009  # Cloud API: "Parameter value is not valid"
PARAMETER_COUNT = 132000  # the parameters (or buttons) do not match the approved template
UNKNOWN_TEMPLATE = 132001  # no approved template of that name in that language
PARAMETER_FORMAT = 132018  # a parameter holds a line break, a tab or 5+ spaces in a row


@dataclass(frozen=True)
class ApprovedTemplate:
    """A template as the business had it approved: body parameters, quick-reply buttons and
    the languages it was translated into."""

    body_parameters: int
    quick_replies: int
    languages: frozenset[str] = frozenset({"en", "hi", "es"})


#: What Bookline's sandbox business has approved (the names its settings default to).
APPROVED_TEMPLATES: dict[str, ApprovedTemplate] = {
    "bookline_update": ApprovedTemplate(body_parameters=1, quick_replies=0),
    "bookline_reminder": ApprovedTemplate(body_parameters=1, quick_replies=3),
}


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
        return _check_template(payload.get("template") or {})
    return None


def _check_template(template: dict[str, Any]) -> Violation | None:
    """Name and language, then each component: body text parameters, buttons by index."""
    language = (template.get("language") or {}).get("code")
    components: list[dict[str, Any]] = template.get("components") or []
    buttons = [c for c in components if c.get("type") == "button"]
    if len(buttons) > TEMPLATE_BUTTONS_MAX:
        return Violation(INVALID, f"Buttons count invalid. Max: {TEMPLATE_BUTTONS_MAX}")
    indexes = [str(b.get("index")) for b in buttons]
    if len(set(indexes)) != len(indexes):
        return Violation(INVALID, "Button indexes must be unique.")
    return _first(
        _length(template.get("name"), TEMPLATE_NAME_MAX, "template['name']"),
        _length(language, 20, "template['language']['code']"),
        *(_check_component(c) for c in components),
    )


def _check_component(component: dict[str, Any]) -> Violation | None:
    kind, parameters = component.get("type"), component.get("parameters") or []
    if kind not in ("header", "body", "button"):
        return Violation(INVALID, f"Invalid component type: {kind}")
    if kind != "button":
        return _first(*(_check_text_parameter(p) for p in parameters))
    index = component.get("index")
    if component.get("sub_type") not in BUTTON_SUB_TYPES:
        return Violation(MISSING, "The parameter components['sub_type'] is required.")
    if not str(index).isdigit() or not 0 <= int(str(index)) < TEMPLATE_BUTTONS_MAX:
        return Violation(INVALID, f"Button index invalid: {index}")
    if component["sub_type"] == "quick_reply":
        kinds = [p.get("type") for p in parameters]
        if kinds != ["payload"]:
            return Violation(INVALID, "A quick reply button takes one payload parameter.")
        return _length(parameters[0].get("payload"), BUTTON_ID_MAX, "Button payload")
    return None


def _check_text_parameter(parameter: dict[str, Any]) -> Violation | None:
    """A text parameter: present, and no line break, tab or run of five spaces (Meta's rule)."""
    if parameter.get("type") != "text":
        return None
    text = parameter.get("text")
    found = _length(text, TEXT_MAX, "parameter['text']")
    if found is not None:
        return found
    if any(mark in str(text) for mark in ("\n", "\t", " " * 5)):
        return Violation(
            PARAMETER_FORMAT,
            "Param text cannot have new-line/tab characters or more than 4 consecutive spaces",
        )
    return None


def check_approved(
    payload: dict[str, Any], approved: Mapping[str, ApprovedTemplate]
) -> Violation | None:
    """For a template message: the business approved that template in that language, with
    as many body parameters and quick-reply buttons as the message fills in."""
    if payload.get("type") != "template":
        return None
    template = payload["template"]
    known = approved.get(template["name"])
    if known is None or template["language"]["code"] not in known.languages:
        return Violation(UNKNOWN_TEMPLATE, "Template name does not exist in the translation")
    components: list[dict[str, Any]] = template.get("components") or []
    body = [p for c in components if c.get("type") == "body" for p in c.get("parameters") or []]
    replies = [c for c in components if c.get("sub_type") == "quick_reply"]
    if (len(body), len(replies)) != (known.body_parameters, known.quick_replies):
        return Violation(
            PARAMETER_COUNT, "Number of parameters does not match the expected number of params"
        )
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
