"""Credentials of the built-in fake providers, used when no real provider keys are configured.

They are public on purpose: the fake providers run on this machine, and signatures are still
computed and verified for real with them, so the same code paths run as in production.
"""

TWILIO_ACCOUNT_SID = "AC" + "f" * 32
TWILIO_AUTH_TOKEN = "fake-twilio-auth-token"
WHATSAPP_TOKEN = "fake-whatsapp-access-token"
WHATSAPP_APP_SECRET = "fake-whatsapp-app-secret"
WHATSAPP_VERIFY_TOKEN = "fake-whatsapp-verify-token"
RAZORPAY_KEY_ID = "rzp_test_fake"
RAZORPAY_KEY_SECRET = "fake-razorpay-key-secret"
RAZORPAY_WEBHOOK_SECRET = "fake-razorpay-webhook-secret"
