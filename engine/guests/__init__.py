"""Guests, identified per business by their phone number in E.164."""
