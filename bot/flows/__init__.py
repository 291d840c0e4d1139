"""Dialogue flows: booking, managing bookings, and the always-available general handlers."""
