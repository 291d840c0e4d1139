"""Risk: scoring holds for abuse before a payment link goes out, and rate-limiting holds."""
