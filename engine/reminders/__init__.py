"""Reminders before a visit: the venue's schedule, which are due, and the guest's confirmation."""
