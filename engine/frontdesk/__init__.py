"""Owner and staff actions on bookings and guests (the dashboard's front desk)."""
