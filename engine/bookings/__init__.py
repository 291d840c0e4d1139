"""Bookings: holds, claims on inventory, the status lifecycle and its audit trail."""
