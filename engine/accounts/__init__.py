"""Owner and staff accounts that log into the admin dashboard."""
