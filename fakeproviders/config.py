"""What one fake-provider app is configured with: credentials, where the product lives, knobs."""

from __future__ import annotations

from dataclasses import dataclass, field

from fakeproviders.credentials import (
    FAKE_RAZORPAY_KEY_ID,
    FAKE_RAZORPAY_KEY_SECRET,
    FAKE_RAZORPAY_WEBHOOK_SECRET,
    FAKE_TWILIO_ACCOUNT_SID,
    FAKE_TWILIO_AUTH_TOKEN,
    FAKE_WHATSAPP_APP_SECRET,
    FAKE_WHATSAPP_BUSINESS_ACCOUNT_ID,
    FAKE_WHATSAPP_TOKEN,
    FAKE_WHATSAPP_VERIFY_TOKEN,
)
from fakeproviders.state import Knobs
from fakeproviders.whatsapp_limits import APPROVED_TEMPLATES, ApprovedTemplate

#: Where a Bookline app in sandbox mode mounts the fakes, below its PUBLIC_BASE_URL.
FAKE_PROVIDER_PATH = "/_fake-providers"


@dataclass
class FakeConfig:
    """Settings of a fake app; mutable on purpose.

    The fake usually starts before the product (the product needs the fake's URL), so tests set
    ``app_url`` afterwards: every route reads the config at request time.
    """

    twilio_account_sid: str = FAKE_TWILIO_ACCOUNT_SID
    twilio_auth_token: str = FAKE_TWILIO_AUTH_TOKEN
    whatsapp_token: str = FAKE_WHATSAPP_TOKEN
    whatsapp_app_secret: str = FAKE_WHATSAPP_APP_SECRET
    whatsapp_verify_token: str = FAKE_WHATSAPP_VERIFY_TOKEN
    whatsapp_business_account_id: str = FAKE_WHATSAPP_BUSINESS_ACCOUNT_ID
    #: phone_number_id → display number, for webhook metadata; unknown ids display as themselves.
    whatsapp_display_numbers: dict[str, str] = field(default_factory=dict)
    #: The message templates the business has approved, by name (others answer 132001).
    whatsapp_templates: dict[str, ApprovedTemplate] = field(
        default_factory=lambda: dict(APPROVED_TEMPLATES)
    )
    #: Where the Bookline app listens: WhatsApp status webhooks and simulated inbound go here.
    app_url: str | None = None
    #: The URL the app believes providers call (PUBLIC_BASE_URL): inbound SMS is signed over
    #: it, and status callbacks addressed under it are delivered to ``app_url`` (like a proxy).
    public_base_url: str | None = None
    #: Razorpay key pair (Basic auth of the REST fake) and the secret webhooks are signed with.
    razorpay_key_id: str = FAKE_RAZORPAY_KEY_ID
    razorpay_key_secret: str = FAKE_RAZORPAY_KEY_SECRET
    razorpay_webhook_secret: str = FAKE_RAZORPAY_WEBHOOK_SECRET
    #: Initial knobs; ``POST /_fake/reset`` returns to these.
    knobs: Knobs = field(default_factory=Knobs)

    def display_number(self, phone_number_id: str) -> str:
        """The display number shown in webhook metadata for a business phone number id."""
        return self.whatsapp_display_numbers.get(phone_number_id, phone_number_id)

    def signing_base_url(self) -> str | None:
        """The base URL Twilio-style signatures for inbound SMS are computed over."""
        return self.public_base_url or self.app_url
