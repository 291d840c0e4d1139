"""Rendering channel-neutral replies for each channel, within each channel's hard limits.

WhatsApp: up to 3 options become reply buttons, up to 10 a list, anything beyond the Cloud
API limits degrades to numbered text. Options with a description (a room's price and size)
always go as a list, the only form that shows descriptions: three bare buttons "Standard",
"Deluxe", "Suite" would leave the guest choosing without the prices. SMS: numbered options
("Reply 1, 2 or 3"), kept within three segments because every segment is billed.
"""

from __future__ import annotations

from typing import Any

from bot.catalog import t
from bot.messages import Option, Reply

GSM7_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = "^{}\\[~]|€\f"
MAX_SMS_SEGMENTS = 3

WA_TEXT_MAX = 4096
WA_BODY_MAX = 1024
WA_BUTTONS_MAX = 3
WA_BUTTON_TITLE_MAX = 20
WA_LIST_ROWS_MAX = 10
WA_ROW_TITLE_MAX = 24
WA_ROW_DESCRIPTION_MAX = 72
WA_ID_MAX = 256


def is_gsm7(text: str) -> bool:
    """True when every character fits the GSM-7 alphabet (else the SMS goes as UCS-2)."""
    return all(ch in GSM7_BASIC or ch in GSM7_EXTENDED for ch in text)


def sms_segments(text: str) -> int:
    """How many billed segments ``text`` takes: 160/153 for GSM-7, 70/67 for UCS-2."""
    if is_gsm7(text):
        length = len(text) + sum(ch in GSM7_EXTENDED for ch in text)
        single, multi = 160, 153
    else:
        length = len(text.encode("utf-16-le")) // 2
        single, multi = 70, 67
    return 1 if length <= single else -(-length // multi)


def numbered(options: list[Option], language: str | None = None) -> str:
    """Options as numbered lines, followed by how to answer (in the reply's language)."""
    lines = [
        f"{n}) {o.title}" + (f" - {o.description}" if o.description else "")
        for n, o in enumerate(options, start=1)
    ]
    numbers = [str(n) for n in range(1, len(options) + 1)]
    last = f" {t('word_or', language)} {numbers[-1]}"
    hint = numbers[0] if len(numbers) == 1 else ", ".join(numbers[:-1]) + last
    return "\n".join(lines) + "\n" + t("reply_numbers", language, numbers=hint)


def fit_sms(text: str, *, max_segments: int = MAX_SMS_SEGMENTS) -> str:
    """Shorten ``text`` (with an ellipsis) until it fits ``max_segments``."""
    if sms_segments(text) <= max_segments:
        return text
    low, high = 0, len(text)
    while low < high:
        mid = (low + high + 1) // 2
        if sms_segments(text[:mid].rstrip() + "…") <= max_segments:
            low = mid
        else:
            high = mid - 1
    return text[:low].rstrip() + "…"


def render_sms(reply: Reply) -> dict[str, Any]:
    """The SMS body for a reply; options keep their full text, the prose yields space."""
    if not reply.options:
        return {"body": fit_sms(reply.text)}
    menu = numbered(reply.options, reply.language)
    budget_text = fit_sms(reply.text + "\n" + menu)
    if budget_text.endswith(menu):
        return {"body": budget_text}
    return {"body": fit_sms(menu)}


def _fits_buttons(reply: Reply) -> bool:
    return (
        len(reply.options) <= WA_BUTTONS_MAX
        and not any(o.description for o in reply.options)
        and len(reply.text) <= WA_BODY_MAX
        and all(
            len(o.title) <= WA_BUTTON_TITLE_MAX and len(o.id) <= WA_ID_MAX for o in reply.options
        )
    )


def _fits_list(reply: Reply) -> bool:
    return (
        len(reply.options) <= WA_LIST_ROWS_MAX
        and len(reply.text) <= WA_BODY_MAX
        and len(reply.list_button) <= WA_BUTTON_TITLE_MAX
        and all(
            len(o.title) <= WA_ROW_TITLE_MAX
            and len(o.description) <= WA_ROW_DESCRIPTION_MAX
            and len(o.id) <= WA_ID_MAX
            for o in reply.options
        )
    )


def render_whatsapp(reply: Reply) -> dict[str, Any]:
    """The Cloud API message body (without ``to``) for a reply."""
    if reply.options and _fits_buttons(reply):
        buttons = [
            {"type": "reply", "reply": {"id": o.id, "title": o.title}} for o in reply.options
        ]
        interactive: dict[str, Any] = {
            "type": "button",
            "body": {"text": reply.text},
            "action": {"buttons": buttons},
        }
        return {"type": "interactive", "interactive": interactive}
    if reply.options and _fits_list(reply):
        rows = [
            {
                "id": o.id,
                "title": o.title,
                **({"description": o.description} if o.description else {}),
            }
            for o in reply.options
        ]
        interactive = {
            "type": "list",
            "body": {"text": reply.text},
            "action": {
                "button": reply.list_button,
                "sections": [{"title": reply.list_button, "rows": rows}],
            },
        }
        return {"type": "interactive", "interactive": interactive}
    text = reply.text + ("\n" + numbered(reply.options, reply.language) if reply.options else "")
    return {"type": "text", "text": {"body": text[:WA_TEXT_MAX], "preview_url": True}}


def plain_text(payload: dict[str, Any]) -> str:
    """The human-readable text of a rendered payload (for transcripts and templates)."""
    if "body" in payload:
        return str(payload["body"])
    if payload.get("type") == "interactive":
        return str(payload["interactive"]["body"]["text"])
    if payload.get("type") == "text":
        return str(payload["text"]["body"])
    return ""
