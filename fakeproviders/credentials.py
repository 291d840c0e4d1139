"""Well-known credentials and numbers of the built-in fake providers.

In sandbox mode, a provider without credentials of its own gets these, pointed at the fake, so
the fake, the product and the tests agree on secrets without anyone configuring anything.
They are deliberately public, which is why the product accepts them in sandbox mode only.
"""

from __future__ import annotations

#: Twilio account SID ("AC" + 32 hex characters, like a real one) and auth token.
FAKE_TWILIO_ACCOUNT_SID = "AC" + "b0041e00" * 4
FAKE_TWILIO_AUTH_TOKEN = "5ca1ab1e" * 4
#: Twilio's own "valid sender" magic test number, used as the demo SMS number.
FAKE_TWILIO_NUMBER = "+15005550006"

#: Meta Cloud API access token, app secret (webhook signatures) and webhook verify token.
FAKE_WHATSAPP_TOKEN = "EAAFAKE0bookline0local0access0token"
FAKE_WHATSAPP_APP_SECRET = "fake-bookline-app-secret"
FAKE_WHATSAPP_VERIFY_TOKEN = "fake-bookline-verify-token"
#: Demo business phone number id / display number / WABA id, and the Graph version we speak.
FAKE_WHATSAPP_PHONE_NUMBER_ID = "100000000000001"
FAKE_WHATSAPP_DISPLAY_NUMBER = "15550001111"
FAKE_WHATSAPP_BUSINESS_ACCOUNT_ID = "200000000000002"
FAKE_GRAPH_VERSION = "v21.0"

#: Razorpay test-mode style keys and webhook secret; the Razorpay fake checks and signs with these.
FAKE_RAZORPAY_KEY_ID = "rzp_test_FakeBookline01"
FAKE_RAZORPAY_KEY_SECRET = "fake-bookline-razorpay-secret"
FAKE_RAZORPAY_WEBHOOK_SECRET = "fake-bookline-razorpay-webhook-secret"
