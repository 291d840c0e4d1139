"""The webhook URLs an operator registers with each provider, logged when a real stack starts.

Providers sign what they call, and Bookline checks the signature against PUBLIC_BASE_URL: a URL
registered with another host, port or scheme fails every check. Logging the exact URLs at start
leaves nothing to work out by hand.
"""

from __future__ import annotations

import logging

from infra.settings import PROVIDERS, Provider, Settings

log = logging.getLogger(__name__)

#: Per provider: where its console asks for a URL, and the path Bookline serves there.
WEBHOOK_PATHS: dict[Provider, tuple[tuple[str, str], ...]] = {
    "twilio": (("the number's 'A message comes in' webhook", "/webhooks/twilio/sms"),),
    "whatsapp": (("the app's WhatsApp webhook callback URL", "/webhooks/whatsapp"),),
    "razorpay": (("a webhook for payment events", "/webhooks/razorpay"),),
}


def webhook_urls(settings: Settings) -> list[tuple[Provider, str, str]]:
    """(provider, where to register, URL) for every enabled provider, built on PUBLIC_BASE_URL."""
    base = settings.public_base_url.rstrip("/")
    return [
        (provider, place, base + path)
        for provider in PROVIDERS
        if settings.enabled(provider)
        for place, path in WEBHOOK_PATHS[provider]
    ]


def log_webhook_urls(settings: Settings) -> None:
    """One line per URL to register, so a deployment's provider consoles can be checked."""
    for provider, place, url in webhook_urls(settings):
        log.info("Register with %s, as %s: %s", provider, place, url)
