"""Provider senders: the only code that talks to Twilio and the WhatsApp Cloud API."""
